from django.core.management.base import BaseCommand

from recognition.services.reconcile import ledger_reconcile


class Command(BaseCommand):
    help = "Reconcile the points ledger with the records once: the same code the nightly task runs."

    def handle(self, *args, **options):
        run = ledger_reconcile()
        self.stdout.write(f"Points ledger: {run.filled} entries filled, {run.reversed} reversed.")
