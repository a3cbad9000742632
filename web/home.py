"""The home page, shaped by who is asking: a visitor, an officer (their partnerships, each
with what comes next and who must act, and a to-do list), a coordinator, a society admin.

Composed here from each app's selectors, in a fixed number of queries however many
partnerships, check-ins or evaluations the user's sections have."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluation import selectors as evaluation_selectors
from evaluation.selectors.due import next_checkins, open_evaluation_sides
from evaluation.selectors.health import with_health
from partnerships import selectors as partnership_selectors
from partnerships.models import Participant, Partnership, Status
from sections import selectors as section_selectors
from sections.models import Society

from .access import dashboard_access


@dataclass
class PartnershipRow:
    """One of the user's partnerships: what comes next on it, by when, and who must act."""

    partnership: Partnership
    step: str
    url: str
    who: list[str] = field(default_factory=list)
    due: datetime.date | None = None
    overdue: bool = False


def _names(participants: list[Participant]) -> list[str]:
    return [participant.section.name for participant in participants]


def _row(partnership: Partnership, mine: set[int], checkins: dict, today: datetime.date) -> PartnershipRow:
    """What is pending on `partnership`, read from its prefetched sections and endorsements."""
    participants = list(partnership.participants.all())
    detail = partnership.get_absolute_url()
    status = partnership.status
    if status == Status.DRAFT:
        return PartnershipRow(
            partnership, _("Send the proposal"),
            reverse("partnerships:transition", args=[partnership.pk, "submit"]),
            who=_names([p for p in participants if p.section_id == partnership.proposing_section_id]),
        )
    if status == Status.PROPOSED:
        pending = [p for p in participants if p.response == Participant.Response.PENDING]
        ours = any(p.section_id in mine for p in pending)
        url = reverse("partnerships:answer", args=[partnership.pk]) if ours else detail
        return PartnershipRow(partnership, _("Accept or decline the proposal"), url, who=_names(pending))
    if status == Status.ACCEPTED:
        endorsed = {endorsement.district_id for endorsement in partnership.endorsements.all()}
        districts = {p.section.district for p in participants if p.section.district_id not in endorsed}
        who = [
            _("District coordinator of %(district)s") % {"district": district.name}
            for district in sorted(districts, key=lambda district: district.name)
        ]
        return PartnershipRow(partnership, _("Endorse the partnership"), detail, who=who)
    if status == Status.ENDORSED:
        return PartnershipRow(
            partnership, _("Name leads, plan and activate"), f"{detail}#plan", who=_names(participants)
        )
    if status == Status.SUSPENDED:
        return PartnershipRow(partnership, _("Resume or end the partnership"), detail, who=_names(participants))
    next_due = checkins.get(partnership.pk, [])
    if not next_due:
        return PartnershipRow(partnership, _("No check-in due yet"), detail)
    ours = [checkin for checkin in next_due if checkin.section_id in mine]
    url = (
        reverse("partnerships:checkin", args=[partnership.pk, ours[0].pk]) if ours else detail
    )
    due = next_due[0].due_on
    return PartnershipRow(
        partnership, _("File the check-in"), url,
        who=[checkin.section.name for checkin in next_due], due=due, overdue=due < today,
    )


def your_partnerships(section_ids: list[int]) -> list[PartnershipRow]:
    """The open partnerships of these sections, with health. A partner's draft stays out:
    until it is sent it is the proposing section's sketch."""
    mine = set(section_ids)
    partnerships = [
        partnership
        for partnership in with_health(partnership_selectors.open_partnerships_of_sections(section_ids=section_ids))
        if partnership.status != Status.DRAFT or partnership.proposing_section_id in mine
    ]
    checkins = next_checkins(partnership_ids=[p.pk for p in partnerships if p.status == Status.ACTIVE])
    today = timezone.localdate()
    return [_row(partnership, mine, checkins, today) for partnership in partnerships]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home/anonymous.html", {"society": Society.objects.first()})
    user = request.user
    sections = section_selectors.sections_of_officer(user=user)
    for section in sections:
        section.gaps = section_selectors.profile_gaps(section)
    section_ids = [section.pk for section in sections]
    waiting, waiting_count = partnership_selectors.partnerships_needing_action(user=user)
    context = {
        "my_sections": sections,
        "my_districts": section_selectors.districts_of_coordinator(user=user),
        "waiting": waiting,
        "waiting_count": waiting_count,
        "access": dashboard_access(user),
    }
    if section_ids:
        due_soon, overdue = evaluation_selectors.checkins_due(section_ids=section_ids)
        vacancies = partnership_selectors.open_lead_vacancies(section_ids=section_ids)
        handed_over = {(vacancy.partnership_id, vacancy.section_id) for vacancy in vacancies}
        context.update(
            partnership_rows=your_partnerships(section_ids),
            checkins_due_soon=due_soon,
            checkins_overdue=overdue,
            evaluations_to_confirm=open_evaluation_sides(section_ids=section_ids, unconfirmed=True),
            lead_vacancies=vacancies,
            # A side whose lead left office is listed once, with who left (above).
            leads_to_name=[
                side for side in partnership_selectors.sides_without_lead(section_ids=section_ids)
                if (side.partnership_id, side.section_id) not in handed_over
            ],
        )
    return render(request, "home/dashboard.html", context)
