"""Password reset: the same answer after the same work for any address, the link mailed through
the queued mail path to accounts only, and throttles per client address and per email address."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from twinning.models import OutgoingMail
from twinning.tests.concurrency import at_the_same_moment
from twinning.tests.factories import UserFactory
from twinning.tests.test_settings import SERVICES, random_secret_key, run_manage

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"
# The top of an hour: a client address's window (an hour) starts here, so waits read exactly.
NOW = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    # The limits a deployment sets from the environment; pinned so the tests read plainly.
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 10
    settings.PASSWORD_RESET_ADDRESS_WINDOW = datetime.timedelta(minutes=60)
    settings.PASSWORD_RESET_EMAIL_WINDOW = datetime.timedelta(minutes=15)
    settings.SITE_URL = "https://twinning.example.org"


def ask(client, email, address="10.0.0.1", **kwargs):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, **kwargs)


def link_in(message) -> str:
    return re.search(r"https://twinning\.example\.org(/accounts/reset/\S+)", message.body).group(1)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(client, django_capture_on_commit_callbacks):
    UserFactory(email="ana@example.org")
    seen = {}
    for email in ["ana@example.org", "nobody@example.org"]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
            response = ask(client, email)
        seen[email] = (response.status_code, response["Location"], response.content, [q["sql"] for q in queries], len(queued))

    assert seen["ana@example.org"] == seen["nobody@example.org"]
    status, location, _, statements, queued = seen["ana@example.org"]
    assert (status, location, queued) == (302, DONE, 1)
    # Whether an account uses the address is looked up by the worker, never during the request.
    assert statements == []


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_the_check_your_email_page_is_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="ana@example.org")
    known = ask(client, "ana@example.org", follow=True)
    unknown = ask(client, "nobody@example.org", follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    # Byte for byte, but for the CSRF token of the footer's language switcher, new on every page.
    assert without_csrf_token(known.content) == without_csrf_token(unknown.content)
    assert "If an account uses that address, a link to choose a new password is on its way." in known.content.decode()


def test_asking_for_a_reset_link_takes_no_database_query(client, django_assert_num_queries):
    UserFactory(email="ana@example.org")
    with django_assert_num_queries(0):
        assert ask(client, "ana@example.org").status_code == 302


def test_a_known_address_gets_its_link_through_the_queued_mail_path(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="ana@example.org", full_name="Ana Silva")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ANA@example.org ")

    stored = OutgoingMail.objects.get()
    assert (stored.template_name, stored.to, stored.status) == (
        "registration/email/password_reset", "ana@example.org", OutgoingMail.Status.SENT
    )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana@example.org"]
    assert message.subject == "Reset your ISA Twinning password"
    assert message.body.startswith("Hello Ana,")
    assert "The link works once, for 3 days." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://twinning.example.org{link_in(message)}"' in html


@pytest.mark.parametrize("account", [None, {"is_active": False}, {"password": None}])
def test_no_mail_without_an_active_account_that_has_a_password(client, mailoutbox, django_capture_on_commit_callbacks, account):
    if account is not None:
        UserFactory(email="ana@example.org", **account)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "ana@example.org")

    assert response["Location"] == DONE
    assert mailoutbox == []
    assert not OutgoingMail.objects.exists()


def test_the_link_in_the_mail_sets_a_new_password_once(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ana@example.org")

    form = client.get(link_in(mailoutbox[0]), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")
    again = client.get(link_in(mailoutbox[0]), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_the_subject_names_the_society(client, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.SOCIETY_NAME = "Guild of Automators"
    UserFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ana@example.org")

    assert mailoutbox[0].subject == "Reset your Guild of Automators Twinning password"


def test_one_email_address_gets_one_link_per_window_and_the_same_answer(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="ana@example.org")
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = ask(client, "ana@example.org")
        with django_capture_on_commit_callbacks(execute=True) as queued:
            # Another client address and another spelling: still the same email address.
            second = ask(client, "Ana@Example.org", address="10.0.0.2")
        assert (first.status_code, first["Location"]) == (second.status_code, second["Location"]) == (302, DONE)
        assert queued == []
        assert len(mailoutbox) == 1

    with time_machine.travel(NOW + datetime.timedelta(minutes=15, seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, "ana@example.org")
    assert len(mailoutbox) == 2
    assert OutgoingMail.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_five_requests_for_one_email_at_the_same_moment_send_one_link():
    UserFactory(email="ana@example.org")

    responses = at_the_same_moment(*[
        lambda n=n: Client().post(RESET, {"email": "ana@example.org"}, REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)
    ])

    assert [response["Location"] for response in responses] == [DONE] * 5
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.count() == 1


def test_an_unknown_address_is_throttled_like_a_known_one(client, django_capture_on_commit_callbacks):
    UserFactory(email="ana@example.org")
    queued = {}
    for email in ["ana@example.org", "nobody@example.org"]:
        queued[email] = []
        for _ in range(2):
            with django_capture_on_commit_callbacks() as callbacks:
                ask(client, email)
            queued[email].append(len(callbacks))
    assert queued["ana@example.org"] == queued["nobody@example.org"] == [1, 0]


def test_too_many_requests_from_one_client_address_answer_429_with_the_wait(client, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
    UserFactory(email="ana@example.org")
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        for n in range(3):
            assert ask(client, f"someone{n}@example.org").status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            refused = ask(client, "ana@example.org")

        assert refused.status_code == 429
        assert refused["Retry-After"] == str(40 * 60)
        page = refused.content.decode()
        assert "Too many requests for a new password" in page
        assert "Try again in 40 minutes." in page
        assert mailoutbox == []
        # Another client address is counted on its own.
        assert ask(client, "ana@example.org", address="10.0.0.2").status_code == 302
        # The form itself still shows.
        assert client.get(RESET, REMOTE_ADDR="10.0.0.1").status_code == 200

    with time_machine.travel(NOW + datetime.timedelta(minutes=60), tick=False):
        assert ask(client, "someone9@example.org").status_code == 302


def test_the_429_page_is_in_the_site_layout_and_leads_back_to_log_in(client, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    ask(client, "a@example.org")
    page = ask(client, "b@example.org").content.decode()
    assert '<a href="/accounts/login/">Back to log in</a>' in page
    assert "<html" in page and 'href="/stories/"' in page


def test_a_malformed_address_is_a_field_error_not_a_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "not an address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []


# --- The limits come from the environment -------------------------------------------------------

LIMITS_CODE = (
    "from django.conf import settings; "
    "print(settings.PASSWORD_RESET_ADDRESS_LIMIT, settings.PASSWORD_RESET_ADDRESS_WINDOW.total_seconds(), "
    "settings.PASSWORD_RESET_EMAIL_WINDOW.total_seconds())"
)


def test_reset_limits_default_to_ten_an_hour_per_address_and_one_link_per_quarter_hour():
    result = run_manage("shell", "-c", LIMITS_CODE, SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **SERVICES)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "10 3600.0 900.0"


def test_reset_limits_come_from_the_environment():
    result = run_manage(
        "shell", "-c", LIMITS_CODE,
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="twinning.example.org",
        PASSWORD_RESET_ADDRESS_LIMIT="3",
        PASSWORD_RESET_ADDRESS_WINDOW_MINUTES="30",
        PASSWORD_RESET_EMAIL_WINDOW_MINUTES="60",
        **SERVICES,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "3 1800.0 3600.0"


@pytest.mark.parametrize(
    "variable",
    ["PASSWORD_RESET_ADDRESS_LIMIT", "PASSWORD_RESET_ADDRESS_WINDOW_MINUTES", "PASSWORD_RESET_EMAIL_WINDOW_MINUTES"],
)
def test_a_reset_limit_below_one_stops_start_up(variable):
    result = run_manage(
        "check", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="twinning.example.org", **{variable: "0"}, **SERVICES
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
