"""Defects found in review of issue 9, each pinned by the behaviour a user would hit."""

from __future__ import annotations

import pytest

from evaluation.models import Evaluation, EvaluationSide
from evaluation.services.closing import evaluation_start
from partnerships.models import Partnership

from .closing_helpers import filled, publish_lesson
from .monitoring import activate, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world) -> Partnership:
    return activate(world, d(1, 15))


def test_confirming_with_a_non_ascii_digit_as_section_is_refused_not_a_500(client, world, running):
    filled(world, running)
    client.force_login(world.officer_a)

    response = client.post(f"/partnerships/{running.pk}/evaluation/final/confirm/", {"section": "²"})

    assert response.status_code == 403
    assert not EvaluationSide.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.parametrize("q", ["'", "&", ":*", "!", "a & !b", "Bogotá:*", "((", "\\", "é'\"<>|", "-", "or", "\u200b"])
def test_lesson_search_with_special_characters_answers_a_page(client, world, running, q):
    publish_lesson(running, world.a, world.officer_a, title="Bogotá visit")
    client.force_login(world.officer_c if hasattr(world, "officer_c") else world.officer_b)

    response = client.get("/lessons/", {"q": q, "page": "x'"})

    assert response.status_code == 200


def test_an_edit_after_a_confirmation_does_not_mail_a_confirmer_who_has_left_office(world, running):
    import datetime

    from django.core import mail
    from django.test import TestCase
    from django.utils import timezone

    from evaluation.services.closing import evaluation_confirm, evaluation_save
    from sections.models import Officer

    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    Officer.objects.filter(user=world.officer_a).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    mail.outbox = []

    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_save(evaluation=evaluation, actor=world.officer_b, data={"summary": "Changed by Beta."})

    assert EvaluationSide.objects.get(evaluation=evaluation, section=world.a).confirmed_at is None
    assert world.officer_a.email not in [message.to[0] for message in mail.outbox]


# A NUL byte never reaches the view: the request is refused first (twinning.middleware).
@pytest.mark.parametrize(("kind", "status"), [("\x00", 400), ("nope", 404), ("final\x00", 400)])
def test_a_lesson_link_naming_no_evaluation_kind_answers_4xx_not_a_500(client, world, running, kind, status):
    evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    client.force_login(world.officer_a)

    response = client.get(f"/partnerships/{running.pk}/lessons/new/", {"evaluation": kind})

    assert response.status_code == status


def test_a_silent_partner_cannot_keep_the_partnership_from_ending_early(world, running):
    """The ending side fills in and confirms its own part of the evaluation on ending early;
    the partner that has gone silent wrote nothing, and the end still goes through."""
    from evaluation.services.closing import evaluation_confirm, evaluation_save
    from partnerships import services
    from partnerships.models import Status

    publish_lesson(running, world.a, world.officer_a)
    evaluation = evaluation_start(partnership=running, kind=Evaluation.Kind.EARLY_END, actor=world.officer_a)
    evaluation_save(
        evaluation=evaluation, actor=world.officer_a, data={"summary": "Beta stopped answering in spring."},
        sides={world.a.pk: {"gave": "Two talks", "gained": "Little"}},
    )

    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    services.partnership_end(partnership=running, actor=world.officer_a, reason="The partner went silent.")

    assert Partnership.objects.get(pk=running.pk).status == Status.ENDED
    assert EvaluationSide.objects.get(evaluation=evaluation, section=world.b).confirmed_at is None
