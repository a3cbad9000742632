"""The search engine the lists share: the section directory and the partnership list find
what people type, whatever its accents and case ("Bogota" finds Bogotá), and on
PostgreSQL also what they mistype ("Bogta").

Each searchable model keeps a stored `search_text`: everything the search covers, written
by its app whenever a source changes (sections.search, partnerships.search), folded by the
database function `twinning_fold` (lower case, no accents) and starting with the record's
name on its own line. Why a stored column rather than a search over the fields themselves:
what a section is found by lives in five many-to-many tables and a country list; one
column holds it all behind one trigram index, so every word is one indexed condition
instead of an OR over joins that PostgreSQL can only answer by reading every section
(measured: 30-60 ms at 5,000 sections against 1-5 ms).

- `twinning_fold` is, on PostgreSQL, an IMMUTABLE wrapper around the unaccent extension
  (created by sections' 0010 migration; unaccent itself is only STABLE, which an index
  expression refuses); on SQLite, `unaccented` below, registered on every connection. The
  typed words are folded by the same function as the stored text, so they always meet.
- A word matches where it appears in the stored text (`LIKE '%word%'`, served by a GIN
  trigram index on PostgreSQL, a scan on SQLite).
- On PostgreSQL, a word of four letters or more that appears nowhere in what is searched
  is taken for a typo: it matches the short fields named as `near` whose trigrams come
  close (`%>`: word similarity at least `pg_trgm.word_similarity_threshold`, set to 0.5
  in the settings; pg_trgm's default, 0.6, misses "Bogta" for Bogotá). Close matching is kept to short fields (names, cities) and to words with no
  exact match because word similarity costs ~100 µs per row on a whole profile: over the
  2,000 sections a common word matches it would take 300 ms.
- Relevance: a name that starts with what was typed, then the number of words found in
  the name, then the list's own order. It is worked out for every match, so a list whose
  common words match thousands of rows keeps its own (indexed) order instead: ranking all
  20,000 partnerships that contain "partnership" costs ~100 ms, the first page of the most
  recently changed ones ~1 ms.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import StrIndex, Substr
from django.db.models.lookups import Contains, GreaterThan, StartsWith

# A search uses at most this many words: each adds a condition to the query.
MAX_WORDS = 8
# Shorter words are not matched approximately: three letters share too many trigrams.
TYPO_MIN_LENGTH = 4
# What separates the name (first line of a stored search text) from the rest.
LINE = "\n"

# Letters Unicode does not decompose into a base letter and a mark, spelled as
# PostgreSQL's unaccent spells them, so that "Łódź" and "Lodz" meet on SQLite too.
UNDECOMPOSED = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
})


def unaccented(text: str) -> str:
    """Lower case without accents ("Bogotá" → "bogota"): `twinning_fold` on SQLite."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def register_fold(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite learns `twinning_fold` (PostgreSQL has it from
    the migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "twinning_fold", 1, lambda text: None if text is None else unaccented(text), deterministic=True
        )


class Fold(Func):
    """`twinning_fold(expression)`: lower case, no accents, as the stored texts are."""

    function = "twinning_fold"
    arity = 1
    output_field = TextField()


class Lines(Func):
    """The parts one per line, a missing part as an empty line: what `search_text` is made
    of. One flat `||` chain (Concat nests a pair per part, deeper than SQLite parses)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, part_params = compiler.compile(expression)
            if parts:
                params.append(LINE)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(part_params)
        return "(" + " || %s || ".join(parts) + ")", params


def search_words(value: str) -> list[str]:
    return value.split()[:MAX_WORDS]


def _found(word: str) -> Contains:
    return Contains(F("search_text"), Fold(Value(word)))


def _absent_words(queryset: QuerySet, words: list[str]) -> set[str]:
    """The words (long enough to be typos) that appear in none of `queryset`'s texts: one
    query of one EXISTS per word, each answered from the trigram index."""
    candidates = [word for word in dict.fromkeys(words) if len(word) >= TYPO_MIN_LENGTH]
    if not candidates or queryset.query.is_empty():
        # A queryset that can hold nothing (.none(): a user who may see nothing) has no SQL.
        return set()
    parts, params = [], []
    for word in candidates:
        sql, word_params = queryset.filter(_found(word)).order_by().values("pk")[:1].query.sql_with_params()
        parts.append(f"EXISTS ({sql})")
        params.extend(word_params)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = cursor.fetchone()
    return {word for word, exists in zip(candidates, found) if not exists}


def search(
    queryset: QuerySet, value: str, *, near: Sequence[str] = (), ranked: bool = True, then: Sequence[str] = ()
) -> QuerySet:
    """`queryset` narrowed to the records whose `search_text` holds every word of `value`;
    `ranked`: the best matches first (see the module), then ordered by `then`, else in the
    queryset's own order.

    `near`: the short fields a word with no exact match may come close to (PostgreSQL)."""
    words = search_words(value)
    if not words:
        return queryset
    postgresql = connections[queryset.db].vendor == "postgresql"
    typos = _absent_words(queryset, words) if near and postgresql else set()
    for word in words:
        condition = Q(_found(word))
        if word in typos:
            for field in near:
                condition |= Q(TrigramWordSimilar(Fold(F(field)), Fold(Value(word))))
        queryset = queryset.filter(condition)
    if not ranked:
        return queryset
    # A word is in the name when it is in the first line: looked for there only, not through
    # the whole profile (a third of the directory's ranking time for a common word).
    name = Substr(F("search_text"), 1, StrIndex(F("search_text"), Value(LINE)))
    name_hits = Value(0, output_field=IntegerField())
    for word in dict.fromkeys(words):
        name_hits = name_hits + Case(
            When(GreaterThan(StrIndex(name, Fold(Value(word))), 0), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    starts = Case(
        When(StartsWith(F("search_text"), Fold(Value(" ".join(words)))), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.alias(search_starts=starts, search_name_hits=name_hits).order_by(
        "-search_starts", "-search_name_hits", *then
    )
