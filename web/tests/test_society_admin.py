"""Staff is not a role (issue 12): staff status opens the admin site and nothing else. A staff
account without society-admin rights reads no partnership, officer contact or agreement that
a member could not; the "Society admins" group gives those rights."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from partnerships.tests.conftest import endorsed, make_ready
from twinning.models import SOCIETY_ADMINS_GROUP
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(world):
    return make_ready(world, endorsed(world))


def _seen(client, user, partnership, world) -> dict:
    """What `user` reaches of A–B's partnership, its agreement and its sections' officers."""
    client.force_login(user)
    document = client.get(f"/partnerships/{partnership.pk}/agreement/document/")
    home = client.get("/").content.decode()
    return {
        "partnership": client.get(f"/partnerships/{partnership.pk}/").status_code,
        "agreement": (document.status_code, b"".join(document.streaming_content)[:4] if document.status_code == 200 else b""),
        "contacts": world.officer_a.email in client.get(f"/sections/{world.a.slug}/").content.decode(),
        "list": partnership.title in client.get("/partnerships/").content.decode(),
        "readiness": client.get(f"/sections/{world.a.slug}/readiness/").status_code,
        "district_dashboard": client.get("/dashboard/?district=da").status_code,
        "society_dashboard": client.get("/dashboard/society/").status_code,
        "home_admin_card": "Open the society dashboard" in home,
        "admin_link": 'href="/admin/"' in home,
    }


MEMBER = {
    "partnership": 404, "agreement": (404, b""), "contacts": False, "list": False, "readiness": 404,
    "district_dashboard": 404, "society_dashboard": 404, "home_admin_card": False,
}
SOCIETY_ADMIN = {
    "partnership": 200, "agreement": (200, b"%PDF"), "contacts": True, "list": True, "readiness": 200,
    "district_dashboard": 200, "society_dashboard": 200, "home_admin_card": True,
}


def test_staff_without_the_permission_see_what_a_member_sees(client, world, partnership):
    staff = UserFactory(is_staff=True)

    assert _seen(client, staff, partnership, world) == {**MEMBER, "admin_link": True}
    assert _seen(client, world.outsider, partnership, world) == {**MEMBER, "admin_link": False}


def test_the_society_admins_group_gives_the_rights(client, world, partnership):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))

    assert _seen(client, staff, partnership, world) == {**SOCIETY_ADMIN, "admin_link": True}


def test_a_society_admin_removed_from_the_group_loses_the_rights(client, world, partnership):
    admin = UserFactory(society_admin=True)
    admin.groups.clear()

    assert _seen(client, admin, partnership, world) == {**MEMBER, "admin_link": True}


def test_the_group_grants_the_role_and_running_the_programme_but_not_raising_rights():
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=SOCIETY_ADMINS_GROUP).permissions.select_related("content_type")
    }

    assert {
        "twinning.act_as_society_admin", "sections.change_section", "sections.add_officer",
        "partnerships.view_partnership", "recognition.change_pointrule", "evaluation.change_monitoringsettings",
        "django_celery_beat.change_periodictask", "axes.delete_accessattempt", "twinning.view_user",
    } <= granted
    # Whoever may change users, groups or permissions could make themselves a superuser.
    assert not {p for p in granted if p.startswith("auth.") or p in {"twinning.change_user", "twinning.add_user"}}
    assert "partnerships.delete_partnership" not in granted
