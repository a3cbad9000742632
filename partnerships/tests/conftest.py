"""A world with two sections in two districts, their officers and coordinators,
and helpers that walk a partnership through its life with the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.models import Activity, Exchange, FundingLine, Goal, Objective, Partnership
from partnerships.signals import partnership_closing
from sections.models import Section, TwinningForm
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    a: Section
    b: Section
    officer_a: object
    officer_b: object
    coordinator_a: object
    coordinator_b: object
    outsider: object
    staff: object


@pytest.fixture
def world(db) -> World:
    district_a = DistrictFactory(code="da", name="District A")
    district_b = DistrictFactory(code="db", name="District B")
    a = SectionFactory(name="Alpha Section", slug="alpha", district=district_a, country="NL")
    b = SectionFactory(name="Beta Section", slug="beta", district=district_b, country="KE")
    return World(
        a=a,
        b=b,
        officer_a=OfficerFactory(section=a, user__full_name="Ann Alpha").user,
        officer_b=OfficerFactory(section=b, user__full_name="Ben Beta").user,
        coordinator_a=CoordinatorFactory(district=district_a).user,
        coordinator_b=CoordinatorFactory(district=district_b).user,
        outsider=UserFactory(),
        staff=UserFactory(is_staff=True, is_superuser=True),
    )


def propose(world: World, *, submit: bool = True, forms=("technical-exchange",), **overrides) -> Partnership:
    kwargs = dict(
        actor=world.officer_a,
        proposing_section=world.a,
        partner_sections=[world.b],
        title="Alpha and Beta",
        purpose="Share know-how and grow both sections.",
        forms=TwinningForm.objects.filter(code__in=forms),
        start_date=datetime.date(2026, 1, 1),
        planned_end_date=datetime.date(2027, 6, 30),
        gives={world.a.pk: "Speakers", world.b.pk: "Student hosts"},
        gains={world.a.pk: "Exchange students", world.b.pk: "Technical talks"},
        submit=submit,
    )
    kwargs.update(overrides)
    return services.partnership_propose(**kwargs)


def endorsed(world: World, **overrides) -> Partnership:
    partnership = propose(world, **overrides)
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_b)
    partnership.refresh_from_db()
    return partnership


def record_agreement(world: World, partnership: Partnership, **kwargs):
    """Alpha's officer proposes the agreement and Beta's confirms it, as the two sides do."""
    change = services.agreement_record(partnership=partnership, actor=world.officer_a, **kwargs)
    if change is not None:
        services.agreement_change_confirm(change=change, actor=world.officer_b)
    partnership.refresh_from_db()
    return partnership


def make_ready(world: World, partnership: Partnership, *, budget=Decimal("0")) -> Partnership:
    """Everything activation needs: each side's lead and signatory, named by that side, a goal
    with an activity, funding, an exchange for the exchange forms, and a written agreement
    one side proposed and the other confirmed."""
    services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=world.officer_a)
    services.lead_add(partnership=partnership, actor=world.officer_b, section=world.b, user=world.officer_b)
    goal = services.plan_item_save(
        partnership=partnership, actor=world.officer_a, item=Goal(title="Grow student membership")
    )
    objective = services.plan_item_save(
        partnership=partnership, actor=world.officer_a, item=Objective(goal=goal, title="Run an exchange")
    )
    services.plan_item_save(
        partnership=partnership,
        actor=world.officer_a,
        item=Activity(
            objective=objective,
            title="Summer exchange",
            form=TwinningForm.objects.get(code="technical-exchange"),
            owning_section=world.a,
            start_date=datetime.date(2026, 6, 1),
            end_date=datetime.date(2026, 8, 31),
            budget=budget,
        ),
    )
    services.plan_item_save(
        partnership=partnership,
        actor=world.officer_a,
        item=FundingLine(source="Section funds", amount=Decimal("500"), status=FundingLine.Status.CONFIRMED),
    )
    if partnership.forms.filter(code__in=("student-exchange", "technical-exchange")).exists():
        services.exchange_plan(
            partnership=partnership, actor=world.officer_a,
            exchange=Exchange(
                title="Study visit to Beta", kind=Exchange.Kind.TECHNICAL, sending_section=world.a,
                host_section=world.b, start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 6, 14),
            ),
        )
    record_agreement(
        world,
        partnership,
        kind=Partnership.AgreementKind.WRITTEN,
        signed_on=datetime.date(2025, 12, 1),
        document=SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    )
    services.signatory_record(partnership=partnership, actor=world.officer_a, section=world.a, signed_by="Ann Alpha, chair")
    services.signatory_record(partnership=partnership, actor=world.officer_b, section=world.b, signed_by="Ben Beta, chair")
    partnership.refresh_from_db()
    return partnership


@pytest.fixture
def without_closing_gates():
    """The lifecycle's own rules, without what the apps above answer when a partnership
    completes or ends (partnerships.signals.partnership_closing): evaluation's gate asks for
    a co-signed evaluation, and its own tests close partnerships through it
    (evaluation/tests/closing_helpers.py). This app's tests cannot import it."""
    receivers = partnership_closing.receivers
    partnership_closing.receivers = []
    partnership_closing.sender_receivers_cache.clear()
    yield
    partnership_closing.receivers = receivers
    partnership_closing.sender_receivers_cache.clear()
