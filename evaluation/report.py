"""The printable report of a whole partnership: its agreement, the sections with what each
promised to give and gain, the plan, every period's check-ins side by side, the indicator
charts and the closing evaluation. One page for the screen and print (its print
stylesheet, static/css/report.css), and the same HTML as a PDF drawn by WeasyPrint.

The PDF is drawn without the network: the stylesheet is read from the static files and
inlined, and WeasyPrint's fetcher refuses every URL, so a report never waits on, or leaks
to, another server.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.selectors import partnership_detail

from . import selectors
from .models import Evaluation

REPORT_CSS = "css/report.css"


def closing_evaluation(partnership: Partnership) -> Evaluation | None:
    """The evaluation a report ends with: the final one, or the one on ending early, or the
    mid-term review while the partnership runs."""
    for kind in (Evaluation.Kind.FINAL, Evaluation.Kind.EARLY_END, Evaluation.Kind.MIDTERM):
        evaluation = selectors.evaluation_detail(partnership, kind)
        if evaluation is not None:
            return evaluation
    return None


def report_context(partnership: Partnership) -> dict:
    partnership = partnership_detail(partnership=partnership)
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
        "sides": sides,
        "printed_at": timezone.now(),
    }


def report_pdf(partnership: Partnership, *, request: HttpRequest) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this page needs; the
    # rest of the site starts and runs without it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        """Inline data only (data: URLs); any other URL is refused, never fetched."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"The report is drawn offline; it does not fetch {url}.")

    path = finders.find(REPORT_CSS)
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    html = render_to_string(
        "evaluation/report_pdf.html", {**report_context(partnership), "inline_css": css}, request=request
    )
    return weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=OfflineFetcher()).write_pdf()
