"""Partnership health as the pages show it: the nightly job's recorded health and reason
(evaluation.services.health), joined to partnership querysets so a list filters, sorts and
shows it without a query per row.

Only an active partnership has a health: a suspended one is not expected to report, and
an open proposal or a closed partnership has nothing to watch. An active partnership the
nightly job has not seen yet reads as on track, which is where every partnership starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, F, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Status

from ..models import Health
from ..services.health import SEVERITY, reason_words

# Worst first, for sorting ("health" in a list's sort puts dormant partnerships on top).
RANK = {health: number for number, health in enumerate(SEVERITY)}
NO_HEALTH_RANK = len(SEVERITY)
# A mark beside each word, so the badge reads without its colour.
ICONS = {
    Health.ON_TRACK: "✓", Health.AT_RISK: "!", Health.OFF_TRACK: "✕", Health.COOLING: "◔", Health.DORMANT: "☾",
}
ON_TRACK_REASON = _("Reports on track, check-ins on time and recent activity.")


@dataclass(frozen=True)
class HealthBadge:
    health: str
    label: str
    reason: str
    icon: str


def with_health(queryset: QuerySet[Partnership], *, rank: bool = True) -> QuerySet[Partnership]:
    """`queryset` annotated with `health_code` (None unless active), `health_reason` and,
    unless `rank` is False, `health_rank` (worst first; partnerships without a health last).
    A query that neither sorts by health nor shows the rank leaves it out: its When a health
    cost two thirds of the time Django takes to build and compile the query (2 of 3 ms)."""
    active = {"status": Status.ACTIVE}
    queryset = queryset.annotate(
        health_code=Case(
            When(**active, then=Coalesce(F("health__health"), Value(Health.ON_TRACK))),
            default=None, output_field=CharField(),
        ),
        health_reason=Case(
            When(**active, then=Coalesce(F("health__reason"), Value(""))), default=Value(""), output_field=TextField(),
        ),
    )
    if not rank:
        return queryset
    return queryset.annotate(
        health_rank=Case(
            *[When(**active, health__health=health, then=Value(rank)) for health, rank in RANK.items()],
            When(**active, then=Value(RANK[Health.ON_TRACK])),
            default=Value(NO_HEALTH_RANK), output_field=IntegerField(),
        ),
    )


def badge(health_code: str | None, reason: str = "") -> HealthBadge | None:
    """The badge for a recorded health (None for a partnership that has none)."""
    if not health_code:
        return None
    health = Health(health_code)
    if not reason and health == Health.ON_TRACK:
        reason = str(ON_TRACK_REASON)
    reason = reason_words(reason)
    return HealthBadge(health=health.value, label=str(health.label), reason=reason, icon=ICONS[health])


def badge_of(partnership: Partnership) -> HealthBadge | None:
    """The badge of a partnership from `with_health`'s annotations, or read for this one."""
    if hasattr(partnership, "health_code"):
        return badge(partnership.health_code, partnership.health_reason)
    if partnership.status != Status.ACTIVE:
        return None
    row = Partnership.objects.filter(pk=partnership.pk).values_list("health__health", "health__reason").first()
    code, reason = row if row and row[0] else (Health.ON_TRACK, "")
    return badge(code, reason)
