"""The section's recognition page: its points for a year, by rule and line by line with the
record that earned each, and the people it acknowledged."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from sections.models import Section

from ..models import Acknowledgement, LedgerEntry


@dataclass(frozen=True)
class EntryRow:
    entry: LedgerEntry
    source_label: str
    source_url: str


def award_years_of(section: Section) -> list[int]:
    return list(
        LedgerEntry.objects.filter(section=section).order_by("-award_year").values_list("award_year", flat=True).distinct()
    )


def _source(entry: LedgerEntry, models_by_type: dict[int, str]) -> tuple[str, str]:
    """A label and a link for the record an entry points at, from ids alone (no query per row)."""
    model = models_by_type.get(entry.source_type_id, "")
    partnership = entry.partnership
    if model == "checkin" and partnership is not None:
        return _("Check-in"), reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": entry.source_id})
    if model == "lesson":
        return _("Lesson"), reverse("lessons:detail", kwargs={"pk": entry.source_id})
    if model == "story":
        return _("Story"), reverse("stories:detail", kwargs={"pk": entry.source_id})
    if model == "evaluation" and partnership is not None:
        return _("Evaluation"), f"{partnership.get_absolute_url()}#evaluation"
    if partnership is not None:
        return _("Partnership"), partnership.get_absolute_url()
    return "", ""


def section_points(section: Section, year: int | None) -> dict:
    """The section's total for `year`, its points by rule, and each entry with its source."""
    entries = LedgerEntry.objects.filter(section=section)
    if year is not None:
        entries = entries.filter(award_year=year)
    entries = list(entries.select_related("rule", "partnership", "created_by").order_by("-occurred_on", "-pk"))
    type_ids = {entry.source_type_id for entry in entries if entry.source_type_id}
    models_by_type = {
        content_type.pk: content_type.model for content_type in ContentType.objects.filter(pk__in=type_ids)
    } if type_ids else {}
    by_rule: dict[str, int] = {}
    for entry in entries:
        label = entry.rule.get_event_display() if entry.rule_id else entry.get_kind_display()
        if entry.kind == LedgerEntry.Kind.ADJUSTMENT:
            label = LedgerEntry.Kind.ADJUSTMENT.label
        by_rule[str(label)] = by_rule.get(str(label), 0) + entry.points
    rows = [EntryRow(entry, *_source(entry, models_by_type)) for entry in entries]
    return {
        "total": sum(entry.points for entry in entries),
        "by_rule": sorted(by_rule.items(), key=lambda item: (-item[1], item[0])),
        "entries": rows,
    }


def acknowledgements_of(section: Section, year: int | None) -> list[Acknowledgement]:
    acknowledgements = Acknowledgement.objects.filter(section=section).select_related("partnership")
    if year is not None:
        acknowledgements = acknowledgements.filter(created_at__year=year)
    return list(acknowledgements.order_by("-created_at"))
