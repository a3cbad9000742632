"""Emails about a partnership's life, sent after the change is committed.

Each message is HTML and plain text and links back to the partnership's page.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from sections.models import Officer
from sections.selectors import coordinators_of_districts

from .models import Conflict, Partnership

logger = logging.getLogger(__name__)

# event → (who hears of it, subject, what happened)
EVENTS = {
    "proposed": ("invited", _("A twinning proposal for your section"),
                 _("%(proposer)s proposes a twinning partnership to your section. Please read it and accept or decline.")),
    "accepted": ("participants", _("Twinning proposal accepted"),
                 _("Every invited section has accepted the partnership. It now waits for the district endorsement.")),
    "declined": ("participants", _("Twinning proposal declined"),
                 _("The proposal was declined. The page shows the comment given.")),
    "withdrawn": ("participants", _("Twinning proposal withdrawn"),
                  _("The proposing section withdrew the proposal.")),
    "needs_endorsement": ("coordinators", _("A twinning partnership needs your endorsement"),
                          _("Sections of your district have agreed to twin. Please review and endorse the partnership.")),
    "endorsed": ("participants", _("Twinning partnership endorsed"),
                 _("The partnership is endorsed. Name the leads, complete the work plan and activate it.")),
    "activated": ("participants", _("Twinning partnership activated"),
                  _("The partnership is active. Good luck with the work ahead!")),
    "suspended": ("participants", _("Twinning partnership suspended"),
                  _("The partnership was suspended. The page shows the reason given.")),
    "resumed": ("participants", _("Twinning partnership resumed"), _("The partnership is active again.")),
    "completed": ("participants", _("Twinning partnership completed"),
                  _("The partnership is complete. Thank you to everyone who took part.")),
    "ended": ("participants", _("Twinning partnership ended early"),
              _("The partnership was ended early. The page shows the reason given.")),
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
        emails |= set(partnership.leads.values_list("user__email", flat=True))
    return sorted(emails)


def _deliver(*, partnership: Partnership, to: list[str], subject: str, message: str, anchor: str = "") -> None:
    if not to:
        return
    context = {
        "partnership": partnership,
        "message": message,
        "url": f"{settings.SITE_URL}{partnership.get_absolute_url()}{anchor}",
        "society_name": settings.SOCIETY_NAME,
    }
    email = EmailMultiAlternatives(
        subject=f"{subject}: {partnership.title}",
        body=render_to_string("partnerships/email/event.txt", context),
        to=to,
    )
    email.attach_alternative(render_to_string("partnerships/email/event.html", context), "text/html")
    try:
        email.send()
    except Exception:
        # The change itself is saved; a mail server hiccup must not turn it into an error page.
        logger.exception("Could not send %r for partnership %s", subject, partnership.pk)


def _send(partnership_id: int, event: str) -> None:
    audience, subject, sentence = EVENTS[event]
    partnership = Partnership.objects.select_related("proposing_section").get(pk=partnership_id)
    _deliver(
        partnership=partnership,
        to=recipients(partnership, audience),
        subject=str(subject),
        message=sentence % {"proposer": partnership.proposing_section},
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
    _deliver(
        partnership=conflict.partnership,
        to=_mediator_emails(conflict),
        subject=str(_("Mediation requested")),
        message=_("%(section)s asks for your help to mediate a disagreement: %(description)s")
        % {"section": conflict.raised_for, "description": conflict.description},
        anchor="#logs",
    )


def mediation_requested(conflict) -> None:
    transaction.on_commit(lambda: _send_mediation(conflict.pk))
