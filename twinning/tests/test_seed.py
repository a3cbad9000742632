"""`seed_demo` builds the demo society, and running it again changes nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sections.demo import DEMO_PASSWORD
from sections.models import District, DistrictCoordinator, Officer, Section

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "districts": District.objects.count(),
        "sections": Section.objects.count(),
        "officers": Officer.objects.count(),
        "coordinators": DistrictCoordinator.objects.count(),
        "section interests": Section.interests.through.objects.count(),
        "section languages": Section.working_languages.through.objects.count(),
    }


def test_seeding_twice_leaves_the_same_records():
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert all(first.values()), first


def test_the_demo_society_is_varied_enough_to_show_the_directory():
    seed()

    sections = Section.objects.all()
    assert District.objects.count() >= 3
    assert sections.count() >= 12
    assert len(set(sections.values_list("country", flat=True))) >= 6
    assert set(sections.values_list("kind", flat=True)) == set(Section.Kind.values)
    assert set(sections.values_list("maturity", flat=True)) == set(Section.Maturity.values)
    assert sections.filter(seeking_partner=True).exists()
    assert sections.filter(seeking_partner=False).exists()
    # Every district has sections and a coordinator; every section has an officer now.
    assert not District.objects.filter(sections__isnull=True).exists()
    assert not District.objects.filter(coordinators__isnull=True).exists()
    assert all(Officer.objects.open_now().filter(section=section).exists() for section in sections)


def test_the_demo_logins_it_prints_can_log_in(client):
    output = seed()

    assert "Demo society ready." in output
    assert DEMO_PASSWORD in output
    emails = re.findall(r"^\s+(\S+@\S+)\s", output, flags=re.MULTILINE)
    assert len(emails) >= 3
    assert "admin@example.org" in emails
    for email in emails:
        assert client.login(username=email, password=DEMO_PASSWORD), f"{email} cannot log in"
        client.logout()


def test_the_demo_admin_login_reaches_the_admin_site(client):
    seed()

    assert client.login(username="admin@example.org", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_seeding_again_keeps_a_password_the_user_has_changed():
    seed()
    user = get_user_model().objects.get(email="officer@example.org")
    user.set_password("a-new-and-private-password")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password("a-new-and-private-password")


def test_seeding_can_run_quietly():
    output = seed_quietly()

    assert "Demo society ready." in output
    assert "@example.org" not in output


def seed_quietly() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    return out.getvalue()
