"""Reads for the public story pages: published stories only, each page in a fixed number of
queries. What they load is what a visitor may see: sections, countries, forms, dates, the
benefits each side realised; never a person (no officer, lead or author)."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from partnerships.models import Participant, Status, Transition

from ..models import BenefitRating, EvaluationSide, Story

# A benefit a side rated this high (of 5) counts as realised on the public page.
REALISED_FROM = 3


def stories_published() -> QuerySet[Story]:
    """Published stories, newest first, with what a card shows: the sections and their
    countries, the forms of twinning, and the period from the start to the completion."""
    completed_at = (
        Transition.objects.filter(partnership=OuterRef("partnership_id"), to_status=Status.COMPLETED)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        Story.objects.filter(published_at__isnull=False)
        .select_related("partnership")
        .annotate(completed_at=Subquery(completed_at))
        .prefetch_related(
            Prefetch(
                "partnership__participants",
                queryset=Participant.objects.select_related("section").order_by("section__name"),
            ),
            "partnership__forms",
        )
        .order_by("-published_at", "-pk")
    )


def story_detail() -> QuerySet[Story]:
    """The published stories with, per side of the final evaluation, the benefits it realised
    and how; fetch one by its pk (none answers DoesNotExist, a 404 on the page)."""
    realised = BenefitRating.objects.filter(rating__gte=REALISED_FROM).order_by("-rating", "benefit")
    sides = EvaluationSide.objects.select_related("section").prefetch_related(Prefetch("benefits", queryset=realised))
    return stories_published().select_related("evaluation").prefetch_related(Prefetch("evaluation__sides", queryset=sides))
