from django.core.management.base import BaseCommand

from evaluation.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Run one reminder sweep: the same code the periodic task runs."

    def handle(self, *args, **options):
        result = send_due_reminders()
        self.stdout.write(
            f"Reminders: {result.created} created, {result.sent} queued for sending; "
            f"mid-term review offers: {result.offers_sent} queued."
        )
