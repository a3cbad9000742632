import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from sections.models import Society
from twinning.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    UserFactory(email="ana@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model()(email="Ana@Example.org", full_name="Ana again").save()


def test_login_by_email_ignores_case(client):
    UserFactory(email="ana@example.org", full_name="Ana Silva")
    response = client.post(
        "/accounts/login/", {"username": "ANA@example.org", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert "Welcome, Ana" in response.content.decode()


def test_wrong_password_shows_an_error_and_logs_nobody_in(client):
    UserFactory(email="ana@example.org")
    response = client.post("/accounts/login/", {"username": "ana@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "another-long-pass", "new_password2": "another-long-pass"},
        follow=True,
    )
    assert "Your password was changed" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("another-long-pass")


def test_logging_in_says_so(client):
    UserFactory(email="ana@example.org")

    response = client.post("/accounts/login/", {"username": "ana@example.org", "password": PASSWORD}, follow=True)

    assert "You are logged in." in response.content.decode()


def test_logging_out_says_so(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/", follow=True)

    assert not response.context["user"].is_authenticated
    assert "You are logged out." in response.content.decode()


def test_a_form_posted_without_its_csrf_token_says_the_form_expired():
    from django.test import Client

    UserFactory(email="ana@example.org")
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "Reload the page and try again." in page
    assert not client.session.get("_auth_user_id")


def test_the_admin_is_titled_with_the_society_name(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/").content.decode()

    assert "ISA Twinning administration" in page
    assert "Society administration" in page


def test_the_navigation_says_who_is_signed_in_and_links_to_change_the_password(client):
    client.force_login(UserFactory(full_name="Ana Silva"))

    page = client.get("/").content.decode()

    assert "Signed in as Ana Silva" in page
    assert '<a class="nav-link" href="/accounts/password_change/">Change password</a>' in page


def test_the_landing_page_shows_the_societys_own_words_and_contact(client):
    Society.objects.update_or_create(
        singleton=True, defaults={"name": "ISA", "about": "Twin with a section abroad.", "contact_email": "twinning@isa.example"}
    )
    page = client.get("/").content.decode()
    assert "Twin with a section abroad." in page
    assert "mailto:twinning@isa.example" in page
