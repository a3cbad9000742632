"""Demo partnerships in every state, walked through the real services so that their
history, endorsements and plans look as they would in use. A partnership whose title
exists already is left alone, so seeding again changes nothing.

The completed and the ended one are left active here: closing needs a co-signed
evaluation, which is evaluation/'s (evaluation.demo.seed_closings closes them).

Besides, for the dashboards: in every district a partnership activated ten months ago that
has gone quiet (its reporting, in evaluation.demo, stops after the first period, so the
nightly job finds it dormant and its later check-ins overdue), with a conflict whose
mediation is asked of the coordinator; and the society's earlier years (HISTORY), written
as their records stand, status changes backdated, so the quarterly trends have years to show."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sections.demo import demo_officer
from sections.models import DistrictCoordinator, Section, TwinningForm

from . import services
from .demo_exchanges import plan_demo_exchanges
from .models import (
    Activity,
    AgreementChange,
    CommunicationEntry,
    Conflict,
    Endorsement,
    FundingLine,
    Goal,
    Indicator,
    Instalment,
    Lead,
    Objective,
    Participant,
    Partnership,
    Spending,
    Status,
    SupportAgreement,
    Transition,
)
from .demo_growth import fill_growth
from .demo_intents import backfill_demo_intents, demo_intents
from .demo_handover import seed_handover
from .selectors import HISTORY_KINDS

# title, proposer, partner, forms, final state
DEMO_PARTNERSHIPS = [
    ("Cybersecurity awareness for students", "toronto", "delft-student", ["technical-exchange"], "draft"),
    ("Growing the Bogotá student section", "houston", "bogota-student", ["growing-section", "financial-support"], "proposed"),
    ("Digital skills for Bengaluru students", "singapore", "bangalore-student", ["growing-section", "technical-exchange"], "accepted"),
    ("Water and energy know-how", "rotterdam", "nairobi", ["technical-exchange", "growing-section"], "endorsed"),
    ("Robotics student exchange", "texas-am-student", "delft-student", ["student-exchange"], "active"),
    ("Oil and gas careers mentoring", "perth", "lagos-student", ["growing-section"], "suspended"),
    ("Instrumentation seminar series", "toronto", "sao-paulo", ["technical-exchange"], "completed"),
    ("Energy asset reliability", "ruhr", "cairo", ["technical-exchange"], "ended"),
    ("Alarm management benchmarking", "perth", "singapore", ["technical-exchange"], "declined"),
    ("Safety systems round table", "houston", "toronto", ["technical-exchange"], "withdrawn"),
]

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _coordinator(section: Section):
    return DistrictCoordinator.objects.open_now().filter(district=section.district).first().user


def _fill_plan(partnership: Partnership, proposer: Section, partner: Section, actor, *, complete: bool) -> None:
    """The plan filled in by the two sides: each names its own lead and signatory; the
    proposing side proposes the agreement and the partner confirms it."""
    lead_a, lead_b = demo_officer(proposer), demo_officer(partner)
    services.lead_add(partnership=partnership, actor=actor, section=proposer, user=lead_a)
    goal = services.plan_item_save(
        partnership=partnership, actor=actor, item=Goal(title="Stronger sections on both sides")
    )
    objective = services.plan_item_save(
        partnership=partnership, actor=actor,
        item=Objective(goal=goal, title="Hold joint events", description="Two events a year, alternating hosts."),
    )
    if not complete:
        return
    services.lead_add(partnership=partnership, actor=lead_b, section=partner, user=lead_b)
    form = partnership.forms.first()
    services.plan_item_save(
        partnership=partnership, actor=actor,
        item=Activity(
            objective=objective, title="Joint kick-off webinar", form=form, owning_section=proposer,
            responsible=lead_a, start_date=partnership.start_date,
            end_date=partnership.start_date + datetime.timedelta(days=30),
            budget=Decimal("250"), currency="USD", status=Activity.Status.DONE,
        ),
    )
    services.plan_item_save(
        partnership=partnership, actor=actor,
        item=Activity(
            objective=objective, title="Visit to the partner section", form=form, owning_section=partner,
            responsible=lead_b, start_date=partnership.start_date + datetime.timedelta(days=120),
            end_date=partnership.start_date + datetime.timedelta(days=125),
            budget=Decimal("1500"), currency="USD",
        ),
    )
    services.plan_item_save(
        partnership=partnership, actor=actor,
        item=Indicator(
            objective=objective, name="Members attending joint events", unit="members",
            baseline=Decimal("0"), target=Decimal("60"), target_date=partnership.planned_end_date,
        ),
    )
    services.plan_item_save(
        partnership=partnership, actor=actor,
        item=FundingLine(source="Section budgets", amount=Decimal("1000"), currency="USD",
                         status=FundingLine.Status.CONFIRMED),
    )
    services.plan_item_save(
        partnership=partnership, actor=actor,
        item=FundingLine(source="Society section grant", amount=Decimal("750"), currency="USD",
                         status=FundingLine.Status.PENDING, expected_by=partnership.start_date + datetime.timedelta(days=60)),
    )
    plan_demo_exchanges(partnership, proposer, partner, lead_a, lead_b)
    change = services.agreement_record(
        partnership=partnership, actor=actor, kind=Partnership.AgreementKind.WRITTEN,
        signed_on=partnership.start_date - datetime.timedelta(days=14),
        document=ContentFile(DEMO_PDF, name="signed-agreement.pdf"),
    )
    services.agreement_change_confirm(change=change, actor=lead_b)
    services.signatory_record(partnership=partnership, actor=actor, section=proposer, signed_by=f"{lead_a.full_name}, chair")
    services.signatory_record(partnership=partnership, actor=lead_b, section=partner, signed_by=f"{lead_b.full_name}, chair")
    fill_growth(partnership)
    services.communication_add(
        partnership=partnership, actor=actor,
        entry=CommunicationEntry(
            date=partnership.start_date, channel=CommunicationEntry.Channel.CALL,
            participants=f"{lead_a.full_name}, {lead_b.full_name}",
            summary="Kick-off call: agreed on the plan and a monthly call.",
        ),
    )


def _walk(
    title: str, proposer_slug: str, partner_slug: str, form_codes: list[str], target: str, start: datetime.date
) -> Partnership:
    proposer = Section.objects.get(slug=proposer_slug)
    partner = Section.objects.get(slug=partner_slug)
    actor, partner_actor = demo_officer(proposer), demo_officer(partner)
    partnership = services.partnership_propose(
        actor=actor, proposing_section=proposer, partner_sections=[partner], title=title,
        purpose=f"{proposer.name} and {partner.name} work together so that both sections grow.",
        forms=TwinningForm.objects.filter(code__in=form_codes), start_date=start,
        # Activation needs a planned end still to come, whenever the demo is seeded.
        planned_end_date=max(start + datetime.timedelta(days=540), timezone.localdate() + datetime.timedelta(days=180)),
        gives={proposer.pk: "Speakers, mentoring and event know-how", partner.pk: "Hosting, local industry visits"},
        gains={proposer.pk: "Exchange students and a new network", partner.pk: "Technical talks and guidance"},
        exploratory=target == "proposed", submit=target != "draft",
        intents=demo_intents(form_codes, proposer, partner),
    )
    if target in ("draft", "proposed"):
        return partnership
    if target == "withdrawn":
        services.partnership_withdraw(partnership=partnership, actor=actor, reason="We will first run a joint event.")
        return partnership
    if target == "declined":
        services.partnership_decline(partnership=partnership, section=partner, actor=partner_actor,
                                     comment="We already carry two partnerships this year.")
        return partnership
    services.partnership_accept(partnership=partnership, section=partner, actor=partner_actor, comment="Gladly!")
    if target == "accepted":
        return partnership
    # One coordinator may cover both districts: each endorses once, for all it can.
    for coordinator in {_coordinator(proposer), _coordinator(partner)}:
        services.partnership_endorse(partnership=partnership, actor=coordinator, comment="Endorsed.")
    _fill_plan(partnership, proposer, partner, actor, complete=target != "endorsed")
    if target == "endorsed":
        return partnership
    if "financial-support" in form_codes:
        _support_agreement(partnership, proposer, partner, actor)
    services.partnership_activate(partnership=partnership, actor=actor)
    if target == "funded":
        return partnership
    if target == "suspended":
        services.partnership_suspend(partnership=partnership, actor=actor, reason="Exams season: both sides pause.")
    elif target == "active":
        services.conflict_raise(
            partnership=partnership, actor=actor,
            conflict=Conflict(raised_for=proposer, description="Dates of the visit clash with exams."),
        )
        # The partner asks to run three months longer: it waits for the proposing side.
        partnership.refresh_from_db()
        services.agreement_record(
            partnership=partnership, actor=partner_actor, kind=partnership.agreement_kind,
            signed_on=partnership.agreement_signed_on,
            planned_end_date=partnership.planned_end_date + datetime.timedelta(days=90),
        )
    return partnership


def seed_partnerships() -> None:
    existing = set(Partnership.objects.values_list("title", flat=True))
    # The demo's notices would only flood the console of `make run`; they are sent on
    # commit, so the quiet backend must outlast the transaction.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for index, (title, proposer, partner, forms, target) in enumerate(DEMO_PARTNERSHIPS):
            if title not in existing:
                _walk(title, proposer, partner, forms, target, datetime.date(2025, 1, 1) + datetime.timedelta(days=45 * index))
        for title, proposer, partner, forms, complaint in QUIET_PARTNERSHIPS:
            if title not in existing:
                _walk_quiet(title, proposer, partner, forms, complaint)
        for entry in HISTORY:
            if entry[0] not in existing:
                _history(*entry)
        if FINANCE_TITLE not in existing:
            _walk_financial()
        backfill_demo_intents(
            [entry[0] for entry in (*DEMO_PARTNERSHIPS, *QUIET_PARTNERSHIPS)] + [FINANCE_TITLE]
        )
        seed_handover()


FINANCE_TITLE = "Lab equipment fund for Lagos students"


def _support_agreement(partnership: Partnership, giver: Section, receiver: Section, actor) -> None:
    """The proposer funds its partner and gains technical exchange in return."""
    services.support_agreement_save(
        partnership=partnership, actor=actor,
        agreement=SupportAgreement(
            giver=giver, receiver=receiver, amount=Decimal("3000.00"), currency="USD",
            purpose="Measurement instruments and a process-control training kit for the student lab.",
            return_form=TwinningForm.objects.get(code=TwinningForm.Code.TECHNICAL_EXCHANGE),
            return_description=f"{receiver.name}'s students present their lab projects at {giver.name}'s "
                               "technical meetings; its young professionals gain mentoring experience.",
        ),
    )


def _walk_financial() -> None:
    """An active financial-support partnership: Singapore funds lab equipment in Lagos and gains
    technical exchange in return; one instalment arrived as sent, one is late, and the
    funding lines have spending against them."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=120)
    partnership = _walk(FINANCE_TITLE, "singapore", "lagos-student", ["financial-support", "technical-exchange"],
                        "funded", start)
    actor = demo_officer(Section.objects.get(slug="singapore"))
    partner_actor = demo_officer(Section.objects.get(slug="lagos-student"))
    agreement = partnership.support_agreements.get()
    confirmed = services.instalment_add(
        partnership=partnership, actor=actor,
        instalment=Instalment(agreement=agreement, amount=Decimal("1500.00"), planned_on=start + datetime.timedelta(days=10),
                              note="First half, for the instruments."),
    )
    services.instalment_mark_sent(partnership=partnership, actor=actor, instalment=confirmed,
                                  sent_on=start + datetime.timedelta(days=12))
    services.instalment_mark_received(partnership=partnership, actor=partner_actor, instalment=confirmed,
                                      received_on=start + datetime.timedelta(days=19), amount=Decimal("1500.00"))
    services.instalment_add(
        partnership=partnership, actor=actor,
        instalment=Instalment(agreement=agreement, amount=Decimal("1500.00"), planned_on=today - datetime.timedelta(days=14),
                              note="Second half, for the training kit."),
    )
    for line, (days, amount, what_for) in zip(partnership.funding_lines.order_by("pk"), [
        (25, Decimal("820.50"), "Pressure and flow transmitters"),
        (40, Decimal("310.00"), "Shipping and customs for the instruments"),
    ]):
        services.spending_add(
            partnership=partnership, actor=partner_actor,
            spending=Spending(funding_line=line, spent_on=start + datetime.timedelta(days=days), amount=amount,
                              what_for=what_for),
        )


# Activated this many days before the seeding, with their records dated from then on.
QUIET_AGE_DAYS = 300

# title, proposer, partner (both of one district), forms, what the mediation is asked about
QUIET_PARTNERSHIPS = [
    ("Process control lab for students", "houston", "texas-am-student", ["technical-exchange"],
     "The lab visits stopped after the student elections; we ask the coordinator to help restart them."),
    ("Measurement lab in Bogotá", "sao-paulo", "bogota-student", ["technical-exchange"],
     "The equipment we shipped is still at customs and neither side answers the other."),
    ("Batch operations know-how", "rotterdam", "ruhr", ["technical-exchange"],
     "We disagree on who pays for the plant visits; please mediate."),
    ("Water treatment exchange", "nairobi", "cairo", ["technical-exchange"],
     "The partner cancelled two workshops without notice; we ask the coordinator to mediate."),
    ("Cybersecurity round table", "singapore", "perth", ["technical-exchange"],
     "The round table's topics drifted from what we agreed; we need the coordinator's help."),
]


def _walk_quiet(title: str, proposer_slug: str, partner_slug: str, form_codes: list[str], complaint: str) -> None:
    """A partnership walked to active through the services, its records then dated back to an
    activation QUIET_AGE_DAYS ago, and a conflict whose mediation is asked of the coordinator."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=QUIET_AGE_DAYS)
    partnership = _walk(title, proposer_slug, partner_slug, form_codes, "quiet", start)
    proposer = partnership.proposing_section
    services.conflict_raise(
        partnership=partnership, actor=demo_officer(proposer),
        conflict=Conflict(raised_for=proposer, description=complaint, mediator=Conflict.Mediator.COORDINATOR),
    )
    # The services dated everything today; the partnership's life began ten months ago.
    agreed = _at(start - datetime.timedelta(days=20))
    steps = list(partnership.transitions.order_by("at", "pk"))
    for index, step in enumerate(steps):
        step.at = _at(start) if step.to_status == Status.ACTIVE else agreed - datetime.timedelta(days=len(steps) - index)
    Transition.objects.bulk_update(steps, ["at"])
    Partnership.objects.filter(pk=partnership.pk).update(
        created_at=agreed - datetime.timedelta(days=len(steps)), schedule_from=start
    )
    Participant.objects.filter(partnership=partnership, responded_at__isnull=False).update(responded_at=agreed)
    Endorsement.objects.filter(partnership=partnership).update(endorsed_at=agreed)
    for model, _label in HISTORY_KINDS:
        model.history.filter(partnership=partnership).update(history_date=agreed)
    # Each side's own steps (leads, signatories, the agreement it confirmed) happened then too.
    for model in (Lead, Participant):
        model.history.filter(partnership=partnership).update(history_date=agreed)
    AgreementChange.objects.filter(partnership=partnership).update(proposed_at=agreed, decided_at=agreed)
    CommunicationEntry.objects.filter(partnership=partnership).update(recorded_at=_at(start))


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


# The society's earlier partnerships, as their records stand: (title, proposer, partner,
# forms, how it turned out, days before the seeding it was proposed). Proposed, then
# accepted 3 weeks later, endorsed 5 weeks later and activated 7 weeks later; completed a
# year after the activation, ended early after seven months.
HISTORY = [
    ("Student lab exchange 2022", "houston", "vancouver", ["student-exchange"], "completed", 1460),
    ("Refinery safety webinars", "perth", "manila", ["technical-exchange"], "completed", 1400),
    ("Growing the Accra section", "rotterdam", "accra", ["growing-section", "financial-support"], "ended", 1330),
    ("Pharma automation visits", "lyon", "singapore", ["technical-exchange"], "declined", 1250),
    ("Water utilities twinning", "lima", "cairo", ["technical-exchange"], "completed", 1180),
    ("Energy careers mentoring", "ruhr", "lagos-student", ["growing-section"], "completed", 1100),
    ("Pipeline integrity seminars", "houston", "lima", ["technical-exchange"], "ended", 1020),
    ("Networks and wireless clinics", "manila", "bangalore-student", ["student-exchange"], "completed", 950),
    ("Batch control summer school", "lyon", "delft-student", ["student-exchange"], "completed", 870),
    ("Alarm management peer review", "perth", "vancouver", ["technical-exchange"], "withdrawn", 800),
    ("Sensors for irrigation", "nairobi", "accra", ["technical-exchange"], "ended", 720),
    ("Process safety days", "rotterdam", "lyon", ["technical-exchange"], "completed", 650),
    ("Robotics kits for schools", "texas-am-student", "bogota-student", ["financial-support"], "completed", 560),
    ("Reliability engineering circle", "ruhr", "manila", ["technical-exchange"], "ended", 480),
    ("Smart grid reading group", "singapore", "vancouver", ["technical-exchange"], "declined", 400),
]
HISTORY_STEPS = {  # days after the proposal
    Status.ACCEPTED: 21, Status.ENDORSED: 35, Status.ACTIVE: 49, Status.COMPLETED: 49 + 365, Status.ENDED: 49 + 210,
    Status.DECLINED: 18, Status.WITHDRAWN: 30,
}
HISTORY_PATHS = {
    "completed": [Status.PROPOSED, Status.ACCEPTED, Status.ENDORSED, Status.ACTIVE, Status.COMPLETED],
    "ended": [Status.PROPOSED, Status.ACCEPTED, Status.ENDORSED, Status.ACTIVE, Status.ENDED],
    "declined": [Status.PROPOSED, Status.DECLINED],
    "withdrawn": [Status.PROPOSED, Status.WITHDRAWN],
}
HISTORY_REASONS = {
    Status.COMPLETED: "All planned activities done.",
    Status.ENDED: "The sponsor withdrew and neither side could fund the rest.",
    Status.DECLINED: "We already carried two partnerships that year.",
    Status.WITHDRAWN: "We ran a joint event first instead.",
}


def _history(title: str, proposer_slug: str, partner_slug: str, form_codes: list[str], outcome: str,
             days_ago: int) -> None:
    """An earlier partnership as its records stand today: sides, forms, endorsements and its
    status changes on the days they happened. Written directly: the services date
    everything today, and these closed long ago."""
    proposer = Section.objects.select_related("district").get(slug=proposer_slug)
    partner = Section.objects.select_related("district").get(slug=partner_slug)
    actor = demo_officer(proposer)
    proposed = timezone.localdate() - datetime.timedelta(days=days_ago)
    path = HISTORY_PATHS[outcome]
    on = {status: proposed + datetime.timedelta(days=HISTORY_STEPS.get(status, 0)) for status in path}
    start = on.get(Status.ACTIVE, proposed + datetime.timedelta(days=60))
    partnership = Partnership(
        title=title, status=path[-1], start_date=start, planned_end_date=start + datetime.timedelta(days=365),
        purpose=f"{proposer.name} and {partner.name} work together so that both sections grow.",
        proposing_section=proposer, proposed_by=actor,
        agreement_kind=Partnership.AgreementKind.VERBAL if Status.ACTIVE in on else "",
        schedule_from=on.get(Status.ACTIVE), end_reason=HISTORY_REASONS[Status.ENDED] if outcome == "ended" else "",
    )
    partnership.full_clean()
    partnership.save()
    Partnership.objects.filter(pk=partnership.pk).update(
        created_at=_at(proposed - datetime.timedelta(days=3)), updated_at=_at(on[path[-1]])
    )
    partnership.forms.set(TwinningForm.objects.filter(code__in=form_codes))
    partner_answer = {"declined": Participant.Response.DECLINED, "withdrawn": Participant.Response.PENDING}.get(
        outcome, Participant.Response.ACCEPTED
    )
    answers = ((proposer, Participant.Response.ACCEPTED, proposed), (partner, partner_answer, on[path[1]]))
    for section, answer, day in answers:
        Participant.objects.create(
            partnership=partnership, section=section, response=answer,
            gives="Speakers and event know-how", gains="A partner abroad and new members",
            responded_at=_at(day) if answer != Participant.Response.PENDING else None,
        )
    if Status.ENDORSED in on:
        for district in {proposer.district, partner.district}:
            coordinator = DistrictCoordinator.objects.open_now().filter(district=district).first()
            endorsement = Endorsement.objects.create(
                partnership=partnership, district=district, endorsed_by=coordinator.user if coordinator else None,
                comment="Endorsed.",
            )
            Endorsement.objects.filter(pk=endorsement.pk).update(endorsed_at=_at(on[Status.ENDORSED]))
    previous = Status.DRAFT
    steps = [Transition(partnership=partnership, from_status="", to_status=Status.DRAFT, actor=actor)]
    for status in path:
        steps.append(Transition(partnership=partnership, from_status=previous, to_status=status, actor=actor,
                                reason=HISTORY_REASONS.get(status, "")))
        previous = status
    created = Transition.objects.bulk_create(steps)
    dates = [proposed - datetime.timedelta(days=3), *(on[status] for status in path)]
    for step, day in zip(created, dates, strict=True):
        step.at = _at(day)
    Transition.objects.bulk_update(created, ["at"])
