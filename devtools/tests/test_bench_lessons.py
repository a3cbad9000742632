"""`bench_lessons` times the lessons library's search over synthetic lessons."""

from __future__ import annotations

import pytest
from django.core.management import CommandError
from django.db import connection

from devtools.tests.helpers import run
from evaluation.models import Lesson

pytestmark = pytest.mark.django_db


def test_bench_lessons_writes_searchable_lessons_and_prints_p50_p95():
    output = run("bench_lessons", "--lessons", "60", "--searches", "5", "--partnerships", "8", "--allow-production")

    lessons = Lesson.objects.filter(title__startswith="Scale lesson ")
    assert lessons.count() == 60
    assert "median" in output and "p95" in output and "max" in output
    assert not lessons.filter(search_text="").exists()
    if connection.vendor == "postgresql":
        assert not lessons.filter(search_vector__isnull=True).exists()
        assert "lesson_search_gin" in output


def test_bench_lessons_reuses_the_lessons_it_made_and_needs_the_flag_to_add_more():
    run("bench_lessons", "--lessons", "30", "--searches", "2", "--partnerships", "5", "--allow-production")

    output = run("bench_lessons", "--lessons", "30", "--searches", "2", "--partnerships", "5")

    assert "Seeded" not in output
    assert Lesson.objects.filter(title__startswith="Scale lesson ").count() == 30
    with pytest.raises(CommandError, match="DEBUG"):
        run("bench_lessons", "--lessons", "40", "--searches", "1")
