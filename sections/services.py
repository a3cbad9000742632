"""Writes for sections/: each one checks, saves and returns in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import SECTION_PROFILE_M2M_FIELDS, FinderDecision, Officer, Section
from .permissions import can_edit_section
from .signals import office_ended

# What an officer may change on their section's profile; name, kind and district
# belong to the society and change in the admin.
PROFILE_FIELDS = (
    "description",
    "country",
    "city",
    "time_zone",
    "founded_year",
    "member_count",
    "maturity",
    "offers_notes",
    "needs_notes",
    "seeking_partner",
    "max_concurrent_partnerships",
    "website",
    "contact_email",
)
PROFILE_M2M_FIELDS = SECTION_PROFILE_M2M_FIELDS


@transaction.atomic
def section_profile_update(*, section: Section, actor, data: dict[str, Any]) -> Section:
    """Apply `data` (cleaned form values keyed by field name) to the section's profile."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers can change its profile.")
    section = Section.objects.select_for_update().get(pk=section.pk)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(section, name, data[name])
    section.full_clean()
    section.save()
    for name in PROFILE_M2M_FIELDS:
        if name in data:
            getattr(section, name).set(data[name])
    return section


@transaction.atomic
def finder_decide(*, section: Section, actor, candidate: Section, kind: str) -> FinderDecision:
    """Dismiss a suggested partner (hidden until restored) or put it on the shortlist."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers decide on its suggestions.")
    if candidate.pk == section.pk:
        raise ValidationError("A section is not its own partner.")
    decision, _created = FinderDecision.objects.update_or_create(
        section=section, candidate=candidate, defaults={"kind": kind, "decided_by": actor}
    )
    return decision


@transaction.atomic
def finder_restore(*, section: Section, actor, candidate: Section) -> None:
    """Forget the decision on `candidate`: it shows among the suggestions again."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers decide on its suggestions.")
    FinderDecision.objects.filter(section=section, candidate=candidate).delete()


@transaction.atomic
def officer_end(*, officer: Officer, end_date: datetime.date, actor) -> Officer:
    """Set the last day of an office (the society admins do, in the admin, after an
    election) and tell the apps above: what this person led is handed over once the office
    is over. Saving the same end date again tells them again; they act once."""
    officer = Officer.objects.select_for_update().select_related("user", "section").get(pk=officer.pk)
    if officer.end_date != end_date:
        officer.end_date = end_date
        officer.full_clean()
        officer.save(update_fields=["end_date"])
    office_ended.send(sender=Officer, officer=officer, actor=actor)
    return officer
