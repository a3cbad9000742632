"""A NUL character in a request's parameters is answered 400, whatever the page."""

from __future__ import annotations

import pytest

from sections.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_link_is_a_bad_request_not_a_server_error(client):
    officer = OfficerFactory()
    client.force_login(officer.user)

    response = client.get(f"/partnerships/propose/{officer.section.slug}/", {"partner": "\x00"})

    assert response.status_code == 400


def test_a_nul_character_in_a_posted_field_is_a_bad_request(client):
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})

    assert response.status_code == 400


def test_ordinary_parameters_pass(client):
    officer = OfficerFactory()
    client.force_login(officer.user)

    assert client.get("/lessons/", {"q": "São Paulo"}).status_code == 200
