"""Society admins invite in the admin: coordinators one by one, officers in bulk from CSV (all
or nothing, every bad row reported by row and field, as the section import), and re-send or
revoke with the list's actions."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sections.models import Invitation
from sections.tests.factories import DistrictFactory, OfficerFactory, SectionFactory
from sections.tests.test_import import _Page, confirm, upload
from twinning.models import OutgoingMail
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "email,section,role,start_date"


@pytest.fixture
def admin_client(client):
    # A society admin as the admin grants the role: the "Society admins" group.
    client.force_login(UserFactory(society_admin=True))
    return client


@pytest.fixture
def sections():
    district = DistrictFactory(code="benelux")
    return [SectionFactory(slug="delft", district=district), SectionFactory(slug="gent", district=district)]


def invitations_csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def soon(days: int = 1) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_officers_are_imported_as_invitations_and_each_gets_a_link(admin_client, sections, django_capture_on_commit_callbacks):
    text = invitations_csv(f"ana@example.org,delft,chair,{soon()}", f"Ben@Example.org,gent,treasurer,{soon(30)}")

    preview = upload(admin_client, "invitation", text)
    assert "Confirm import" in preview.content.decode()
    assert not Invitation.objects.exists() and not OutgoingMail.objects.exists()  # a preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(admin_client, "invitation", preview)

    assert "Import finished: 2 new" in done.content.decode()
    assert sorted(Invitation.objects.values_list("email", "section__slug", "role")) == [
        ("ana@example.org", "delft", "chair"), ("ben@example.org", "gent", "treasurer"),
    ]
    assert all(invitation.state == "pending" for invitation in Invitation.objects.all())
    assert sorted(message.to[0] for message in mail.outbox) == ["ana@example.org", "ben@example.org"]


BAD_ROWS = {
    "unknown section": (f"cara@example.org,nowhere,chair,{soon()}", "section", "Unknown value: nowhere"),
    "not an address": (f"cara,delft,chair,{soon()}", "email", "valid email"),
    "unknown role": (f"cara@example.org,delft,emperor,{soon()}", "role", "not a valid choice"),
    "no role": (f"cara@example.org,delft,,{soon()}", "role", "Choose the office"),
    "a date in the past": ("cara@example.org,delft,chair,2001-01-01", "start_date", "cannot be in the past"),
    "a nonsense date": ("cara@example.org,delft,chair,2030-02-31", "start_date", "Value could not be parsed"),
    "the same person twice": (f"ana@example.org,delft,chair,{soon()}", "", "already has an open invitation"),
}


@pytest.mark.parametrize(("bad_row", "field", "message"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_is_reported_by_row_and_field_and_nothing_is_imported(admin_client, sections, bad_row, field, message):
    text = invitations_csv(f"ana@example.org,delft,chair,{soon()}", f"ben@example.org,gent,treasurer,{soon()}", bad_row)

    content = upload(admin_client, "invitation", text).content.decode()

    page = _Page(content)
    errors = page.row_numbered(3)[1]
    assert field in errors and message in errors
    assert [row[0] for row in page.rows if row and row[0].isdigit()] == ["3"]
    assert "Confirm import" not in content
    assert not Invitation.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_someone_already_in_office_is_a_field_error_of_their_row(admin_client, sections):
    officer = OfficerFactory(section=sections[0], role="chair")
    text = invitations_csv(f"{officer.user.email},delft,chair,{soon()}")

    errors = _Page(upload(admin_client, "invitation", text).content.decode()).row_numbered(1)[1]

    assert "email" in errors and "already holds this office" in errors


def test_a_society_admin_invites_a_coordinator_in_the_admin(admin_client, django_capture_on_commit_callbacks):
    district = DistrictFactory(code="andes", name="Andes")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:sections_invitation_add"), {
            "email": "cleo@example.org", "district": district.pk, "section": "", "role": "", "start_date": soon(),
        })

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.district == district and invitation.state == "pending"
    assert mail.outbox[0].to == ["cleo@example.org"] and "coordinator of Andes" in mail.outbox[0].subject


def test_an_invitation_naming_both_a_section_and_a_district_is_refused(admin_client, sections):
    response = admin_client.post(reverse("admin:sections_invitation_add"), {
        "email": "cleo@example.org", "district": sections[0].district.pk, "section": sections[0].pk,
        "role": "chair", "start_date": soon(),
    })
    assert response.status_code == 200
    assert "Invite either to an office of a section" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_lists_actions_re_send_and_revoke(admin_client, sections, django_capture_on_commit_callbacks):
    text = invitations_csv(f"ana@example.org,delft,chair,{soon()}", f"ben@example.org,gent,treasurer,{soon()}")
    confirm(admin_client, "invitation", upload(admin_client, "invitation", text))
    ana, ben = Invitation.objects.order_by("email")
    old_hash = ana.token_hash
    changelist = reverse("admin:sections_invitation_changelist")

    admin_client.post(changelist, {"action": "resend_selected", "_selected_action": [ana.pk]})
    admin_client.post(changelist, {"action": "revoke_selected", "_selected_action": [ben.pk]})

    ana.refresh_from_db()
    ben.refresh_from_db()
    assert ana.token_hash != old_hash and ana.state == "pending"
    assert ben.state == "revoked"
