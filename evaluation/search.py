"""The lessons library's search index, as the lesson services write it and the selectors
read it: the unaccented lower-case text (SQLite's search, and every search word), and the
weighted PostgreSQL search vector."""

from __future__ import annotations

import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func


# Letters Unicode does not decompose into a base letter and a mark, spelled as
# PostgreSQL's unaccent spells them, so that "Łódź" and "Lodz" meet on SQLite too.
UNDECOMPOSED = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
})


def unaccented(text: str) -> str:
    """Lower case without accents ("Bogotá" → "bogota"): the form both the SQLite search
    text and every search word take, so they meet whatever the writer typed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


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
