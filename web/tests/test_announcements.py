"""Messages after an action are announced to screen readers: an error at once (alert), anything
else when the reader is free (status); and the script that moves the focus to a form's first
error is on every page."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_an_error_message_is_an_alert_and_others_are_status(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.success(request, "The plan was saved.")
    messages.error(request, "This exchange can no longer change.")

    html = render_to_string("base.html", request=request)

    roles = re.findall(r'<div class="alert alert-(\w+)[^"]*" role="(\w+)">\s*([^<]+?)\s*<button', html)
    assert roles == [
        ("success", "status", "The plan was saved."),
        ("danger", "alert", "This exchange can no longer change."),
    ]
    assert '<script src="/static/js/form-errors.js"></script>' in html
