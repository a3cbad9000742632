"""The signed-in user's profile: who they are, the offices they hold, the districts they
coordinate, and their calendar feed (created, replaced, revoked here); and the feed itself,
which calendar apps fetch by its secret address without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sections.selectors import assignments_of

from . import services
from .calendar import calendar_for
from .models import CalendarFeed, token_digest

# Where the new token waits, in the user's session, for the one page that shows it.
NEW_TOKEN_KEY = "calendar_feed_token"


@never_cache
@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    offices, coordinations = assignments_of(user=request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    # Shown once: the database keeps only the token's hash, and the session lets it go now.
    token = request.session.pop(NEW_TOKEN_KEY, None) if feed else None
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[token])) if token else None
    return render(request, "home/profile.html", {
        "offices": offices, "coordinations": coordinations, "feed": feed, "feed_url": feed_url,
    })


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
