"""The printable report of a whole partnership: its agreement, the sections with what each
promised to give and gain, the plan, every period's check-ins side by side, the indicator
charts and the closing evaluation. One page for the screen and print (its print
stylesheet, static/css/report.css), and the same HTML as a PDF drawn by WeasyPrint.

The PDF is drawn without the network (twinning/pdf.py): the stylesheet is read from the
static files and inlined, and WeasyPrint's fetcher refuses every URL.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from partnerships.models import Partnership
from twinning.pdf import html_to_pdf, static_text

from . import selectors
from .selectors import forms_of_twinning
from .models import Evaluation

REPORT_CSS = "css/report.css"


# The evaluation a report ends with, by preference.
CLOSING_KINDS = (Evaluation.Kind.FINAL, Evaluation.Kind.EARLY_END, Evaluation.Kind.MIDTERM)


def closing_evaluation(partnership: Partnership) -> Evaluation | None:
    """The evaluation a report ends with: the final one, or the one on ending early, or the
    mid-term review while the partnership runs."""
    evaluations = selectors.evaluations_detail(partnership, kinds=CLOSING_KINDS)
    return next((evaluations[kind] for kind in CLOSING_KINDS if kind in evaluations), None)


def report_context(partnership: Partnership) -> dict:
    """What the report shows, of a partnership loaded by partnership_plan_queryset (the report
    views load it so with their permission check)."""
    participants = list(partnership.participants.all())
    section_ids = [participant.section_id for participant in participants]
    evaluation = closing_evaluation(partnership)
    sides = []
    if evaluation is not None:
        promised = {participant.section_id: participant for participant in participants}
        sides = [
            {
                "side": side,
                "promised": promised.get(side.section_id),
                "benefits": {rating.benefit: rating for rating in side.benefits.all()},
            }
            for side in evaluation.sides.all()
        ]
    return {
        "partnership": partnership,
        "participants": participants,
        "schedule": selectors.schedule_of(partnership, section_ids=section_ids, acting=set()),
        "indicator_charts": selectors.indicator_charts(partnership, section_ids=section_ids),
        "chart_size": selectors.INDICATOR_CHART,
        "evaluation": evaluation,
        "evidence": forms_of_twinning.closing_evidence(partnership, timezone.localdate()) if evaluation else None,
        "sides": sides,
        "printed_at": timezone.now(),
    }


def report_pdf(partnership: Partnership, *, request: HttpRequest) -> bytes:
    html = render_to_string(
        "evaluation/report_pdf.html",
        {**report_context(partnership), "inline_css": static_text(REPORT_CSS)},
        request=request,
    )
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
