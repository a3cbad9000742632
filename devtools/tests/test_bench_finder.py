"""`bench_finder` times the partner finder over the synthetic sections of `seed_scale`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from devtools.tests.helpers import run, seed_30
from sections.models import Section

pytestmark = pytest.mark.django_db


def test_bench_finder_prints_median_p95_candidates_and_queries():
    seed_30()

    output = run("bench_finder", "--sections", "30", "--runs", "2", "--allow-production")

    # The section ranked for, and the 30 candidates.
    assert Section.objects.filter(slug__startswith="scale-").count() == 31
    assert "median" in output and "p95" in output
    assert "candidates" in output and "queries" in output
    assert output.count(" ms") >= 12  # median, p95, cold and from the shared cache for each scenario
    assert output.count("with no profile cached") == 3


def test_bench_finder_measures_existing_data_without_the_production_flag():
    run("seed_scale", "--sections", "31", "--partnerships", "15", "--allow-production")

    output = run("bench_finder", "--sections", "30", "--runs", "2")

    assert "median" in output and "p95" in output
    with pytest.raises(CommandError, match="DEBUG"):
        run("bench_finder", "--sections", "40", "--runs", "1")
