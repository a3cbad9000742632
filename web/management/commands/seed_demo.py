from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.demo import seed_assessments, seed_checkins, seed_closings, seed_health, seed_lessons
from partnerships.demo import seed_partnerships
from recognition.demo import seed_recognition
from recognition.services.reconcile import ledger_reconcile
from sections.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_invitations, seed_sections
from web.demo import seed_notices


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo society. Safe to run again: it changes nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off (the demo accounts share a published password).",
        )

    def handle(self, *args, **options):
        # The demo accounts, a staff one among them, share a published password.
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        seed_sections()
        seed_invitations()
        seed_partnerships()
        seed_assessments()
        seed_checkins()
        seed_lessons()
        seed_closings()
        # After the reporting and the closings: health is read from both.
        seed_health()
        # The demo writes some records directly, with no service to tell recognition: the
        # nightly reconciliation would find them, so run it now for points to show at once.
        ledger_reconcile()
        # After the points: a nomination's statement is copied from the ledger.
        seed_recognition()
        # Last: the events above left their notices in the inbox.
        seed_notices()
        self.stdout.write(self.style.SUCCESS("Demo society ready."))
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for email, what in DEMO_LOGINS:
                self.stdout.write(f"  {email:<34} {what}")
