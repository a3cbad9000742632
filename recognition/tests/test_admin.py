"""The points admin: rules edited as versions (a rule that earned points is only ended),
the ledger read-only with its filters, adjustments added through the service and shown
as such, reconciliation runs read-only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Status
from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests
from recognition.models import LedgerEntry, PointRule, ReconciliationRun
from recognition.services.reconcile import ledger_reconcile

from . import records

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def earned(world):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, datetime.date(2026, 3, 1))
    ledger_reconcile()
    return PointRule.objects.get(event=PointRule.Event.ACTIVATED)


def rule_data(rule: PointRule, **changes) -> dict:
    data = {
        "event": rule.event, "form": rule.form_id or "", "points": rule.points,
        "points_per_month": rule.points_per_month, "points_per_activity": rule.points_per_activity,
        "earner": rule.earner, "effective_from": rule.effective_from.isoformat(),
        "effective_until": rule.effective_until.isoformat() if rule.effective_until else "", "note": rule.note,
    }
    data.update(changes)
    return data


def test_a_rule_that_earned_points_shows_its_points_read_only_and_can_only_be_ended(staff_client, earned):
    url = reverse("admin:recognition_pointrule_change", args=[earned.pk])

    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="points"' not in page.content.decode() and 'name="effective_until"' in page.content.decode()

    staff_client.post(url, {"points": 99, "effective_from": "2020-02-01", "note": earned.note})
    earned.refresh_from_db()
    assert earned.points == 10 and earned.effective_from == datetime.date(2020, 1, 1)

    response = staff_client.post(url, {"effective_until": "2026-02-01", "note": earned.note})
    assert "cannot end before that" in response.content.decode()

    response = staff_client.post(url, {"effective_until": "2026-06-30", "note": earned.note})
    assert response.status_code == 302
    earned.refresh_from_db()
    assert earned.effective_until == datetime.date(2026, 6, 30)


def test_a_new_version_overlapping_the_current_one_is_refused(staff_client, earned):
    response = staff_client.post(
        reverse("admin:recognition_pointrule_add"), rule_data(earned, points=25, effective_from="2026-07-01")
    )

    assert "end it first" in response.content.decode()
    assert PointRule.objects.filter(event=PointRule.Event.ACTIVATED).count() == 1


def test_a_rule_without_entries_is_edited_freely(staff_client, world):
    rule = PointRule.objects.get(event=PointRule.Event.STORY_PUBLISHED)

    response = staff_client.post(
        reverse("admin:recognition_pointrule_change", args=[rule.pk]), rule_data(rule, points=7)
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points == 7


def test_the_ledger_lists_and_filters_but_changes_nothing(staff_client, earned, world):
    url = reverse("admin:recognition_ledgerentry_changelist")
    entry = LedgerEntry.objects.first()

    assert staff_client.get(url).context["cl"].result_count == 2
    assert staff_client.get(url, {"award_year": 2026, "kind__exact": "earned"}).context["cl"].result_count == 2
    assert staff_client.get(url, {"kind__exact": "adjustment"}).context["cl"].result_count == 0
    assert staff_client.get(url, {"rule__id__exact": earned.pk}).context["cl"].result_count == 2
    detail = staff_client.get(reverse("admin:recognition_ledgerentry_change", args=[entry.pk]))
    assert detail.status_code == 200 and 'name="points"' not in detail.content.decode()
    staff_client.post(reverse("admin:recognition_ledgerentry_delete", args=[entry.pk]), {"post": "yes"})
    assert LedgerEntry.objects.count() == 2


def test_an_admin_adds_an_adjustment_with_a_reason_and_it_shows_as_one(staff_client, world):
    url = reverse("admin:recognition_ledgerentry_add")

    refused = staff_client.post(url, {"section": world.a.pk, "points": 5, "award_year": 2026, "reason": "  "})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    assert not LedgerEntry.objects.exists()

    response = staff_client.post(
        url, {"section": world.a.pk, "points": 5, "award_year": 2026, "reason": "Hosted the district meeting."}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.points, entry.created_by, entry.reason) == (
        LedgerEntry.Kind.ADJUSTMENT, 5, world.staff, "Hosted the district meeting."
    )
    listing = staff_client.get(reverse("admin:recognition_ledgerentry_changelist")).content.decode()
    assert "Adjusted by an admin" in listing


def test_reconciliation_runs_are_read_only(staff_client, earned):
    run = ReconciliationRun.objects.get()

    assert staff_client.get(reverse("admin:recognition_reconciliationrun_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:recognition_reconciliationrun_change", args=[run.pk])).status_code == 200
    assert staff_client.get(reverse("admin:recognition_reconciliationrun_add")).status_code == 403


def test_staff_with_the_model_permissions_but_not_society_admin_rights_neither_adjust_nor_decide(client, world):
    """Adjusting points and deciding awards are society admins' acts: a staff user a superuser
    gave the ledger's and nominations' model permissions, without the society-admin right,
    gets no add page and no award action."""
    from django.contrib.auth.models import Permission

    from twinning.tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="recognition", codename__in=["add_ledgerentry", "view_ledgerentry", "view_nomination"]
    ))
    client.force_login(staff)

    assert client.get(reverse("admin:recognition_ledgerentry_changelist")).status_code == 200
    assert client.get(reverse("admin:recognition_ledgerentry_add")).status_code == 403
    listing = client.get(reverse("admin:recognition_nomination_changelist"))
    assert listing.status_code == 200
    assert 'value="award"' not in listing.content.decode()
    assert not LedgerEntry.objects.exists()
