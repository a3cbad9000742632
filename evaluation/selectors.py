"""Reads for evaluation/: a section's readiness history, with its chart drawn as SVG."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from sections.models import Section

from .models import Assessment, DimensionScore, Questionnaire

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 180, 24


def current_questionnaire() -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(is_current=True)
        .prefetch_related("dimensions__questions__options")
        .first()
    )


def assessments_of(section: Section) -> list[Assessment]:
    """Newest first, each with its dimension scores and their dimensions."""
    scores = DimensionScore.objects.select_related("dimension")
    return list(
        section.assessments.select_related("author", "questionnaire")
        .prefetch_related(Prefetch("dimension_scores", queryset=scores))
        .order_by("-created_at", "-pk")
    )


@dataclass
class ChartPoint:
    x: float
    y: float
    score: float
    label: str


def score_chart(assessments: list[Assessment]) -> list[ChartPoint]:
    """Points of the overall score over time, oldest left, for an inline SVG polyline."""
    ordered = list(reversed(assessments))
    if not ordered:
        return []
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(ordered) - 1, 1)
    return [
        ChartPoint(
            x=round(CHART_PAD + index * step, 1),
            y=round(CHART_HEIGHT - CHART_PAD - float(a.score) / 100 * (CHART_HEIGHT - 2 * CHART_PAD), 1),
            score=float(a.score),
            label=a.created_at.strftime("%Y-%m-%d"),
        )
        for index, a in enumerate(ordered)
    ]
