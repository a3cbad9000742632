"""The profile's forms: name, language and time zone; a new email address confirmed by a
link to it; how the user hears of each kind of notice. Hostile input gives field errors."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from twinning.accounts import email_change_token
from twinning.models import Delivery, NoticeKind, NoticePreference, OutgoingMail, User
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(client):
    user = UserFactory(full_name="Ann Alpha", email="ann@example.org")
    client.force_login(user)
    return user


def details(client, **data):
    fields = {"full_name": "Ann Alpha", "language": "", "time_zone": "", **data}
    return client.post(reverse("profile_details"), {f"profile-{key}": value for key, value in fields.items()})


def errors(response) -> str:
    assert response.status_code == 200
    # The field errors on the page as crispy renders them (id="error_1_id_<field>").
    found = re.findall(r'id="error_\d+_id_([\w-]+)"[^>]*>\s*<strong>([^<]+)', response.content.decode())
    return " ".join(f"{field}: {message}" for field, message in found)


def test_name_language_and_time_zone_are_saved(client, ann):
    response = details(client, full_name="Ann  Alpha-Beta", language="en", time_zone="Asia/Tokyo")
    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.full_name, ann.language, ann.time_zone) == ("Ann  Alpha-Beta", "en", "Asia/Tokyo")
    page = client.get(reverse("profile")).content.decode()
    assert 'value="Asia/Tokyo" selected' in page


@pytest.mark.parametrize(("data", "message"), [
    ({"full_name": ""}, "This field is required."),
    ({"full_name": "x" * 151}, "Ensure this value has at most 150 characters"),
    ({"full_name": "Ann\x00"}, "control character U+0000"),
    ({"full_name": "Ann\x07Alpha"}, "control character U+0007"),
    ({"language": "xx"}, "Select a valid choice."),
    ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice."),
    ({"time_zone": "<script>"}, "Select a valid choice."),
])
def test_hostile_profile_input_gives_field_errors(client, ann, data, message):
    response = details(client, **data)
    found = errors(response)
    assert found
    assert message in found
    ann.refresh_from_db()
    assert (ann.full_name, ann.language, ann.time_zone) == ("Ann Alpha", "", "")


def test_a_new_address_changes_only_when_the_link_sent_to_it_is_followed(client, ann, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profile_email"), {"email-email": "Ann.New@Example.net"})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.email == "ann@example.org"
    [message] = mail.outbox
    assert message.to == ["ann.new@example.net"]
    link = re.search(r"http://\S+/accounts/profile/email/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")
    assert "ann.new@example.net" in page.content.decode()
    ann.refresh_from_db()
    assert ann.email == "ann@example.org"  # a GET changes nothing

    assert client.post(f"/{path}").status_code == 302
    ann.refresh_from_db()
    assert ann.email == "ann.new@example.net"
    # The link worked once.
    assert "used already" in client.post(f"/{path}").content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"email-email": ""}, "This field is required."),
    ({"email-email": "not an address"}, "Enter a valid email address."),
    ({"email-email": "ANN@example.org"}, "That is already your address."),
    ({"email-email": "ben@example.org"}, "Another account uses that address."),
    ({"email-email": "a" * 250 + "@example.org"}, "Ensure this value has at most 254 characters"),
])
def test_hostile_or_taken_addresses_give_field_errors(client, ann, data, message):
    UserFactory(email="ben@example.org")
    assert message in errors(client.post(reverse("profile_email"), data))
    assert not OutgoingMail.objects.filter(template_name="twinning/email/email_change").exists()


def test_an_expired_forged_or_foreign_link_explains_itself_and_changes_nothing(client, ann):
    ben = UserFactory(email="ben@example.org")
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=4)):
        old = email_change_token(user=ann, new_email="old@example.net")
    cases = {
        old: "expired",
        "forged": "not valid",
        email_change_token(user=ben, new_email="ben.new@example.net"): "for another account",
    }
    for token, why in cases.items():
        response = client.post(reverse("profile_email_confirm", args=[token]))
        assert response.status_code == 200
        assert why in response.content.decode()
    assert set(User.objects.values_list("email", flat=True)) == {"ann@example.org", "ben@example.org"}


def test_an_address_taken_meanwhile_is_refused_at_confirmation(client, ann):
    token = email_change_token(user=ann, new_email="new@example.net")
    UserFactory(email="new@example.net")
    assert "Another account uses that address now." in client.post(
        reverse("profile_email_confirm", args=[token])
    ).content.decode()
    ann.refresh_from_db()
    assert ann.email == "ann@example.org"


def test_preferences_are_saved_and_an_email_at_once_needs_no_row(client, ann):
    data = {f"notices-{kind}": Delivery.IMMEDIATE for kind in ("transitions", "escalations", "digests", "recognition")}
    data["notices-reminders"] = Delivery.DAILY
    data["notices-digests"] = Delivery.INBOX
    assert client.post(reverse("profile_notices"), data).status_code == 302
    assert set(NoticePreference.objects.filter(user=ann).values_list("kind", "delivery")) == {
        (NoticeKind.REMINDERS, Delivery.DAILY), (NoticeKind.DIGESTS, Delivery.INBOX),
    }
    page = client.get(reverse("profile")).content.decode()
    assert re.search(r'name="notices-digests" value="inbox"[^>]*checked', page)


@pytest.mark.parametrize("data", [
    {},
    {"notices-transitions": "never"},
    {"notices-account": "inbox"},
])
def test_hostile_preferences_give_field_errors(client, ann, data):
    base = {f"notices-{kind}": Delivery.IMMEDIATE for kind in ("reminders", "escalations", "digests", "recognition")}
    response = client.post(reverse("profile_notices"), {**base, **data})
    if data.get("notices-account"):
        # A field the form does not have is ignored; account mail cannot be switched.
        assert "This field is required." in errors(response)
    else:
        assert errors(response)
    assert not NoticePreference.objects.exists()
