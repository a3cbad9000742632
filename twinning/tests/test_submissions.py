"""A create form's one-time token (twinning.submissions): claimed once, in the transaction
that saves; drawn into the form and kept when the form comes back; pruned nightly, safely
twice at once."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
import time_machine
from django import forms
from django.db import connection, transaction
from django_celery_beat.models import PeriodicTask

from twinning import submissions, tasks
from twinning.celery import app
from twinning.forms import OnceFormMixin, SiteForm
from twinning.models import FormSubmission

from .concurrency import at_the_same_moment
from .factories import UserFactory

NOW = datetime.datetime(2026, 6, 1, 4, 15, tzinfo=datetime.UTC)
TOKEN = re.compile(r'<input type="hidden" name="once" value="([0-9a-f-]{36})"')


class NoteForm(OnceFormMixin, SiteForm):
    title = forms.CharField(max_length=20)


def drawn_token(form: forms.Form) -> str:
    return TOKEN.search(str(form)).group(1)


@pytest.mark.django_db
def test_a_token_is_claimed_once_and_the_second_claim_names_what_the_first_saved():
    user = UserFactory()
    token = uuid.uuid4()
    with transaction.atomic():
        submissions.record(submissions.claim(token, user=user), user)

    with pytest.raises(submissions.AlreadySent) as sent, transaction.atomic():
        submissions.claim(token, user=user)

    assert sent.value.target == user
    assert FormSubmission.objects.get().user == user


@pytest.mark.django_db(transaction=True)
def test_a_claim_outside_the_saving_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        submissions.claim(uuid.uuid4(), user=None)
    assert not FormSubmission.objects.exists()


def test_without_a_token_nothing_is_claimed():
    assert submissions.claim(None, user=None) is None


def test_the_form_draws_a_fresh_token_each_time_it_is_drawn_empty():
    first, second = drawn_token(NoteForm()), drawn_token(NoteForm())

    assert first != second
    uuid.UUID(first)


def test_a_form_that_comes_back_with_errors_keeps_its_token():
    token = str(uuid.uuid4())
    form = NoteForm({"title": "x" * 30, "once": token})

    assert not form.is_valid()
    assert drawn_token(form) == token


def test_a_valid_form_hands_its_token_to_the_service():
    token = uuid.uuid4()
    form = NoteForm({"title": "Hello", "once": str(token)})

    assert form.is_valid()
    assert form.once == token


@pytest.mark.parametrize("sent", ["", None])
def test_a_form_sent_without_a_token_saves_as_before_and_comes_back_with_one(sent):
    data = {"title": "Hello"} if sent is None else {"title": "Hello", "once": sent}
    form = NoteForm(data)
    assert form.is_valid() and form.once is None

    form = NoteForm({**data, "title": "x" * 30})
    assert not form.is_valid()
    uuid.UUID(drawn_token(form))


def test_a_damaged_token_is_said_above_the_form_and_replaced():
    form = NoteForm({"title": "Hello", "once": "not-a-token"})

    assert not form.is_valid()
    assert form.non_field_errors() == ["This form was damaged in sending. Check what it holds and send it again."]
    uuid.UUID(drawn_token(form))


@pytest.mark.django_db
def test_the_prune_forgets_tokens_older_than_thirty_days_only():
    old = FormSubmission.objects.create(token=uuid.uuid4(), created_at=NOW - datetime.timedelta(days=31))
    recent = FormSubmission.objects.create(token=uuid.uuid4(), created_at=NOW - datetime.timedelta(days=29))

    with time_machine.travel(NOW, tick=False):
        assert tasks.prune_form_submissions() == {"pruned": 1}

    assert list(FormSubmission.objects.all()) == [recent]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: two connections deleting at once")
def test_two_prunes_at_once_forget_each_token_once():
    FormSubmission.objects.bulk_create(
        FormSubmission(token=uuid.uuid4(), created_at=NOW - datetime.timedelta(days=40)) for _ in range(50)
    )

    results = at_the_same_moment(*[lambda: submissions.prune(now=NOW)] * 2)

    assert sum(results) == 50, results
    assert not FormSubmission.objects.exists()


@pytest.mark.django_db
def test_the_prune_is_scheduled_nightly_under_a_registered_task():
    job = PeriodicTask.objects.get(task="twinning.tasks.prune_form_submissions")

    assert job.enabled and job.crontab.hour == "4" and job.crontab.day_of_week == "*"
    assert job.task in app.tasks
