"""`bench_pages` serves the site with gunicorn over small scale data and measures every GET page of
the URLconf for each role, at demo size and at scale, with a load run: no timing is asserted,
only that every page is there, answers what its role may see, and that none fails."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from devtools.management.commands.bench_pages import database_url
from devtools.pages import walk
from devtools.tests.helpers import run

ROW = re.compile(
    r"^\| (?P<role>\w+) \| (?P<name>[^|]+?) \| `(?P<path>[^`]+)` \| (?P<status>\d+) \| (?P<queries>\d*) "
    r"\| (?P<p50>[\d.]+) \| (?P<p95>[\d.]+) \| (?P<ratio>[\d.]+|inf) \|"
)
GROWTH_ROW = re.compile(r"^\| (?P<role>\w+) \| (?P<name>[^|]+?) \| (?P<queries>\d+ → \d+) \| [\d.]+ \| [\d.]+ \|")
LOAD_ROW = re.compile(r"^\| (?P<concurrency>\d+) \| (?P<demo>[\d.]+) \| [\d.]+ \| (?P<demo_errors>\d+) "
                      r"\| (?P<scale>[\d.]+) \| [\d.]+ \| (?P<scale_errors>\d+) \|")
# What each role may open, so must answer 200, whatever else the table holds.
MUST_ANSWER = [
    ("anonymous", "login"), ("anonymous", "healthz"), ("anonymous", "password_reset"),
    *[(role, page) for role in ("officer", "coordinator", "staff") for page in (
        "home", "inbox", "profile", "sections:directory", "sections:directory ?q=bogota", "sections:detail",
        "sections:partners", "sections:readiness", "partnerships:list", "partnerships:list ?q=partnership",
        "partnerships:detail", "lessons:list", "stories:list", "recognition:leaderboard",
    )],
    ("officer", "partnerships:propose"), ("officer", "sections:edit"), ("officer", "partnerships:agreement"),
    ("coordinator", "dashboard"), ("staff", "dashboard"), ("staff", "dashboard_society"),
    ("coordinator", "dashboard_export partnerships"), ("staff", "dashboard_society_export districts"),
    ("staff", "admin:index"), ("staff", "admin:partnerships_partnership_changelist"),
    ("staff", "admin:partnerships_partnership_changelist ?q=000123"), ("staff", "admin:sections_section_change"),
    ("staff", "admin:partnerships_partnership_change"),
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn needs a database it can open: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_bench_pages_measures_every_page_of_the_urlconf_for_each_role_at_both_sizes_and_under_load():
    # Committed data (a transactional test), so that gunicorn's workers see it. One database
    # for both sizes: the demo size is seeded and measured first, then grown to the scale.
    url = database_url(connection.settings_dict)

    output = run(
        "bench_pages", "--sections", "20", "--partnerships", "40", "--demo-sections", "10",
        "--demo-partnerships", "20", "--demo-database-url", url, "--requests", "1", "--load", "--load-seconds", "1",
    )

    lines = output.splitlines()
    scale_table = lines[lines.index("### Every page at scale size (20 sections, 40 partnerships)"):]
    rows = {(match["role"], match["name"]): match for line in scale_table if (match := ROW.match(line))}
    server_errors = [key for key, row in rows.items() if int(row["status"]) >= 500]
    assert not server_errors
    for key in MUST_ANSWER:
        assert rows[key]["status"] == "200", key
        assert float(rows[key]["p95"]) >= float(rows[key]["p50"]) > 0
        assert int(rows[key]["queries"]) > 0 or key[0] == "anonymous"
    assert rows[("anonymous", "healthz")]["queries"] == "1"
    # Every named pattern of the site is measured or listed, with its reason, under "Not measured".
    measured = {name.split(" ")[0] for _role, name in rows}
    not_measured = output[output.index("### Not measured"):]
    for route, name, _pattern in walk():
        if name and not route.startswith("admin/"):
            # Listed as "- name (roles): reason", or "- name kind (roles): reason" per kind or table.
            assert name in measured or f"- {name} " in not_measured, name
    assert "POST only (GET answers 405)" in not_measured
    # The demo size beside the scale, page by page, and the load run at three levels.
    growth = [match for line in lines if (match := GROWTH_ROW.match(line))]
    assert {(row["role"], row["name"]) for row in growth} >= set(MUST_ANSWER)
    levels = [match for line in lines if (match := LOAD_ROW.match(line))]
    assert [row["concurrency"] for row in levels] == ["1", "4", "16"]
    assert all(float(row["demo"]) > 0 and float(row["scale"]) > 0 for row in levels)
    assert all(row["demo_errors"] == row["scale_errors"] == "0" for row in levels)
    assert re.search(r"gunicorn workers' peak memory \(VmHWM\) at scale size, after the load run: \d+ MiB, \d+ MiB",
                     output)
    assert re.search(r"seed_scale's peak memory at scale size: \d+ MiB", output)


@pytest.mark.django_db
def test_seed_scale_prints_its_peak_memory():
    output = run("seed_scale", "--sections", "5", "--allow-production")

    assert re.search(r"^Peak memory: \d+ MiB$", output, re.MULTILINE)
