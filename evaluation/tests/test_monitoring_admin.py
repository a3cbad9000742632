"""The monitoring admin: settings edited in place (one row, never deleted), everything the
jobs recorded listed read-only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from evaluation.models import MonitoringSettings, Reminder
from evaluation.services.health import record_health_changes
from evaluation.services.reminders import send_due_reminders

from .monitoring import activate, at

pytestmark = pytest.mark.django_db

RECORDED = ["reportingperiod", "checkin", "reminder", "partnershiphealth", "healthchange", "digestsent"]


@pytest.fixture
def admin_client_with_data(world, client):
    activate(world, datetime.date(2026, 1, 1))
    with time_machine.travel(at(datetime.date(2026, 5, 18)), tick=False):
        send_due_reminders()
        record_health_changes()
    client.force_login(world.staff)
    return client


@pytest.mark.parametrize("model", RECORDED)
def test_what_the_jobs_recorded_is_listed_and_read_only(admin_client_with_data, model):
    changelist = admin_client_with_data.get(reverse(f"admin:evaluation_{model}_changelist"))

    assert changelist.status_code == 200
    assert admin_client_with_data.get(reverse(f"admin:evaluation_{model}_add")).status_code == 403


def test_checkins_filter_by_state_and_lateness(admin_client_with_data):
    url = reverse("admin:evaluation_checkin_changelist")

    assert admin_client_with_data.get(url, {"state__exact": "draft", "late__exact": "0"}).status_code == 200


def test_the_settings_are_one_row_that_cannot_be_added_twice_or_deleted(admin_client_with_data):
    settings_row = MonitoringSettings.current()

    assert admin_client_with_data.get(reverse("admin:evaluation_monitoringsettings_add")).status_code == 403
    delete = reverse("admin:evaluation_monitoringsettings_delete", args=[settings_row.pk])
    assert admin_client_with_data.get(delete).status_code == 403
    change = reverse("admin:evaluation_monitoringsettings_change", args=[settings_row.pk])
    response = admin_client_with_data.post(change, {
        "report_due_days": 21, "reminder_offsets": "7,1", "overdue_notice_days": 2, "escalation_days": 10,
        "escalation_repeat_days": 7, "cooling_days": 45, "dormant_days": 90,
    })
    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert (settings_row.offsets, settings_row.cooling_days) == ([7, 1], 45)


def test_each_reminder_shows_whether_its_message_has_gone(admin_client_with_data):
    url = reverse("admin:evaluation_reminder_changelist")

    # The sweep queued the escalations' messages; no worker has delivered them yet.
    queued = admin_client_with_data.get(url, {"mail__status__exact": "queued"})
    assert queued.context["cl"].result_count == Reminder.objects.count() == 2
    assert "Queued" in queued.content.decode()
    assert admin_client_with_data.get(url, {"mail__status__exact": "sent"}).context["cl"].result_count == 0
