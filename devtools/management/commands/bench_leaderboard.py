"""`python manage.py bench_leaderboard --sections 5000 --years 5`: how fast the society
leaderboard answers over that many sections' ledgers."""

from __future__ import annotations

import datetime
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools.management.commands.bench_finder import percentile
from devtools.scale import BATCH, DISTRICT_CODE, PREFIX, _rng, build
from recognition.models import LedgerEntry, PointRule
from recognition.views.leaderboard import board
from sections.models import Section

# Synthetic entries say so in their reason, so a second run finds them (and nobody takes
# them for real points); their source is the section itself, numbered per year and entry.
REASON = "scale: synthetic ledger entry"
ENTRIES_PER_YEAR = (0, 8)
BENCH_USER = f"{PREFIX}-bench@scale.invalid"


class Command(BaseCommand):
    help = (
        "Make sure N synthetic sections (those of seed_scale) have ledger entries over the last Y award years, "
        "then time the leaderboard's first page for each year, with and without filters: median and 95th "
        "percentile in milliseconds, and SQL queries per page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sections", type=int, default=5000, help="Synthetic sections (default 5000).")
        parser.add_argument("--years", type=int, default=5, help="Award years with points, up to this one (default 5).")
        parser.add_argument("--runs", type=int, default=20, help="Timed pages per scenario (default 20).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--allow-production", action="store_true", help="Create the synthetic data even though DEBUG is off."
        )

    def handle(self, *args, **options):
        count, years, runs = options["sections"], options["years"], options["runs"]
        if count < 1 or years < 1 or runs < 1:
            raise CommandError("--sections, --years and --runs must be at least 1.")
        this_year = timezone.localdate().year
        award_years = list(range(this_year - years + 1, this_year + 1))
        have = Section.objects.filter(slug__startswith=f"{PREFIX}-").count()
        if have < count and not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "bench_leaderboard needs to create synthetic sections, which it does only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        report = build(sections=count, partnerships=0, years=years, seed=options["seed"], officers=False)
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
        if created:
            self.stdout.write(f"Seeded in {report.seconds:.1f} s: {created}.")
        started = time.perf_counter()
        added = self._ledger(count, award_years, options["seed"])
        if added:
            self.stdout.write(f"Ledger: {added} entries added in {time.perf_counter() - started:.1f} s.")

        user, _created = get_user_model().objects.get_or_create(email=BENCH_USER, defaults={"full_name": "Scale bench"})
        total = LedgerEntry.objects.count()
        self.stdout.write(
            f"Leaderboard over {Section.objects.count()} sections and {total} ledger entries, {runs} runs per "
            f"scenario, first page, on {connection.vendor}."
        )
        scenarios = [
            ("no filter", {}),
            ("district", {"district": DISTRICT_CODE.format(3)}),
            ("kind student", {"kind": Section.Kind.STUDENT}),
            ("district + maturity", {"district": DISTRICT_CODE.format(7), "maturity": Section.Maturity.FORMATIVE}),
        ]
        factory = RequestFactory(SERVER_NAME="localhost")
        worst = 0.0
        for year in award_years:
            for label, query in scenarios:
                p95 = self._scenario(factory, user, year, label, {**query, "year": year}, runs)
                worst = max(worst, p95)
        self.stdout.write(f"Worst p95: {worst:.1f} ms (goal < 100 ms).")

    def _ledger(self, count: int, award_years: list[int], seed: int) -> int:
        """Entries for scale sections 0..count-1 in each award year that has none yet."""
        rules = list(PointRule.objects.order_by("event", "effective_from"))
        if not rules:
            raise CommandError("No point rules: run the migrations first.")
        section_type = ContentType.objects.get_for_model(Section)
        sections = dict(
            Section.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", "pk")
        )
        done = set(
            LedgerEntry.objects.filter(reason=REASON).values_list("section_id", "award_year").distinct()
        )
        rows, added = [], 0
        with transaction.atomic():
            for number in range(count):
                section_id = sections.get(f"{PREFIX}-{number:06d}")
                if section_id is None:
                    continue
                for year in award_years:
                    if (section_id, year) in done:
                        continue
                    rng = _rng(seed, f"ledger-{year}", number)
                    for index in range(rng.randint(*ENTRIES_PER_YEAR)):
                        rule = rng.choice(rules)
                        kind = LedgerEntry.Kind.REVERSAL if rng.random() < 0.05 else LedgerEntry.Kind.EARNED
                        points = rule.points or rng.randint(5, 50)
                        rows.append(LedgerEntry(
                            section_id=section_id,
                            points=-points if kind == LedgerEntry.Kind.REVERSAL else points,
                            kind=kind, rule=rule, source_type=section_type,
                            # Unique per section, year and entry: the ledger's constraint holds.
                            source_id=(number * 10_000) + (year * 10) % 10_000 + index,
                            award_year=year, occurred_on=datetime.date(year, rng.randint(1, 12), 1),
                            reason=REASON,
                        ))
                    if len(rows) >= BATCH * 5:
                        added += len(LedgerEntry.objects.bulk_create(rows, ignore_conflicts=True))
                        rows = []
            if rows:
                added += len(LedgerEntry.objects.bulk_create(rows, ignore_conflicts=True))
        if added:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {LedgerEntry._meta.db_table}")
        return added

    def _scenario(self, factory: RequestFactory, user, year: int, label: str, query: dict, runs: int) -> float:
        def page():
            request = factory.get("/recognition/leaderboard/", query)
            request.user = user
            response = board(request)
            assert response.status_code == 200, response.status_code
            return response

        page()  # untimed: warms caches
        timings, queries = [], set()
        for _run in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                page()
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
        p95 = percentile(timings, 0.95)
        self.stdout.write(
            f"  {year} {label:<22} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms"
            f"   queries {'/'.join(str(n) for n in sorted(queries))}"
        )
        return p95
