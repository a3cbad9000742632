"""Reads for sections/: every list is fetched with a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from django.utils.translation import gettext as _

from twinning.validators import database_id

from .permissions import roles_of
from .models import SECTION_PROFILE_M2M_FIELDS, District, DistrictCoordinator, Invitation, Officer, Section


def with_directory_columns(sections: QuerySet[Section]) -> QuerySet[Section]:
    """`sections` with what a card of the directory shows."""
    return sections.select_related("district").prefetch_related("interests")


def section_directory() -> QuerySet[Section]:
    # Name, then id: a stable order across pages when names repeat.
    return with_directory_columns(Section.objects.all()).order_by("name", "pk")


def directory_rows(ids: list[int]) -> QuerySet[Section]:
    """The directory's cards of these sections, for a page read in two steps (twinning.pagination)."""
    return with_directory_columns(Section.objects.filter(pk__in=ids))


def section_profile(*, slug: str) -> Section:
    today = timezone.localdate()
    open_offices = (
        Officer.objects.open_on(today).select_related("user").order_by("role", "user__full_name")
    )
    queryset = Section.objects.select_related("district").prefetch_related(
        Prefetch("officers", queryset=open_offices, to_attr="current_officers"),
    )
    section = get_object_or_404(queryset, slug=slug)
    prefetch_profile_lists(section)
    return section


def prefetch_profile_lists(section: Section) -> None:
    """Fill `section`'s prefetched profile lists (SECTION_PROFILE_M2M_FIELDS) table by table:
    the three lists of technical interests in one UNION ALL, the two of forms in another,
    the languages: three queries instead of six. Each list in its table's own order."""
    by_model: dict = {}
    for name in SECTION_PROFILE_M2M_FIELDS:
        by_model.setdefault(Section._meta.get_field(name).related_model, []).append(name)
    for model, names in by_model.items():
        first, *rest = (
            getattr(section, name).all().order_by().annotate(part=Value(index))
            for index, name in enumerate(names)
        )
        rows = list((first.union(*rest, all=True) if rest else first).order_by("part", *model._meta.ordering))
        for index, name in enumerate(names):
            set_prefetched(section, name, [row for row in rows if row.part == index])


def set_prefetched(instance, name: str, objects: list) -> None:
    """Leave `instance`'s many-to-many `name` as prefetch_related would: `objects`, read
    without a query (for lists read together in fewer queries than a prefetch each)."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def sections_of_officer(*, user) -> list[Section]:
    """The sections where `user` holds an open office, with their roles there. The request's
    roles (permissions.roles_of) say which: none is no query, some is one list by id."""
    section_ids = roles_of(user).section_ids
    if not section_ids:
        return []
    offices = Officer.objects.open_now().filter(user=user)
    sections = (
        Section.objects.filter(pk__in=section_ids)
        .select_related("district")
        # Whether the profile names interests and forms (profile_gaps): asked in the sections'
        # query, not read in three more.
        .annotate(
            has_interests=Exists(Section.interests.through.objects.filter(section_id=OuterRef("pk"))),
            offers_a_form=Exists(Section.offers_forms.through.objects.filter(section_id=OuterRef("pk"))),
            needs_a_form=Exists(Section.needs_forms.through.objects.filter(section_id=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("officers", queryset=offices, to_attr="my_offices"))
        .order_by("name")
    )
    return list(sections)


def districts_of_coordinator(*, user) -> list[District]:
    """The districts `user` coordinates today, each with `section_count` and `seeking_count`:
    the home page's summary, whose sections the district dashboard lists. One query, none
    for a user who coordinates no district (the request's roles say so)."""
    district_ids = roles_of(user).district_ids
    if not district_ids:
        return []
    return list(
        District.objects.filter(pk__in=district_ids)
        .annotate(
            section_count=Count("sections", distinct=True),
            seeking_count=Count("sections", filter=Q(sections__seeking_partner=True), distinct=True),
        )
        .order_by("code")
    )


def profile_gaps(section: Section) -> list[str]:
    """What a section's profile still lacks for a partner to find it (names the missing parts).

    Expects the section as sections_of_officer reads it: with `has_interests`, `offers_a_form`
    and `needs_a_form`.
    """
    gaps = []
    if not section.has_interests:
        gaps.append(_("technical interests"))
    if not section.offers_a_form:
        gaps.append(_("what you can offer"))
    if not section.needs_a_form:
        gaps.append(_("what you need"))
    if not section.contact_email:
        gaps.append(_("a contact email"))
    return gaps


def sections_without_officers(section_ids) -> set[int]:
    """Of these sections, those with nobody in office today: nobody there can answer a
    proposal or name a lead. One query."""
    section_ids = set(section_ids)
    staffed = Officer.objects.open_now().filter(section_id__in=section_ids).values_list("section_id", flat=True)
    return section_ids - set(staffed)


def coordinators_of_districts(district_ids) -> dict[int, set]:
    """Who answers for each district: its coordinators in office, or the society admins
    where it has none. {district id: {user, …}}, active users only, in two queries at most."""
    district_ids = set(district_ids)
    answering: dict[int, set] = {district_id: set() for district_id in district_ids}
    for assignment in DistrictCoordinator.objects.open_now().filter(
        district_id__in=district_ids, user__is_active=True
    ).select_related("user"):
        answering[assignment.district_id].add(assignment.user)
    uncovered = [district_id for district_id, users in answering.items() if not users]
    if uncovered:
        admins = set(get_user_model().objects.society_admins())
        for district_id in uncovered:
            answering[district_id] = admins
    return answering


def assignments_of(*, user) -> tuple[list[Officer], list[DistrictCoordinator]]:
    """The offices `user` holds today and the districts they coordinate today, for their
    profile page. Two queries."""
    offices = Officer.objects.open_now().filter(user=user).select_related("section").order_by("section__name", "role")
    coordinations = (
        DistrictCoordinator.objects.open_now().filter(user=user).select_related("district").order_by("district__code")
    )
    return list(offices), list(coordinations)


def open_invitations(*, section: Section) -> list:
    """The section's invitations neither accepted nor revoked, newest first, with who sent
    them: the section page's list for those who may invite. One query."""
    return list(
        Invitation.objects.open().filter(section=section).select_related("invited_by").order_by("-sent_at", "-pk")
    )


# How many sections the autocomplete offers for what was typed, and how many a form error
# names when a typed name matches several.
SUGGESTIONS = 20
NAMED_IN_ERROR = 5


def section_label(section: Section) -> str:
    """How a section is written in a typed section field: "Name (City, Country)"."""
    return f"{section.name} ({section.city}, {section.country.name})"


def section_suggestions(*, text: str, queryset: QuerySet[Section] | None = None) -> list[Section]:
    """The first sections, by name, whose name or city holds `text` or whose address name
    starts with it: the autocomplete's answer. One query, served by the (name, id) index."""
    text = text.strip()
    if not text:
        return []
    queryset = Section.objects.all() if queryset is None else queryset
    return list(
        queryset.filter(Q(name__icontains=text) | Q(city__icontains=text) | Q(slug__startswith=text.lower()))
        .only("pk", "name", "slug", "city", "country")
        .order_by("name", "pk")[:SUGGESTIONS]
    )


def sections_named(*, text: str, queryset: QuerySet[Section]) -> list[Section]:
    """The sections `text` may mean, best guess first, at most NAMED_IN_ERROR + 1: the one with
    that address name (or id), else those with that label ("Name (City, Country)", as the
    autocomplete writes it) or name, else those whose name holds it. One or two queries."""
    text = " ".join(text.split())
    if not text:
        return []
    name, city = text, None
    if text.endswith(")") and " (" in text:
        name, _sep, place = text[:-1].rpartition(" (")
        city = place.split(",")[0].strip()
    exact = Q(slug=text) | Q(name__iexact=name)
    if (pk := database_id(text)) is not None:
        exact |= Q(pk=pk)
    found = list(queryset.filter(exact).order_by("name", "pk")[:50])
    for section in found:
        if section.slug == text or str(section.pk) == text:
            return [section]
    if city is not None:
        found = [section for section in found if section_label(section).casefold() == text.casefold()] or found
    if found:
        return found[: NAMED_IN_ERROR + 1]
    return list(queryset.filter(name__icontains=name).order_by("name", "pk")[: NAMED_IN_ERROR + 1])
