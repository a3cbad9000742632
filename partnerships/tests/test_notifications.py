"""Who hears of a partnership's steps by email, once the change is committed: one message
per recipient, with only their own address."""

from __future__ import annotations

from django.conf import settings

from partnerships import services
from sections.tests.factories import DistrictFactory, OfficerFactory, SectionFactory
from twinning.models import OutgoingMail
from twinning.tests.factories import UserFactory

from .conftest import propose

PROPOSAL_SUBJECT = "A twinning proposal for your section: Alpha and Beta"
ENDORSEMENT_SUBJECT = "A twinning partnership needs your endorsement: Alpha and Beta"


def sent(mailoutbox, subject: str):
    return [message for message in mailoutbox if message.subject == subject]


def addressees(messages) -> list[str]:
    """Everyone the messages went to, each message to exactly one address."""
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in messages)
    return sorted(message.to[0] for message in messages)


def test_a_proposal_emails_the_invited_sections_officers_with_a_link_in_html_and_text(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    second_officer_b = OfficerFactory(section=world.b, role="secretary").user

    with django_capture_on_commit_callbacks(execute=True):
        partnership = propose(world)

    assert addressees(mailoutbox) == sorted([world.officer_b.email, second_officer_b.email])
    url = f"{settings.SITE_URL}{partnership.get_absolute_url()}"
    for message in mailoutbox:
        assert message.subject == PROPOSAL_SUBJECT
        assert url in message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert f'href="{url}"' in html
        assert "Alpha Section proposes a twinning partnership to your section" in message.body
        assert "Alpha Section proposes a twinning partnership to your section" in html


def test_a_draft_sends_nothing_until_it_is_submitted(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = propose(world, submit=False)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_submit(partnership=partnership, actor=world.officer_a)

    assert [message.to for message in mailoutbox] == [[world.officer_b.email]]


def test_nothing_is_sent_before_the_change_commits(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        propose(world)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_full_acceptance_asks_the_coordinators_of_both_districts_to_endorse(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    partnership = propose(world)

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    endorsement = sent(mailoutbox, ENDORSEMENT_SUBJECT)
    assert addressees(endorsement) == sorted([world.coordinator_a.email, world.coordinator_b.email])
    assert all(f"{settings.SITE_URL}{partnership.get_absolute_url()}" in message.body for message in endorsement)
    accepted = sent(mailoutbox, "Twinning proposal accepted: Alpha and Beta")
    assert addressees(accepted) == sorted([world.officer_a.email, world.officer_b.email])


def test_a_district_without_a_coordinator_sends_the_endorsement_request_to_staff(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    lonely = SectionFactory(name="Gamma Section", slug="gamma", district=DistrictFactory(code="dc"))
    officer_c = OfficerFactory(section=lonely).user
    partnership = propose(world, partner_sections=[lonely], gives={}, gains={})
    # Society admins answer for the district; staff status alone is no role, and a society
    # admin whose account is inactive is not asked.
    UserFactory(is_staff=True)
    UserFactory(society_admin=True, is_active=False)
    granted = UserFactory(society_admin=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_accept(partnership=partnership, section=lonely, actor=officer_c)

    assert addressees(sent(mailoutbox, ENDORSEMENT_SUBJECT)) == sorted(
        [world.coordinator_a.email, world.staff.email, granted.email]
    )


def test_an_officer_whose_account_is_inactive_is_not_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    OfficerFactory(section=world.b, role="secretary", user__is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        propose(world)

    assert [message.to for message in mailoutbox] == [[world.officer_b.email]]


def test_no_message_shows_one_sections_officers_the_addresses_of_anothers(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    second_officer_a = OfficerFactory(section=world.a, role="secretary").user
    second_officer_b = OfficerFactory(section=world.b, role="secretary").user
    partnership = propose(world)

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    accepted = sent(mailoutbox, "Twinning proposal accepted: Alpha and Beta")
    section_a = {world.officer_a.email, second_officer_a.email}
    section_b = {world.officer_b.email, second_officer_b.email}
    assert addressees(accepted) == sorted(section_a | section_b)
    for message in accepted:
        others = section_b if message.to[0] in section_a else section_a
        headers = message.message().as_string()
        assert not any(address in headers for address in others)


def test_each_partnership_message_is_stored_in_the_outbox_table_and_marked_sent(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        propose(world)

    [stored] = OutgoingMail.objects.all()
    assert (stored.template_name, stored.to, stored.status) == (
        "partnerships/email/event", world.officer_b.email, OutgoingMail.Status.SENT
    )
    assert stored.subject == PROPOSAL_SUBJECT
