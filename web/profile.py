"""The signed-in user's profile: who they are (name, preferred language, time zone, and
their email address, changed through a link sent to the new one), how they hear of each
kind of notice, the offices they hold, the districts they coordinate, and their calendar
feed (created, replaced, revoked here); and the feed itself, which calendar apps fetch by
its secret address without signing in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as remember_language

from sections.selectors import assignments_of
from twinning import accounts, notices
from twinning.forms import add_validation_errors
from twinning.translations import is_site_language

from . import services
from .calendar import calendar_for
from .forms import EmailChangeForm, NoticePreferencesForm, ProfileForm
from .models import CalendarFeed, token_digest

# Where the new token waits, in the user's session, for the one page that shows it.
NEW_TOKEN_KEY = "calendar_feed_token"


def _profile_page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    offices, coordinations = assignments_of(user=user)
    feed = CalendarFeed.objects.filter(user=user).first()
    # Shown once: the database keeps only the token's hash, and the session lets it go now.
    token = request.session.pop(NEW_TOKEN_KEY, None) if feed else None
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[token])) if token else None
    forms.setdefault("profile_form", ProfileForm(initial={
        "full_name": user.full_name, "language": user.language, "time_zone": user.time_zone,
    }))
    forms.setdefault("email_form", EmailChangeForm())
    forms.setdefault("notices_form", NoticePreferencesForm(initial=notices.preferences_of(user)))
    return render(request, "home/profile.html", {
        "offices": offices, "coordinations": coordinations, "feed": feed, "feed_url": feed_url, **forms,
    }, status=status)


@never_cache
@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


@login_required
@require_POST
def profile_details(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            accounts.user_update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            # The message is read on the next page, which is in the language chosen now.
            translation.activate(request.user.language or translation.get_language_from_request(request))
            messages.success(request, _("Your profile is saved."))
            response = redirect("profile")
            if not request.user.language:
                # "The browser's language": the switcher's cookie would otherwise outlive it.
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
    return _profile_page(request, profile_form=form)


@login_required
@require_POST
def profile_email(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            accounts.email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _(
                "We sent a link to %(email)s: your address changes when you follow it."
            ) % {"email": form.cleaned_data["email"]})
            return redirect("profile")
    return _profile_page(request, email_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link asks and a button; the POST of that button changes the address."""
    try:
        new_email = accounts.email_change_read(user=request.user, token=token)
    except ValidationError as exc:
        return render(request, "home/email_confirm.html", {"problem": exc.messages[0]})
    if request.method == "POST":
        try:
            accounts.email_change_confirm(user=request.user, token=token)
        except ValidationError as exc:
            return render(request, "home/email_confirm.html", {"problem": exc.messages[0]})
        messages.success(request, _("Your email address is now %(email)s.") % {"email": new_email})
        return redirect("profile")
    return render(request, "home/email_confirm.html", {"new_email": new_email})


@login_required
@require_POST
def profile_notices(request: HttpRequest) -> HttpResponse:
    form = NoticePreferencesForm(request.POST)
    if form.is_valid():
        notices.notice_preferences_set(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("How you hear of each kind of notice is saved."))
        return redirect("profile")
    return _profile_page(request, notices_form=form)


@login_required
@require_POST
def calendar_feed_create_view(request: HttpRequest) -> HttpResponse:
    replaced = CalendarFeed.objects.filter(user=request.user).exists()
    request.session[NEW_TOKEN_KEY] = services.calendar_feed_create(user=request.user)
    if replaced:
        messages.success(request, _("Your calendar feed has a new address; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar feed is ready."))
    return redirect("profile")


@login_required
@require_POST
def calendar_feed_revoke_view(request: HttpRequest) -> HttpResponse:
    request.session.pop(NEW_TOKEN_KEY, None)
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar feed is revoked: its address no longer works."))
    else:
        messages.info(request, _("You had no calendar feed."))
    return redirect("profile")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The footer's language switcher: for anyone, a cookie (Django's set_language, which also
    sends them back to the page they were on); for a signed-in user, their profile's preferred
    language too, so that their pages and their mail follow it on every device."""
    code = request.POST.get("language", "")
    if not is_site_language(code):
        return HttpResponseBadRequest(_("Choose a language from the list."))
    if request.user.is_authenticated:
        accounts.user_set_language(user=request.user, language=code)
    return remember_language(request)


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = (
        CalendarFeed.objects.filter(token_hash=token_digest(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404("No such calendar feed.")
    body = calendar_for(feed.user, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="twinning.ics"'
    return response
