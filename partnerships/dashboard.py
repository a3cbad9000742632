"""Reads for a district's dashboard (web.dashboards), on partnerships/' own records: the
district's partnerships, those waiting for its endorsement, the conflicts whose partners
asked a coordinator to mediate, and its sections' room for partnerships. Each read is a
fixed number of queries whatever the district's size.

A partnership belongs to a district when one of its participating sections does, as on the
partnership list's district filter (partnerships.filters), where the dashboard's numbers
drill down to.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from sections.models import District, Section
from twinning.db import one_of

from .finance import with_instalment_problems
from .models import Conflict, Participant, Partnership, Status

# A section has twinned once a partnership it took part in was activated.
TWINNED_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED)


def district_partnership_ids(district: District) -> list[int]:
    """The ids of the partnerships the district's sections take part in; one query. Read
    first and given to the dashboard's queries as a list, so each starts from the district's
    tenth of the society: joined inside a query (EXISTS or IN on participants), PostgreSQL
    sorted all the society's partnerships by health, or walked them by date, and tested
    each one until it had a page (50 ms a query at 5,000 sections)."""
    return list(
        Participant.objects.filter(section__district=district)
        .order_by("partnership_id").values_list("partnership_id", flat=True).distinct()
    )


def district_partnerships(district: District) -> QuerySet[Partnership]:
    """The partnerships one of the district's sections takes part in, once sent: a draft is
    its proposing section's own until then (the list, filtered by district, shows the
    coordinator the same). Reads the district's ids now (one query): a dashboard reads them
    once and passes this queryset to the reads below."""
    return Partnership.objects.filter(one_of("pk", district_partnership_ids(district))).exclude(status=Status.DRAFT)


def for_table(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """`partnerships` with what a table row shows: sections, forms, the number of open
    conflicts (`open_conflicts`); two prefetch queries per page, no query per row."""
    open_conflicts = (
        Conflict.objects.filter(partnership_id=OuterRef("pk")).exclude(status=Conflict.Status.RESOLVED)
        .order_by().values("partnership_id").annotate(n=Count("pk")).values("n")
    )
    return (
        partnerships
        .prefetch_related(
            "forms",
            Prefetch("participants", queryset=Participant.objects.select_related("section").order_by("pk")),
        )
        .annotate(open_conflicts=Coalesce(Subquery(open_conflicts, output_field=IntegerField()), Value(0)))
    )


def section_names_of(partnership_ids: list[int]) -> dict[int, list[str]]:
    """{partnership id: its participating sections' names, in the order they joined} for
    `partnership_ids`, as for_table's prefetch lists them; one query, no instances."""
    names: dict[int, list[str]] = {}
    rows = (
        Participant.objects.filter(one_of("partnership_id", partnership_ids)).order_by("pk")
        .values_list("partnership_id", "section__name")
    )
    for partnership_id, name in rows:
        names.setdefault(partnership_id, []).append(name)
    return names


def form_names_of(partnership_ids: list[int]) -> dict[int, list[str]]:
    """{partnership id: the names of its forms of twinning, in the forms' order} for
    `partnership_ids`, as for_table's prefetch lists them; one query, no instances."""
    names: dict[int, list[str]] = {}
    rows = (
        Partnership.forms.through.objects.filter(one_of("partnership_id", partnership_ids))
        .order_by("twinningform__position", "twinningform__name")
        .values_list("partnership_id", "twinningform__name")
    )
    for partnership_id, name in rows:
        names.setdefault(partnership_id, []).append(name)
    return names


def open_conflicts_of(partnership_ids: list[int]) -> dict[int, int]:
    """{partnership id: its unresolved conflicts} for those of `partnership_ids` with any, as
    for_table counts them; one query for all (for_table's subquery runs once a row)."""
    return dict(
        Conflict.objects.filter(one_of("partnership_id", partnership_ids)).exclude(status=Conflict.Status.RESOLVED)
        .order_by().values("partnership_id").annotate(n=Count("pk")).values_list("partnership_id", "n")
    )


def awaiting_endorsement(district: District, partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The accepted ones among `partnerships` (district_partnerships') that the district's
    endorsement still waits for, oldest change first (the longest waiting on top)."""
    return (
        partnerships
        .filter(status=Status.ACCEPTED)
        .exclude(endorsements__district=district)
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("section")))
        .order_by("updated_at", "pk")
    )


def mediation_requests(partnerships: QuerySet[Partnership]) -> QuerySet[Conflict]:
    """Unresolved conflicts in `partnerships` (a district's) whose partners asked the district
    coordinator to mediate, oldest first."""
    return (
        Conflict.objects.filter(mediator=Conflict.Mediator.COORDINATOR)
        .exclude(status=Conflict.Status.RESOLVED)
        .filter(partnership__in=partnerships)
        .select_related("partnership", "raised_for")
        .order_by("raised_at", "pk")
    )


def with_partnership_load(sections: QuerySet[Section]) -> QuerySet[Section]:
    """`sections` annotated with `twinned` (whether a partnership it took part in was ever
    activated); the partnerships taking up its room, as the partner finder counts them, are
    stored on the section (Section.open_partnerships)."""
    return sections.annotate(
        twinned=Exists(
            Participant.objects.filter(section_id=OuterRef("pk"), partnership__status__in=TWINNED_STATUSES)
        ),
    )


def section_counts(sections: QuerySet[Section]) -> dict[str, int]:
    """How many of `sections` there are, seek a partner, and have never twinned; one query."""
    return with_partnership_load(sections).aggregate(
        total=Count("pk"),
        seeking=Count("pk", filter=Q(seeking_partner=True)),
        never_twinned=Count("pk", filter=Q(twinned=False)),
    )


def instalment_problems(partnerships: QuerySet[Partnership], *, today) -> QuerySet[Partnership]:
    """Those of `partnerships` (a district's) with an instalment late or not matching what
    was sent (partnerships.finance.instalment_flagged), the oldest change first."""
    return (
        with_instalment_problems(partnerships, today)
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("section")))
        .order_by("updated_at", "pk")
    )
