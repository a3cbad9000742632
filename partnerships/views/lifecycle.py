"""Proposing, answering and every other change of a partnership's status.

Each view: a permission-scoped fetch, a form, one service call, a redirect with a
message. A role that may not make the change gets 403 (the service says so); a
change the partnership's state does not allow comes back as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sections.models import Section, TwinningForm
from sections.permissions import get_section_for_edit

from twinning.forms import add_validation_errors

from .. import permissions, services
from ..forms import CadenceForm, ProposalForm, ReasonForm, ResponseForm
from ..models import Participant, Status
from ..services import TransitionRefused

# action → (service, form field passed on as, reason required, page title, button, success message)
ACTIONS = {
    "submit": (services.partnership_submit, None, False, gettext_lazy("Send the proposal"),
               gettext_lazy("Send"), gettext_lazy("The proposal was sent to the partner section.")),
    "withdraw": (services.partnership_withdraw, "reason", False, gettext_lazy("Withdraw the proposal"),
                 gettext_lazy("Withdraw"), gettext_lazy("The proposal was withdrawn.")),
    "endorse": (services.partnership_endorse, "comment", False, gettext_lazy("Endorse the partnership"),
                gettext_lazy("Endorse"), gettext_lazy("Your endorsement was recorded.")),
    "activate": (services.partnership_activate, None, False, gettext_lazy("Activate the partnership"),
                 gettext_lazy("Activate"), gettext_lazy("The partnership is active.")),
    "suspend": (services.partnership_suspend, "reason", True, gettext_lazy("Suspend the partnership"),
                gettext_lazy("Suspend"), gettext_lazy("The partnership is suspended.")),
    "resume": (services.partnership_resume, "reason", False, gettext_lazy("Resume the partnership"),
               gettext_lazy("Resume"), gettext_lazy("The partnership is active again.")),
    "complete": (services.partnership_complete, "reason", False, gettext_lazy("Complete the partnership"),
                 gettext_lazy("Complete"), gettext_lazy("The partnership is complete.")),
    "end": (services.partnership_end, "reason", True, gettext_lazy("End the partnership early"),
            gettext_lazy("End early"), gettext_lazy("The partnership was ended.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_section_for_edit(request.user, slug)
    initial = {}
    partner_slug = request.GET.get("partner")
    if partner_slug:
        initial["partner"] = Section.objects.filter(slug=partner_slug).exclude(pk=section.pk).first()
    form_code = request.GET.get("form")
    if form_code:
        initial["twinning_forms"] = list(TwinningForm.objects.filter(code=form_code))
    form = ProposalForm(request.POST or None, initial=initial, proposing_section=section)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partners = [data["partner"], *data["more_partners"]]
        try:
            partnership = services.partnership_propose(
                actor=request.user,
                proposing_section=section,
                partner_sections=partners,
                title=data["title"],
                purpose=data["purpose"],
                forms=data["twinning_forms"],
                start_date=data["start_date"],
                planned_end_date=data["planned_end_date"],
                exploratory=data["exploratory"],
                gives={section.pk: data["our_gives"], data["partner"].pk: data["partner_gives"]},
                gains={section.pk: data["our_gains"], data["partner"].pk: data["partner_gains"]},
                facilitator_kind=data["facilitator_kind"],
                facilitator_district=data["facilitator_district"],
                facilitator_section=data["facilitator_section"],
                facilitator_name=data["facilitator_name"],
                submit="draft" not in request.POST,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if partnership.status == Status.DRAFT:
                messages.success(request, _("The draft was saved. Send it when you are ready."))
            else:
                messages.success(request, _("The proposal was sent. The partner section's officers were told."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/propose.html",
        {"section": section, "form": form, "not_ready": section.readiness_verdict == "not-yet"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited section accepts or declines, and may restate its own give and take."""
    partnership = permissions.get_partnership_for_user(request.user, pk)
    acting = permissions.acting_section_ids(request.user, partnership)
    participant = (
        partnership.participants.select_related("section")
        .filter(section_id__in=acting, response=Participant.Response.PENDING)
        .first()
    )
    if participant is None or partnership.status != Status.PROPOSED:
        raise Http404("Nothing to answer.")
    form = ResponseForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "decline" in request.POST:
                services.partnership_decline(
                    partnership=partnership, section=participant.section, actor=request.user,
                    comment=data["comment"],
                )
                messages.info(request, _("You declined the proposal. The proposing section was told."))
            else:
                services.partnership_accept(
                    partnership=partnership, section=participant.section, actor=request.user,
                    comment=data["comment"], gives=data["gives"], gains=data["gains"],
                )
                messages.success(request, _("You accepted the proposal."))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        return redirect(partnership)
    return render(
        request, "partnerships/answer.html", {"partnership": partnership, "participant": participant, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    service, field, required, title, button, done = ACTIONS[action]
    partnership = permissions.get_partnership_for_user(request.user, pk)
    if not permissions.may_attempt(request.user, partnership, action):
        raise PermissionDenied(_("Your role does not allow this change."))
    if field == "comment":
        label = gettext_lazy("Comment (optional)")
    else:
        label = gettext_lazy("Reason") if required else gettext_lazy("Reason (optional)")
    if action == "activate":
        # Left unchosen, the partnership keeps its cadence (quarterly unless changed).
        data = request.POST if request.method == "POST" else None
        form = CadenceForm(data, required=False, initial={"cadence": partnership.cadence})
    elif field:
        form = ReasonForm(request.POST or None, required=required, label=label)
    else:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        if action == "activate":
            kwargs = {"cadence": form.cleaned_data["cadence"]}
        else:
            kwargs = {field: form.cleaned_data["reason"]} if field else {}
        try:
            service(partnership=partnership, actor=request.user, **kwargs)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(partnership)
        if form is None or not form.errors:
            return redirect(partnership)
    context = {
        "partnership": partnership,
        "action": action,
        "title": title,
        "button": button,
        "form": form,
        "gaps": services.activation_gaps(partnership) if action == "activate" else [],
    }
    return render(request, "partnerships/transition.html", context)
