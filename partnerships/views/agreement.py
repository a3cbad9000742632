"""The agreement page, where a side proposes a change to the shared agreement and records
who signed for it; the other side's answer to a proposed change; its proposed document.

A change to the agreement waits for the other side (partnerships/services/agreement.py);
the page says so, and the partnership page offers the answer to whoever gives it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.forms import add_validation_errors
from twinning.uploads import attachment

from .. import permissions, services
from ..forms import AgreementForm, ReasonForm
from ..models import AgreementChange
from .plan import _editable_partnership, _form_page

DECISIONS = ("confirm", "decline", "withdraw")


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    own = partnership.participants.select_related("section").filter(section_id__in=access.editable_section_ids)
    initial = {
        "kind": partnership.agreement_kind, "signed_on": partnership.agreement_signed_on,
        "planned_end_date": partnership.planned_end_date,
    }
    form = AgreementForm(
        request.POST or None, request.FILES or None, initial=initial, participants=own,
        agreement=access.may_propose_agreement,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = None
        try:
            with transaction.atomic():
                for participant in form.participants:
                    services.signatory_record(
                        partnership=partnership, actor=request.user, section=participant.section,
                        signed_by=form.signed_by()[participant.section_id],
                    )
                if access.may_propose_agreement:
                    change = services.agreement_record(
                        partnership=partnership, actor=request.user, kind=data["kind"], signed_on=data["signed_on"],
                        document=data["document"], planned_end_date=data["planned_end_date"],
                    )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if change is not None:
                messages.success(
                    request,
                    _("Your change to the agreement was sent to the other side: it applies once they confirm it."),
                )
            else:
                messages.success(request, _("The agreement was saved."))
            return redirect(f"{partnership.get_absolute_url()}#agreement")
    return _form_page(request, partnership, form, _("Record the agreement"), "agreement")


@login_required
@require_POST
def agreement_change_decide(request: HttpRequest, pk: int, change_id: int, decision: str) -> HttpResponse:
    """The other side confirms or declines a proposed change; the proposing side withdraws it."""
    if decision not in DECISIONS:
        raise Http404("No such decision.")
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    change = get_object_or_404(
        partnership.agreement_changes.select_related("proposed_by_section").prefetch_related("confirmations"),
        pk=change_id,
    )
    back = f"{partnership.get_absolute_url()}#agreement"
    if not change.is_pending:
        # A second click, or the other side answered first: say what became of it.
        messages.info(request, _("This change was already %(state)s.") % {"state": change.get_state_display().lower()})
        return redirect(back)
    if decision == "withdraw":
        if not access.may_withdraw_change(change):
            raise PermissionDenied(_("Only officers of the proposing side withdraw this change."))
    elif not access.change_sections_to_answer(change):
        raise PermissionDenied(_("Only an officer of the other side, not the one who proposed it, answers this change."))
    form = ReasonForm(request.POST, required=False)
    comment = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if decision == "confirm":
            change = services.agreement_change_confirm(change=change, actor=request.user)
            if change.state == AgreementChange.State.CONFIRMED:
                messages.success(request, _("You confirmed the change: the agreement now says what was proposed."))
            else:
                messages.success(request, _("You confirmed the change; it waits for the other sides."))
        elif decision == "decline":
            services.agreement_change_decline(change=change, actor=request.user, comment=comment)
            messages.info(request, _("You declined the change. The agreement stays as it was, and the other side was told."))
        else:
            services.agreement_change_withdraw(change=change, actor=request.user)
            messages.info(request, _("You withdrew the change."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


@login_required
@require_safe
def agreement_change_document(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    """The signed document a change proposes, for the other side to read before answering."""
    partnership, _access = permissions.get_partnership_for_user(request.user, pk)
    change = get_object_or_404(partnership.agreement_changes, pk=change_id)
    if not change.document:
        raise Http404("This change brings no document.")
    return attachment(request, change.document, back_url=f"{partnership.get_absolute_url()}#agreement")
