"""`bench_pages` times each page against /healthz over the seed_scale data."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError
from django.urls import NoReverseMatch, reverse

from devtools.management.commands import bench_pages
from devtools.tests.helpers import run

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r"^\s+(?P<label>.+?)\s+p50\s+(?P<p50>[\d.]+) ms\s+p95\s+(?P<p95>[\d.]+) ms\s+queries\s+(?P<queries>\d+)"
    r"\s+p95\s+(?P<ratio>[\d.]+|inf)× healthz\s+status (?P<status>\d+)$"
)


def seed_small() -> None:
    run("seed_scale", "--sections", "60", "--partnerships", "120", "--years", "2", "--allow-production")


def installed(page: bench_pages.Page) -> bool:
    try:
        reverse(page.url_name, args=page.args)
    except NoReverseMatch:
        return False
    return True


def test_bench_pages_prints_p50_p95_queries_and_the_ratio_to_healthz_for_every_page():
    seed_small()

    output = run("bench_pages", "--runs", "3")

    rows = {match["label"]: match for line in output.splitlines() if (match := ROW.match(line))}
    for page in bench_pages.PAGES:
        if installed(page):
            row = rows[page.label]
            assert row["status"] == "200", page.label
            assert float(row["p95"]) >= float(row["p50"]) > 0
            assert int(row["queries"]) > 0 or page.url_name == "healthz"
        else:
            assert f"{page.label}" in output and f"not installed (no URL named '{page.url_name}')" in output
    assert float(rows["/healthz"]["ratio"]) == 1.0
    # The pages of this checkout are there whatever else is installed.
    assert {"/healthz", "/ as an officer", "/ as a coordinator", "/ as staff", "/partnerships/?sort=health"} <= set(rows)


def test_bench_pages_check_fails_when_a_page_is_over_three_times_healthz(monkeypatch):
    seed_small()
    monkeypatch.setattr(bench_pages, "TARGET_RATIO", 0.0)

    with pytest.raises(CommandError, match="Over"):
        run("bench_pages", "--runs", "2", "--check")


def test_bench_pages_needs_the_scale_data():
    with pytest.raises(CommandError, match="seed_scale"):
        run("bench_pages", "--runs", "1")
