"""Sections are typed, not picked: the autocomplete's JSON and the field that resolves what was
typed (sections.forms.SectionChoiceField), as the partnership list and the propose form use them."""

from __future__ import annotations

import pytest
from django import forms

from sections.forms import SectionChoiceField, SectionMultipleChoiceField
from sections.models import Section
from sections.tests.factories import SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class OneSection(forms.Form):
    section = SectionChoiceField()


class SeveralSections(forms.Form):
    sections = SectionMultipleChoiceField(required=False, label="Sections")


@pytest.fixture
def lyons(db) -> tuple[Section, Section, Section]:
    return (
        SectionFactory(name="Lyon", slug="lyon-fr", city="Lyon", country="FR"),
        SectionFactory(name="Lyon", slug="lyon-us", city="Lyons", country="US"),
        SectionFactory(name="Lyon Student Section", slug="lyon-students", city="Lyon", country="FR"),
    )


def _cleaned(form_class, data) -> forms.Form:
    form = form_class(data)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("lyon-fr", "lyon-fr"),  # its address name
        ("Lyon (Lyons, United States of America)", "lyon-us"),  # the label the autocomplete writes
        ("  lyon   (lyon, france) ", "lyon-fr"),  # as typed by hand
        ("lyon student section", "lyon-students"),  # its whole name, in any case
        ("Student", "lyon-students"),  # part of one section's name only
    ],
)
def test_a_typed_section_is_resolved(lyons, typed, slug):
    form = _cleaned(OneSection, {"section": typed})
    assert form.errors == {}
    assert form.cleaned_data["section"].slug == slug


def test_a_name_several_sections_share_is_a_form_error_naming_them(lyons):
    form = _cleaned(OneSection, {"section": "Lyon"})
    assert form.errors["section"] == [
        "Several sections match “Lyon”: Lyon (Lyon, France); Lyon (Lyons, United States of America). "
        "Type one of these as written."
    ]


def test_a_name_no_section_has_is_a_form_error(lyons):
    form = _cleaned(OneSection, {"section": "Lima"})
    assert form.errors["section"][0].startswith("No section matches “Lima”.")


def test_a_section_outside_the_fields_sections_is_not_found(lyons):
    field = SectionChoiceField(queryset=Section.objects.exclude(slug="lyon-fr"))
    with pytest.raises(forms.ValidationError, match="No section matches"):
        field.clean("lyon-fr")


def test_several_typed_sections_each_resolved_once(lyons):
    form = _cleaned(SeveralSections, {"sections": ["lyon-us", "", "Student", "lyon-us"]})
    assert [section.slug for section in form.cleaned_data["sections"]] == ["lyon-us", "lyon-students"]
    assert "Several sections match" in str(_cleaned(SeveralSections, {"sections": ["Lyon"]}).errors)


def test_several_sections_render_one_input_each_and_two_empty(lyons):
    html = str(SeveralSections(initial={"sections": [lyons[1]]})["sections"])
    assert html.count('name="sections"') == 3
    assert 'value="Lyon (Lyons, United States of America)"' in html
    assert 'aria-label="Sections (2)"' in html


def test_autocomplete_lists_matching_sections_by_name_with_their_place(client, lyons, django_assert_num_queries):
    SectionFactory(name="Madrid", slug="madrid", city="Madrid", country="ES")
    client.force_login(UserFactory())
    client.get("/sections/autocomplete.json?q=x")  # the session, once
    # The session, the user, the sections.
    with django_assert_num_queries(3):
        response = client.get("/sections/autocomplete.json", {"q": "lyon"})
    assert response.json() == {"results": [
        {"slug": "lyon-fr", "label": "Lyon (Lyon, France)"},
        {"slug": "lyon-us", "label": "Lyon (Lyons, United States of America)"},
        {"slug": "lyon-students", "label": "Lyon Student Section (Lyon, France)"},
    ]}
    assert client.get("/sections/autocomplete.json", {"q": "MADR"}).json()["results"][0]["slug"] == "madrid"
    assert client.get("/sections/autocomplete.json", {"q": " "}).json() == {"results": []}


def test_autocomplete_offers_at_most_twenty(client):
    for number in range(25):
        SectionFactory(name=f"Delta {number:02}")
    client.force_login(UserFactory())
    results = client.get("/sections/autocomplete.json", {"q": "delta"}).json()["results"]
    assert [result["label"].split(" (")[0] for result in results] == [f"Delta {number:02}" for number in range(20)]


def test_autocomplete_is_for_signed_in_users_and_read_only(client):
    assert client.get("/sections/autocomplete.json?q=a").status_code == 302
    client.force_login(UserFactory())
    assert client.post("/sections/autocomplete.json?q=a").status_code == 405
