"""Filter helpers shared by the lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet


class StableOrderingFilter(django_filters.OrderingFilter):
    """Orders by the chosen key, then by `then`, so rows with equal keys keep one order
    across pages; no choice leaves the queryset's own order."""

    def __init__(self, *args, then: tuple[str, ...], **kwargs):
        self.then = then
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        if not ordering:
            return qs
        return qs.order_by(*ordering, *self.then)
