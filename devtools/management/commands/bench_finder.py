"""`python manage.py bench_finder --sections 5000`: how fast the partner finder ranks that many candidates."""

from __future__ import annotations

import cProfile
import io
import math
import pstats
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.scale import PARTNERSHIP_TITLE_PREFIX, PREFIX, SECTION_SLUG, build
from partnerships import finder
from partnerships.models import Partnership
from sections.models import Section, TwinningForm


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = (
        "Make sure N candidate sections exist (the synthetic ones of seed_scale), then time the partner "
        "finder ranking them for one section: median and 95th percentile in milliseconds, candidates "
        "and SQL queries per ranking."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sections", type=int, default=5000, help="Candidate sections to rank (default 5000).")
        parser.add_argument("--runs", type=int, default=20, help="Timed rankings per scenario (default 20).")
        parser.add_argument(
            "--partnerships", type=int, default=None,
            help="Synthetic partnerships to have, so load and open partners count (default: half the sections).",
        )
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--profile", action="store_true", help="Print a cProfile of one ranking per scenario.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Create the synthetic sections even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        count, runs = options["sections"], options["runs"]
        if count < 1 or runs < 1:
            raise CommandError("--sections and --runs must be at least 1.")
        partnerships = options["partnerships"] if options["partnerships"] is not None else count // 2
        # The section ranked for is scale section 0; the N candidates come after it.
        wanted_sections = count + 1
        have_sections = Section.objects.filter(slug__startswith=f"{PREFIX}-").count()
        missing = have_sections < wanted_sections or not self._have_partnerships(partnerships)
        if missing and not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "bench_finder needs to create synthetic sections, which it does only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        report = build(
            sections=wanted_sections, partnerships=partnerships, years=options["years"], seed=options["seed"]
        )
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
        if created:
            self.stdout.write(f"Seeded in {report.seconds:.1f} s: {created}.")

        section = Section.objects.get(slug=SECTION_SLUG.format(0))
        growing = TwinningForm.objects.filter(code=TwinningForm.Code.GROWING_SECTION).first()
        scenarios = [
            ("no filter", finder.Criteria()),
            ("form: growing a formative section", finder.Criteria(form=growing)),
            ("own country included", finder.Criteria(same_country=True)),
        ]
        total = Section.objects.exclude(pk=section.pk).count()
        self.stdout.write(
            f"Ranking for {section.name} ({section.get_kind_display()}, {section.get_maturity_display()}, "
            f"{section.country.name}) among {total} other sections; {runs} runs per scenario "
            f"on {connection.vendor}."
        )
        for label, criteria in scenarios:
            self._scenario(section, label, criteria, runs, profile=options["profile"])

    def _have_partnerships(self, count: int) -> bool:
        return Partnership.objects.filter(title__startswith=PARTNERSHIP_TITLE_PREFIX).count() >= count

    def _scenario(self, section: Section, label: str, criteria: finder.Criteria, runs: int, *, profile: bool):
        # The candidates the finder loads and scores: other sections, other countries unless included.
        candidates = Section.objects.exclude(pk=section.pk)
        if not criteria.same_country:
            candidates = candidates.exclude(country=section.country)
        considered = candidates.count()
        # The first ranking with no profile cached anywhere (after a deployment, a cache flush),
        # then one in a new process that finds them in the shared cache; the timed runs after
        # them are a process that holds them already, as a web worker does after its first view.
        cache.delete(finder.CACHE_KEY)
        finder._known.clear()
        finder._built.clear()
        started = time.perf_counter()
        finder.rank(section, criteria)
        cold = (time.perf_counter() - started) * 1000
        finder._known.clear()
        finder._built.clear()
        started = time.perf_counter()
        matches = finder.rank(section, criteria)
        shared = (time.perf_counter() - started) * 1000
        timings, queries = [], set()
        for _run in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                matches = finder.rank(section, criteria)
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
        query_text = "/".join(str(n) for n in sorted(queries))
        self.stdout.write(
            f"  {label:<36} median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
            f"candidates {considered:>6}   ranked {len(matches):>6}   queries {query_text}"
        )
        self.stdout.write(f"  {'':<36} first ranking {cold:7.1f} ms with no profile cached, "
                          f"{shared:7.1f} ms in a new process (shared cache)")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            finder.rank(section, criteria)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
            self.stdout.write(out.getvalue())
