"""Celery tasks: thin wrappers that call the services, each safe to run again and on two
workers at the same moment."""

from dataclasses import asdict

from celery import shared_task

from .services import handover


@shared_task(name="partnerships.tasks.open_lead_vacancies", acks_late=True)
def open_lead_vacancies() -> dict:
    return asdict(handover.lead_vacancies_open())
