from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from twinning.backends import USER_BACKEND
from twinning.forms import add_validation_errors
from twinning.pagination import TwoStepPaginator
from twinning.panels import collect

from . import permissions, selectors
from .filters import SectionFilter
from .forms import InvitationAcceptForm, InvitationForm, SectionProfileForm
from .models import Invitation, Section
from .services import (
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_request_renewal,
    invitation_resend,
    invitation_revoke,
    section_profile_update,
)
from .signals import section_panels

DIRECTORY_PAGE_SIZE = 20


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    section_filter = SectionFilter(request.GET or None, queryset=selectors.section_directory())
    if section_filter.is_bound and not section_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    page = TwoStepPaginator(section_filter.qs, DIRECTORY_PAGE_SIZE, rows=selectors.directory_rows).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sections/directory.html",
        {"filter": section_filter, "page": page, "sections": page.object_list},
    )


@login_required
@require_safe
def autocomplete(request: HttpRequest) -> JsonResponse:
    """The sections whose name, city or address name matches `q`, for a typed section field
    (sections.forms.SectionChoiceField): at most twenty, by name. Any signed-in user may
    look sections up, as in the directory."""
    text = request.GET.get("q", "")[:100]
    results = [
        {"slug": section.slug, "label": selectors.section_label(section)}
        for section in selectors.section_suggestions(text=text)
    ]
    return JsonResponse({"results": results})


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = selectors.section_profile(slug=slug)
    can_invite = permissions.can_invite_to_section(request.user, section)
    return render(
        request,
        "sections/detail.html",
        {
            "section": section,
            "can_edit": permissions.can_edit_section(request.user, section),
            "show_contacts": permissions.can_see_contacts(request.user, section),
            "can_invite": can_invite,
            "invitations": selectors.open_invitations(section=section) if can_invite else [],
            "panels": collect(section_panels, sender=Section, request=request, section=section),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    section = permissions.get_section_for_edit(request.user, slug)
    form = SectionProfileForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            section_profile_update(section=section, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The profile of %(name)s was saved.") % {"name": section.name})
            return redirect(section)
    return render(request, "sections/edit.html", {"section": section, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_new(request: HttpRequest, slug: str) -> HttpResponse:
    section = permissions.get_section_for_invitations(request.user, slug)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(actor=request.user, section=section, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s is invited as %(role)s; the link works for %(days)s days.")
                % {"email": invitation.email, "role": invitation.get_role_display(),
                   "days": settings.INVITATION_MAX_AGE_DAYS},
            )
            return redirect(section)
    return render(request, "sections/invitation_form.html", {"section": section, "form": form})


def _section_invitation(request: HttpRequest, slug: str, pk: int) -> tuple[Section, Invitation]:
    section = permissions.get_section_for_invitations(request.user, slug)
    return section, get_object_or_404(Invitation.objects.select_related("section__district"), section=section, pk=pk)


def _invitation_step(request: HttpRequest, slug: str, pk: int, step, done: str) -> HttpResponse:
    """Re-send or revoke one of the section's invitations; a refusal is the page's message."""
    section, invitation = _section_invitation(request, slug, pk)
    try:
        step(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect(section)


@login_required
@require_POST
def invitation_resend_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_step(
        request, slug, pk, invitation_resend, _("A new link went to %(email)s; the old one no longer works.")
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_step(request, slug, pk, invitation_revoke, _("The invitation of %(email)s is revoked."))


def _accepted_redirect(request: HttpRequest, accepted) -> HttpResponse:
    office = accepted.office
    if getattr(office, "section_id", None):
        messages.success(
            request,
            _("Welcome: you are %(role)s of %(section)s from %(start)s.")
            % {"role": office.get_role_display(), "section": office.section, "start": office.start_date},
        )
        return redirect(office.section)
    messages.success(
        request,
        _("Welcome: you coordinate %(district)s from %(start)s.") % {"district": office.district, "start": office.start_date},
    )
    return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Reached without signing in: the link is the invitee's key. What the page says about an
    account goes only to whoever holds a usable link, and only what they need (sign in as that
    address, or choose a name and password)."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return render(request, "sections/invitation_accept.html", {"state": "unknown"}, status=404)
    context = {"invitation": invitation, "state": invitation.state, "token": token}
    if invitation.state != "pending":
        return render(request, "sections/invitation_accept.html", context)
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["state"] = "other_account"
        elif request.method == "POST":
            try:
                accepted = invitation_accept(token=token, user=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("invitation_accept", token=token)
            return _accepted_redirect(request, accepted)
        else:
            context["state"] = "confirm"
        return render(request, "sections/invitation_accept.html", context)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        context["state"] = "log_in"
        return render(request, "sections/invitation_accept.html", context)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "password" in exc.error_dict:
                exc.error_dict["password1"] = exc.error_dict.pop("password")
            add_validation_errors(form, exc)
        else:
            login(request, accepted.user, backend=USER_BACKEND)
            return _accepted_redirect(request, accepted)
    context.update(state="sign_up", form=form)
    return render(request, "sections/invitation_accept.html", context)


@require_POST
def invitation_renew_view(request: HttpRequest, token: str) -> HttpResponse:
    """An expired link asks for a new one; the answer is the same whether or not a mail went."""
    invitation_request_renewal(token=token)
    return render(request, "sections/invitation_accept.html", {"state": "renewal_asked"})
