"""A create form sent many times (a double click, a reload, impatience) saves one record:
the form's one-time token is claimed in the transaction that saves (twinning.submissions).
Answering or endorsing again gets a message and the partnership, not a bare 403 or 404."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from partnerships import services
from partnerships.models import CommunicationEntry, Conflict, Goal, Partnership, Status
from partnerships.services import TransitionRefused
from twinning.models import FormSubmission
from twinning.tests.concurrency import at_the_same_moment

from .conftest import endorsed, propose
from .test_views import _proposal_data

ALREADY = "This was already saved; sending the form again saved nothing more."
TEN = 10

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so it cannot show the race",
)


def last_message(response) -> str:
    """The newest message the next page shows (an earlier sending's may wait beside it)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def sent_at_once(user, url: str, data: dict, times: int = TEN) -> list:
    """The same form sent `times` times at the same moment, each by its own browser tab."""
    clients = []
    for _ in range(times):
        tab = Client()
        tab.force_login(user)
        clients.append(tab)
    return at_the_same_moment(*[lambda tab=tab: tab.post(url, data) for tab in clients])


def goal_form(token) -> dict:
    return {"title": "Grow student membership", "description": "", "once": str(token)}


def log_form(token) -> dict:
    return {
        "date": datetime.date.today().isoformat(), "channel": "call", "participants": "Ann, Ben",
        "summary": "Planned the summer exchange.", "once": str(token),
    }


def conflict_form(world, token) -> dict:
    return {"raised_for": world.a.pk, "description": "Who pays the bus.", "mediator": "", "once": str(token)}


@pytest.mark.django_db(transaction=True)
@on_postgresql
@pytest.mark.parametrize(
    ("path", "form", "model", "anchor"),
    [
        ("plan/goal/add/", lambda world, token: goal_form(token), Goal, "#plan"),
        ("communications/add/", lambda world, token: log_form(token), CommunicationEntry, "#logs"),
        ("conflicts/add/", conflict_form, Conflict, "#logs"),
    ],
    ids=["goal", "log-entry", "conflict"],
)
def test_ten_identical_posts_at_once_create_one_record(world, path, form, model, anchor):
    partnership = endorsed(world)
    url = f"/partnerships/{partnership.pk}/{path}"

    responses = sent_at_once(world.officer_a, url, form(world, uuid.uuid4()))

    assert [getattr(response, "status_code", response) for response in responses] == [302] * TEN
    assert {response["Location"] for response in responses} == {f"/partnerships/{partnership.pk}/{anchor}"}
    assert model.objects.filter(partnership=partnership).count() == 1
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db
class TestSentAgain:
    def test_a_goal_sent_again_is_shown_as_saved_and_not_saved_twice(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        data = goal_form(uuid.uuid4())

        first = client.post(f"/partnerships/{partnership.pk}/plan/goal/add/", data)
        again = client.post(f"/partnerships/{partnership.pk}/plan/goal/add/", data)

        assert first["Location"] == again["Location"] == f"/partnerships/{partnership.pk}/#plan"
        assert last_message(again) == ALREADY
        assert partnership.goals.count() == 1
        assert FormSubmission.objects.get().target == partnership.goals.get()

    def test_two_forms_are_two_goals(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)

        for _ in range(2):
            client.post(f"/partnerships/{partnership.pk}/plan/goal/add/", goal_form(uuid.uuid4()))

        assert partnership.goals.count() == 2

    def test_a_form_refused_keeps_its_token_and_saves_when_corrected(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        token = uuid.uuid4()
        url = f"/partnerships/{partnership.pk}/communications/add/"

        refused = client.post(url, {**log_form(token), "date": "2999-01-01"})
        assert refused.status_code == 200
        assert f'name="once" value="{token}"' in refused.content.decode()
        assert not FormSubmission.objects.exists()

        assert client.post(url, log_form(token)).status_code == 302
        assert client.post(url, log_form(token))["Location"] == f"/partnerships/{partnership.pk}/#logs"
        assert partnership.communications.count() == 1

    @pytest.mark.parametrize(
        "path", ["plan/goal/add/", "plan/activity/add/", "communications/add/", "conflicts/add/"]
    )
    def test_every_create_form_of_the_partnership_carries_a_token(self, client, world, path):
        partnership = endorsed(world)
        client.force_login(world.officer_a)

        page = client.get(f"/partnerships/{partnership.pk}/{path}").content.decode()

        assert '<input type="hidden" name="once" value="' in page

    def test_a_proposal_sent_twice_is_made_once_and_the_second_shows_it(self, client, world):
        client.force_login(world.officer_a)
        assert '<input type="hidden" name="once"' in client.get("/partnerships/propose/alpha/").content.decode()
        data = {**_proposal_data(world), "once": str(uuid.uuid4())}

        client.post("/partnerships/propose/alpha/", data)
        again = client.post("/partnerships/propose/alpha/", data)

        partnership = Partnership.objects.get()
        assert again["Location"] == partnership.get_absolute_url()
        # Not "Alpha already has an open partnership with Beta": the form is the same one.
        assert last_message(again) == ALREADY


@pytest.mark.django_db
class TestAnsweredAgain:
    def test_accepting_again_says_the_answer_stands(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_b)
        answer = {"gives": "Hosts", "gains": "Talks", "comment": "", "accept": "1"}
        client.post(f"/partnerships/{partnership.pk}/answer/", answer)

        again = client.post(f"/partnerships/{partnership.pk}/answer/", answer)

        assert again.status_code == 302 and again["Location"] == partnership.get_absolute_url()
        assert last_message(again) == "Beta Section has already answered this proposal: accepted."
        assert partnership.transitions.filter(to_status=Status.ACCEPTED).count() == 1

    def test_declining_after_accepting_changes_nothing(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_b)
        client.post(f"/partnerships/{partnership.pk}/answer/", {"gives": "", "gains": "", "accept": "1"})

        again = client.post(f"/partnerships/{partnership.pk}/answer/", {"gives": "", "gains": "", "decline": "1"})

        assert last_message(again) == "Beta Section has already answered this proposal: accepted."
        partnership.refresh_from_db()
        assert partnership.status == Status.ACCEPTED

    def test_a_withdrawn_proposal_says_so_to_the_invited_section(self, client, world):
        partnership = propose(world)
        services.partnership_withdraw(partnership=partnership, actor=world.officer_a)
        client.force_login(world.officer_b)

        response = client.get(f"/partnerships/{partnership.pk}/answer/")

        assert response.status_code == 302
        assert last_message(response) == "This partnership is withdrawn, so the proposal can no longer be answered."

    def test_those_who_never_answer_still_get_404(self, client, world):
        partnership = propose(world)
        for user in (world.officer_a, world.coordinator_a):
            client.force_login(user)
            assert client.post(f"/partnerships/{partnership.pk}/answer/", {"accept": "1"}).status_code == 404


@pytest.mark.django_db
class TestEndorsedAgain:
    def _accepted(self, world) -> Partnership:
        partnership = propose(world)
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
        return partnership

    def test_endorsing_again_while_the_other_district_waits_says_it_is_recorded(self, client, world):
        partnership = self._accepted(world)
        client.force_login(world.coordinator_a)
        client.post(f"/partnerships/{partnership.pk}/do/endorse/", {"reason": ""})

        again = client.post(f"/partnerships/{partnership.pk}/do/endorse/", {"reason": ""})

        assert again.status_code == 302 and again["Location"] == partnership.get_absolute_url()
        assert last_message(again) == "Your district's endorsement is already recorded; there is nothing more to endorse."
        assert partnership.endorsements.count() == 1

    def test_endorsing_a_partnership_already_endorsed_says_it_is_recorded(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.coordinator_b)

        for response in (
            client.get(f"/partnerships/{partnership.pk}/do/endorse/"),
            client.post(f"/partnerships/{partnership.pk}/do/endorse/", {"reason": ""}),
        ):
            assert response.status_code == 302
            assert last_message(response) == "Your district's endorsement is already recorded; there is nothing more to endorse."

    def test_the_service_refuses_a_second_endorsement_with_the_reason(self, world):
        # Two clicks that both passed the page's check before the first was saved.
        partnership = self._accepted(world)
        services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

        with pytest.raises(TransitionRefused, match="already recorded"):
            services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

    def test_an_officer_still_may_not_endorse(self, client, world):
        partnership = self._accepted(world)
        client.force_login(world.officer_a)

        assert client.post(f"/partnerships/{partnership.pk}/do/endorse/", {"reason": ""}).status_code == 403
