"""Reference data that admins edit is shown in the reader's language, with English where a
translation is missing; the admin edits each language beside the English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sections.models import Language, TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory, TechnicalInterestFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    section = SectionFactory()
    section.offers_forms.set([TwinningForm.objects.get(code=TwinningForm.Code.FINANCIAL_SUPPORT)])
    section.interests.set([TechnicalInterestFactory(name="Drilling automation",
                                                    translations={"es": {"name": "Automatización de perforación"}})])
    section.working_languages.set([Language.objects.get_or_create(code="de", defaults={"name": "German"})[0]])
    return section


def page_for(client, section, language: str) -> str:
    client.force_login(UserFactory(language=language))
    return client.get(reverse("sections:detail", args=[section.slug])).content.decode()


def test_a_spanish_reader_sees_the_spanish_words(client, section):
    page = page_for(client, section, "es")
    assert "Apoyo económico" in page and "Financial support" not in page
    assert "Automatización de perforación" in page and "Drilling automation" not in page
    # The working language named by Django's own catalog.
    assert "Alemán" in page or "alemán" in page


def test_english_where_a_language_has_no_translation(client, section):
    page = page_for(client, section, "fr")
    # The form of twinning has French words; the interest has none: its English name shows.
    assert "Soutien financier" in page
    assert "Drilling automation" in page


def test_an_english_reader_sees_the_english(client, section):
    page = page_for(client, section, "en")
    assert "Financial support" in page and "Drilling automation" in page


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_edits_each_language_beside_the_english(admin_client):
    form = TwinningForm.objects.get(code=TwinningForm.Code.STUDENT_EXCHANGE)
    url = reverse("admin:sections_twinningform_change", args=[form.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="name__es"' in page and 'lang="es"' in page

    response = admin_client.post(url, {
        "name": "Student exchange", "description": form.description, "position": form.position,
        "name__es": "Intercambio de estudiantes", "description__es": "",
        "name__fr": "", "description__fr": "", "name__pt": "Intercâmbio de estudantes", "description__pt": "",
    })

    assert response.status_code == 302
    form.refresh_from_db()
    assert form.name == "Student exchange"
    # An empty field removes that translation; French now falls back to English.
    assert form.translations == {"es": {"name": "Intercambio de estudiantes"}, "pt": {"name": "Intercâmbio de estudantes"}}
