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


@shared_task(name="twinning.tasks.send_password_reset", acks_late=True)
def send_password_reset(email: str) -> int:
    # Imported here: twinning.password_reset enqueues this task, so it imports this module.
    from . import password_reset

    return len(password_reset.password_reset_send(email=email))
