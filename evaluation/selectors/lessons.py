"""Reads of the lessons library: who may read which lesson, the search, and the few
lessons other pages show in context (readiness advice, partner finder, proposal,
partnership page).

Who reads what:
- a published lesson for the whole society: anyone signed in;
- a published lesson for the partners only: the current officers of the partnership's
  sections, the coordinators of those sections' districts, and society admins;
- a draft: only the writing section's current officers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Value

from partnerships.models import Participant, Partnership
from sections.models import TwinningForm
from sections.permissions import is_society_admin, roles_of

from ..models import Lesson
from ..search import unaccented

# The readiness prerequisite a weak score names → the challenge category whose lessons
# speak to it (the readiness page links to /lessons/?challenge=<code>):
# - funding: lessons on funding;
# - time: people's time runs out when other things press, "pressing priorities";
# - commitment: commitment that outlasts an officer's term is what "sustainability" is about;
# - capacity: room, tools and organisation: "infrastructure";
# - vision: a purpose put into practice, "planning".
DIMENSION_CHALLENGES = {
    "funding": "funding",
    "time": "priorities",
    "commitment": "sustainability",
    "capacity": "infrastructure",
    "vision": "planning",
}


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    HELPFUL = "helpful"


class _QueryOnce(SearchQuery):
    """A search query PostgreSQL builds once per statement, not once per row.

    `unaccent` is only STABLE, so `websearch_to_tsquery('simple', unaccent('…'))` is not
    folded to a constant: written inline, it is parsed again for every matching row that
    is ranked and rechecked (5 times slower for a common word over 20,000 lessons, see
    bench_lessons). As an uncorrelated sub-select it becomes an InitPlan, evaluated once,
    and still serves as the GIN index's condition."""

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"(SELECT {sql})", params


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """Every lesson `user` may read, drafts included where they may (see the module)."""
    if not user.is_authenticated:
        return Lesson.objects.none()
    roles = roles_of(user)
    published = Q(state=Lesson.State.PUBLISHED)
    readable = published & Q(visibility=Lesson.Visibility.SOCIETY)
    if is_society_admin(user):
        readable |= published
    elif roles.section_ids or roles.district_ids:
        partner = Participant.objects.filter(
            Q(section_id__in=roles.section_ids) | Q(section__district_id__in=roles.district_ids),
            partnership_id=OuterRef("partnership_id"),
        )
        readable |= published & Q(visibility=Lesson.Visibility.PARTNERS) & Exists(partner)
    if roles.section_ids:
        readable |= Q(section_id__in=roles.section_ids)
    return Lesson.objects.filter(readable)


def lessons_published_to(user) -> QuerySet[Lesson]:
    """What the library lists for `user`: the published lessons they may read."""
    return lessons_visible_to(user).filter(state=Lesson.State.PUBLISHED)


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", unaccented(query))


def lessons_search(qs: QuerySet[Lesson], query: str | None, sort: str | None) -> QuerySet[Lesson]:
    """`qs` narrowed to the lessons matching `query` and sorted: by relevance (the default
    when there is a query), newest first (the default without one) or most helpful first.

    PostgreSQL matches the weighted search vector with a web-search style query (quoted
    phrases, "or", -word), both sides without accents, so "Bogota" finds "Bogotá"; the GIN
    index `lesson_search_gin` serves it. SQLite has no such index: every word of the query
    must appear in the unaccented search text.
    """
    query = (query or "").strip()
    sort = sort or (Sort.RELEVANCE if query else Sort.NEWEST)
    ranked = False
    if query:
        if connection.vendor == "postgresql":
            search = _QueryOnce(Func(Value(query), function="unaccent"), config="simple", search_type="websearch")
            qs = qs.filter(search_vector=search)
            if sort == Sort.RELEVANCE:
                qs = qs.annotate(rank=SearchRank(F("search_vector"), search))
                ranked = True
        else:
            words = _words(query)
            if not words:
                return qs.none()
            for word in words:
                qs = qs.filter(search_text__contains=word)
    if sort == Sort.HELPFUL:
        return qs.order_by("-helpful_count", F("published_at").desc(nulls_last=True), "-pk")
    if ranked:
        return qs.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")
    return qs.order_by(F("published_at").desc(nulls_last=True), "-pk")


# What a list of lessons does not show: the search columns and the long texts (a list shows
# the title and what was learned). Leaving them out keeps the rows a search sorts narrow.
LIST_DEFERRED = ("search_vector", "search_text", "context", "what_happened", "recommendation")


def lesson_list(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """What a list of lessons shows of each: its section, forms and challenges."""
    return qs.select_related("section").prefetch_related("forms", "challenges").defer(*LIST_DEFERRED)


def lessons_most_helpful(
    *, user, forms: Iterable[TwinningForm] | None = None, limit: int = 3
) -> list[Lesson]:
    """The published lessons `user` may read that helped most, about any of `forms` (any
    form when none is given)."""
    qs = lessons_published_to(user)
    form_ids = [form.pk for form in forms or []]
    if form_ids:
        qs = qs.filter(forms__in=form_ids).distinct()
    return list(
        lesson_list(qs).order_by("-helpful_count", F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def lessons_for_challenges(*, user, codes: Iterable[str], limit: int = 3) -> list[Lesson]:
    """The most helpful published lessons `user` may read tagged with any of `codes`."""
    qs = lessons_published_to(user).filter(challenges__code__in=list(codes)).distinct()
    return list(
        lesson_list(qs).order_by("-helpful_count", F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def lessons_similar_to(partnership: Partnership, *, user, limit: int = 3) -> list[Lesson]:
    """Lessons of other partnerships that share a form of twinning with this one, a
    challenge its own lessons name, or a region of its sections: the most helpful first."""
    # Read through .all(), so the partnership page's prefetched forms and participants serve.
    form_ids = [form.pk for form in partnership.forms.all()]
    regions = {participant.section.district.region for participant in partnership.participants.all()}
    challenge_ids = Lesson.challenges.through.objects.filter(lesson__partnership=partnership).values(
        "challengecategory_id"
    )
    similar = Q(forms__in=form_ids) | Q(challenges__in=challenge_ids)
    for region in regions:
        similar |= Q(region_tags__contains=f"|{region}|")
    # Matching through two many-to-many joins repeats a lesson: pick the ids first.
    ids = lessons_published_to(user).exclude(partnership=partnership).filter(similar).values("pk")
    return list(
        lesson_list(Lesson.objects.filter(pk__in=ids)).order_by(
            "-helpful_count", F("published_at").desc(nulls_last=True), "-pk"
        )[:limit]
    )


def lessons_of_partnership(partnership: Partnership, *, user) -> list[Lesson]:
    """The partnership's own lessons that `user` may read, drafts included for their writers."""
    return list(
        lesson_list(lessons_visible_to(user).filter(partnership=partnership)).order_by(
            "state", F("published_at").desc(nulls_last=True), "-pk"
        )
    )
