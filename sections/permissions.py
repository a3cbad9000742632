"""Who may see and change what in sections/. Every view asks here.

- any signed-in user reads the directory and section profiles (finding a partner
  means looking beyond your own district);
- an officer changes only the sections where they hold an open office;
- a district coordinator reads everything in their districts, including the
  officers' contact details;
- invitations to a section's offices: its officers, its district's coordinators and society
  admins send, re-send and revoke them; only society admins invite coordinators;
- society admins (is_society_admin: a permission the admin grants, not staff status) read
  every section's private pages and contacts, and work in the admin.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import DistrictCoordinator, Officer, Section


@dataclass(frozen=True)
class Roles:
    """Where a user holds an open office and which districts they coordinate, on one day."""

    day: datetime.date
    section_ids: frozenset[int]
    district_ids: frozenset[int]
    # The time zone of the user's first section (the lowest id), "" without an office: the
    # zone their pages show times in when they chose none (web.middleware).
    section_zone: str = ""


NO_ROLES = Roles(day=datetime.date.min, section_ids=frozenset(), district_ids=frozenset())


def roles_of(user) -> Roles:
    """The user's open offices and coordinations, loaded once per request: the answer is kept
    on the user object (a request's user lives for that request) for the day it was read.
    Terms are read on the UTC day whatever zone the request shows times in (web.middleware
    asks here for the section's zone)."""
    if not user.is_authenticated:
        return NO_ROLES
    today = timezone.localdate(timezone=datetime.UTC)
    roles = getattr(user, "_roles", None)
    if roles is None or roles.day != today:
        # One query for both: every page asks, and a second round trip cost as much as the
        # reading. Each row is (0, section id, its zone) for an office or (1, district id, "")
        # for a district.
        offices = (
            Officer.objects.open_on(today).filter(user=user).order_by()
            .annotate(kind=Value(0), zone=F("section__time_zone")).values_list("kind", "section_id", "zone")
        )
        districts = (
            DistrictCoordinator.objects.open_on(today).filter(user=user).order_by()
            .annotate(kind=Value(1), zone=Value("", output_field=CharField()))
            .values_list("kind", "district_id", "zone")
        )
        rows = list(offices.union(districts, all=True))
        sections = sorted((pk, zone) for kind, pk, zone in rows if kind == 0)
        roles = Roles(
            day=today,
            section_ids=frozenset(pk for pk, _zone in sections),
            district_ids=frozenset(pk for kind, pk, _zone in rows if kind == 1),
            section_zone=str(sections[0][1]) if sections else "",
        )
        user._roles = roles
    return roles


def is_society_admin(user) -> bool:
    """The one question every app asks before letting a user act as a society admin: see
    twinning.models.User.is_society_admin. Staff status alone answers no."""
    return user.is_authenticated and user.is_society_admin


def officer_section_ids(user) -> frozenset[int]:
    return roles_of(user).section_ids


def coordinated_district_ids(user) -> frozenset[int]:
    return roles_of(user).district_ids


def can_edit_section(user, section: Section) -> bool:
    return section.pk in officer_section_ids(user)


def can_see_contacts(user, section: Section) -> bool:
    """Officers' email addresses: the section's own officers, its coordinators, society admins."""
    if not user.is_authenticated:
        return False
    if is_society_admin(user):
        return True
    return section.pk in officer_section_ids(user) or section.district_id in coordinated_district_ids(
        user
    )


def get_section_for_edit(user, slug: str) -> Section:
    """The section if `user` may change it; 404 otherwise, so nobody learns more."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    if not can_edit_section(user, section):
        raise Http404("No section found.")
    return section


def get_section_private(user, slug: str) -> tuple[Section, bool]:
    """A section's private pages (readiness, partner finder): the section and whether `user`
    may act there. Its officers act; its district's coordinators and society admins read;
    others 404."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    if section.pk in officer_section_ids(user):
        return section, True
    if section.district_id in coordinated_district_ids(user) or is_society_admin(user):
        return section, False
    raise Http404("No section found.")


def can_invite_to_section(user, section: Section) -> bool:
    """Invite to the section's offices, see its open invitations, re-send and revoke them."""
    if not user.is_authenticated:
        return False
    return (
        section.pk in officer_section_ids(user)
        or section.district_id in coordinated_district_ids(user)
        or is_society_admin(user)
    )


def can_invite_to_district(user, district) -> bool:
    """Invite someone to coordinate a district: the society's admins (in the admin)."""
    return is_society_admin(user)


def get_section_for_invitations(user, slug: str) -> Section:
    """The section if `user` may invite to it; 404 otherwise."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    if not can_invite_to_section(user, section):
        raise Http404("No section found.")
    return section
