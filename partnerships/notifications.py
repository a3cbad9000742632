"""Emails about a partnership's life, queued through the mail path once the change commits.

One message per recipient (`twinning.mail.send`), HTML and plain text, linking back to
the partnership's page; subjects and bodies are the templates under
templates/partnerships/email/.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sections.models import Officer, Section
from sections.selectors import coordinators_of_districts
from twinning import mail
from twinning.models import User

from .models import AgreementChange, Conflict, Instalment, MaturityProposal, Partnership
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


def _other_sides_emails(partnership: Partnership, section_ids, actor) -> list[str]:
    """The officers in office of the participating sections other than `section_ids` (their
    leads in office among them): the side that did not make the change hears of it, not the
    one who made it, even when they also hold an office there."""
    others = set(partnership.participants.exclude(section_id__in=list(section_ids)).values_list("section_id", flat=True))
    emails = _officer_emails(others)
    emails.discard(getattr(actor, "email", None))
    return sorted(emails)


def _send_side_change(partnership_id: int, section_id: int, actor_id, context: dict) -> None:
    partnership = Partnership.objects.get(pk=partnership_id)
    section = Section.objects.get(pk=section_id)
    actor = User.objects.filter(pk=actor_id).first()
    mail.send(
        "partnerships/email/side_change",
        to=_other_sides_emails(partnership, [section_id], actor),
        context={
            **context,
            "partnership": partnership,
            "section": section,
            "actor": actor,
            "url": _url(partnership, context.get("anchor", "")),
        },
    )


def side_changed(partnership: Partnership, *, section, actor, what: str, before: str, after: str) -> None:
    """Tell the other side that `section` changed `what` of its own record, from `before`
    to `after`, once the change commits."""
    context = {"what": str(what), "before": before, "after": after, "anchor": "#history"}
    transaction.on_commit(lambda: _send_side_change(partnership.pk, section.pk, actor.pk, context))


AGREEMENT_EVENTS = {
    # event → (who hears of it: the side that must answer, or the one that proposed)
    "proposed": "others",
    "confirmed": "proposer",
    "declined": "proposer",
    "withdrawn": "others",
}


def _send_agreement_change(change_id: int, event: str) -> None:
    change = AgreementChange.objects.select_related("partnership", "proposed_by_section", "decided_by").get(
        pk=change_id
    )
    partnership = change.partnership
    if AGREEMENT_EVENTS[event] == "others":
        to = _other_sides_emails(partnership, [change.proposed_by_section_id], change.proposed_by)
    else:
        to = sorted(_officer_emails([change.proposed_by_section_id]))
    mail.send(
        "partnerships/email/side_change",
        to=to,
        context={
            "agreement_event": event,
            "change": change,
            "partnership": partnership,
            "section": change.proposed_by_section,
            "actor": change.decided_by if event != "proposed" else change.proposed_by,
            "url": _url(partnership, "#agreement"),
        },
    )


def agreement_change_event(change, event: str) -> None:
    """A proposed agreement change asks the other side to answer; its answer (or its
    withdrawal) is told to the side that has to know. After the commit."""
    transaction.on_commit(lambda: _send_agreement_change(change.pk, event))


def _send_instalment(instalment_id: int, event: str) -> None:
    instalment = Instalment.objects.select_related(
        "partnership", "agreement__giver", "agreement__receiver"
    ).get(pk=instalment_id)
    agreement = instalment.agreement
    # Sent: the receiver is asked to confirm when it arrives. Received: the giver learns it
    # arrived, and whether what arrived differs from what was planned.
    told, other = (agreement.receiver, agreement.giver) if event == "sent" else (agreement.giver, agreement.receiver)
    mail.send(
        "partnerships/email/instalment",
        to=sorted(_officer_emails([told.pk])),
        context={
            "event": event,
            "instalment": instalment,
            "currency": agreement.currency,
            "partnership": instalment.partnership,
            "section": other,
            "mismatch": instalment.mismatch,
            "url": _url(instalment.partnership, "#finances"),
        },
    )


def instalment_event(instalment: Instalment, event: str) -> None:
    """An instalment recorded as sent tells the receiving side; confirmed received, the giving
    side. After the commit."""
    transaction.on_commit(lambda: _send_instalment(instalment.pk, event))


def _send_maturity(proposal_id: int) -> None:
    proposal = MaturityProposal.objects.select_related("section", "partnership").get(pk=proposal_id)
    if proposal.is_pending:
        to = sorted(_coordinator_emails([proposal.section.district_id]))
    else:
        to = sorted(_officer_emails([proposal.section_id]))
    mail.send(
        "partnerships/email/maturity",
        to=to,
        context={
            "proposal": proposal,
            "partnership": proposal.partnership,
            "section": proposal.section,
            "url": _url(proposal.partnership, "#growth"),
        },
    )


def maturity_event(proposal: MaturityProposal) -> None:
    """A proposal that the section has reached "developing" asks its coordinator to decide;
    the decision is told to the section's officers. After the commit."""
    transaction.on_commit(lambda: _send_maturity(proposal.pk))
