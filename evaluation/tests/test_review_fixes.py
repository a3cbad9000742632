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
