"""Celery tasks: thin wrappers that call the services. Each service is safe to run
again and to run on two workers at the same moment."""

from dataclasses import asdict

from celery import shared_task

from .services import digest, health, reminders


@shared_task(name="evaluation.tasks.send_due_reminders", acks_late=True)
def send_due_reminders() -> dict:
    return asdict(reminders.send_due_reminders())


@shared_task(name="evaluation.tasks.record_health", acks_late=True)
def record_health() -> dict:
    return {"changed": health.record_health_changes()}


@shared_task(name="evaluation.tasks.send_weekly_digests", acks_late=True)
def send_weekly_digests() -> dict:
    return asdict(digest.send_weekly_digests())
