"""`python manage.py bench_reminders --partnerships 20000`: one full reminder sweep over that
many active partnerships, its time and its number of queries."""

from __future__ import annotations

import cProfile
import datetime
import io
import pstats
import re
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devtools import monitoring_scale
from evaluation.models import MonitoringSettings
from evaluation.services.reminders import open_checkins_due, send_due_reminders
from partnerships.models import Partnership, Status
from twinning.models import OutgoingMail


# The tables the mail path writes and reads for each message (twinning.mail.send).
MAIL_TABLES = re.compile(r'"twinning_(outgoingmail|notice|noticepreference)"')


class Command(BaseCommand):
    help = (
        "Make sure N active partnerships with a year of quarterly check-ins exist (synthetic, see "
        "devtools/monitoring_scale.py), then run one full reminder sweep, the same again (nothing new to send) and one "
        "an hour later, printing for each the active partnerships, the open check-ins it considered, the reminders created and "
        "queued to the mail path, the time and the number of SQL queries. The messages are never delivered: "
        "every sweep is rolled back afterwards, so the benchmark can be run again with the same work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnerships", type=int, default=20000, help="Active partnerships to sweep (default 20000)."
        )
        parser.add_argument(
            "--compare", type=int, default=None, metavar="M",
            help="Also sweep with only M of the partnerships active, to show whether the queries grow.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the synthetic data.")
        parser.add_argument("--profile", action="store_true", help="Print a cProfile of each first sweep.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Create the synthetic partnerships even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        sizes = sorted({options["partnerships"], options["compare"] or options["partnerships"]})
        if sizes[0] < 1:
            raise CommandError("--partnerships and --compare must be at least 1.")
        if monitoring_scale.existing_count() < sizes[-1] and not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "bench_reminders needs to create synthetic partnerships, which it does only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        report = monitoring_scale.build(
            partnerships=sizes[-1], seed=options["seed"],
            progress=(lambda message: self.stdout.write(message)) if options["verbosity"] > 1 else None,
        )
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
        if created:
            self.stdout.write(f"Seeded in {report.seconds:.1f} s: {created}.")
            # Fresh bulk inserts leave the planner without statistics; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        day = monitoring_scale.as_of()
        now = monitoring_scale.sweep_moment(day)
        self.stdout.write(
            f"Reminder sweeps on {connection.vendor} at {now:%Y-%m-%d %H:%M} UTC, the day the data describes; "
            "messages queued, never delivered: each size's sweeps are rolled back afterwards."
        )
        first_queries = {}
        for size in sizes:
            self.stdout.write(f"{size} partnerships:")
            first_queries[size] = self._measure(size, now, verbosity=options["verbosity"], profile=options["profile"])
        if len(sizes) > 1:
            counts = " vs ".join(f"{first_queries[size]} at {size}" for size in sizes)
            verdict = "the same" if len(set(first_queries.values())) == 1 else "NOT the same: it grows with the data"
            self.stdout.write(f"Queries of the first sweep besides the messages': {counts} — {verdict}.")

    def _measure(self, size: int, now: datetime.datetime, *, verbosity: int, profile: bool) -> int:
        """Sweep twice with `size` benchmark partnerships active; the first sweep's queries
        besides the one INSERT per message queued."""
        with transaction.atomic():
            monitoring_scale.reset(now.date())
            monitoring_scale.only_first(size)
            queries = []
            # The first sweep of the day does the day's work; a sweep after it with nothing new
            # to send must cost next to nothing. An hour later a new day has begun in a few
            # time zones, and their sections' reminders are due.
            for label, moment in (
                ("first sweep", now), ("idle, again", now), ("an hour later", now + datetime.timedelta(hours=1)),
            ):
                active = Partnership.objects.filter(status=Status.ACTIVE).count()
                open_checkins = open_checkins_due(now.date(), MonitoringSettings.current()).count()
                queued_before = OutgoingMail.objects.count()
                profiler = cProfile.Profile() if profile and not queries else None
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    if profiler:
                        profiler.enable()
                    result = send_due_reminders(now=moment)
                    if profiler:
                        profiler.disable()
                    seconds = time.perf_counter() - started
                total = len(captured.captured_queries)
                # Each reminder's message goes through the mail path on its own (rendered for
                # its recipient: their preference, their notice, the stored message); the rest
                # must not grow with the data.
                for_messages = sum(1 for query in captured.captured_queries if MAIL_TABLES.search(query["sql"]))
                fixed = total - for_messages
                queued = OutgoingMail.objects.count() - queued_before
                queries.append(fixed)
                self.stdout.write(
                    f"  {label:<14} active partnerships {active:>6}   open check-ins {open_checkins:>6}   "
                    f"reminders created {result.created:>5}   sent {result.sent:>5}   "
                    f"emails queued {queued:>5}   time {seconds:7.3f} s   queries {total} "
                    f"({fixed} + {for_messages} for the messages)"
                )
                if verbosity > 1:
                    self._show_queries(captured.captured_queries)
                if profiler:
                    out = io.StringIO()
                    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                    self.stdout.write(out.getvalue())
            transaction.set_rollback(True)
        return queries[0]

    def _show_queries(self, queries: list[dict]) -> None:
        """Each kind of statement once, with how often it ran and its total time."""
        shapes: Counter[str] = Counter()
        spent: Counter[str] = Counter()
        for query in queries:
            shape = re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"])[:160]
            shapes[shape] += 1
            spent[shape] += float(query["time"])
        for shape, count in shapes.most_common():
            self.stdout.write(f"      {count:>5} × {spent[shape]:7.3f} s  {shape}")
