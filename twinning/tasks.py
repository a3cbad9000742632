"""Celery tasks of the kernel: the mail path (`twinning.delivery`), the nightly prune of
form tokens (`twinning.submissions`), the daily summaries (`twinning.summary`) and the purge
of old notices (`twinning.notices`), thin wrappers around them."""

from dataclasses import asdict

from celery import shared_task

from . import delivery, submissions


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


@shared_task(name="twinning.tasks.prune_form_submissions")
def prune_form_submissions() -> dict:
    return {"pruned": submissions.prune()}


@shared_task(name="twinning.tasks.send_daily_summaries", acks_late=True)
def send_daily_summaries() -> dict:
    # Imported here: twinning.summary sends through twinning.mail, which imports this module.
    from . import summary

    return asdict(summary.send_daily_summaries())


@shared_task(name="twinning.tasks.purge_notices")
def purge_notices() -> dict:
    from . import notices

    return {"purged": notices.notices_purge()}
