"""Every change of a partnership's status, described once: where it may start, where it
leads, who may start it, and the words the pages and messages use for it. The lifecycle
services check against these specs, the transition page asks for the reason they name,
and the partnership page draws its buttons from them, in this order.

    draft → proposed → accepted (by every invited section) → endorsed (for every
    participating district) → active ⇄ suspended → completed | ended early.
    A proposal closes as declined or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Status


@dataclass(frozen=True)
class TransitionSpec:
    action: str
    sources: tuple[str, ...]
    target: str
    past: Promise  # "This partnership is …, so it cannot be <past> now."
    title: Promise = _("Change the status")
    # The confirming button on the transition page; `link` is the button on the partnership
    # page that leads there, when it says more.
    button: Promise = _("Confirm")
    link: Promise | None = None
    done: Promise = _("The change was recorded.")
    # What the transition page asks for: "reason", "comment" or nothing.
    note: str = ""
    # Set when the note may not be left empty: the message that says so.
    note_required: Promise | None = None
    # Bootstrap button style on the partnership page.
    style: str = "btn-outline-primary"
    proposer_only: bool = False
    endorsement: bool = False
    answer: bool = False
    refusal: Promise = _("Only officers of a participating section can do this.")

    @property
    def link_label(self) -> Promise:
        return self.link or self.button


TRANSITIONS: dict[str, TransitionSpec] = {
    spec.action: spec
    for spec in (
        TransitionSpec(
            "submit", (Status.DRAFT,), Status.PROPOSED, _("proposed"),
            title=_("Send the proposal"), button=_("Send"), link=_("Send the proposal"),
            done=_("The proposal was sent to the partner section."), style="btn-primary",
            proposer_only=True, refusal=_("Only officers of the proposing section can send the proposal."),
        ),
        TransitionSpec("accept", (Status.PROPOSED,), Status.ACCEPTED, _("accepted"), answer=True),
        TransitionSpec("decline", (Status.PROPOSED,), Status.DECLINED, _("declined"), answer=True),
        TransitionSpec(
            "endorse", (Status.ACCEPTED,), Status.ENDORSED, _("endorsed"),
            title=_("Endorse the partnership"), button=_("Endorse"), done=_("Your endorsement was recorded."),
            note="comment", style="btn-primary", endorsement=True,
            refusal=_("There is no endorsement left that you can give."),
        ),
        TransitionSpec(
            "activate", (Status.ENDORSED,), Status.ACTIVE, _("activated"),
            title=_("Activate the partnership"), button=_("Activate"), done=_("The partnership is active."),
            style="btn-primary",
        ),
        TransitionSpec(
            "resume", (Status.SUSPENDED,), Status.ACTIVE, _("resumed"),
            title=_("Resume the partnership"), button=_("Resume"), done=_("The partnership is active again."),
            note="reason", style="btn-primary",
        ),
        TransitionSpec(
            "complete", (Status.ACTIVE,), Status.COMPLETED, _("completed"),
            title=_("Complete the partnership"), button=_("Complete"), done=_("The partnership is complete."),
            note="reason", style="btn-outline-success",
        ),
        TransitionSpec(
            "suspend", (Status.ACTIVE,), Status.SUSPENDED, _("suspended"),
            title=_("Suspend the partnership"), button=_("Suspend"), done=_("The partnership is suspended."),
            note="reason", note_required=_("Say why the partnership is suspended."), style="btn-outline-secondary",
        ),
        TransitionSpec(
            "end", (Status.ACTIVE, Status.SUSPENDED), Status.ENDED, _("ended"),
            title=_("End the partnership early"), button=_("End early"), done=_("The partnership was ended."),
            note="reason", note_required=_("Say why the partnership ends early."), style="btn-outline-danger",
        ),
        TransitionSpec(
            "withdraw", (Status.DRAFT, Status.PROPOSED, Status.ACCEPTED, Status.ENDORSED), Status.WITHDRAWN,
            _("withdrawn"),
            title=_("Withdraw the proposal"), button=_("Withdraw"), done=_("The proposal was withdrawn."),
            note="reason", style="btn-outline-danger", proposer_only=True,
            refusal=_("Only officers of the proposing section can withdraw the proposal."),
        ),
    )
}


def allowed_actions(status: str) -> set[str]:
    return {spec.action for spec in TRANSITIONS.values() if status in spec.sources}
