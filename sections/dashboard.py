"""Reads for a district's dashboard (web.dashboards) on sections/' records: the district's
sections, and those left without anyone in office. Each one query."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from .models import District, Officer, Section


def district_sections(district: District) -> QuerySet[Section]:
    # Name, then id: a stable order across pages when names repeat.
    return Section.objects.filter(district=district).order_by("name", "pk")


def with_officers_in_office(sections: QuerySet[Section], *, today: datetime.date) -> QuerySet[Section]:
    """`sections` annotated with `staffed`: whether anyone holds an office there on `today`
    (a section without is marked: nobody can answer a proposal or name a lead)."""
    return sections.annotate(staffed=Exists(Officer.objects.open_on(today).filter(section=OuterRef("pk"))))


def sections_without_officers(district: District, *, today: datetime.date) -> QuerySet[Section]:
    """The district's sections that had officers and hold no open office on `today`: nobody
    speaks for them any more, so their partnerships lose their leads. `last_office_ended` is
    the end of the latest term. An office that has not started yet was never held: a section
    whose only offices start later had no officers to lose."""
    open_today = Q(officers__start_date__lte=today) & (
        Q(officers__end_date__isnull=True) | Q(officers__end_date__gte=today)
    )
    return (
        district_sections(district)
        .annotate(
            offices=Count("officers", filter=Q(officers__start_date__lte=today)),
            open_offices=Count("officers", filter=open_today),
            last_office_ended=Max("officers__end_date", filter=Q(officers__end_date__lt=today)),
        )
        .filter(offices__gt=0, open_offices=0)
        .only("name", "slug")
    )
