"""What the demo's proposals say about each of their forms of twinning (FormIntent): who
would host an exchange and for how long, who gives financial support, how much and what it
gains, which side is the formative one and its first milestones. Written with each demo
proposal; `backfill_demo_intents` gives them to demo partnerships seeded before intents
existed, so seeding again shows them too."""

from __future__ import annotations

from decimal import Decimal

from sections.models import Section, TwinningForm

from .models import FormIntent, Partnership
from .services.intents import intents_record


def demo_intents(form_codes, proposer: Section, partner: Section) -> list[FormIntent]:
    forms = {form.code: form for form in TwinningForm.objects.filter(code__in=form_codes)}
    formative = proposer if proposer.maturity == Section.Maturity.FORMATIVE else partner
    answers = {
        TwinningForm.Code.STUDENT_EXCHANGE: dict(
            host_section=partner, length=FormIntent.Length.LONG,
            learning="A semester in the partner's robotics lab, with a project in a local plant.",
        ),
        TwinningForm.Code.TECHNICAL_EXCHANGE: dict(
            both_ways=True, length=FormIntent.Length.SHORT,
            learning="How the other section runs its technical meetings, and visits to two local plants.",
        ),
        TwinningForm.Code.FINANCIAL_SUPPORT: dict(
            giver=proposer, amount=Decimal("3000.00"), currency="USD",
            giver_gains=f"{partner.name}'s students present their projects at our meetings; "
                        "our young professionals gain mentoring experience.",
        ),
        TwinningForm.Code.GROWING_SECTION: dict(
            formative_section=formative,
            first_milestones="Officers elected, bylaws adopted, a first technical meeting within six months.",
        ),
    }
    return [FormIntent(form=form, **answers[code]) for code, form in forms.items() if code in answers]


def backfill_demo_intents(titles) -> None:
    """Intents for the demo partnerships among `titles` that have none (seeded before)."""
    partnerships = (
        Partnership.objects.filter(title__in=list(titles), form_intents__isnull=True)
        .select_related("proposing_section").prefetch_related("forms", "participants__section")
    )
    for partnership in partnerships:
        forms = list(partnership.forms.all())
        partner = next(
            (p.section for p in partnership.participants.all() if p.section_id != partnership.proposing_section_id), None
        )
        if partner is None:
            continue
        intents = demo_intents([form.code for form in forms], partnership.proposing_section, partner)
        intents_record(partnership=partnership, forms=forms, intents=intents)
