"""Who may open which dashboard: the one access object of the web layer's pages.

- a district coordinator opens the district dashboard of each district they coordinate
  today, and no other (another district answers 404, as another user's records do);
- society admins (sections.permissions.is_society_admin, a right the admin grants; staff
  status alone is none) open every district's dashboard and the society dashboard;
- officers and members have their home page, with their own partnerships, and no dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from sections.models import District, DistrictCoordinator
from sections.permissions import is_society_admin, roles_of


@dataclass(frozen=True)
class DashboardAccess:
    society_admin: bool
    district_ids: frozenset[int]

    @property
    def may_see_districts(self) -> bool:
        return self.society_admin or bool(self.district_ids)

    @property
    def may_see_society(self) -> bool:
        return self.society_admin

    def may_see_district(self, district: District) -> bool:
        return self.society_admin or district.pk in self.district_ids

    def may_endorse_for(self, district: District) -> bool:
        """Whether this user gives `district`'s endorsements (the partnership access rule): its
        coordinator in office, or a society admin where it has no active coordinator in office.
        Society admins see every district's dashboard but endorse only for the uncovered ones."""
        if district.pk in self.district_ids:
            return True
        return self.society_admin and not DistrictCoordinator.objects.open_now().filter(
            district=district, user__is_active=True
        ).exists()

    def districts(self):
        """The districts this user may pick on the district dashboard, by code."""
        districts = District.objects.order_by("code")
        return districts if self.society_admin else districts.filter(pk__in=self.district_ids)


def dashboard_access(user) -> DashboardAccess:
    if not user.is_authenticated:
        return DashboardAccess(society_admin=False, district_ids=frozenset())
    return DashboardAccess(society_admin=is_society_admin(user), district_ids=roles_of(user).district_ids)


def get_district_for_dashboard(user, code: str | None) -> tuple[District, DashboardAccess]:
    """The district whose dashboard `user` asks for (their first when `code` is empty);
    404 when they may not see it or have no dashboard at all."""
    access = dashboard_access(user)
    if not access.may_see_districts:
        raise Http404("No dashboard for this user.")
    districts = access.districts()
    if code:
        return get_object_or_404(districts, code=code), access
    district = districts.first()
    if district is None:
        raise Http404("No districts.")
    return district, access
