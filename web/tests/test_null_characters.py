"""A NUL character in a query string is answered 400, whatever the page; in a posted form
it is a field error, and the form comes back with what was typed."""

from __future__ import annotations

import pytest

from sections.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_link_is_a_bad_request_not_a_server_error(client):
    officer = OfficerFactory()
    client.force_login(officer.user)

    response = client.get(f"/partnerships/propose/{officer.section.slug}/", {"partner": "\x00"})

    assert response.status_code == 400


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "form%00=x", "page=1%00"])
def test_a_nul_character_in_the_lessons_filters_is_a_bad_request(client, query):
    client.force_login(OfficerFactory().user)

    assert client.get(f"/lessons/?{query}").status_code == 400


def test_a_nul_character_in_a_posted_field_is_a_field_error_that_keeps_the_form(client):
    response = client.post("/accounts/login/", {"username": "someone\x00@example.org", "password": "x"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_ordinary_parameters_pass(client):
    officer = OfficerFactory()
    client.force_login(officer.user)

    assert client.get("/lessons/", {"q": "São Paulo"}).status_code == 200
