"""Each side owns its own records (issue 12 §1): a section's signatory, leads, give and take
and conflicts change only by its own officers; a change to the shared agreement by one side
waits for the other side to confirm it; every such change is kept in the history and told
to the other side; a draft is the proposing section's alone; the proposer does not accept.

Each test plays the hostile case the issue found, through the pages where a user would."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.models import AgreementChange, Conflict, Participant, Partnership, Status
from partnerships.selectors import partnerships_needing_action
from sections.tests.factories import OfficerFactory

from .conftest import PDF, endorsed, make_ready, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(world) -> Partnership:
    return make_ready(world, endorsed(world))


def _agreement_url(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.pk}/agreement/"


def _decide_url(change: AgreementChange, decision: str) -> str:
    return f"/partnerships/{change.partnership_id}/agreement/changes/{change.pk}/{decision}/"


def _subjects(mailoutbox, address: str) -> list[str]:
    return [message.subject for message in mailoutbox if message.to == [address]]


# The shared agreement ---------------------------------------------------------------------------


def test_one_side_switching_the_agreement_to_verbal_waits_for_the_other_side(
    client, world, ready, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.officer_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _agreement_url(ready),
            {"kind": "verbal", "signed_on": "2025-12-01", "planned_end_date": "2027-06-30",
             f"signed_by_{world.b.pk}": "Ben Beta, chair"},
        )

    assert response.status_code == 302
    ready.refresh_from_db()
    # Nothing changed yet: written, with its document.
    assert ready.agreement_kind == Partnership.AgreementKind.WRITTEN
    assert ready.agreement_document
    change = ready.agreement_changes.get(state=AgreementChange.State.PENDING)
    assert (change.proposed_by_section, change.proposed_by, change.kind) == (world.b, world.officer_b, "verbal")
    assert _subjects(mailoutbox, world.officer_a.email) == [
        "Beta Section proposes a change to the agreement: Alpha and Beta"
    ]
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Change proposed by Beta Section, waiting for the other side" in page
    assert "Confirm the change" not in page  # Beta does not confirm its own change


def test_the_other_side_confirms_and_a_verbal_agreement_keeps_no_signed_document(
    client, world, ready, mailoutbox, django_capture_on_commit_callbacks
):
    change = services.agreement_record(
        partnership=ready, actor=world.officer_b, kind="verbal", signed_on=datetime.date(2025, 12, 1)
    )
    client.force_login(world.officer_a)
    assert "Confirm the change" in client.get(ready.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_decide_url(change, "confirm"))

    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.agreement_kind == Partnership.AgreementKind.VERBAL
    assert not ready.agreement_document
    change.refresh_from_db()
    assert (change.state, change.decided_by) == (AgreementChange.State.CONFIRMED, world.officer_a)
    assert _subjects(mailoutbox, world.officer_b.email) == ["Agreement change confirmed: Alpha and Beta"]
    history = client.get(ready.get_absolute_url()).content.decode()
    assert "Beta Section proposed a change to the agreement: Written (signed document)" in history
    assert "The agreement change of Beta Section: confirmed" in history


def test_the_other_side_declines_and_the_agreement_stays(client, world, ready):
    change = services.agreement_record(
        partnership=ready, actor=world.officer_b, kind="verbal", signed_on=datetime.date(2025, 12, 1)
    )
    client.force_login(world.officer_a)
    client.post(_decide_url(change, "decline"), {"reason": "We signed a document."})

    ready.refresh_from_db()
    assert ready.agreement_kind == Partnership.AgreementKind.WRITTEN and ready.agreement_document
    change.refresh_from_db()
    assert (change.state, change.comment) == (AgreementChange.State.DECLINED, "We signed a document.")
    # A second click gets a message, not an error.
    again = client.post(_decide_url(change, "confirm"), follow=True)
    assert "This change was already declined." in again.content.decode()


def test_the_proposing_side_withdraws_its_change_and_the_other_side_cannot(client, world, ready):
    change = services.agreement_record(
        partnership=ready, actor=world.officer_b, kind="verbal", signed_on=None
    )
    client.force_login(world.officer_a)
    assert client.post(_decide_url(change, "withdraw")).status_code == 403

    client.force_login(world.officer_b)
    assert client.post(_decide_url(change, "withdraw")).status_code == 302
    change.refresh_from_db()
    assert change.state == AgreementChange.State.WITHDRAWN


def test_the_proposer_of_a_change_cannot_confirm_it_even_holding_an_office_on_the_other_side(client, world, ready):
    OfficerFactory(section=world.a, user=world.officer_b, role="treasurer")
    change = services.agreement_record(
        partnership=ready, actor=world.officer_b, kind="verbal", signed_on=None, section=world.b
    )
    client.force_login(world.officer_b)
    response = client.post(_decide_url(change, "confirm"))

    assert response.status_code == 403
    assert "not the one who proposed it" in response.content.decode()
    assert Partnership.objects.get(pk=ready.pk).agreement_kind == Partnership.AgreementKind.WRITTEN


def test_a_proposed_document_is_read_by_the_other_side_before_it_applies(client, world, ready):
    new_pdf = PDF.replace(b"1.4", b"1.7")
    change = services.agreement_record(
        partnership=ready, actor=world.officer_b, kind="written", signed_on=datetime.date(2025, 12, 2),
        document=SimpleUploadedFile("new.pdf", new_pdf, content_type="application/pdf"),
    )
    client.force_login(world.officer_a)
    response = client.get(f"/partnerships/{ready.pk}/agreement/changes/{change.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == new_pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert Partnership.objects.get(pk=ready.pk).agreement_document.read() == PDF

    services.agreement_change_confirm(change=change, actor=world.officer_a)
    assert Partnership.objects.get(pk=ready.pk).agreement_document.read() == new_pdf


def test_a_second_change_waits_until_the_first_is_answered(world, ready):
    services.agreement_record(partnership=ready, actor=world.officer_b, kind="verbal", signed_on=None)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        services.agreement_record(
            partnership=ready, actor=world.officer_a, kind="verbal", signed_on=datetime.date(2025, 11, 1)
        )


def test_a_draft_has_no_agreement_to_change_yet(world):
    draft = propose(world, submit=False)
    with pytest.raises(ValidationError, match="Send the proposal first"):
        services.agreement_record(partnership=draft, actor=world.officer_a, kind="verbal", signed_on=None)


# A section's signatory ---------------------------------------------------------------------------


def test_one_side_cannot_set_the_other_sides_signatory(client, world, ready):
    client.force_login(world.officer_a)
    form = client.get(_agreement_url(ready)).content.decode()
    assert f"signed_by_{world.b.pk}" not in form

    client.post(
        _agreement_url(ready),
        {"kind": "written", "signed_on": "2025-12-01", "planned_end_date": "2027-06-30",
         f"signed_by_{world.a.pk}": "Ann Alpha, chair", f"signed_by_{world.b.pk}": "Mallory"},
    )

    assert Participant.objects.get(partnership=ready, section=world.b).signed_by == "Ben Beta, chair"
    with pytest.raises(PermissionDenied):
        services.signatory_record(partnership=ready, actor=world.officer_a, section=world.b, signed_by="Mallory")


def test_a_side_records_its_own_signatory_at_once_kept_in_the_history_and_told_to_the_other(
    client, world, ready, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.officer_b)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _agreement_url(ready),
            {"kind": "written", "signed_on": "2025-12-01", "planned_end_date": "2027-06-30",
             f"signed_by_{world.b.pk}": "Bea Beta, vice-chair"},
        )

    assert Participant.objects.get(partnership=ready, section=world.b).signed_by == "Bea Beta, vice-chair"
    assert not ready.agreement_changes.filter(state=AgreementChange.State.PENDING).exists()
    [notice] = [m for m in mailoutbox if m.to == [world.officer_a.email]]
    assert notice.subject == "Beta Section changed its part of the partnership: Alpha and Beta"
    assert "Before: Ben Beta, chair. Now: Bea Beta, vice-chair." in notice.body
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Beta Section: signed for this side by — “Ben Beta, chair” → “Bea Beta, vice-chair”" in page


# Leads ---------------------------------------------------------------------------------------------


def test_one_side_cannot_remove_the_other_sides_lead(client, world, ready):
    lead_b = ready.leads.get(section=world.b)
    client.force_login(world.officer_a)
    page = client.get(ready.get_absolute_url()).content.decode()
    assert f"/leads/{lead_b.pk}/remove/" not in page

    response = client.post(f"/partnerships/{ready.pk}/leads/{lead_b.pk}/remove/")

    assert response.status_code == 403
    assert "Only officers of Beta Section remove its leads." in response.content.decode()
    assert ready.leads.filter(pk=lead_b.pk).exists()


def test_one_side_cannot_name_the_other_sides_lead(world):
    partnership = endorsed(world)
    with pytest.raises(PermissionDenied):
        services.lead_add(partnership=partnership, actor=world.officer_a, section=world.b, user=world.officer_b)
    assert not partnership.leads.exists()


def test_a_lead_change_is_kept_in_the_history_and_told_to_the_other_side(
    client, world, ready, mailoutbox, django_capture_on_commit_callbacks
):
    second = OfficerFactory(section=world.b, user__full_name="Bo Beta").user
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_add(partnership=ready, actor=world.officer_b, section=world.b, user=second)
        services.lead_remove(partnership=ready, actor=world.officer_b, lead=ready.leads.get(user=second))

    assert _subjects(mailoutbox, world.officer_a.email) == [
        "Beta Section changed its part of the partnership: Alpha and Beta"
    ] * 2
    client.force_login(world.officer_a)
    history = client.get(ready.get_absolute_url()).content.decode()
    assert "Added Lead for Beta Section: Bo Beta" in history
    assert "Removed Lead for Beta Section: Bo Beta" in history


# Give and take -------------------------------------------------------------------------------------


def test_one_side_cannot_restate_the_other_sides_give_and_take(client, world, ready):
    client.force_login(world.officer_a)
    response = client.post(f"/partnerships/{ready.pk}/give-take/{world.b.pk}/", {"gives": "Money", "gains": "x"})
    assert response.status_code == 403
    assert Participant.objects.get(partnership=ready, section=world.b).gives == "Student hosts"


# Conflicts -----------------------------------------------------------------------------------------


def test_one_side_cannot_resolve_the_other_sides_conflict(client, world, ready):
    conflict = services.conflict_raise(
        partnership=ready, actor=world.officer_b,
        conflict=Conflict(raised_for=world.b, description="Alpha skipped two calls."),
    )
    client.force_login(world.officer_a)
    assert "/conflicts/" not in client.get(ready.get_absolute_url()).content.decode().split('id="logs"')[1].split(
        "Record a conflict"
    )[1]

    response = client.post(
        f"/partnerships/{ready.pk}/conflicts/{conflict.pk}/", {"status": "resolved", "resolution": "Nothing happened."}
    )

    assert response.status_code == 403
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolution) == (Conflict.Status.OPEN, "")


def test_the_raising_side_resolves_its_conflict_kept_in_the_history_and_told_to_the_other(
    client, world, ready, mailoutbox, django_capture_on_commit_callbacks
):
    conflict = services.conflict_raise(
        partnership=ready, actor=world.officer_b,
        conflict=Conflict(raised_for=world.b, description="Alpha skipped two calls."),
    )
    client.force_login(world.officer_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partnerships/{ready.pk}/conflicts/{conflict.pk}/",
            {"status": "resolved", "resolution": "We agreed on a fixed call day.", "mediator": ""},
        )

    assert response.status_code == 302
    assert Conflict.objects.get(pk=conflict.pk).status == Conflict.Status.RESOLVED
    [notice] = [m for m in mailoutbox if m.to == [world.officer_a.email]]
    assert "Before: Open. Now: Resolved." in notice.body
    client.force_login(world.officer_a)
    assert "Beta Section: status — “Open” → “Resolved”" in client.get(ready.get_absolute_url()).content.decode()


# Drafts are private --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer_b", "coordinator_a", "coordinator_b"])
def test_a_draft_is_seen_only_by_the_proposing_sections_officers(client, world, role):
    draft = propose(world, submit=False)
    client.force_login(getattr(world, role))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client.get("/partnerships/").content.decode()

    services.partnership_submit(partnership=draft, actor=world.officer_a)

    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_draft_is_seen_by_its_proposing_sections_officers(client, world):
    draft = propose(world, submit=False)
    client.force_login(OfficerFactory(section=world.a, role="secretary").user)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_district_dashboard_does_not_count_a_partners_draft(client, world):
    propose(world, submit=False)
    client.force_login(world.coordinator_b)
    page = client.get("/dashboard/?district=db&status=draft").content.decode()
    assert "Alpha and Beta" not in page


# The proposer does not accept ----------------------------------------------------------------------


def test_an_officer_of_both_sections_who_proposed_cannot_accept(client, world):
    OfficerFactory(section=world.b, user=world.officer_a, role="treasurer")
    partnership = propose(world)

    client.force_login(world.officer_a)
    response = client.get(f"/partnerships/{partnership.pk}/answer/")
    assert response.status_code == 403
    assert "another officer of the invited section answers it" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_a)

    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED


def test_the_proposer_holding_an_office_in_the_invited_section_is_not_asked_to_answer(world):
    OfficerFactory(section=world.b, user=world.officer_a, role="treasurer")
    partnership = propose(world)

    assert (partnership, "answer") not in partnerships_needing_action(user=world.officer_a)[0]
    assert (partnership, "answer") in partnerships_needing_action(user=world.officer_b)[0]


def test_a_draft_withdrawn_before_it_was_sent_stays_private_and_tells_nobody(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    draft = propose(world, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_withdraw(partnership=draft, actor=world.officer_a)

    assert mailoutbox == []
    for user in (world.officer_b, world.coordinator_a):
        client.force_login(user)
        assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(world.officer_a)
    assert client.get(draft.get_absolute_url()).status_code == 200
