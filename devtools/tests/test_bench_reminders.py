"""`bench_reminders` builds the synthetic monitoring data once and times a full reminder sweep
whose number of queries does not depend on how many partnerships there are."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devtools import monitoring_scale
from evaluation.models import CheckIn, Reminder, ReportingPeriod
from evaluation.services.reminders import send_due_reminders
from partnerships.models import Lead, Participant, Partnership, Status

pytestmark = pytest.mark.django_db

# The data describes the day it is built. Quarterly periods cannot end on every date (none
# ends on 30 December, say), so on a few days a year one kind of reminder has no work; this
# day has every kind.
BUILT_ON = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def built_on_a_day_with_every_kind_of_work():
    with time_machine.travel(BUILT_ON, tick=True):
        yield

SWEEP = re.compile(
    r"^\s+(?P<which>first sweep|idle, again|an hour later)\s+active partnerships\s+(?P<active>\d+)\s+open check-ins\s+(?P<open>\d+)"
    r"\s+reminders created\s+(?P<created>\d+)\s+sent\s+(?P<sent>\d+)"
    r"\s+emails queued\s+(?P<emails>\d+)\s+time\s+[\d.]+ s\s+queries (?P<total>\d+) \((?P<queries>\d+) \+ \d+ for the messages\)$"
)


LABELS = {"first sweep": "first", "idle, again": "second", "an hour later": "later"}


def run(*args) -> str:
    out = io.StringIO()
    call_command("bench_reminders", *args, stdout=out)
    return out.getvalue()


def sweeps(output: str) -> dict[int, dict[str, dict[str, int]]]:
    """{size: {"first": figures, "second": figures}} from the command's output."""
    found: dict[int, dict[str, dict[str, int]]] = {}
    size = None
    for line in output.splitlines():
        if heading := re.match(r"^(\d+) partnerships:$", line):
            size = int(heading[1])
            found[size] = {}
        elif match := SWEEP.match(line):
            figures = {name: int(value) for name, value in match.groupdict().items() if name != "which"}
            found[size][LABELS[match["which"]]] = figures
    return found


def test_the_sweep_runs_as_many_queries_for_40_partnerships_as_for_20_and_a_second_sweep_sends_nothing():
    # Both sizes hold one partnership whose schedule the sweep extends (about one in ninety does);
    # the test below varies that number on its own.
    output = run("--partnerships", "40", "--compare", "20", "--allow-production")

    figures = sweeps(output)
    assert set(figures) == {20, 40}
    for size in (20, 40):
        first, second = figures[size]["first"], figures[size]["second"]
        assert first["active"] == size
        assert first["created"] > 0 and first["sent"] == first["created"] == first["emails"]
        assert second["created"] == second["sent"] == second["emails"] == 0
        # The idle sweep reads no check-in: its queries are as few at either size.
        assert second["queries"] <= 12
    assert figures[40]["first"]["created"] > figures[20]["first"]["created"]
    assert figures[40]["first"]["open"] > figures[20]["first"]["open"]
    assert figures[20]["first"]["queries"] == figures[40]["first"]["queries"]
    assert figures[20]["second"]["queries"] == figures[40]["second"]["queries"]
    assert "Queries of the first sweep besides the messages': " in output and "— the same." in output


def test_the_data_is_built_once_and_the_sweeps_leave_it_as_built():
    first = run("--partnerships", "20", "--allow-production")
    built = (Reminder.objects.count(), ReportingPeriod.objects.count(), CheckIn.objects.count())

    again = run("--partnerships", "20")  # nothing to create, so DEBUG off is no obstacle

    assert "Seeded in" in first and "Seeded in" not in again
    assert (Reminder.objects.count(), ReportingPeriod.objects.count(), CheckIn.objects.count()) == built
    assert sweeps(again) == sweeps(first)


def test_the_partnerships_report_quarterly_with_a_checkin_per_side_and_the_latest_ones_open():
    run("--partnerships", "20", "--allow-production")

    partnerships = Partnership.objects.filter(title__startswith=monitoring_scale.TITLE_PREFIX)
    assert partnerships.count() == 20
    assert set(partnerships.values_list("status", "cadence")) == {(Status.ACTIVE, Partnership.Cadence.QUARTERLY)}
    assert Participant.objects.filter(partnership__in=partnerships).count() == 40
    day = monitoring_scale.as_of()
    for period in ReportingPeriod.objects.filter(partnership__in=partnerships).prefetch_related("checkins"):
        states = [checkin.state for checkin in period.checkins.all()]
        assert len(states) == 2
        if (period.due_on - day).days < -62:
            # Before the last period ended: submitted, but for one side of the odd long-overdue one.
            assert CheckIn.State.SUBMITTED in states
    open_due = {
        (due_on - day).days
        for due_on in CheckIn.objects.filter(state=CheckIn.State.DRAFT, period__ends_on__lt=day)
        .values_list("due_on", flat=True)
    }
    # Reminders before the due date, an overdue notice, escalations: all have work today.
    assert {14, 3, 0, -3, -14, -21} <= open_due


def test_the_reminders_sent_before_are_the_sweeps_own_so_yesterdays_sweep_has_nothing_left_to_send():
    run("--partnerships", "20", "--allow-production")
    day = monitoring_scale.as_of()
    built = set(Reminder.objects.values_list("checkin_id", "kind", "occurrence", "recipient_id"))
    leads = set(
        Lead.objects.filter(partnership__title__startswith=monitoring_scale.TITLE_PREFIX)
        .values_list("user_id", flat=True)
    )

    with transaction.atomic():
        send_due_reminders(now=monitoring_scale.sweep_moment(day - datetime.timedelta(days=1)))
        again = set(Reminder.objects.values_list("checkin_id", "kind", "occurrence", "recipient_id"))
        transaction.set_rollback(True)

    assert again == built
    # Leads hold an office in their section, so they, not the fallback, heard of their partnerships.
    assert leads and leads <= {recipient for _c, _k, _o, recipient in built}


def test_a_sweep_runs_as_many_queries_however_many_schedules_it_extends():
    run("--partnerships", "20", "--allow-production")
    now = monitoring_scale.sweep_moment(monitoring_scale.as_of())

    def sweep_queries(extra_behind: int) -> int:
        with transaction.atomic():
            monitoring_scale.reset(now.date())
            # Without their running period, these partnerships need a new one, as on the day theirs ends.
            running = ReportingPeriod.objects.filter(
                partnership__title__startswith=monitoring_scale.TITLE_PREFIX, ends_on__gte=now.date()
            ).order_by("partnership__title")
            ReportingPeriod.objects.filter(pk__in=[period.pk for period in running[:extra_behind]]).delete()
            with CaptureQueriesContext(connection) as captured:
                send_due_reminders(now=now)
            transaction.set_rollback(True)
        return len(captured.captured_queries)

    assert sweep_queries(3) == sweep_queries(0)


def test_the_benchmark_refuses_to_seed_with_debug_off_unless_allowed():
    with pytest.raises(CommandError, match="DEBUG"):
        run("--partnerships", "5")
    assert not Partnership.objects.filter(title__startswith=monitoring_scale.TITLE_PREFIX).exists()
