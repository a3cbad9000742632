"""The readiness questionnaire and a lesson, sent many times (a double click, a reload),
are kept once: the form's one-time token is claimed in the transaction that saves
(twinning.submissions)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from evaluation.models import Assessment, Lesson
from partnerships.tests.conftest import endorsed
from sections.models import TwinningForm
from twinning.models import FormSubmission
from twinning.tests.concurrency import at_the_same_moment

from .factories import answers_with, build_questionnaire, form_data

ALREADY = "This was already saved; sending the form again saved nothing more."
TEN = 10


def last_message(response) -> str:
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def lesson_form(token, **changes) -> dict:
    return {
        "title": "Start with one project", "context": "Two sections, two countries.",
        "what_happened": "We planned too much.", "learned": "One joint project builds trust.",
        "recommendation": "Agree one project first.",
        "forms": [str(TwinningForm.objects.get(code="technical-exchange").pk)],
        "visibility": "society", "publish": "Publish", "once": str(token), **changes,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so it cannot show the race",
)
def test_ten_identical_assessments_sent_at_once_are_kept_once(world):
    questionnaire = build_questionnaire({"vision": (1, [1]), "funding": (1, [1])})
    data = {**form_data(answers_with(questionnaire, 100)), "once": str(uuid.uuid4())}
    tabs = []
    for _ in range(TEN):
        tab = Client()
        tab.force_login(world.officer_a)
        tabs.append(tab)

    responses = at_the_same_moment(*[lambda tab=tab: tab.post("/sections/alpha/readiness/", data) for tab in tabs])

    assert [getattr(response, "status_code", response) for response in responses] == [302] * TEN
    assert Assessment.objects.filter(section=world.a).count() == 1
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db
class TestSentAgain:
    def test_the_questionnaire_carries_a_token_and_sent_again_is_kept_once(self, client, world):
        questionnaire = build_questionnaire({"vision": (1, [1])})
        client.force_login(world.officer_a)
        assert '<input type="hidden" name="once"' in client.get("/sections/alpha/readiness/").content.decode()
        data = {**form_data(answers_with(questionnaire, 100)), "once": str(uuid.uuid4())}

        client.post("/sections/alpha/readiness/", data)
        again = client.post("/sections/alpha/readiness/", data)

        assert again["Location"] == "/sections/alpha/readiness/"
        assert last_message(again) == ALREADY
        assert Assessment.objects.count() == 1

    def test_a_lesson_sent_again_is_written_once_and_the_second_shows_it(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        url = f"/partnerships/{partnership.pk}/lessons/new/"
        assert '<input type="hidden" name="once"' in client.get(url).content.decode()
        data = lesson_form(uuid.uuid4())

        client.post(url, data)
        again = client.post(url, data)

        lesson = Lesson.objects.get()
        assert again["Location"] == lesson.get_absolute_url()
        assert last_message(again) == ALREADY

    def test_a_lesson_edited_twice_with_one_form_is_saved_once(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        client.post(f"/partnerships/{partnership.pk}/lessons/new/", lesson_form(uuid.uuid4()))
        lesson = Lesson.objects.get()
        edit = lesson_form(uuid.uuid4(), title="Start with one small project")

        client.post(f"/lessons/{lesson.pk}/edit/", edit)
        again = client.post(f"/lessons/{lesson.pk}/edit/", edit)

        assert again["Location"] == lesson.get_absolute_url()
        assert last_message(again) == ALREADY
        assert Lesson.objects.get().title == "Start with one small project"
