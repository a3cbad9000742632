"""Celery tasks of the mail path: thin wrappers around `twinning.delivery`."""

from dataclasses import asdict

from celery import shared_task

from . import delivery


@shared_task(name="twinning.tasks.deliver_mail", acks_late=True)
def deliver_mail(mail_ids: list[int]) -> dict:
    return asdict(delivery.deliver(mail_ids=mail_ids))


@shared_task(name="twinning.tasks.deliver_due_mail", acks_late=True, soft_time_limit=4 * 60)
def deliver_due_mail() -> dict:
    return asdict(delivery.deliver_due())
