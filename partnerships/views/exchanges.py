"""A partnership's exchanges: the panel on its page, each exchange's page, and the steps
each side takes on it (partnerships/services/exchanges.py says who takes which).

Every view fetches the partnership scoped to the user (404 otherwise) and the exchange
scoped to the partnership; a user who sees it but may not take the step gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sections.models import TwinningForm
from twinning.forms import add_validation_errors
from twinning.panels import Panel, panel
from twinning.submissions import AlreadySent, already_saved

from .. import permissions, selectors, services
from ..exchange_forms import ExchangeEditForm, ExchangeForm, ExchangeParticipantForm, OutcomesForm
from ..models import Exchange, Partnership
from ..permissions import PartnershipAccess
from ..services.exchanges import exchange_sides, people_visible
from .plan import _form_page, _saved

EXCHANGE_FORMS = (TwinningForm.Code.STUDENT_EXCHANGE, TwinningForm.Code.TECHNICAL_EXCHANGE)


def exchanges_panel(
    sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs
) -> Panel | None:
    """The partnership page's exchanges, when its forms include an exchange (or it has some)."""
    exchanges = list(
        partnership.exchanges.select_related("host_section", "sending_section")
        .annotate(people=Count("participants"))
    )
    has_form = any(form.code in EXCHANGE_FORMS for form in partnership.forms.all())
    if not has_form and not exchanges:
        return None
    return panel(
        "partnerships/exchanges/panel.html",
        {
            "partnership": partnership, "exchanges": exchanges, "access": access,
            "intents": [intent for intent in partnership.form_intents.all() if intent.is_exchange],
        },
        request=request, anchor="exchanges", title=gettext_lazy("Exchanges"), order=5,
    )


def _exchange(partnership: Partnership, exchange_id: int) -> Exchange:
    return get_object_or_404(
        Exchange.objects.select_related("host_section", "sending_section", "return_leg", "outbound_leg", "confirmed_by"),
        pk=exchange_id, partnership=partnership,
    )


def _back(exchange: Exchange) -> HttpResponse:
    return redirect(exchange.get_absolute_url())


def _detail(request, partnership, access, exchange, *, participant_form=None, status=200) -> HttpResponse:
    sides = exchange_sides(access, exchange)
    show_people = people_visible(access)
    context = {
        "partnership": partnership,
        "exchange": exchange,
        "access": access,
        "sides": sides,
        "may_act": sides["host"] or sides["sending"],
        "show_people": show_people,
        "people": list(exchange.participants.all()) if show_people else [],
        "people_count": None if show_people else exchange.participants.count(),
        "may_remove": access.acts_for(exchange.sending_section_id),
        "participant_form": participant_form or (ExchangeParticipantForm() if sides["sending"] else None),
        "has_started": exchange.has_started(timezone.localdate()),
        "history": list(exchange.history.select_related("history_user").order_by("-history_date")[:20]),
    }
    return render(request, "partnerships/exchanges/detail.html", context, status=status)


@login_required
def exchange_detail(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    return _detail(request, partnership, access, _exchange(partnership, exchange_id))


def _proposed_exchange(partnership: Partnership) -> dict:
    """The first exchange starts from what the proposal said: who hosts, both ways or not,
    the kind, and what the visitors would learn as the programme's first lines."""
    if partnership.exchanges.exists():
        return {}
    intent = selectors.intent_for(selectors.form_intents(partnership=partnership), *EXCHANGE_FORMS)
    if intent is None:
        return {}
    student = intent.form.code == TwinningForm.Code.STUDENT_EXCHANGE
    initial = {
        "kind": Exchange.Kind.STUDENT_TRAINING if student else Exchange.Kind.TECHNICAL,
        "two_way": intent.both_ways,
        "programme": intent.learning,
    }
    if intent.host_section_id:
        initial["host_section"] = intent.host_section_id
        senders = [p.section_id for p in partnership.participants.all() if p.section_id != intent.host_section_id]
        if len(senders) == 1:
            initial["sending_section"] = senders[0]
    return initial


def _posted(request: HttpRequest):
    """The sent data, empty included: an empty POST is a form sent empty, checked as such."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def exchange_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of a participating section plan an exchange."))
    back = f"{partnership.get_absolute_url()}#exchanges"
    if not access.may_edit:
        messages.error(request, _("This partnership is closed; its record can no longer change."))
        return redirect(back)
    initial = _proposed_exchange(partnership) if request.method == "GET" else {}
    form = ExchangeForm(_posted(request), partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.exchange_plan(
                partnership=partnership, actor=request.user, exchange=form.instance,
                return_dates=form.return_dates, once=form.once,
            )
        except AlreadySent:
            return already_saved(request, back)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(str(exc))
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The exchange is planned; the host confirms its dates."))
            return _back(exchange)
    return _form_page(request, partnership, form, _("Plan an exchange"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    exchange = _exchange(partnership, exchange_id)
    sides = exchange_sides(access, exchange)
    if not (sides["host"] or sides["sending"]):
        if access.may_manage and (exchange.is_closed or not partnership.is_open):
            messages.error(request, _("This exchange can no longer change."))
            return _back(exchange)
        raise PermissionDenied(_("Only officers of the host or the sending section change the exchange."))
    form = ExchangeEditForm(_posted(request), instance=exchange, sides=sides)
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form,
            lambda: services.exchange_update(
                exchange=exchange, actor=request.user, changes={name: form.cleaned_data[name] for name in form.fields},
            ),
            done=exchange.get_absolute_url(), message=_("The exchange was saved."),
        )
        if done:
            return done
    return _form_page(
        request, partnership, form, _("Change the exchange “%(title)s”") % {"title": exchange.title},
        back=exchange.get_absolute_url(),
    )


@login_required
@require_POST
def exchange_participant_add(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    exchange = _exchange(partnership, exchange_id)
    if not exchange_sides(access, exchange)["sending"]:
        raise PermissionDenied(_("Only the sending section's officers name who goes."))
    form = ExchangeParticipantForm(request.POST)
    if form.is_valid():
        try:
            person = services.exchange_participant_add(
                exchange=exchange, actor=request.user, participant=form.instance, once=form.once
            )
        except AlreadySent:
            return already_saved(request, exchange.get_absolute_url())
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("%(name)s takes part.") % {"name": person.name})
            return _back(exchange)
    return _detail(request, partnership, access, exchange, participant_form=form)


@login_required
@require_POST
def exchange_participant_remove(request: HttpRequest, pk: int, exchange_id: int, participant_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    exchange = _exchange(partnership, exchange_id)
    if not access.acts_for(exchange.sending_section_id):
        raise PermissionDenied(_("Only the sending section's officers remove who goes."))
    person = get_object_or_404(exchange.participants, pk=participant_id)
    services.exchange_participant_remove(exchange=exchange, actor=request.user, participant=person)
    messages.success(request, _("%(name)s was removed, with their details.") % {"name": person.name})
    return _back(exchange)


STEPS = {
    "confirm": (services.exchange_confirm, gettext_lazy("The dates are confirmed.")),
    "start": (services.exchange_start, gettext_lazy("The exchange is under way.")),
    "cancel": (services.exchange_cancel, gettext_lazy("The exchange is cancelled.")),
}


def _step(request: HttpRequest, pk: int, exchange_id: int, step: str) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    exchange = _exchange(partnership, exchange_id)
    service, done = STEPS[step]
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of the host or the sending section change the exchange."))
    try:
        service(exchange=exchange, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(exchange)


@login_required
@require_POST
def exchange_confirm(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    return _step(request, pk, exchange_id, "confirm")


@login_required
@require_POST
def exchange_start(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    return _step(request, pk, exchange_id, "start")


@login_required
@require_POST
def exchange_cancel(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    return _step(request, pk, exchange_id, "cancel")


@login_required
@require_http_methods(["GET", "POST"])
def exchange_done(request: HttpRequest, pk: int, exchange_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    exchange = _exchange(partnership, exchange_id)
    sides = exchange_sides(access, exchange)
    if not (sides["host"] or sides["sending"]):
        if access.may_manage:
            messages.error(request, _("This exchange can no longer change."))
            return _back(exchange)
        raise PermissionDenied(_("Only officers of the host or the sending section change the exchange."))
    form = OutcomesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form,
            lambda: services.exchange_done(exchange=exchange, actor=request.user, outcomes=form.cleaned_data["outcomes"]),
            done=exchange.get_absolute_url(), message=_("The exchange is done; its outcomes are recorded."),
        )
        if done:
            return done
    return _form_page(
        request, partnership, form, _("Report the exchange “%(title)s” done") % {"title": exchange.title},
        back=exchange.get_absolute_url(),
    )
