"""The proposal asks each chosen form of twinning its own questions, explains each form in a
sentence, keeps the answers as records (FormIntent) and shows them to the partner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import FormIntent, Partnership
from sections.models import Section, TwinningForm

pytestmark = pytest.mark.django_db


def _form_ids(*codes):
    return [str(pk) for pk in TwinningForm.objects.filter(code__in=codes).values_list("pk", flat=True)]


def _post(world, *codes, **answers):
    data = {
        "partner": world.b.pk,
        "title": "Alpha and Beta",
        "purpose": "Grow both sections.",
        "twinning_forms": _form_ids(*codes),
        "start_date": "2026-01-01",
        "planned_end_date": "2027-06-30",
        "our_gives": "Speakers",
        "our_gains": "Student hosts",
        "submit": "Send the proposal",
    }
    data.update(answers)
    return data


def _propose_url(world):
    return reverse("partnerships:propose", args=[world.a.slug])


def test_the_form_explains_each_form_of_twinning_in_a_sentence(world, client):
    client.force_login(world.officer_a)
    page = client.get(_propose_url(world)).content.decode()
    for form in TwinningForm.objects.all():
        assert form.description.count(". ") == 0 and form.description.endswith(".")
        assert form.description.replace("'", "&#x27;") in page
    assert "Only if you chose “Financial support”" in page
    assert 'data-questions-for="financial-support"' in page
    assert "js/form-questions.js" in page
