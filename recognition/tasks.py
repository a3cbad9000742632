"""Celery tasks: thin wrappers that call the services. Each is safe to run again and to run
on two workers at the same moment."""

from celery import shared_task

from .services.reconcile import ledger_reconcile


@shared_task(name="recognition.tasks.reconcile_ledger", acks_late=True)
def reconcile_ledger() -> dict:
    run = ledger_reconcile()
    return {"filled": run.filled, "reversed": run.reversed}
