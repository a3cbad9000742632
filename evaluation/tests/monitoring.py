"""Running partnerships for the monitoring tests: the partnerships world's two sections
activated on a chosen day with the real services, and a second pair in two more districts."""

from __future__ import annotations

import datetime

import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase

from evaluation.models import CheckIn
from evaluation.services.checkins import checkin_save, schedule_extend
from evaluation.services.reminders import SweepResult, send_due_reminders
from partnerships import services
from partnerships.models import CommunicationEntry, Partnership
from partnerships.tests.conftest import World, endorsed, make_ready
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

UTC = datetime.UTC


def d(month: int, day: int) -> datetime.date:
    """A day of 2026, the year the tests walk through."""
    return datetime.date(2026, month, day)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)


def activate(world: World, on: datetime.date, *, cadence: int | None = None, **overrides) -> Partnership:
    """The world's partnership (proposed with `overrides`), planned and activated on `on`
    with `cadence` (its reporting starts then)."""
    with time_machine.travel(at(on), tick=False):
        partnership = make_ready(world, endorsed(world, **overrides))
        services.partnership_activate(partnership=partnership, actor=world.officer_a, cadence=cadence)
    partnership.refresh_from_db()
    return partnership


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """One reminder sweep, its messages delivered as the worker does once the sweep commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return send_due_reminders(now)


def other_world() -> World:
    """Two more sections, in two more districts, each with its coordinator."""
    district_c = DistrictFactory(code="dc", name="District C")
    district_d = DistrictFactory(code="dd", name="District D")
    gamma = SectionFactory(name="Gamma Section", slug="gamma", district=district_c)
    delta = SectionFactory(name="Delta Section", slug="delta", district=district_d)
    return World(
        a=gamma,
        b=delta,
        officer_a=OfficerFactory(section=gamma, user__full_name="Gus Gamma").user,
        officer_b=OfficerFactory(section=delta, user__full_name="Dora Delta").user,
        coordinator_a=CoordinatorFactory(district=district_c).user,
        coordinator_b=CoordinatorFactory(district=district_d).user,
        outsider=UserFactory(),
        staff=UserFactory(society_admin=True),
    )


def checkin_of(partnership: Partnership, section, number: int = 0) -> CheckIn:
    return CheckIn.objects.get(period__partnership=partnership, period__number=number, section=section)


def submit(partnership: Partnership, section, actor, on: datetime.date, overall: str, number: int = 0) -> CheckIn:
    with time_machine.travel(at(on), tick=False):
        schedule_extend(partnership=partnership, today=on)
        return checkin_save(
            checkin=checkin_of(partnership, section, number), actor=actor, data={"overall": overall}, submit=True
        )


def log_meeting(partnership: Partnership, actor, on: datetime.date) -> CommunicationEntry:
    with time_machine.travel(at(on), tick=False):
        return services.communication_add(
            partnership=partnership, actor=actor,
            entry=CommunicationEntry(
                date=on, channel=CommunicationEntry.Channel.CALL, participants="Both leads", summary="Catch-up"
            ),
        )


class RefusingBackend(EmailBackend):
    """Keeps mail in memory like the test backend, but raises for the addresses in `refused`,
    as a mail server refusing one recipient would."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise ConnectionRefusedError(f"550 mailbox unavailable: {', '.join(message.to)}")
        return super().send_messages(messages)


REFUSING_BACKEND = f"{RefusingBackend.__module__}.{RefusingBackend.__qualname__}"
