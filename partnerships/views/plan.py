"""Changing what the partners run together: give and take, leads, plan items, logs (the
agreement has views/agreement.py).

Every view fetches the partnership scoped to the user (404 otherwise) and the item
scoped to the partnership; services refuse users who may not change it (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from twinning.forms import add_validation_errors
from twinning.submissions import AlreadySent, already_saved

from .. import permissions, selectors, services
from ..forms import (
    ActivityForm,
    CadenceForm,
    CommunicationForm,
    ConflictForm,
    ConflictUpdateForm,
    FundingLineForm,
    GiveTakeForm,
    GoalForm,
    IndicatorForm,
    LeadForm,
    ObjectiveForm,
)
from ..models import Activity, Conflict, FundingLine, Goal, Indicator, Objective, Partnership
from ..permissions import PartnershipAccess

# kind in the URL → (model, form, the tab it shows on)
PLAN_KINDS = {
    "goal": (Goal, GoalForm),
    "objective": (Objective, ObjectiveForm),
    "activity": (Activity, ActivityForm),
    "indicator": (Indicator, IndicatorForm),
    "funding": (FundingLine, FundingLineForm),
}


def _editable_partnership(request: HttpRequest, pk: int) -> tuple[Partnership, PartnershipAccess]:
    """The partnership for a page that changes it: 403 for who does not run it; a closed one
    comes back with a message (the caller redirects) when `access.may_edit` is false."""
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of a participating section can change this."))
    if not access.may_edit:
        messages.error(request, _("This partnership is closed; its record can no longer change."))
    return partnership, access


def _saved(request, form, save, *, done: str, message: str) -> HttpResponse | None:
    """Run `save` (a service call) for a valid form: back to `done` with `message`; the page
    the first sending saved if the form came twice; None with the service's refusal on the
    form, to show it again."""
    try:
        save()
    except AlreadySent:
        return already_saved(request, done)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return None
    messages.success(request, message)
    return redirect(done)


def _form_page(request, partnership, form, title: str, anchor: str = "", *, back: str = "") -> HttpResponse:
    """The form page of one of the partnership's records; its way back is the partnership's
    page at `anchor`, or `back` (another page, as an exchange's)."""
    return render(
        request,
        "partnerships/form.html",
        {"partnership": partnership, "form": form, "title": title,
         "back": back or f"{partnership.get_absolute_url()}#{anchor}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_item(request: HttpRequest, pk: int, kind: str, item_id: int | None = None) -> HttpResponse:
    if kind not in PLAN_KINDS:
        raise Http404("No such plan item.")
    model, form_class = PLAN_KINDS[kind]
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    item = get_object_or_404(model, pk=item_id, partnership=partnership) if item_id else None
    form = form_class(request.POST or None, instance=item, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form,
            lambda: services.plan_item_save(partnership=partnership, actor=request.user, item=form.instance, once=form.once),
            done=f"{partnership.get_absolute_url()}#plan", message=_("The plan was saved."),
        )
        if done:
            return done
    verb = _("Change") if item else _("Add")
    return _form_page(request, partnership, form, f"{verb}: {model._meta.verbose_name}", "plan")


@login_required
@require_POST
def plan_item_delete(request: HttpRequest, pk: int, kind: str, item_id: int) -> HttpResponse:
    if kind not in PLAN_KINDS:
        raise Http404("No such plan item.")
    model, _form = PLAN_KINDS[kind]
    partnership, access = _editable_partnership(request, pk)
    if access.may_edit:
        item = get_object_or_404(model, pk=item_id, partnership=partnership)
        services.plan_item_delete(partnership=partnership, actor=request.user, item=item)
        messages.success(request, _("Removed from the plan: %(item)s.") % {"item": item})
    return redirect(f"{partnership.get_absolute_url()}#plan")


@login_required
@require_http_methods(["GET", "POST"])
def give_take(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    participant = get_object_or_404(partnership.participants.select_related("section"), section_id=section_id)
    if not access.may_change_side(section_id):
        raise PermissionDenied(_("Only the section's own officers state its give and take."))
    form = GiveTakeForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        services.participant_give_take_update(
            participant=participant, actor=request.user,
            gives=form.cleaned_data["gives"], gains=form.cleaned_data["gains"],
        )
        messages.success(request, _("The give and take of %(section)s was saved.") % {"section": participant.section})
        return redirect(f"{partnership.get_absolute_url()}#give-take")
    title = _("Give and take of %(section)s") % {"section": participant.section}
    return _form_page(request, partnership, form, title, "give-take")


@login_required
@require_POST
def lead_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    form = LeadForm(
        request.POST,
        candidates=selectors.lead_candidates(partnership=partnership, section_ids=access.editable_section_ids),
    )
    if form.is_valid():
        office = form.cleaned_data["officer"]
        try:
            services.lead_add(partnership=partnership, actor=request.user, section=office.section, user=office.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(user)s now leads for %(section)s.") % {"user": office.user, "section": office.section})
    else:
        messages.error(request, _("Choose a current officer of your section."))
    return redirect(f"{partnership.get_absolute_url()}#leads")


@login_required
@require_POST
def lead_remove(request: HttpRequest, pk: int, lead_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if access.may_edit:
        lead = get_object_or_404(partnership.leads.select_related("user", "section"), pk=lead_id)
        try:
            services.lead_remove(partnership=partnership, actor=request.user, lead=lead)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(user)s no longer leads.") % {"user": lead.user})
    return redirect(f"{partnership.get_absolute_url()}#leads")


@login_required
@require_http_methods(["GET", "POST"])
def communication_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    form = CommunicationForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.communication_add(partnership=partnership, actor=request.user, entry=form.instance, once=form.once)
        except AlreadySent:
            return already_saved(request, f"{partnership.get_absolute_url()}#logs")
        messages.success(request, _("Added to the communications log."))
        return redirect(f"{partnership.get_absolute_url()}#logs")
    return _form_page(request, partnership, form, _("Log a meeting, call, visit or email"), "logs")


@login_required
@require_http_methods(["GET", "POST"])
def conflict(request: HttpRequest, pk: int, conflict_id: int | None = None) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    if conflict_id:
        instance = get_object_or_404(Conflict.objects.select_related("raised_for"), pk=conflict_id, partnership=partnership)
        if not access.may_change_side(instance.raised_for_id):
            raise PermissionDenied(
                _("Only officers of %(section)s update the conflict it raised.") % {"section": instance.raised_for}
            )
        form = ConflictUpdateForm(request.POST or None, instance=instance)
    else:
        form = ConflictForm(request.POST or None, partnership=partnership, section_ids=access.acting)
    if request.method == "POST" and form.is_valid():
        try:
            if conflict_id:
                services.conflict_update(
                    conflict=form.instance, actor=request.user, status=form.cleaned_data["status"],
                    resolution=form.cleaned_data["resolution"], mediator=form.cleaned_data["mediator"],
                )
            else:
                services.conflict_raise(
                    partnership=partnership, actor=request.user, conflict=form.instance, once=form.once
                )
        except AlreadySent:
            return already_saved(request, f"{partnership.get_absolute_url()}#logs")
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The conflict log was updated."))
            return redirect(f"{partnership.get_absolute_url()}#logs")
    title = _("Update the conflict") if conflict_id else _("Record a conflict")
    return _form_page(request, partnership, form, title, "logs")


@login_required
@require_POST
def cadence(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of a participating section can change this."))
    form = CadenceForm(request.POST)
    if form.is_valid():
        try:
            partnership = services.cadence_change(
                partnership=partnership, actor=request.user, cadence=form.cleaned_data["cadence"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Check-ins are now %(cadence)s. Periods already scheduled keep their dates; the next ones follow the new cadence.")
                % {"cadence": partnership.get_cadence_display().lower()},
            )
    else:
        messages.error(request, _("Choose monthly, quarterly or half-yearly."))
    return redirect(f"{partnership.get_absolute_url()}#checkins")
