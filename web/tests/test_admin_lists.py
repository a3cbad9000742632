"""Every changelist of the project's admin answers, searched and filtered by date, as a
superuser: the searches through foreign keys (twinning.admin.RelatedSearch) and the date
filters that replaced the date hierarchies."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"twinning", "sections", "partnerships", "evaluation", "recognition", "web"}
CHANGELISTS = sorted(
    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for model in admin.site._registry
    if model._meta.app_label in PROJECT_APPS
)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_answers_searched_and_unsearched(client, url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 200
    assert client.get(url, {"q": 'harbour "old town"'}).status_code == 200


def test_a_search_through_foreign_keys_finds_by_each_related_table(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    by_section = OfficerFactory(section=SectionFactory(name="Harbour City"), user=UserFactory(full_name="Ann Lee"))
    by_person = OfficerFactory(user=UserFactory(full_name="Bo Harbourside"))
    neither = OfficerFactory(user=UserFactory(full_name="Cy Inland"))

    page = client.get("/admin/sections/officer/", {"q": "harbour"}).content.decode()

    for officer in (by_section, by_person):
        assert page.count(reverse("admin:sections_officer_change", args=[officer.pk])) == 1
    assert reverse("admin:sections_officer_change", args=[neither.pk]) not in page
