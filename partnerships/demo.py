"""Demo partnerships in every state, walked through the real services so that their
history, endorsements and plans look as they would in use. A partnership whose title
exists already is left alone, so seeding again changes nothing.

The completed and the ended one are left active here: closing needs a co-signed
evaluation, which is evaluation/'s (evaluation.demo.seed_closings closes them)."""

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
from .models import Activity, CommunicationEntry, Conflict, FundingLine, Goal, Indicator, Objective, Partnership

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
    services.lead_add(partnership=partnership, actor=actor, section=partner, user=lead_b)
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
    services.agreement_record(
        partnership=partnership, actor=actor, kind=Partnership.AgreementKind.WRITTEN,
        signed_on=partnership.start_date - datetime.timedelta(days=14),
        document=ContentFile(DEMO_PDF, name="signed-agreement.pdf"),
        signed_by={proposer.pk: f"{lead_a.full_name}, chair", partner.pk: f"{lead_b.full_name}, chair"},
    )
    services.communication_add(
        partnership=partnership, actor=actor,
        entry=CommunicationEntry(
            date=partnership.start_date, channel=CommunicationEntry.Channel.CALL,
            participants=f"{lead_a.full_name}, {lead_b.full_name}",
            summary="Kick-off call: agreed on the plan and a monthly call.",
        ),
    )


def _walk(title: str, proposer_slug: str, partner_slug: str, form_codes: list[str], target: str, start: datetime.date):
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
    )
    if target in ("draft", "proposed"):
        return
    if target == "withdrawn":
        services.partnership_withdraw(partnership=partnership, actor=actor, reason="We will first run a joint event.")
        return
    if target == "declined":
        services.partnership_decline(partnership=partnership, section=partner, actor=partner_actor,
                                     comment="We already carry two partnerships this year.")
        return
    services.partnership_accept(partnership=partnership, section=partner, actor=partner_actor, comment="Gladly!")
    if target == "accepted":
        return
    # One coordinator may cover both districts: each endorses once, for all it can.
    for coordinator in {_coordinator(proposer), _coordinator(partner)}:
        services.partnership_endorse(partnership=partnership, actor=coordinator, comment="Endorsed.")
    _fill_plan(partnership, proposer, partner, actor, complete=target != "endorsed")
    if target == "endorsed":
        return
    services.partnership_activate(partnership=partnership, actor=actor)
    if target == "suspended":
        services.partnership_suspend(partnership=partnership, actor=actor, reason="Exams season: both sides pause.")
    elif target == "active":
        services.conflict_raise(
            partnership=partnership, actor=actor,
            conflict=Conflict(raised_for=proposer, description="Dates of the visit clash with exams."),
        )


def seed_partnerships() -> None:
    existing = set(Partnership.objects.values_list("title", flat=True))
    # The demo's notices would only flood the console of `make run`; they are sent on
    # commit, so the quiet backend must outlast the transaction.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for index, (title, proposer, partner, forms, target) in enumerate(DEMO_PARTNERSHIPS):
            if title not in existing:
                _walk(title, proposer, partner, forms, target, datetime.date(2025, 1, 1) + datetime.timedelta(days=45 * index))
