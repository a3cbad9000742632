"""Monitoring settings: reminder offsets are whole days from 0 to 365, so a bad value is a
form error in the admin rather than a crash in every reminder sweep; and the singleton
is created once even when two callers ask for it at the same time."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from evaluation.models import MonitoringSettings
from evaluation.models.monitoring import validate_reminder_offsets
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "report_due_days": 30, "overdue_notice_days": 3, "escalation_days": 14, "escalation_repeat_days": 7,
    "cooling_days": 60, "dormant_days": 120,
}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("value", ["14,3,0", "0", "365,0", "30"])
def test_whole_days_from_0_to_365_are_accepted(value):
    validate_reminder_offsets(value)


@pytest.mark.parametrize("value", ["14,999", "-1", "abc", "366", "3,-2", "1.5"])
def test_other_values_are_refused(value):
    with pytest.raises(ValidationError):
        validate_reminder_offsets(value)


@pytest.mark.parametrize("value", ["14,999", "-1", "abc"])
def test_a_bad_offset_is_a_form_error_in_the_admin_and_nothing_is_saved(admin_client, value):
    row = MonitoringSettings.current()
    change = reverse("admin:evaluation_monitoringsettings_change", args=[row.pk])

    response = admin_client.post(change, {**VALID, "reminder_offsets": value})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "reminder_offsets" in errors
    assert any("from 0 to 365" in message for message in errors["reminder_offsets"])
    row.refresh_from_db()
    assert row.reminder_offsets == "14,3,0"


def test_a_good_offset_is_saved_from_the_admin(admin_client):
    row = MonitoringSettings.current()
    change = reverse("admin:evaluation_monitoringsettings_change", args=[row.pk])

    response = admin_client.post(change, {**VALID, "reminder_offsets": "30,7,0"})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.offsets == [30, 7, 0]


def test_model_validation_refuses_a_bad_offset():
    row = MonitoringSettings.current()
    row.reminder_offsets = "14,999"

    with pytest.raises(ValidationError) as error:
        row.full_clean()

    assert "reminder_offsets" in error.value.message_dict


def test_current_creates_the_row_once_and_then_returns_it():
    MonitoringSettings.objects.all().delete()

    first = MonitoringSettings.current()

    assert MonitoringSettings.current() == first
    assert MonitoringSettings.objects.count() == 1


def test_current_returns_the_row_a_concurrent_caller_created(monkeypatch):
    MonitoringSettings.objects.all().delete()
    manager = MonitoringSettings.objects
    real_get, real_create = manager.get, manager.create
    gets, creates = [], []

    def get_missing_the_rival(*args, **kwargs):
        gets.append(kwargs)
        if len(gets) == 1:
            real_create(singleton=True)  # the other caller creates the row just after our read
            raise MonitoringSettings.DoesNotExist
        return real_get(*args, **kwargs)

    def create(**values):
        creates.append(values)
        return real_create(**values)

    monkeypatch.setattr(manager, "get", get_missing_the_rival)
    monkeypatch.setattr(manager, "create", create)

    row = MonitoringSettings.current()

    assert row.singleton is True
    assert (len(gets), len(creates)) == (2, 1)  # our insert lost, and we read the winner's row
    assert MonitoringSettings.objects.count() == 1
    assert MonitoringSettings.objects.exists()  # the caller's transaction is still usable


def test_the_losing_insert_really_is_an_integrity_error():
    MonitoringSettings.current()

    with pytest.raises(IntegrityError):
        MonitoringSettings.objects.create(singleton=True)
