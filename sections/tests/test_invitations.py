"""Invitations: an officer or coordinator invites someone to a section's office, the invitee's
link creates (or links) the account and starts the office, once, before it expires."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sections import services
from sections.models import DistrictCoordinator, Invitation, Officer
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.models import OutgoingMail
from twinning.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105 - test fixture
SOON = object()  # tomorrow, in a form's data
LINK = re.compile(r"/accounts/invitation/([\w-]+)/")


@pytest.fixture
def chair():
    return OfficerFactory(role=Officer.Role.CHAIR, start_date=datetime.date(2024, 1, 1))


def invite(chair, email="tess@example.org", role=Officer.Role.TREASURER, start_date=None, **kwargs) -> tuple[Invitation, str]:
    """Invite through the service; the invitation and the token its mail carries."""
    invitation = services.invitation_create(
        actor=chair.user, section=chair.section, email=email, role=role,
        start_date=start_date or timezone.localdate(), **kwargs,
    )
    return invitation, token_mailed_to(email)


def token_mailed_to(email: str) -> str:
    message = OutgoingMail.objects.filter(to__iexact=email, template_name="sections/email/invitation").latest("pk")
    assert message.html and "/accounts/invitation/" in message.html
    return LINK.search(message.text).group(1)


class TestInviting:
    def test_an_officer_invites_to_their_section_and_the_link_is_mailed(self, chair):
        invitation, token = invite(chair, email="Tess@Example.org")

        assert invitation.email == "tess@example.org"
        assert invitation.invited_by == chair.user
        assert invitation.state == "pending"
        assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
        # Only a hash of the token is kept.
        assert token not in invitation.token_hash
        message = OutgoingMail.objects.get(to="tess@example.org")
        assert "Treasurer" in message.subject and chair.section.name in message.subject

    def test_the_link_lasts_as_long_as_the_setting_says(self, chair, settings):
        settings.INVITATION_MAX_AGE_DAYS = 3
        invitation, _token = invite(chair)
        assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)

    def test_a_coordinator_invites_to_a_section_of_their_district(self, chair):
        coordinator = CoordinatorFactory(district=chair.section.district).user
        invitation = services.invitation_create(
            actor=coordinator, section=chair.section, email="x@example.org", role="secretary",
            start_date=timezone.localdate(),
        )
        assert invitation.invited_by == coordinator

    @pytest.mark.parametrize("who", ["member", "other_officer", "other_coordinator", "former_officer"])
    def test_others_may_not_invite(self, chair, who):
        actor = {
            "member": lambda: UserFactory(),
            "other_officer": lambda: OfficerFactory().user,
            "other_coordinator": lambda: CoordinatorFactory().user,
            "former_officer": lambda: OfficerFactory(
                section=chair.section, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
            ).user,
        }[who]()
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=actor, section=chair.section, email="x@example.org", role="secretary",
                start_date=timezone.localdate(),
            )
        assert not Invitation.objects.exists()

    def test_only_society_admins_invite_coordinators(self, chair):
        district = chair.section.district
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=chair.user, district=district, email="c@example.org",
                                       start_date=timezone.localdate())
        invitation = services.invitation_create(
            actor=UserFactory(society_admin=True), district=district, email="c@example.org",
            start_date=timezone.localdate(),
        )
        assert invitation.office_label == f"coordinator of {district}"

    def test_a_second_open_invitation_to_the_same_office_is_refused(self, chair):
        invite(chair, email="tess@example.org")
        with pytest.raises(ValidationError, match="already has an open invitation"):
            invite(chair, email="TESS@example.org")
        assert Invitation.objects.count() == 1

    def test_someone_already_in_the_office_is_not_invited_to_it(self, chair):
        with pytest.raises(ValidationError) as refused:
            invite(chair, email=chair.user.email, role=Officer.Role.CHAIR)
        assert "already holds this office" in str(refused.value.message_dict["email"])

    @pytest.mark.parametrize(("days", "message"), [(-1, "in the past"), (400, "within a year")])
    def test_a_start_date_in_the_past_or_far_ahead_is_a_field_error(self, chair, days, message):
        with pytest.raises(ValidationError) as refused:
            invite(chair, start_date=timezone.localdate() + datetime.timedelta(days=days))
        assert message in str(refused.value.message_dict["start_date"])


class TestResendAndRevoke:
    def test_resending_replaces_the_link(self, chair, client):
        invitation, old = invite(chair)
        services.invitation_resend(invitation=invitation, actor=chair.user)
        new = token_mailed_to("tess@example.org")

        assert new != old
        assert client.get(reverse("invitation_accept", args=[old])).status_code == 404
        assert client.get(reverse("invitation_accept", args=[new])).status_code == 200

    def test_resending_an_expired_invitation_gives_a_fresh_week(self, chair):
        invitation, _token = invite(chair)
        with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
            assert Invitation.objects.get().state == "expired"
            invitation = services.invitation_resend(invitation=invitation, actor=chair.user)
            assert invitation.state == "pending"

    def test_a_revoked_link_says_so_and_cannot_be_re_sent(self, chair, client):
        invitation, token = invite(chair)
        services.invitation_revoke(invitation=invitation, actor=chair.user)

        page = client.get(reverse("invitation_accept", args=[token])).content.decode()
        assert "This invitation was withdrawn" in page
        with pytest.raises(ValidationError):
            services.invitation_resend(invitation=invitation, actor=chair.user)
        with pytest.raises(ValidationError, match="withdrawn"):
            services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)

    def test_an_officer_of_another_section_may_not_revoke(self, chair):
        invitation, _token = invite(chair)
        with pytest.raises(PermissionDenied):
            services.invitation_revoke(invitation=invitation, actor=OfficerFactory().user)
        assert Invitation.objects.get().revoked_at is None


class TestAccepting:
    def test_accepting_creates_the_account_and_starts_the_office(self, chair):
        _invitation, token = invite(chair)

        accepted = services.invitation_accept(token=token, full_name="Tess Treasurer", password=NEW_PASSWORD)

        user = get_user_model().objects.get(email="tess@example.org")
        assert accepted.user == user and accepted.created_account
        assert user.full_name == "Tess Treasurer" and user.check_password(NEW_PASSWORD)
        office = Officer.objects.get(user=user)
        assert (office.section, office.role, office.start_date) == (chair.section, "treasurer", timezone.localdate())
        invitation = Invitation.objects.get()
        assert invitation.state == "accepted" and invitation.accepted_by == user

    def test_a_weak_password_is_refused_by_djangos_validators(self, chair):
        _invitation, token = invite(chair)
        with pytest.raises(ValidationError) as refused:
            services.invitation_accept(token=token, full_name="Tess", password="tess")
        assert "password" in refused.value.message_dict
        assert not get_user_model().objects.filter(email="tess@example.org").exists()
        assert Invitation.objects.get().state == "pending"

    def test_an_existing_account_is_linked_not_created_again(self, chair):
        existing = UserFactory(email="tess@example.org")
        _invitation, token = invite(chair, email="TESS@example.org")

        with pytest.raises(ValidationError, match="log in"):
            services.invitation_accept(token=token, full_name="Someone", password=NEW_PASSWORD)
        with pytest.raises(PermissionDenied):
            services.invitation_accept(token=token, user=UserFactory())
        accepted = services.invitation_accept(token=token, user=existing)

        assert not accepted.created_account
        assert Officer.objects.get(role="treasurer").user == existing
        assert existing.check_password(PASSWORD)

    def test_a_link_works_once(self, chair):
        _invitation, token = invite(chair)
        services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        with pytest.raises(ValidationError, match="already been used"):
            services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        assert Officer.objects.filter(role="treasurer").count() == 1

    def test_an_expired_link_is_refused(self, chair):
        _invitation, token = invite(chair)
        with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
            with pytest.raises(ValidationError, match="expired"):
                services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        assert not get_user_model().objects.filter(email="tess@example.org").exists()

    def test_an_office_starting_later_starts_on_its_date(self, chair):
        start = timezone.localdate() + datetime.timedelta(days=30)
        _invitation, token = invite(chair, start_date=start)
        accepted = services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        assert accepted.office.start_date == start

    def test_accepted_after_the_start_date_the_office_starts_that_day(self, chair):
        _invitation, token = invite(chair)
        later = timezone.now() + datetime.timedelta(days=3)
        with time_machine.travel(later):
            accepted = services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        assert accepted.office.start_date == timezone.localdate(later)

    def test_a_coordinator_invitation_starts_a_coordination(self):
        district = DistrictFactory()
        services.invitation_create(
            actor=UserFactory(society_admin=True), district=district, email="c@example.org",
            start_date=timezone.localdate(),
        )
        services.invitation_accept(token=token_mailed_to("c@example.org"), full_name="Cleo", password=NEW_PASSWORD)
        assert DistrictCoordinator.objects.get(district=district).user.email == "c@example.org"


class TestAskingForANewLink:
    def test_an_expired_link_asks_the_inviter_once_a_day(self, chair, client):
        _invitation, token = invite(chair)
        url = reverse("invitation_renew", args=[token])
        with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
            page = client.get(reverse("invitation_accept", args=[token])).content.decode()
            assert "This link expired on" in page and "Ask for a new link" in page
            assert "Your request is on its way" in client.post(url).content.decode()
            client.post(url)  # asked again the same day: answered the same, nothing sent
        asks = OutgoingMail.objects.filter(template_name="sections/email/invitation_renewal")
        assert [message.to for message in asks] == [chair.user.email]
        assert "tess@example.org asks for a new invitation link" in asks.get().subject

    def test_a_link_still_valid_asks_nobody(self, chair, client):
        _invitation, token = invite(chair)
        assert client.post(reverse("invitation_renew", args=[token])).status_code == 200
        assert not OutgoingMail.objects.filter(template_name="sections/email/invitation_renewal").exists()

    def test_an_inviter_who_left_office_is_replaced_by_the_districts_coordinators(self, chair, client):
        coordinator = CoordinatorFactory(district=chair.section.district).user
        _invitation, token = invite(chair)
        Officer.objects.filter(pk=chair.pk).update(end_date=timezone.localdate())
        with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
            client.post(reverse("invitation_renew", args=[token]))
        asks = OutgoingMail.objects.filter(template_name="sections/email/invitation_renewal")
        assert [message.to for message in asks] == [coordinator.email]


class TestPages:
    def test_the_accept_page_asks_a_new_invitee_for_name_and_password(self, chair, client):
        _invitation, token = invite(chair)
        url = reverse("invitation_accept", args=[token])
        page = client.get(url).content.decode()
        assert "Your account will be tess@example.org" in page

        response = client.post(url, {"full_name": "Tess Treasurer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        assert response.status_code == 302 and response["Location"] == chair.section.get_absolute_url()
        home = client.get(response["Location"]).content.decode()
        assert "Welcome: you are Treasurer of" in home
        assert "Edit profile" in home  # signed in, as an officer of the section

    HOSTILE = {
        "empty": ({}, {"full_name", "password1", "password2"}),
        "a line break in the name": (
            {"full_name": "Tess\x00", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, {"full_name"},
        ),
        "a name too long": (
            {"full_name": "T" * 151, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, {"full_name"},
        ),
        "passwords that differ": (
            {"full_name": "Tess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}, {"password2"},
        ),
        "a password like the address": (
            {"full_name": "Tess", "password1": "tess@example.org", "password2": "tess@example.org"}, {"password1"},
        ),
        "a common password": ({"full_name": "Tess", "password1": "password123", "password2": "password123"}, {"password1"}),
    }

    @pytest.mark.parametrize(("data", "fields"), HOSTILE.values(), ids=HOSTILE.keys())
    def test_hostile_input_on_the_accept_page_gives_field_errors(self, chair, client, data, fields):
        _invitation, token = invite(chair)
        response = client.post(reverse("invitation_accept", args=[token]), data)
        assert response.status_code == 200
        assert set(response.context["form"].errors) == fields
        assert not get_user_model().objects.filter(email="tess@example.org").exists()

    def test_an_invitee_with_an_account_is_asked_to_log_in_and_then_accepts(self, chair, client):
        existing = UserFactory(email="tess@example.org")
        _invitation, token = invite(chair)
        url = reverse("invitation_accept", args=[token])

        assert "Log in as tess@example.org to accept" in client.get(url).content.decode()
        client.force_login(UserFactory())
        assert "you are logged in as" in client.get(url).content.decode()
        assert client.post(url).status_code == 200  # another account: nothing happens
        assert not Officer.objects.filter(role="treasurer").exists()

        client.force_login(existing)
        assert "Accept the invitation" in client.get(url).content.decode()
        response = client.post(url)

        assert response.status_code == 302
        assert Officer.objects.get(role="treasurer").user == existing

    def test_a_used_or_unknown_link_explains_itself(self, chair, client):
        _invitation, token = invite(chair)
        services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
        used = client.get(reverse("invitation_accept", args=[token]))
        assert used.status_code == 200 and "already been used" in used.content.decode()
        unknown = client.get(reverse("invitation_accept", args=["no-such-token"]))
        assert unknown.status_code == 404 and "not valid" in unknown.content.decode()

    def test_the_section_page_lists_open_invitations_for_its_officers_only(self, chair, client):
        invite(chair)
        client.force_login(chair.user)
        page = client.get(chair.section.get_absolute_url()).content.decode()
        assert "Pending invitations" in page and "tess@example.org" in page

        client.force_login(UserFactory())
        page = client.get(chair.section.get_absolute_url()).content.decode()
        assert "Pending invitations" not in page and "tess@example.org" not in page

    def test_the_invite_form_sends_and_the_list_revokes(self, chair, client):
        client.force_login(chair.user)
        url = reverse("sections:invitation_new", args=[chair.section.slug])
        response = client.post(url, {"email": "tess@example.org", "role": "treasurer",
                                     "start_date": timezone.localdate().isoformat()}, follow=True)
        assert "tess@example.org is invited as Treasurer" in response.content.decode()
        invitation = Invitation.objects.get()

        response = client.post(reverse("sections:invitation_revoke", args=[chair.section.slug, invitation.pk]), follow=True)

        assert "The invitation of tess@example.org is revoked." in response.content.decode()
        assert Invitation.objects.get().state == "revoked"
        assert "tess@example.org" not in client.get(chair.section.get_absolute_url()).content.decode()

    def test_an_invitation_of_another_section_is_not_found_under_this_one(self, chair, client):
        invitation, _token = invite(chair)
        other = OfficerFactory()
        client.force_login(other.user)
        response = client.post(reverse("sections:invitation_revoke", args=[other.section.slug, invitation.pk]))
        assert response.status_code == 404
        assert Invitation.objects.get().state == "pending"

    HOSTILE_INVITES = {
        "empty": ({}, {"email", "role", "start_date"}),
        "not an address": ({"email": "tess", "role": "treasurer", "start_date": SOON}, {"email"}),
        "a header injection": (
            {"email": "tess@example.org\r\nBcc: all@example.org", "role": "treasurer", "start_date": SOON},
            {"email"},
        ),
        "an unknown role": ({"email": "tess@example.org", "role": "emperor", "start_date": SOON}, {"role"}),
        "a nonsense date": ({"email": "tess@example.org", "role": "treasurer", "start_date": "2030-02-31"},
                            {"start_date"}),
        "a date long past": ({"email": "tess@example.org", "role": "treasurer", "start_date": "1999-01-01"},
                             {"start_date"}),
        "an address too long": (
            {"email": "t" * 250 + "@example.org", "role": "treasurer", "start_date": SOON}, {"email"},
        ),
    }

    @pytest.mark.parametrize(("data", "fields"), HOSTILE_INVITES.values(), ids=HOSTILE_INVITES.keys())
    def test_hostile_input_on_the_invite_form_gives_field_errors(self, chair, client, data, fields):
        data = {key: (timezone.localdate() + datetime.timedelta(days=1)).isoformat() if value is SOON else value
                for key, value in data.items()}
        client.force_login(chair.user)
        response = client.post(reverse("sections:invitation_new", args=[chair.section.slug]), data)
        assert response.status_code == 200
        assert set(response.context["form"].errors) == fields
        assert not Invitation.objects.exists()
        assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers itself")
def test_two_acceptances_at_once_make_one_account_and_one_office():
    chair = OfficerFactory()
    _invitation, token = invite(chair)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait(timeout=10)
            services.invitation_accept(token=token, full_name="Tess", password=NEW_PASSWORD)
            outcomes.append("accepted")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["This invitation has already been used.", "accepted"]
    assert get_user_model().objects.filter(email="tess@example.org").count() == 1
    assert Officer.objects.filter(role="treasurer").count() == 1
