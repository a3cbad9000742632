"""Who hears of a partnership's steps by email, once the change is committed: one message
per recipient, with only their own address."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from partnerships import services
from partnerships.models import Conflict
from sections.models import DistrictCoordinator, Officer
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.models import OutgoingMail
from twinning.tests.factories import UserFactory

from .conftest import endorsed, make_ready, propose

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


def with_departed_leads(world):
    """An endorsed, ready partnership whose leads are the two officers, plus a lead of Alpha
    whose office has ended and a lead of Beta whose account was closed: (partnership, former,
    closed)."""
    partnership = make_ready(world, endorsed(world))
    former = OfficerFactory(section=world.a, role=Officer.Role.SECRETARY, user__full_name="Fred Former").user
    closed = OfficerFactory(section=world.b, role=Officer.Role.SECRETARY, user__full_name="Cleo Closed").user
    services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=former)
    services.lead_add(partnership=partnership, actor=world.officer_b, section=world.b, user=closed)
    Officer.objects.filter(user=former).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    return partnership, former, closed


def _activate(world, partnership):
    services.partnership_activate(partnership=partnership, actor=world.officer_a)


def _suspend(world, partnership):
    services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Elections")


def _resume(world, partnership):
    services.partnership_resume(partnership=partnership, actor=world.officer_a)


def _complete(world, partnership):
    services.partnership_complete(partnership=partnership, actor=world.officer_a)


def _end(world, partnership):
    services.partnership_end(partnership=partnership, actor=world.officer_a, reason="No time left")


@pytest.mark.parametrize(
    ("steps", "subject"),
    [
        ((_activate,), "Twinning partnership activated: Alpha and Beta"),
        ((_activate, _suspend), "Twinning partnership suspended: Alpha and Beta"),
        ((_activate, _suspend, _resume), "Twinning partnership resumed: Alpha and Beta"),
        ((_activate, _complete), "Twinning partnership completed: Alpha and Beta"),
        ((_activate, _end), "Twinning partnership ended early: Alpha and Beta"),
    ],
    ids=["activated", "suspended", "resumed", "completed", "ended"],
)
@pytest.mark.usefixtures("without_closing_gates")
def test_leads_whose_office_ended_or_whose_account_is_closed_hear_nothing_of_the_partnership(
    world, mailoutbox, django_capture_on_commit_callbacks, steps, subject
):
    partnership, former, closed = with_departed_leads(world)
    *before, last = steps
    for step in before:
        step(world, partnership)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        last(world, partnership)

    assert addressees(sent(mailoutbox, subject)) == sorted([world.officer_a.email, world.officer_b.email])
    assert not {former.email, closed.email} & {message.to[0] for message in mailoutbox}


def test_coordinators_whose_term_ended_or_whose_account_is_closed_are_not_asked_to_mediate(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    partnership = make_ready(world, endorsed(world))
    former = CoordinatorFactory(district=world.a.district, start_date=datetime.date(2024, 1, 1)).user
    DistrictCoordinator.objects.filter(user=former).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    CoordinatorFactory(district=world.b.district, user__is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.conflict_raise(
            partnership=partnership, actor=world.officer_a,
            conflict=Conflict(raised_for=world.a, description="Who pays the visas", mediator="coordinator"),
        )

    assert addressees(mailoutbox) == sorted([world.coordinator_a.email, world.coordinator_b.email])


class TestFormsOfTwinningNotices:
    """Instalments and maturity proposals each ask the other side for its step, by mail."""

    def _instalment(self, world):
        from decimal import Decimal

        from partnerships.models import Instalment, SupportAgreement
        from sections.models import TwinningForm

        partnership = make_ready(world, endorsed(world, forms=("financial-support", "technical-exchange")))
        agreement = services.support_agreement_save(
            partnership=partnership, actor=world.officer_a,
            agreement=SupportAgreement(
                giver=world.a, receiver=world.b, purpose="Lab instruments", amount=Decimal("1000.00"), currency="EUR",
                return_form=TwinningForm.objects.get(code="technical-exchange"),
                return_description="Beta's students present at Alpha's meetings",
            ),
        )
        return partnership, services.instalment_add(
            partnership=partnership, actor=world.officer_a,
            instalment=Instalment(agreement=agreement, amount=Decimal("500.00"), planned_on=timezone.localdate()),
        )

    def test_sent_tells_the_receiver_and_received_tells_the_giver(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        from decimal import Decimal

        partnership, instalment = self._instalment(world)
        today = timezone.localdate()
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.instalment_mark_sent(partnership=partnership, actor=world.officer_a, instalment=instalment, sent_on=today)
        [message] = mailoutbox
        assert message.to == [world.officer_b.email]
        assert message.subject == f"Alpha Section sent an instalment: {partnership.title}"
        assert "sent the instalment of 500.00 EUR" in message.body
        assert f"{settings.SITE_URL}{partnership.get_absolute_url()}#finances" in message.body

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.instalment_mark_received(
                partnership=partnership, actor=world.officer_b, instalment=instalment,
                received_on=today, amount=Decimal("450.00"),
            )
        [message] = mailoutbox
        assert message.to == [world.officer_a.email]
        assert message.subject == f"An instalment arrived, but not as planned: {partnership.title}"
        assert "received 450.00 EUR" in message.body
        assert "Received 450.00, not the 500.00 planned." in message.body

    def test_a_maturity_proposal_asks_the_coordinator_and_the_decision_tells_the_section(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        from sections.models import Section

        Section.objects.filter(pk=world.b.pk).update(maturity=Section.Maturity.FORMATIVE, member_count=30)
        partnership = make_ready(world, endorsed(world, forms=("growing-section", "technical-exchange")))
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            proposal = services.maturity_propose(partnership=partnership, actor=world.officer_b, reason="80 members now")
        [message] = mailoutbox
        assert message.to == [world.coordinator_b.email]
        assert message.subject == "Beta Section asks to be recognised as developing"
        assert "Their reason: 80 members now" in message.body

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.maturity_decide(proposal=proposal, actor=world.coordinator_b, confirm=True)
        assert addressees(mailoutbox) == [world.officer_b.email]
        assert mailoutbox[0].subject == "Beta Section is now a developing section"
