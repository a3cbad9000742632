"""Celery tasks: thin wrappers that call the services. Each service is safe to run
again and to run on two workers at the same moment."""

from celery import shared_task

from .services import reminders


@shared_task(name="evaluation.tasks.send_due_reminders", acks_late=True)
def send_due_reminders() -> dict:
    result = reminders.send_due_reminders()
    return {"created": result.created, "sent": result.sent, "failed": result.failed}
