"""A section's stored search text, as the directory search reads it (twinning.search):
name, city, country, interests, what it offers and what it needs, folded by the database.

The text is rewritten in one UPDATE from the database's own rows whenever one of its
sources changes: the section itself, one of its five lists of interests and forms, or the
name of an interest or form. The receivers below are connected in SectionsConfig.ready();
writes that send no signal (bulk_create in devtools' scale data) call
`section_search_text_refresh` themselves."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Aggregate, Case, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.utils import translation
from django_countries import countries

from twinning.search import Fold, Lines

from .models import Section, TechnicalInterest, TwinningForm

# The section's own fields the text is made of: a save that names none of them leaves it be.
SEARCHED_FIELDS = frozenset({"name", "city", "country", "offers_notes", "needs_notes"})
# Its lists, in the order the text holds them.
SEARCHED_LISTS = ("interests", "offers_forms", "offers_topics", "needs_forms", "needs_topics")


class JoinedNames(Aggregate):
    """The values joined by ", ": string_agg on PostgreSQL, group_concat on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _list_names(model, name: str) -> Subquery:
    """The names in the section's list `name`, as a subquery of its through table."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    names = (
        through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})
        .values(field.m2m_field_name())
        .annotate(names=JoinedNames(f"{field.m2m_reverse_field_name()}__name"))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


def section_search_text_refresh(*, sections: QuerySet) -> int:
    """Rewrite the search text of `sections` (any queryset of sections, also a migration's
    historical model) from what the database holds; returns how many rows were written."""
    codes = set(sections.order_by().values_list("country", flat=True).distinct())
    if not codes:
        return 0
    # Country names as the society's language spells them, for the sections at hand only.
    with translation.override(settings.LANGUAGE_CODE):
        country = Case(
            *[When(country=code, then=Value(str(countries.name(code)))) for code in sorted(codes)],
            default=Value(""),
            output_field=TextField(),
        )
    parts = [F("name"), F("city"), country]
    parts += [_list_names(sections.model, name) for name in SEARCHED_LISTS[:3]]
    parts.append(F("offers_notes"))
    parts += [_list_names(sections.model, name) for name in SEARCHED_LISTS[3:]]
    parts.append(F("needs_notes"))
    return sections.update(search_text=Fold(Lines(*parts)))


# Receivers (connected in SectionsConfig.ready) ---------------------------------------------


def section_saved(sender, *, instance: Section, update_fields=None, **kwargs) -> None:
    if update_fields is None or SEARCHED_FIELDS & set(update_fields):
        section_search_text_refresh(sections=Section.objects.filter(pk=instance.pk))


def section_list_changed(sender, *, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """One of a section's lists changed (from the section's side, or from an interest's or
    form's side: `reverse`)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        section_search_text_refresh(sections=Section.objects.filter(pk=instance.pk))
    elif pk_set is not None:
        section_search_text_refresh(sections=Section.objects.filter(pk__in=pk_set))
    else:
        # An interest's or form's sections were all removed: which ones is no longer known.
        section_search_text_refresh(sections=Section.objects.all())


def _sections_listing(item: TechnicalInterest | TwinningForm) -> QuerySet[Section]:
    listing = Q(pk__in=[])
    for name in SEARCHED_LISTS:
        field = Section._meta.get_field(name)
        if field.related_model is type(item):
            links = field.remote_field.through.objects.filter(**{field.m2m_reverse_field_name(): item})
            listing |= Q(pk__in=links.values(field.m2m_field_name()))
    return Section.objects.filter(listing)


def list_item_saved(sender, *, instance, created: bool, update_fields=None, **kwargs) -> None:
    """An interest or form was renamed: the sections listing it read differently."""
    if not created and (update_fields is None or "name" in update_fields):
        section_search_text_refresh(sections=_sections_listing(instance))


def list_item_deleting(sender, *, instance, **kwargs) -> None:
    # Its links go with it, sending no m2m_changed: note who had it before they go.
    instance._search_sections = list(_sections_listing(instance).values_list("pk", flat=True))


def list_item_deleted(sender, *, instance, **kwargs) -> None:
    section_search_text_refresh(sections=Section.objects.filter(pk__in=getattr(instance, "_search_sections", [])))
