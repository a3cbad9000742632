"""The partnership list's filters as the web layer composes them: partnerships/' own
filters plus those that read higher apps (health, from evaluation/). The dashboards' links
land on this list with these filters in the URL, so every number drills down to the
partnerships behind it."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluation.models import Health
from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership


class PartnershipOrderingFilter(django_filters.OrderingFilter):
    """The chosen order, then newest change and id, so pages keep a stable order."""

    def filter(self, qs: QuerySet[Partnership], value) -> QuerySet[Partnership]:
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        if not ordering:
            return qs
        return qs.order_by(*ordering, "-updated_at", "-pk")


class PartnershipListFilter(PartnershipFilter):
    health = django_filters.ChoiceFilter(
        choices=Health.choices, field_name="health_code", label=_("Health"), empty_label=_("Any health"),
    )
    sort = PartnershipOrderingFilter(
        fields=(("updated_at", "updated"), ("health_rank", "health"), ("start_date", "start"), ("title", "title")),
        field_labels={
            "-updated": _("Recently changed"), "health": _("Health, worst first"),
            "-start": _("Newest start"), "title": _("Title"),
        },
        label=_("Sort by"), empty_label=_("Recently changed"),
    )
