"""Reads for a district's dashboard (web.dashboards), on partnerships/' own records: the
district's partnerships, those waiting for its endorsement, the conflicts whose partners
asked a coordinator to mediate, and its sections' room for partnerships. Each read is a
fixed number of queries whatever the district's size.

A partnership belongs to a district when one of its participating sections does, as on the
partnership list's district filter (partnerships.filters), where the dashboard's numbers
drill down to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField, CharField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, QuerySet, Subquery, Value,
)
from django.db.models.functions import Coalesce

from sections.models import District, Section
from twinning.db import one_of
from twinning.translations import in_language

from .finance import with_instalment_problems
from .models import Conflict, Participant, Partnership, Status

# A section has twinned once a partnership it took part in was activated.
TWINNED_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED)


@dataclass(frozen=True)
class Participation:
    """What the district's sections take part in: the partnerships' ids (those sent: a draft
    is its proposing section's own) and each one's status, and the sections that took part
    in a partnership once activated (twinned)."""

    partnership_ids: list[int]
    twinned_section_ids: list[int]
    statuses: dict[int, str] = field(default_factory=dict)

    def ids_with_status(self, *statuses: str) -> list[int]:
        """The ids of those of the partnerships in one of `statuses` (as read with the list)."""
        return [pk for pk in self.partnership_ids if self.statuses[pk] in statuses]


def district_participation(district: District) -> Participation:
    """The district's participation, read in one query, first: the dashboard's queries are
    given the lists, so each starts from the district's tenth of the society. Joined inside
    each query (EXISTS or IN on participants), PostgreSQL sorted all the society's
    partnerships by health, or walked them by date, testing each one until it had a page
    (50 ms a query at 5,000 sections), and hashed every participant of the society to tell
    which sections twinned (25 ms, twice). Each partnership's status comes with it, so a
    list of one status (those awaiting endorsement, the active ones) starts from its own
    few ids, and the status counts need no query."""
    statuses, twinned = {}, set()
    rows = Participant.objects.filter(section__district=district).order_by().values_list(
        "partnership_id", "section_id", "partnership__status"
    )
    for partnership_id, section_id, status in rows:
        if status != Status.DRAFT:
            statuses[partnership_id] = status
        if status in TWINNED_STATUSES:
            twinned.add(section_id)
    return Participation(partnership_ids=sorted(statuses), twinned_section_ids=sorted(twinned), statuses=statuses)


def district_partnerships(participation: Participation, *statuses: str) -> QuerySet[Partnership]:
    """The partnerships one of the district's sections takes part in (`participation`,
    district_participation's), once sent: a draft is its proposing section's own until then
    (the list, filtered by district, shows the coordinator the same); only those in one of
    `statuses` if any are given."""
    ids = participation.ids_with_status(*statuses) if statuses else participation.partnership_ids
    partnerships = Partnership.objects.filter(one_of("pk", ids)).exclude(status=Status.DRAFT)
    return partnerships.filter(status__in=statuses) if statuses else partnerships


def for_table(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """`partnerships` with the number of open conflicts (`open_conflicts`), which a table row
    shows with its sections and forms (section_names_of, form_names_of: a query each for all
    rows, none per row)."""
    open_conflicts = (
        Conflict.objects.filter(partnership_id=OuterRef("pk")).exclude(status=Conflict.Status.RESOLVED)
        .order_by().values("partnership_id").annotate(n=Count("pk")).values("n")
    )
    return partnerships.annotate(
        open_conflicts=Coalesce(Subquery(open_conflicts, output_field=IntegerField()), Value(0))
    )


def section_names_of(partnership_ids: list[int]) -> dict[int, list[str]]:
    """{partnership id: its participating sections' names, in the order they joined} for
    `partnership_ids`; one query, no instances (a prefetch made a participant and a section,
    description and all, of each name)."""
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
    `partnership_ids`; one query, no instances."""
    names: dict[int, list[str]] = {}
    rows = (
        Partnership.forms.through.objects.filter(one_of("partnership_id", partnership_ids))
        .order_by("twinningform__position", "twinningform__name")
        .values_list("partnership_id", "twinningform__name", "twinningform__translations")
    )
    for partnership_id, name, translations in rows:
        names.setdefault(partnership_id, []).append(in_language("name", name, translations))
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
        .only("title")
        .order_by("updated_at", "pk")
    )


def mediation_requests(partnership_ids: list[int]) -> QuerySet[Conflict]:
    """Unresolved conflicts in the partnerships of `partnership_ids` (a district's,
    Participation's) whose partners asked the district coordinator to mediate, oldest first.
    The conflicts are picked by the list itself: through a subquery on the partnerships,
    each of the district's two thousand was looked up for the few with a conflict.
    `raised_for_name` is the section's name, looked up for each conflict: joined, PostgreSQL
    (expecting four times the conflicts there are) read all the society's sections to hash them."""
    raised_for_name = Section.objects.filter(pk=OuterRef("raised_for_id")).values("name")
    return (
        Conflict.objects.filter(mediator=Conflict.Mediator.COORDINATOR)
        .exclude(status=Conflict.Status.RESOLVED)
        .filter(one_of("partnership_id", partnership_ids))
        .select_related("partnership")
        .only("raised_at", "description", "partnership__title")
        .annotate(raised_for_name=Subquery(raised_for_name, output_field=CharField()))
        .order_by("raised_at", "pk")
    )


def with_partnership_load(sections: QuerySet[Section], participation: Participation) -> QuerySet[Section]:
    """`sections` (of the district of `participation`) annotated with `twinned` (whether a
    partnership it took part in was ever activated); the partnerships taking up its room,
    as the partner finder counts them, are stored on the section (Section.open_partnerships)."""
    return sections.annotate(
        twinned=ExpressionWrapper(one_of("pk", participation.twinned_section_ids), output_field=BooleanField()),
    )


def section_counts(sections: QuerySet[Section], participation: Participation) -> dict[str, int]:
    """How many of `sections` (of the district of `participation`) there are, seek a
    partner, and have never twinned; one query."""
    return with_partnership_load(sections, participation).aggregate(
        total=Count("pk"),
        seeking=Count("pk", filter=Q(seeking_partner=True)),
        never_twinned=Count("pk", filter=Q(twinned=False)),
    )


def instalment_problems(partnerships: QuerySet[Partnership], *, today) -> QuerySet[Partnership]:
    """Those of `partnerships` (a district's) with an instalment late or not matching what
    was sent (partnerships.finance.instalment_flagged), the oldest change first."""
    return (
        with_instalment_problems(partnerships, today)
        .only("title")
        .order_by("updated_at", "pk")
    )
