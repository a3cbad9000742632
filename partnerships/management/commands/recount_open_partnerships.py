"""`python manage.py recount_open_partnerships [--check]`: each section's stored count of
partnerships under way (what the partner finder weighs) against a fresh count."""

from django.core.management.base import BaseCommand, CommandError

from partnerships.services import open_partnerships_drift, open_partnerships_reconcile
from sections.models import Section


class Command(BaseCommand):
    help = (
        "Compare every section's stored count of partnerships under way with a fresh count and put right "
        "those that differ (changed outside the lifecycle: bulk inserts, raw SQL). --check only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report the sections whose count is wrong and fail; change nothing."
        )

    def handle(self, *args, **options):
        drift = open_partnerships_drift() if options["check"] else open_partnerships_reconcile()
        names = dict(Section.objects.filter(pk__in=list(drift)[:50]).values_list("pk", "name"))
        for pk, (stored, fresh) in list(drift.items())[:50]:
            self.stdout.write(f"  {names.get(pk, pk)}: stored {stored}, counted {fresh}")
        if len(drift) > 50:
            self.stdout.write(f"  … and {len(drift) - 50} more.")
        if not drift:
            self.stdout.write(self.style.SUCCESS("Every section's count of partnerships under way is right."))
        elif options["check"]:
            raise CommandError(f"{len(drift)} section(s) have a wrong count of partnerships under way.")
        else:
            self.stdout.write(self.style.WARNING(f"Put right the count of {len(drift)} section(s)."))
