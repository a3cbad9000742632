"""Financial support and spending pages: support agreements, instalments (sent by the giver,
received by the receiver), spending against funding lines, and the finances page with its CSV.

Every view fetches the partnership scoped to the user (404 otherwise) and the item scoped to
the partnership; who runs the partnership but is on the wrong side gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sections.models import TwinningForm
from twinning.exports import csv_response
from twinning.uploads import attachment

from .. import permissions, selectors
from ..finance import partnership_finances
from ..finance_forms import (
    InstalmentForm,
    InstalmentReceivedForm,
    InstalmentSentForm,
    SpendingForm,
    SupportAgreementForm,
)
from ..models import FundingLine, Instalment, Partnership, Spending, SupportAgreement
from ..services import finance as services
from .plan import _editable_partnership, _form_page, _saved


def _finances_url(partnership) -> str:
    return f"{partnership.get_absolute_url()}finances/"


@login_required
@require_safe
def finances(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    today = timezone.localdate()
    return render(request, "partnerships/finance/finances.html", {
        "partnership": partnership,
        "access": access,
        "finances": partnership_finances(partnership, today),
        "today": today,
        "sent_form": InstalmentSentForm(),
        "received_form": InstalmentReceivedForm(),
    })


def _instalment_state(instalment: Instalment) -> str:
    if instalment.received_on:
        state = _("received %(day)s: %(amount)s") % {"day": instalment.received_on, "amount": instalment.received_amount}
        return f"{state}; {instalment.mismatch}" if instalment.mismatch else state
    if instalment.sent_on:
        state = _("sent %(day)s") % {"day": instalment.sent_on}
    else:
        state = _("planned")
    return f"{state}; {_('late')}" if instalment.late else state


@login_required
@require_safe
def finances_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every support agreement, instalment, funding line and spending entry, one row each."""
    partnership, _access = permissions.get_partnership_for_user(request.user, pk)
    data = partnership_finances(partnership, timezone.localdate())
    header = (_("Record"), _("Date"), _("Section or source"), _("Description"), _("Amount"), _("Currency"),
              _("Budget"), _("Spent"), _("Remaining"), _("Status"))
    rows = []
    for agreement in data.agreements:
        rows.append((_("Support agreement"), None, f"{agreement.giver} → {agreement.receiver}", agreement.purpose,
                     agreement.amount, agreement.currency, None, None, None, ""))
        for instalment in agreement.instalments.all():
            rows.append((_("Instalment"), instalment.planned_on, str(agreement.giver), instalment.note,
                         instalment.amount, agreement.currency, None, None, None, _instalment_state(instalment)))
    for line in data.lines:
        rows.append((_("Funding line"), line.expected_by, line.source, line.note, None, line.currency,
                     line.amount, line.spent, line.remaining, _("overspent") if line.overspent else line.get_status_display()))
        for spending in line.spendings.all():
            rows.append((_("Spending"), spending.spent_on, line.source, spending.what_for, spending.amount,
                         line.currency, None, None, None, _("receipt") if spending.receipt else ""))
    for total in data.totals:
        rows.append((_("Total"), None, "", "", total.agreed, total.currency, total.budget, total.spent,
                     total.remaining, _("overspent") if total.overspent else ""))
    return csv_response(f"partnership-{partnership.pk}-finances-{timezone.localdate().isoformat()}", header, rows)


def _proposed_support(partnership: Partnership) -> dict:
    """The first support agreement starts from what the proposal said: the giver (and the
    other side as receiver, between two sections), the amount and what the giver gains."""
    if partnership.support_agreements.exists():
        return {}
    intent = selectors.intent_for(selectors.form_intents(partnership=partnership), TwinningForm.Code.FINANCIAL_SUPPORT)
    if intent is None:
        return {}
    initial = {"giver": intent.giver_id, "return_description": intent.giver_gains}
    if intent.amount is not None:
        initial.update(amount=intent.amount, currency=intent.currency)
    receivers = [p.section_id for p in partnership.participants.all() if p.section_id != intent.giver_id]
    if len(receivers) == 1:
        initial["receiver"] = receivers[0]
    returns = [form for form in partnership.forms.all() if form.code != TwinningForm.Code.FINANCIAL_SUPPORT]
    if len(returns) == 1:
        initial["return_form"] = returns[0].pk
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def support_agreement(request: HttpRequest, pk: int, agreement_id: int | None = None) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    instance = get_object_or_404(SupportAgreement, pk=agreement_id, partnership=partnership) if agreement_id else None
    initial = _proposed_support(partnership) if instance is None and request.method == "GET" else {}
    form = SupportAgreementForm(request.POST or None, instance=instance, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form, lambda: services.support_agreement_save(
                partnership=partnership, actor=request.user, agreement=form.instance, once=form.once
            ),
            done=_finances_url(partnership), message=_("The support agreement was saved."),
        )
        if done:
            return done
    title = _("Change the support agreement") if instance else _("Add a support agreement")
    return _form_page(request, partnership, form, title, "finances")


@login_required
@require_http_methods(["GET", "POST"])
def instalment_add(request: HttpRequest, pk: int, agreement_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    agreement = get_object_or_404(SupportAgreement, pk=agreement_id, partnership=partnership)
    form = InstalmentForm(request.POST or None, instance=Instalment(agreement=agreement, partnership=partnership))
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form, lambda: services.instalment_add(partnership=partnership, actor=request.user, instalment=form.instance, once=form.once),
            done=_finances_url(partnership), message=_("The instalment was planned."),
        )
        if done:
            return done
    title = _("Plan an instalment of %(amount)s %(currency)s") % {"amount": agreement.amount, "currency": agreement.currency}
    return _form_page(request, partnership, form, title, "finances")


def _instalment_step(request: HttpRequest, pk: int, instalment_id: int, side: str):
    """The partnership and instalment for a step of `side` ("giver" or "receiver"): 404 for
    who does not see it, 403 for who is not that side's officer."""
    partnership, access = _editable_partnership(request, pk)
    instalment = get_object_or_404(Instalment.objects.select_related("agreement"), pk=instalment_id, partnership=partnership)
    if not access.acts_for(getattr(instalment.agreement, f"{side}_id")):
        raise PermissionDenied(
            _("Only the giving section's officers record an instalment as sent.") if side == "giver"
            else _("Only the receiving section's officers confirm an instalment received.")
        )
    return partnership, access, instalment


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _instalment_record(request, partnership, access, form, record, done: str, invalid) -> HttpResponse:
    """One side's step on an instalment (sent, received): the form's values to `record`, the
    refusal or `done` as a message, `invalid(form)` for a form with errors; back to the finances."""
    if access.may_edit:
        if form.is_valid():
            try:
                record(form.cleaned_data)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                messages.success(request, done)
        else:
            messages.error(request, invalid(form))
    return redirect(_finances_url(partnership))


@login_required
@require_POST
def instalment_sent(request: HttpRequest, pk: int, instalment_id: int) -> HttpResponse:
    partnership, access, instalment = _instalment_step(request, pk, instalment_id, "giver")
    return _instalment_record(
        request, partnership, access, InstalmentSentForm(request.POST),
        lambda data: services.instalment_mark_sent(
            partnership=partnership, actor=request.user, instalment=instalment, sent_on=data["sent_on"],
        ),
        _("The instalment is recorded as sent."),
        lambda form: _("Give the date the instalment was sent."),
    )


def _not_confirmed(form) -> str:
    errors = "; ".join(f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items())
    return _("Not confirmed: %(errors)s") % {"errors": errors}


@login_required
@require_POST
def instalment_received(request: HttpRequest, pk: int, instalment_id: int) -> HttpResponse:
    partnership, access, instalment = _instalment_step(request, pk, instalment_id, "receiver")
    return _instalment_record(
        request, partnership, access, InstalmentReceivedForm(request.POST),
        lambda data: services.instalment_mark_received(
            partnership=partnership, actor=request.user, instalment=instalment,
            received_on=data["received_on"], amount=data["amount"],
        ),
        _("The instalment is confirmed received."),
        _not_confirmed,
    )


@login_required
@require_http_methods(["GET", "POST"])
def spending_add(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not access.may_edit:
        return redirect(partnership)
    line = get_object_or_404(FundingLine, pk=line_id, partnership=partnership)
    form = SpendingForm(
        request.POST or None, request.FILES or None, instance=Spending(funding_line=line, partnership=partnership)
    )
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form, lambda: services.spending_add(
                partnership=partnership, actor=request.user, spending=form.instance,
                receipt=form.cleaned_data.get("receipt"), once=form.once,
            ),
            done=_finances_url(partnership), message=_("The spending was recorded."),
        )
        if done:
            return done
    title = _("Spending from %(source)s (%(currency)s)") % {"source": line.source, "currency": line.currency}
    return _form_page(request, partnership, form, title, "finances")


@login_required
@require_POST
def spending_delete(request: HttpRequest, pk: int, spending_id: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if access.may_edit:
        spending = get_object_or_404(Spending, pk=spending_id, partnership=partnership)
        services.spending_delete(partnership=partnership, actor=request.user, spending=spending)
        messages.success(request, _("The spending entry was removed: %(what)s.") % {"what": spending.what_for})
    return redirect(_finances_url(partnership))


@login_required
@require_safe
def spending_receipt(request: HttpRequest, pk: int, spending_id: int) -> HttpResponse:
    partnership, _access = permissions.get_partnership_for_user(request.user, pk)
    spending = get_object_or_404(Spending, pk=spending_id, partnership=partnership)
    if not spending.receipt:
        return render(request, "twinning/document_missing.html", {"back_url": _finances_url(partnership)}, status=404)
    return attachment(request, spending.receipt, back_url=_finances_url(partnership))
