"""A small society with a known history, for the society dashboard's tests: three
districts, four sections in three countries, and partnerships in every stage whose status
changes are recorded at chosen dates.

    P1 Alpha–Beta      (da–db, NL–KE)  proposed 2024-02, activated 2024-05, active, at risk
    P2 Alpha–Amber     (da–da, NL–NL)  proposed 2025-07, activated 2025-08, suspended and
                                       resumed 2025-10 (not a second activation), on track
    P3 Amber–Beta      (da–db, NL–KE)  proposed 2024-03, activated 2024-04, completed 2025-08
    P4 Beta–Cedar      (db–dc, KE–BR)  proposed 2025-01, activated 2025-02, ended 2025-09
    P5 Alpha–Cedar     (da–dc, NL–BR)  proposed 2025-11, waiting for an answer
    P6 Amber–Cedar     (da–dc)         a draft: counted nowhere
    P7 Beta–Cedar      (db–dc)         proposed 2025-03 and declined: counted as proposed only
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from evaluation.models import CheckIn, Health, PartnershipHealth, ReportingPeriod
from partnerships.models import Partnership, Status, Transition
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from sections.models import District, Section, TwinningForm
from sections.tests.factories import DistrictFactory, SectionFactory
from twinning.tests.factories import UserFactory

D, P, A, S, C, E, X = (
    Status.DRAFT, Status.PROPOSED, Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED, Status.DECLINED,
)
ENDORSED = Status.ENDORSED


@dataclass
class Society:
    districts: dict[str, District]
    sections: dict[str, Section]
    partnerships: dict[str, Partnership]
    staff: object


def _at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def make_partnership(title: str, sections, *, status: str, forms=(), steps=()) -> Partnership:
    """A partnership of `sections` in `status`, with a Transition row for each (from, to, "date")."""
    partnership = PartnershipFactory(
        title=title, status=status, proposing_section=sections[0],
        end_reason="Priorities changed." if status == E else "",
    )
    for section in sections:
        ParticipantFactory(partnership=partnership, section=section)
    partnership.forms.set(TwinningForm.objects.filter(code__in=forms))
    for from_status, to_status, day in steps:
        transition = Transition.objects.create(partnership=partnership, from_status=from_status, to_status=to_status)
        # `at` is set on creation; the history is back-dated here.
        Transition.objects.filter(pk=transition.pk).update(at=_at(day))
    return partnership


def _checkin(partnership: Partnership, section: Section, number: int, *, state: str, late: bool = False) -> None:
    due = timezone.localdate() - datetime.timedelta(days=40)
    period, _created = ReportingPeriod.objects.get_or_create(
        partnership=partnership, number=number,
        defaults={"starts_on": due - datetime.timedelta(days=120), "ends_on": due - datetime.timedelta(days=30),
                  "due_on": due},
    )
    submitted = state == CheckIn.State.SUBMITTED
    CheckIn.objects.create(
        period=period, section=section, due_on=due, state=state, late=late,
        overall=CheckIn.Overall.values[0] if submitted else "", submitted_at=timezone.now() if submitted else None,
    )


def build_society() -> Society:
    da = DistrictFactory(code="da", name="District A")
    db = DistrictFactory(code="db", name="District B")
    dc = DistrictFactory(code="dc", name="District C")
    alpha = SectionFactory(name="Alpha", slug="alpha", district=da, country="NL", readiness_verdict="ready")
    amber = SectionFactory(name="Amber", slug="amber", district=da, country="NL")
    beta = SectionFactory(name="Beta", slug="beta", district=db, country="KE", readiness_verdict="not-yet")
    cedar = SectionFactory(name="Cedar", slug="cedar", district=dc, country="BR")
    partnerships = {
        "P1": make_partnership("P1 Alpha Beta", [alpha, beta], status=A, forms=["technical-exchange"], steps=[
            (D, P, "2024-02-10 10:00"), (ENDORSED, A, "2024-05-05 10:00")]),
        "P2": make_partnership("P2 Alpha Amber", [alpha, amber], status=A, forms=["student-exchange"], steps=[
            (D, P, "2025-07-01 10:00"), (ENDORSED, A, "2025-08-15 10:00"), (A, S, "2025-09-01 10:00"),
            (S, A, "2025-10-10 10:00")]),
        "P3": make_partnership("P3 Amber Beta", [amber, beta], status=C,
                               forms=["technical-exchange", "financial-support"], steps=[
            (D, P, "2024-03-01 10:00"), (ENDORSED, A, "2024-04-01 10:00"), (A, C, "2025-08-20 10:00")]),
        "P4": make_partnership("P4 Beta Cedar", [beta, cedar], status=E, forms=["growing-section"], steps=[
            (D, P, "2025-01-10 10:00"), (ENDORSED, A, "2025-02-01 10:00"), (A, E, "2025-09-30 10:00")]),
        "P5": make_partnership("P5 Alpha Cedar", [alpha, cedar], status=P, steps=[(D, P, "2025-11-05 10:00")]),
        "P6": make_partnership("P6 Amber Cedar", [amber, cedar], status=D),
        "P7": make_partnership("P7 Beta Cedar", [beta, cedar], status=X, steps=[
            (D, P, "2025-03-03 10:00"), (P, X, "2025-03-20 10:00")]),
    }
    PartnershipHealth.objects.create(
        partnership=partnerships["P1"], health=Health.AT_RISK, since=datetime.date(2025, 1, 1), reason="Late reports."
    )
    # Check-ins due in the last quarters: da 1 of 2 on time (Amber's is unfiled), db 0 of 1.
    _checkin(partnerships["P1"], alpha, 1, state=CheckIn.State.SUBMITTED)
    _checkin(partnerships["P1"], beta, 1, state=CheckIn.State.SUBMITTED, late=True)
    _checkin(partnerships["P2"], amber, 1, state=CheckIn.State.DRAFT)
    return Society(
        districts={"da": da, "db": db, "dc": dc},
        sections={"alpha": alpha, "amber": amber, "beta": beta, "cedar": cedar},
        partnerships=partnerships,
        staff=UserFactory(society_admin=True),
    )


def grow_society(extra: int) -> None:
    """More districts, sections and partnerships with history, for the query-count tests."""
    for number in range(extra):
        district = DistrictFactory(code=f"dx{number}", name=f"District X{number}")
        left = SectionFactory(district=district, country="DE", readiness_verdict="nearly")
        right = SectionFactory(district=district, country="FR")
        partnership = make_partnership(f"Grown {number}", [left, right], status=A, forms=["technical-exchange"], steps=[
            (D, P, f"{2020 + number % 5}-06-01 10:00"), (ENDORSED, A, f"{2020 + number % 5}-09-01 10:00")])
        _checkin(partnership, left, 1, state=CheckIn.State.SUBMITTED)
