"""Who may see and change what in sections/. Every view asks here.

- any signed-in user reads the directory and section profiles (finding a partner
  means looking beyond your own district);
- an officer changes only the sections where they hold an open office;
- a district coordinator reads everything in their districts, including the
  officers' contact details;
- society admins (staff) work in the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import District, DistrictCoordinator, Officer, Section


def officer_section_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Officer.objects.open_now().filter(user=user).values_list("section_id", flat=True))


def coordinated_district_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        DistrictCoordinator.objects.open_now().filter(user=user).values_list("district_id", flat=True)
    )


def can_edit_section(user, section: Section) -> bool:
    return section.pk in officer_section_ids(user)


def can_see_contacts(user, section: Section) -> bool:
    """Officers' email addresses: the section's own officers, its coordinators, staff."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return section.pk in officer_section_ids(user) or section.district_id in coordinated_district_ids(
        user
    )


def sections_editable_by(user) -> QuerySet[Section]:
    return Section.objects.filter(pk__in=officer_section_ids(user))


def districts_coordinated_by(user) -> QuerySet[District]:
    return District.objects.filter(pk__in=coordinated_district_ids(user))


def get_section_for_edit(user, slug: str) -> Section:
    """The section if `user` may change it; 404 otherwise, so nobody learns more."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    if not can_edit_section(user, section):
        raise Http404("No section found.")
    return section


def get_section_private(user, slug: str) -> tuple[Section, bool]:
    """A section's private pages (readiness, partner finder): the section and whether `user`
    may act there. Its officers act; its district's coordinators and staff read; others 404."""
    section = get_object_or_404(Section.objects.select_related("district"), slug=slug)
    if section.pk in officer_section_ids(user):
        return section, True
    if user.is_staff or section.district_id in coordinated_district_ids(user):
        return section, False
    raise Http404("No section found.")
