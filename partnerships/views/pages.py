"""The partnership page and the signed agreement behind a permission check (the list is
composed by the web layer, which adds health to it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from twinning.panels import collect
from twinning.uploads import attachment

from .. import permissions, selectors
from ..forms import LeadForm
from ..models import Partnership, Status
from ..services import activation_gaps
from ..signals import partnership_badges, partnership_panels


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(
        request.user, pk, within=selectors.partnership_detail_queryset()
    )
    selectors.read_detail_relations(partnership)
    today = timezone.localdate()
    warnings = selectors.plan_warnings(partnership, today, prefetched=True)
    pending_change = next((change for change in partnership.agreement_changes.all() if change.is_pending), None)
    selectors.flag_plan_items(partnership, warnings)
    participants = list(partnership.participants.all())
    context = {
        "partnership": partnership,
        "participants": participants,
        "handover_sides": _handover_sides(partnership, participants, access),
        "access": access,
        "gaps": activation_gaps(partnership, today) if partnership.status == Status.ENDORSED else [],
        "plan_warnings": warnings,
        "history": selectors.partnership_history(partnership=partnership),
        "lead_form": LeadForm(
            candidates=selectors.lead_candidates(partnership=partnership, section_ids=access.editable_section_ids)
        ) if access.editable_section_ids else None,
        "pending_change": pending_change,
        "change_sections": access.change_sections_to_answer(pending_change) if pending_change else frozenset(),
        "may_withdraw_change": bool(pending_change) and access.may_withdraw_change(pending_change),
        "has_objectives": any(goal.objectives.all() for goal in partnership.goals.all()),
        "badges": collect(partnership_badges, sender=Partnership, request=request, partnership=partnership),
        "panels": collect(partnership_panels, sender=Partnership, request=request, partnership=partnership, access=access),
    }
    return render(request, "partnerships/detail.html", context)


def _handover_sides(partnership: Partnership, participants: list, access) -> list[dict]:
    """For each side the user acts for: the leads it must name again (their office ended)
    and the note its outgoing officers left, read from the page's prefetched rows."""
    notes = {note.section_id: note for note in partnership.handover_notes.all()}
    return [
        {
            "section": participant.section,
            "vacancies": [v for v in partnership.open_lead_vacancies if v.section_id == participant.section_id],
            "note": notes.get(participant.section_id),
            "may_write": access.may_change_side(participant.section_id),
        }
        for participant in participants
        if access.acts_for(participant.section_id)
    ]


@login_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed agreement as a download; a file the storage lost answers the "document is
    missing" page, pointing to where it is uploaded again."""
    partnership, _access = permissions.get_partnership_for_user(request.user, pk)
    if not partnership.agreement_document:
        raise Http404("No signed agreement uploaded.")
    return attachment(
        request, partnership.agreement_document, back_url=f"{partnership.get_absolute_url()}#agreement"
    )
