"""Emails about a partnership's life, queued through the mail path once the change commits.

One message per recipient (`twinning.mail.send`), HTML and plain text, linking back to
the partnership's page; subjects and bodies are the templates under
templates/partnerships/email/.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sections.models import Officer
from sections.selectors import coordinators_of_districts
from twinning import mail

from .models import Conflict, Partnership
from .selectors import leads_in_office

# event → (who hears of it, what happened); the subject is in event-subject.txt.
EVENTS = {
    "proposed": ("invited", _("%(proposer)s proposes a twinning partnership to your section. Please read it and accept or decline.")),
    "accepted": ("participants", _("Every invited section has accepted the partnership. It now waits for the district endorsement.")),
    "declined": ("participants", _("The proposal was declined. The page shows the comment given.")),
    "withdrawn": ("participants", _("The proposing section withdrew the proposal.")),
    "needs_endorsement": ("coordinators", _("Sections of your district have agreed to twin. Please review and endorse the partnership.")),
    "endorsed": ("participants", _("The partnership is endorsed. Name the leads, complete the work plan and activate it.")),
    "activated": ("participants", _("The partnership is active. Good luck with the work ahead!")),
    "suspended": ("participants", _("The partnership was suspended. The page shows the reason given.")),
    "resumed": ("participants", _("The partnership is active again.")),
    "completed": ("participants", _("The partnership is complete. Thank you to everyone who took part.")),
    "ended": ("participants", _("The partnership was ended early. The page shows the reason given.")),
}


def _officer_emails(section_ids) -> set[str]:
    return set(
        Officer.objects.open_now()
        .filter(section_id__in=section_ids, user__is_active=True)
        .values_list("user__email", flat=True)
    )


def _coordinator_emails(district_ids) -> set[str]:
    # A district without a coordinator: the society admins endorse for it and hear of it.
    return {user.email for users in coordinators_of_districts(district_ids).values() for user in users}


def recipients(partnership: Partnership, audience: str) -> list[str]:
    participants = partnership.participants.all()
    if audience == "invited":
        emails = _officer_emails(p.section_id for p in participants if p.section_id != partnership.proposing_section_id)
    elif audience == "coordinators":
        emails = _coordinator_emails(participants.values_list("section__district_id", flat=True))
    else:
        emails = _officer_emails(participants.values_list("section_id", flat=True))
        # A lead whose office has ended, or whose account is closed, no longer speaks for the
        # section: only leads in office hear of the partnership.
        emails |= {lead.user.email for lead in leads_in_office(partnership_ids=[partnership.pk])}
    return sorted(emails)


def _url(partnership: Partnership, anchor: str = "") -> str:
    return mail.absolute_url(f"{partnership.get_absolute_url()}{anchor}")


def _send(partnership_id: int, event: str) -> None:
    audience, sentence = EVENTS[event]
    partnership = Partnership.objects.select_related("proposing_section").get(pk=partnership_id)
    mail.send(
        "partnerships/email/event",
        to=recipients(partnership, audience),
        context={
            "event": event,
            "partnership": partnership,
            "message": sentence % {"proposer": partnership.proposing_section},
            "url": _url(partnership),
        },
    )


def partnership_event(partnership: Partnership, event: str) -> None:
    """Tell the people concerned about `event`, once the transaction has committed."""
    transaction.on_commit(lambda: _send(partnership.pk, event))


def _mediator_emails(conflict) -> list[str]:
    partnership = conflict.partnership
    if conflict.mediator == "facilitator":
        if partnership.facilitator_section_id:
            return sorted(_officer_emails([partnership.facilitator_section_id]))
        if partnership.facilitator_district_id:
            return sorted(_coordinator_emails([partnership.facilitator_district_id]))
    # An outside facilitator has no account here: the coordinators pass it on.
    return recipients(partnership, "coordinators")


def _send_mediation(conflict_id: int) -> None:
    conflict = Conflict.objects.select_related("partnership", "raised_for").get(pk=conflict_id)
    mail.send(
        "partnerships/email/mediation",
        to=_mediator_emails(conflict),
        context={
            "conflict": conflict,
            "partnership": conflict.partnership,
            "url": _url(conflict.partnership, "#logs"),
        },
    )


def mediation_requested(conflict) -> None:
    transaction.on_commit(lambda: _send_mediation(conflict.pk))
