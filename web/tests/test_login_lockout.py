"""Repeated failed log-ins lock the account and the address for a while (django-axes)."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone

from twinning.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _lockout(settings):
    # The limits a deployment sets from the environment; pinned so the tests read plainly.
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]


def fail(client, email, times, url=LOGIN, address="10.0.0.1"):
    for _ in range(times):
        client.post(url, {"username": email, "password": "wrong"}, REMOTE_ADDR=address)


def log_in(client, email, url=LOGIN, address="10.0.0.1"):
    return client.post(url, {"username": email, "password": PASSWORD}, REMOTE_ADDR=address)


def assert_locked_out(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Log-in paused" in page
    assert "Try again in 15 minutes." in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in response.wsgi_request.session


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client):
    UserFactory(email="ana@example.org")
    fail(client, "ana@example.org", 4)
    assert log_in(client, "ana@example.org", address="10.0.0.9").status_code == 302
    client.logout()

    fail(client, "ana@example.org", 5)
    # From another address, and typed in capitals: the same account, still refused.
    assert_locked_out(log_in(client, "ANA@Example.org ", address="10.0.0.2"))


def test_the_locked_page_is_in_the_site_layout(client):
    UserFactory(email="ana@example.org")
    fail(client, "ana@example.org", 5)
    page = log_in(client, "ana@example.org").content.decode()
    assert 'href="/stories/"' in page or ">Stories<" in page
    assert '<a href="/accounts/password_reset/">Set a new password</a>' in page


def test_failures_from_one_address_lock_other_accounts_from_it(client):
    UserFactory(email="ana@example.org")
    UserFactory(email="ben@example.org")
    for email in ["a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"]:
        fail(client, email, 1, address="10.0.0.7")

    assert_locked_out(log_in(client, "ben@example.org", address="10.0.0.7"))
    # The accounts themselves are not locked: from elsewhere Ana logs in.
    assert log_in(client, "ana@example.org", address="10.0.0.8").status_code == 302


def test_the_admin_login_locks_too(client):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    fail(client, "root@example.org", 5, url=ADMIN_LOGIN)
    response = log_in(client, "root@example.org", url=ADMIN_LOGIN)
    assert_locked_out(response)
    # Failures on either form count for the same account.
    assert_locked_out(log_in(client, "root@example.org", url=LOGIN, address="10.0.0.3"))


def test_the_lockout_ends_after_the_cool_off(client):
    UserFactory(email="ana@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, "ana@example.org", 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert log_in(client, "ana@example.org").status_code == 429
    # That refused attempt started the wait again: 15 minutes from minute 14.
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert log_in(client, "ana@example.org").status_code == 429
    with time_machine.travel(start + timedelta(minutes=44), tick=False):
        response = log_in(client, "ana@example.org")
    assert response.status_code == 302
    assert response.wsgi_request.user.email == "ana@example.org"


def test_an_admin_unlocks_an_account_by_deleting_its_attempts(client):
    UserFactory(email="ana@example.org")
    fail(client, "ana@example.org", 5)
    assert AccessAttempt.objects.filter(username="ana@example.org").exists()

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    assert "ana@example.org" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="ana@example.org")
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()

    assert log_in(client, "ana@example.org").status_code == 302


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_wrote(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR"]
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    UserFactory(email="ana@example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        # An attacker varying a forged first entry is still one address.
        client.post(
            LOGIN,
            {"username": f"x{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
            **proxy,
        )
    attacker = client.post(
        LOGIN, {"username": "y@example.org", "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )
    assert attacker.status_code == 429
    # Someone else behind the same proxy is not locked out.
    other = client.post(
        LOGIN, {"username": "ana@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
    )
    assert other.status_code == 302


OVERLONG_EMAIL = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "org"


def test_an_overlong_email_is_a_form_error_not_a_server_error(client):
    response = client.post(LOGIN, {"username": OVERLONG_EMAIL, "password": "wrong"})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


def test_an_overlong_email_on_the_admin_login_is_counted_not_a_server_error(client):
    for _ in range(4):
        response = client.post(ADMIN_LOGIN, {"username": OVERLONG_EMAIL, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter the correct" in response.content.decode()
    # The fifth failure reaches the limit and is answered with the lockout page.
    assert client.post(ADMIN_LOGIN, {"username": OVERLONG_EMAIL, "password": "wrong"}).status_code == 429
