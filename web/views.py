from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from twinning import password_reset
from twinning.celery import app

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("You are logged in."))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Added after the session is flushed, so it survives into the next page.
        messages.success(request, _("You are logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to choose a new password: the same answer, after the same work, whether
    or not an account uses the address typed (twinning/password_reset.py).

    Too many requests from one client address answer 429; the address is read as django-axes
    reads it, so one proxy setting serves both.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        allowance = password_reset.address_allowance(address=get_client_ip_address(request))
        if not allowance.allowed:
            response = render(
                request, "registration/password_reset_throttled.html", {"minutes": allowance.minutes}, status=429
            )
            response["Retry-After"] = str(allowance.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        # Not form.save(): that looks the account up and sends during the request.
        password_reset.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid token (usually an old tab): say so in the site's own page.

    Django's own view renders 403_csrf.html without the request, so the navigation would
    show a signed-in user as signed out; the reason is logged by django.security.csrf.
    """
    return render(request, "403_csrf.html", status=403)


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """Too many failed log-ins for this account or address (django-axes, AXES_LOCKOUT_CALLABLE).

    Every attempt during the lockout starts the cool-off again, so the wait is the whole
    cool-off from now; the same page serves the site's login and the admin's.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = math.ceil(cool_off.total_seconds() / 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database unreachable")
        return False
    return True


def _broker_ok() -> bool:
    if app.conf.broker_url.startswith("filesystem://"):
        # The filesystem transport has no server to ask; its queue folder must be writable.
        folder = Path(app.conf.broker_transport_options["data_folder_in"])
        return folder.is_dir() and os.access(folder, os.W_OK)
    timeout = settings.HEALTHZ_BROKER_TIMEOUT
    try:
        with app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            # Opening a channel makes the transport talk to the server (Redis answers a PING).
            conn.default_channel
    except Exception:
        logger.exception("healthz: broker unreachable")
        return False
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **{name: "ok" if ok else "unreachable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
