"""`python manage.py seed_scale --sections N --partnerships M --years Y`: synthetic data for benchmarks."""

import resource

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.scale_dashboards import build


class Command(BaseCommand):
    help = (
        "Create large synthetic data for benchmarks with bulk inserts: N sections over 20 districts and "
        "60 countries, one officer each, a coordinator per district, and M partnerships started within the last "
        "Y years, with their status changes, reporting, health and conflicts. Records carry "
        "the prefix 'scale'; running it again with the same numbers creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sections", type=int, required=True, help="How many synthetic sections to have.")
        parser.add_argument("--partnerships", type=int, default=0, help="How many synthetic partnerships to have.")
        parser.add_argument("--years", type=int, default=3, help="Partnerships were created within this many years.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--no-officers", action="store_true", help="Do not create one officer per section.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off (it fills the database with thousands of fake records).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_scale fills the database with thousands of synthetic records, so it runs only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        try:
            report = build(
                sections=options["sections"],
                partnerships=options["partnerships"],
                years=options["years"],
                seed=options["seed"],
                officers=not options["no_officers"],
                progress=(lambda message: self.stdout.write(message)) if options["verbosity"] > 1 else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        created = sum(report.created.values())
        if created and connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics and the visibility map behind until
            # autovacuum comes by; a benchmark run before then measures plans for empty tables (a
            # district's CSV took minutes instead of a second) and index-only scans that visit
            # the heap (the directory's countries: 8,333 heap fetches, 5 ms instead of 1). A live
            # database keeps up with both.
            # VACUUM cannot run in a transaction (a test's): there, the statistics alone.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(f"Created {created} records in {report.seconds:.2f} s:" if created else
                          f"Nothing to create: the data was already there ({report.seconds:.2f} s).")
        if created:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"Scale data ready: {options['sections']} sections, {options['partnerships']} partnerships."
        ))
        # The whole society must seed within 1 GiB (issue 15); on Linux ru_maxrss is in KiB.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"Peak memory: {peak:.0f} MiB")
