"""Who hears of a partnership's steps by email, once the change is committed."""

from __future__ import annotations

from django.conf import settings

from partnerships import services
from sections.tests.factories import DistrictFactory, OfficerFactory, SectionFactory

from .conftest import propose

PROPOSAL_SUBJECT = "A twinning proposal for your section: Alpha and Beta"
ENDORSEMENT_SUBJECT = "A twinning partnership needs your endorsement: Alpha and Beta"


def sent(mailoutbox, subject: str):
    return [message for message in mailoutbox if message.subject == subject]


def test_a_proposal_emails_the_invited_sections_officers_with_a_link_in_html_and_text(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    second_officer_b = OfficerFactory(section=world.b, role="secretary").user

    with django_capture_on_commit_callbacks(execute=True):
        partnership = propose(world)

    [message] = mailoutbox
    assert message.subject == PROPOSAL_SUBJECT
    assert sorted(message.to) == sorted([world.officer_b.email, second_officer_b.email])
    url = f"{settings.SITE_URL}{partnership.get_absolute_url()}"
    assert url in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{url}"' in html
    assert "Alpha Section proposes a twinning partnership to your section" in message.body


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

    [message] = sent(mailoutbox, ENDORSEMENT_SUBJECT)
    assert sorted(message.to) == sorted([world.coordinator_a.email, world.coordinator_b.email])
    assert f"{settings.SITE_URL}{partnership.get_absolute_url()}" in message.body
    [accepted] = sent(mailoutbox, "Twinning proposal accepted: Alpha and Beta")
    assert sorted(accepted.to) == sorted([world.officer_a.email, world.officer_b.email])


def test_a_district_without_a_coordinator_sends_the_endorsement_request_to_staff(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    lonely = SectionFactory(name="Gamma Section", slug="gamma", district=DistrictFactory(code="dc"))
    officer_c = OfficerFactory(section=lonely).user
    partnership = propose(world, partner_sections=[lonely], gives={}, gains={})

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_accept(partnership=partnership, section=lonely, actor=officer_c)

    [message] = sent(mailoutbox, ENDORSEMENT_SUBJECT)
    assert sorted(message.to) == sorted([world.coordinator_a.email, world.staff.email])


def test_an_officer_whose_account_is_inactive_is_not_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    OfficerFactory(section=world.b, role="secretary", user__is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        propose(world)

    assert [message.to for message in mailoutbox] == [[world.officer_b.email]]
