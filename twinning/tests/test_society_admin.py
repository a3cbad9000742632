"""Society-admin rights come from a permission the admin grants (the "Society admins" group),
not from staff status, which only opens the admin site (issue 12)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from twinning.models import SOCIETY_ADMINS_GROUP

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission() -> Permission:
    return Permission.objects.get(content_type__app_label="twinning", codename="act_as_society_admin")


@pytest.fixture
def people() -> dict:
    direct = UserFactory(is_staff=True)
    direct.user_permissions.add(_permission())
    both = UserFactory(society_admin=True)
    both.user_permissions.add(_permission())
    not_staff = UserFactory()
    not_staff.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))
    return {
        "member": (UserFactory(), False),
        "staff": (UserFactory(is_staff=True), False),
        "group": (UserFactory(society_admin=True), True),
        "direct": (direct, True),
        "both": (both, True),
        # The permission without staff status: the admin has not made them an admin.
        "not_staff": (not_staff, False),
        "superuser": (UserFactory(is_staff=True, is_superuser=True), True),
        "inactive": (UserFactory(society_admin=True, is_active=False), False),
        "inactive_superuser": (UserFactory(is_staff=True, is_superuser=True, is_active=False), False),
    }


def test_only_staff_granted_the_permission_and_superusers_are_society_admins(people):
    User = get_user_model()
    answers = {name: User.objects.get(pk=user.pk).is_society_admin for name, (user, _expected) in people.items()}

    assert answers == {name: expected for name, (_user, expected) in people.items()}


def test_the_society_admins_queryset_lists_each_of_them_once(people):
    expected = sorted(user.email for user, is_admin in people.values() if is_admin)

    assert sorted(get_user_model().objects.society_admins().values_list("email", flat=True)) == expected


def test_leaving_the_group_takes_the_rights_away():
    user = UserFactory(society_admin=True)
    user.groups.clear()

    assert get_user_model().objects.get(pk=user.pk).is_society_admin is False
    assert not get_user_model().objects.society_admins().exists()


def test_asking_twice_reads_the_permissions_once(django_assert_num_queries):
    user = get_user_model().objects.get(pk=UserFactory(society_admin=True).pk)

    with django_assert_num_queries(2):  # the user's own permissions, then their groups'
        assert user.is_society_admin
        assert user.is_society_admin
