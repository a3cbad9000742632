""""This helped us" pressed twice at the same moment (a double click, two tabs), each
request on its own database connection: the unique constraint keeps one mark, and the
count says one."""

from __future__ import annotations

import pytest
from django.db import connection

from evaluation.models import Lesson, LessonHelpful
from evaluation.services.lessons import lesson_mark_helpful
from partnerships.tests.conftest import endorsed
from twinning.tests.concurrency import at_the_same_moment
from twinning.tests.factories import UserFactory

from .factories import write_lesson

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself, so two marks never overlap there",
    ),
]


def test_one_reader_marking_twice_at_once_counts_once(world):
    lesson = write_lesson(endorsed(world), world.a, world.officer_a)
    reader = UserFactory()

    results = at_the_same_moment(*[lambda: lesson_mark_helpful(lesson=lesson, actor=reader)] * 4)

    assert sorted(results, key=str) == [False, False, False, True], results
    assert LessonHelpful.objects.filter(lesson=lesson).count() == 1
    assert Lesson.objects.get(pk=lesson.pk).helpful_count == 1


def test_many_readers_at_once_all_count(world):
    lesson = write_lesson(endorsed(world), world.a, world.officer_a)
    readers = [UserFactory() for _ in range(4)]

    results = at_the_same_moment(*[lambda reader=reader: lesson_mark_helpful(lesson=lesson, actor=reader) for reader in readers])

    assert results == [True] * 4
    assert Lesson.objects.get(pk=lesson.pk).helpful_count == 4
