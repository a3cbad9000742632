import json

import pytest

from twinning.celery import app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.fixture
def unreachable_broker():
    # A real connection attempt to a port where nothing listens.
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original


def test_healthz_answers_503_when_the_broker_is_down(client, unreachable_broker):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["broker"] == "unreachable"
    assert body["database"] == "ok"


def test_healthz_answers_a_head_request(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_redirected_to_https_when_other_pages_are(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
