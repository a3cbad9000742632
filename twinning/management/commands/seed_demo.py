from django.core.management.base import BaseCommand

from sections.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_sections


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo society. Safe to run again: it changes nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        seed_sections()
        self.stdout.write(self.style.SUCCESS("Demo society ready."))
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for email, what in DEMO_LOGINS:
                self.stdout.write(f"  {email:<34} {what}")
