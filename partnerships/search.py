"""A partnership's stored search text, as the partnership list's search reads it
(twinning.search): its title, its sections' names and its purpose, folded by the database.

Rewritten in one UPDATE whenever a source changes: the partnership's title or purpose, its
participants, or a section's name. The receivers below are connected in
PartnershipsConfig.ready(); writes that send no signal (bulk_create in devtools' scale data)
call `partnership_search_text_refresh` themselves."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery, TextField

from sections.models import Section
from sections.search import JoinedNames
from twinning.search import Fold, Lines

from .models import Participant, Partnership

SEARCHED_FIELDS = frozenset({"title", "purpose"})


def partnership_search_text_refresh(*, partnerships: QuerySet) -> int:
    """Rewrite the search text of `partnerships` (also a migration's historical model) from
    what the database holds; returns how many rows were written."""
    participants = partnerships.model._meta.get_field("participants").related_model
    names = (
        participants.objects.filter(partnership_id=OuterRef("pk"))
        .values("partnership_id")
        .annotate(names=JoinedNames("section__name"))
        .values("names")
    )
    text = Lines(F("title"), Subquery(names, output_field=TextField()), F("purpose"))
    return partnerships.update(search_text=Fold(text))


# Receivers (connected in PartnershipsConfig.ready) -----------------------------------------


def partnership_saved(sender, *, instance: Partnership, update_fields=None, **kwargs) -> None:
    if update_fields is None or SEARCHED_FIELDS & set(update_fields):
        partnership_search_text_refresh(partnerships=Partnership.objects.filter(pk=instance.pk))


def participant_changed(sender, *, instance: Participant, update_fields=None, **kwargs) -> None:
    """A section joined or left a partnership (post_save, post_delete)."""
    if update_fields is None or "section" in update_fields:
        partnership_search_text_refresh(partnerships=Partnership.objects.filter(pk=instance.partnership_id))


def section_saved(sender, *, instance: Section, update_fields=None, **kwargs) -> None:
    """A section may have been renamed: its partnerships read differently."""
    if update_fields is None or "name" in update_fields:
        partnership_search_text_refresh(
            partnerships=Partnership.objects.filter(
                pk__in=Participant.objects.filter(section_id=instance.pk).values("partnership_id")
            )
        )
