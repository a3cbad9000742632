"""Handing a partnership over when the officer who led it for a section leaves office.

`lead_vacancies_open` finds leads whose office in their section has ended, with no other
lead of that side still in office, and records one LeadVacancy per lead and ended office:
the section's officers are asked to name a new lead, on their home, on the partnership page
and by one email. It runs when an office's end date is edited (sections.signals.office_ended)
and nightly for offices that end by date (partnerships.tasks.open_lead_vacancies). Both may
run at the same moment: the unique constraint makes the row once, and the email is sent by
whoever claims `mailed_at` with a conditional update, so it goes once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sections.models import Officer, Section
from twinning import mail

from ..models import HandoverNote, Lead, LeadVacancy, Partnership
from ..models.partnership import OPEN_STATUSES


@dataclass
class HandoverRun:
    found: int = 0
    mailed: int = 0


def _vacancies_to_make(today: datetime.date, *, officer: Officer | None) -> list[LeadVacancy]:
    """One unsaved LeadVacancy per lead of an open partnership who holds no office in their
    section today but held one that ended, and whose side has no other lead in office."""
    leads = Lead.objects.filter(partnership__status__in=OPEN_STATUSES)
    if officer is not None:
        leads = leads.filter(section_id=officer.section_id, user_id=officer.user_id)
    leads = list(leads.only("pk", "partnership_id", "section_id", "user_id"))
    if not leads:
        return []
    section_ids = {lead.section_id for lead in leads}
    user_ids = {lead.user_id for lead in leads}
    in_office = set(
        Officer.objects.open_on(today)
        .filter(section_id__in=section_ids, user_id__in=user_ids)
        .values_list("section_id", "user_id")
    )
    # The last office each person held in each section, among those already over.
    last_ended: dict[tuple[int, int], int] = {}
    for office_id, section_id, user_id in (
        Officer.objects.filter(section_id__in=section_ids, user_id__in=user_ids, end_date__lt=today)
        .order_by("end_date", "pk")
        .values_list("pk", "section_id", "user_id")
    ):
        last_ended[(section_id, user_id)] = office_id
    sides_led = {
        (lead.partnership_id, lead.section_id) for lead in leads if (lead.section_id, lead.user_id) in in_office
    }
    if officer is not None:
        # Only this person's leads were loaded: their sides' other leads are asked here.
        sides_led |= _sides_led_by_others(leads, today)
    return [
        LeadVacancy(
            partnership_id=lead.partnership_id,
            section_id=lead.section_id,
            outgoing_id=lead.user_id,
            office_id=last_ended[(lead.section_id, lead.user_id)],
        )
        for lead in leads
        if (lead.section_id, lead.user_id) not in in_office
        and (lead.section_id, lead.user_id) in last_ended
        and (lead.partnership_id, lead.section_id) not in sides_led
    ]


def _sides_led_by_others(leads: list[Lead], today: datetime.date) -> set[tuple[int, int]]:
    others = Lead.objects.filter(partnership_id__in={lead.partnership_id for lead in leads}).exclude(
        pk__in=[lead.pk for lead in leads]
    )
    in_office = set(
        Officer.objects.open_on(today)
        .filter(section_id__in={lead.section_id for lead in leads})
        .values_list("section_id", "user_id")
    )
    return {
        (partnership_id, section_id)
        for partnership_id, section_id, user_id in others.values_list("partnership_id", "section_id", "user_id")
        if (section_id, user_id) in in_office
    }


def _officers_in_office(section_id: int, today: datetime.date) -> list:
    return [
        office.user
        for office in Officer.objects.open_on(today)
        .filter(section_id=section_id, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


def _mail_vacancy(vacancy_id: int, today: datetime.date) -> bool:
    """Email the section's officers in office about one open vacancy, once: the row is
    claimed by a conditional update, and a second worker's update, waiting on the first's
    row lock, finds it claimed. A section with nobody in office keeps it unclaimed, so its
    new officers are told when they start."""
    with transaction.atomic():
        vacancy = (
            LeadVacancy.objects.select_related("partnership", "section", "outgoing")
            .filter(pk=vacancy_id, mailed_at__isnull=True, resolved_at__isnull=True)
            .first()
        )
        if vacancy is None:
            return False
        recipients = _officers_in_office(vacancy.section_id, today)
        if not recipients:
            return False
        claimed = LeadVacancy.objects.filter(pk=vacancy_id, mailed_at__isnull=True).update(mailed_at=timezone.now())
        if claimed != 1:
            return False
        note = HandoverNote.objects.filter(partnership_id=vacancy.partnership_id, section_id=vacancy.section_id).first()
        mail.send(
            "partnerships/email/lead_vacancy",
            to=recipients,
            context={
                "vacancy": vacancy,
                "partnership": vacancy.partnership,
                "section": vacancy.section,
                "note": note,
                "url": mail.absolute_url(f"{vacancy.partnership.get_absolute_url()}#leads"),
            },
        )
        return True


def lead_vacancies_open(*, today: datetime.date | None = None, officer: Officer | None = None) -> HandoverRun:
    """Record the leads to name after offices ended on or before yesterday (for `officer`'s
    office only, when given) and email each section's officers once. Safe to run again and
    on two workers at once."""
    today = today or timezone.localdate()
    run = HandoverRun()
    candidates = _vacancies_to_make(today, officer=officer)
    if candidates:
        # ON CONFLICT DO NOTHING: a row another run (or an earlier one) made stays as it is.
        LeadVacancy.objects.bulk_create(candidates, ignore_conflicts=True)
        run.found = len(candidates)
    unmailed = LeadVacancy.objects.filter(
        mailed_at__isnull=True, resolved_at__isnull=True, partnership__status__in=OPEN_STATUSES
    )
    if officer is not None:
        unmailed = unmailed.filter(section_id=officer.section_id, outgoing_id=officer.user_id)
    for vacancy_id in list(unmailed.values_list("pk", flat=True)):
        run.mailed += _mail_vacancy(vacancy_id, today)
    return run


def lead_vacancies_resolve(*, partnership: Partnership, section: Section, actor) -> int:
    """The side named a lead in office: its open to-dos are done, and the outgoing leads,
    no longer in office there, leave the list of leads (the history keeps them). Called by
    lead_add under the partnership's lock."""
    open_vacancies = LeadVacancy.objects.filter(partnership=partnership, section=section, resolved_at__isnull=True)
    outgoing_ids = set(open_vacancies.values_list("outgoing_id", flat=True))
    resolved = open_vacancies.update(resolved_at=timezone.now(), resolved_by=actor)
    if outgoing_ids:
        still_in_office = set(
            Officer.objects.open_now().filter(section=section, user_id__in=outgoing_ids).values_list("user_id", flat=True)
        )
        for lead in Lead.objects.filter(partnership=partnership, section=section, user_id__in=outgoing_ids - still_in_office):
            lead._history_user = actor
            lead.delete()
    return resolved
