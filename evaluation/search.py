"""The lessons library's search index, as the lesson services write it and the selectors
read it: the unaccented lower-case text (SQLite's search, and every search word), and the
weighted PostgreSQL search vector."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func

# The folding every search shares (twinning.search), named here for the lesson services.
from twinning.search import unaccented

__all__ = ["search_vector", "unaccented"]


def _unaccent(field: str) -> Func:
    return Func(F(field), function="unaccent")


def search_vector() -> SearchVector:
    """The weighted vector of a lesson's own text, for an UPDATE on PostgreSQL: the title
    weighs most, then what was learned and recommended, then the story around it. The
    "simple" configuration keeps every word as written (no language's stemming) because
    lessons come from every country; unaccent lets "Bogota" meet "Bogotá"."""
    return (
        SearchVector(_unaccent("title"), weight="A", config="simple")
        + SearchVector(_unaccent("learned"), _unaccent("recommendation"), weight="B", config="simple")
        + SearchVector(_unaccent("context"), _unaccent("what_happened"), weight="C", config="simple")
    )
