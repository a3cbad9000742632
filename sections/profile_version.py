"""SQLite's side of a section's `profile_version` (the partner finder's cache key).

On PostgreSQL the database's triggers draw a new version on every change, by any path
(sections/migrations/0009). SQLite, the embedded default of `make run`, gets no triggers: it
rebuilds a table to alter it, which drops that table's triggers and fails on the triggers of
the tables that name it. There every write goes through the ORM, so these receivers draw the
new version instead: after a section is saved, and after one of its profile lists changes.
"""

from __future__ import annotations

from django.db import connections

from .models import Section, new_profile_version


def _redraw(using: str, section_ids=None) -> None:
    if connections[using].vendor != "sqlite":
        return
    sections = Section.objects.using(using)
    if section_ids is not None:
        sections = sections.filter(pk__in=section_ids)
    sections.update(profile_version=new_profile_version())


def section_saved(sender, instance: Section, using: str, **kwargs) -> None:
    _redraw(using, [instance.pk])


def profile_list_changed(sender, instance, action: str, reverse: bool, pk_set, using: str, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _redraw(using, [instance.pk])
    else:
        # From the other side (an interest's sections): the sections named, or all of them
        # when the list was cleared, which names none.
        _redraw(using, pk_set if pk_set is not None else None)
