"""A partnership's health under a frozen clock, and the nightly job that records and
announces each change of it once."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from evaluation.models import Health, HealthChange, MonitoringSettings, PartnershipHealth
from evaluation.services.health import partnership_health, record_health_changes
from evaluation.services.reminders import send_due_reminders
from partnerships import services
from partnerships.models import Goal

from .monitoring import activate, at, d, log_meeting, other_world, submit

ACTIVATED = d(1, 1)


def health_on(partnership, day: datetime.date) -> str:
    with time_machine.travel(at(day), tick=False):
        # The sweep makes the periods (and their check-ins) as the days pass.
        send_due_reminders()
        return partnership_health(today=day)[partnership.pk].health


def nightly(day: datetime.date, django_capture_on_commit_callbacks) -> int:
    with time_machine.travel(at(day, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
        return record_health_changes(day)


@pytest.mark.django_db
class TestHealth:
    def test_a_newly_active_partnership_is_on_track(self, world):
        partnership = activate(world, ACTIVATED)

        assert health_on(partnership, d(1, 20)) == Health.ON_TRACK

    def test_quiet_for_the_cooling_days_is_cooling_and_for_the_dormant_days_dormant(self, world):
        partnership = activate(world, ACTIVATED)  # the plan and the activation: the last news

        assert health_on(partnership, d(3, 1)) == Health.ON_TRACK  # 59 quiet days
        assert health_on(partnership, d(3, 2)) == Health.COOLING  # 60
        assert health_on(partnership, d(4, 30)) == Health.COOLING  # 119
        assert health_on(partnership, d(5, 1)) == Health.DORMANT  # 120

    def test_a_communication_a_plan_change_or_a_checkin_breaks_the_silence(self, world):
        partnership = activate(world, ACTIVATED)
        log_meeting(partnership, world.officer_a, d(2, 15))
        assert health_on(partnership, d(4, 15)) == Health.ON_TRACK  # 59 days after the call
        assert health_on(partnership, d(4, 16)) == Health.COOLING

        with time_machine.travel(at(d(4, 17)), tick=False):
            services.plan_item_save(partnership=partnership, actor=world.officer_b, item=Goal(title="Mentoring"))
        assert health_on(partnership, d(4, 17)) == Health.ON_TRACK

        submit(partnership, world.a, world.officer_a, d(4, 27), "on-track")
        submit(partnership, world.b, world.officer_b, d(4, 28), "on-track")
        assert health_on(partnership, d(6, 26)) == Health.ON_TRACK  # 59 days after Beta's check-in
        assert health_on(partnership, d(6, 27)) == Health.COOLING

    def test_the_thresholds_are_the_settings(self, world):
        partnership = activate(world, ACTIVATED)
        MonitoringSettings.objects.update_or_create(singleton=True, defaults={"cooling_days": 10, "dormant_days": 20})

        assert health_on(partnership, d(1, 10)) == Health.ON_TRACK
        assert health_on(partnership, d(1, 11)) == Health.COOLING
        assert health_on(partnership, d(1, 21)) == Health.DORMANT

    def test_an_overdue_checkin_puts_the_partnership_at_risk(self, world):
        partnership = activate(world, ACTIVATED)
        log_meeting(partnership, world.officer_a, d(4, 20))

        assert health_on(partnership, d(4, 30)) == Health.ON_TRACK  # due today
        with time_machine.travel(at(d(5, 1)), tick=False):
            reading = partnership_health(today=d(5, 1))[partnership.pk]
        assert reading.health == Health.AT_RISK
        assert str(reading.reason) == "A check-in is overdue (due 30 Apr 2026)."

    def test_a_checkin_is_overdue_once_its_due_date_has_passed_in_its_sections_zone(self, world):
        world.a.time_zone = "Asia/Tokyo"
        world.a.save(update_fields=["time_zone"])
        partnership = activate(world, ACTIVATED)
        log_meeting(partnership, world.officer_a, d(4, 20))
        # 20:00 UTC on 30 April: 1 May in Tokyo, where Alpha's check-in is overdue; Beta's,
        # in UTC, is due today.
        evening = datetime.datetime(2026, 4, 30, 20, tzinfo=datetime.UTC)
        with time_machine.travel(evening, tick=False):
            send_due_reminders()
            reading = partnership_health(today=d(4, 30), moment=evening)[partnership.pk]
        assert reading.health == Health.AT_RISK
        assert str(reading.reason) == "A check-in is overdue (due 30 Apr 2026)."

        world.a.time_zone = "UTC"
        world.a.save(update_fields=["time_zone"])
        with time_machine.travel(evening, tick=False):
            assert partnership_health(today=d(4, 30), moment=evening)[partnership.pk].health == Health.ON_TRACK

    def test_a_side_reporting_at_risk_or_off_track_sets_the_health(self, world):
        partnership = activate(world, ACTIVATED)
        submit(partnership, world.a, world.officer_a, d(4, 20), "on-track")
        submit(partnership, world.b, world.officer_b, d(4, 21), "at-risk")

        reading = partnership_health(today=d(4, 25))[partnership.pk]
        assert (reading.health, str(reading.reason)) == (Health.AT_RISK, "Beta Section reported at risk.")

        # Off track outweighs at risk.
        submit(partnership, world.a, world.officer_a, d(7, 5), "off-track", number=1)
        reading = partnership_health(today=d(7, 6))[partnership.pk]
        assert (reading.health, str(reading.reason)) == (Health.OFF_TRACK, "Alpha Section reported off track.")

    def test_only_each_sides_latest_report_counts(self, world):
        partnership = activate(world, ACTIVATED)
        submit(partnership, world.a, world.officer_a, d(4, 20), "off-track")
        submit(partnership, world.b, world.officer_b, d(4, 21), "on-track")
        submit(partnership, world.a, world.officer_a, d(7, 5), "on-track", number=1)

        assert health_on(partnership, d(7, 6)) == Health.ON_TRACK

    def test_silence_outweighs_the_last_report(self, world):
        partnership = activate(world, ACTIVATED)
        submit(partnership, world.a, world.officer_a, d(4, 20), "off-track")
        submit(partnership, world.b, world.officer_b, d(4, 20), "on-track")

        assert health_on(partnership, d(6, 18)) == Health.OFF_TRACK
        # 60 days after the last report; period 1's check-ins are not due until 30 July.
        assert health_on(partnership, d(6, 19)) == Health.COOLING

    def test_only_active_partnerships_have_a_health(self, world):
        partnership = activate(world, ACTIVATED)
        with time_machine.travel(at(d(2, 1)), tick=False):
            services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Exams")

        assert partnership.pk not in partnership_health(today=d(5, 1))

    def test_every_active_partnership_is_read_in_a_fixed_number_of_queries(
        self, world, django_assert_num_queries
    ):
        activate(world, ACTIVATED)
        MonitoringSettings.current()
        # The settings, the partnerships, their last check-in, communication and change of each
        # of the five plan models, each side's latest report, the overdue check-ins.
        with django_assert_num_queries(11):
            partnership_health(today=d(5, 1))
        other = other_world()
        second = activate(other, ACTIVATED)
        submit(second, other.a, other.officer_a, d(4, 20), "at-risk")
        log_meeting(second, other.officer_b, d(4, 22))
        with django_assert_num_queries(11):
            readings = partnership_health(today=d(5, 1))
        assert len(readings) == 2


@pytest.mark.django_db
class TestNightlyJob:
    def test_a_first_recording_on_track_is_silent(self, world, django_capture_on_commit_callbacks):
        partnership = activate(world, ACTIVATED)

        assert nightly(d(1, 2), django_capture_on_commit_callbacks) == 0

        assert PartnershipHealth.objects.get(partnership=partnership).health == Health.ON_TRACK
        assert not HealthChange.objects.exists()
        assert mail.outbox == []

    def test_a_change_is_recorded_once_and_announced_once(self, world, django_capture_on_commit_callbacks):
        partnership = activate(world, ACTIVATED)
        nightly(d(1, 2), django_capture_on_commit_callbacks)

        assert nightly(d(3, 2), django_capture_on_commit_callbacks) == 1
        assert nightly(d(3, 2), django_capture_on_commit_callbacks) == 0
        assert nightly(d(3, 3), django_capture_on_commit_callbacks) == 0

        change = HealthChange.objects.get()
        assert (change.partnership, change.from_health, change.to_health, change.on) == (
            partnership, Health.ON_TRACK, Health.COOLING, d(3, 2)
        )
        health = PartnershipHealth.objects.get(partnership=partnership)
        assert (health.health, health.since) == (Health.COOLING, d(3, 2))
        # One message for each lead and coordinator, to their own address only.
        assert sorted(email.to for email in mail.outbox) == sorted(
            [[world.officer_a.email], [world.officer_b.email], [world.coordinator_a.email], [world.coordinator_b.email]]
        )
        for email in mail.outbox:
            assert email.subject == "Health now cooling: Alpha and Beta"
            assert "changed from On track to Cooling on 2 Mar 2026" in email.body
            assert "Nothing recorded for 60 days (since 1 Jan 2026)" in email.body
            [(html, mimetype)] = email.alternatives
            assert mimetype == "text/html" and f"/partnerships/{partnership.pk}/" in html

    def test_a_change_back_is_a_new_change(self, world, django_capture_on_commit_callbacks):
        partnership = activate(world, ACTIVATED)
        nightly(d(3, 2), django_capture_on_commit_callbacks)
        log_meeting(partnership, world.officer_b, d(3, 5))

        assert nightly(d(3, 6), django_capture_on_commit_callbacks) == 1
        assert nightly(d(3, 7), django_capture_on_commit_callbacks) == 0

        assert list(HealthChange.objects.order_by("pk").values_list("from_health", "to_health", "on")) == [
            (Health.ON_TRACK, Health.COOLING, d(3, 2)),
            (Health.COOLING, Health.ON_TRACK, d(3, 6)),
        ]
        assert len(mail.outbox) == 2 * 4  # each change to two leads and two coordinators
        back = mail.outbox[4:]
        assert {email.subject for email in back} == {"Health now on track: Alpha and Beta"}
        assert all("changed from Cooling to On track on 6 Mar 2026" in email.body for email in back)

    def test_a_first_recording_that_is_not_on_track_is_announced_as_a_change(
        self, world, django_capture_on_commit_callbacks
    ):
        activate(world, ACTIVATED)

        assert nightly(d(5, 1), django_capture_on_commit_callbacks) == 1

        assert HealthChange.objects.get().to_health == Health.DORMANT
        assert len(mail.outbox) == 4

    def test_a_row_moved_by_another_worker_is_not_changed_or_announced_again(
        self, world, django_capture_on_commit_callbacks
    ):
        partnership = activate(world, ACTIVATED)
        nightly(d(1, 2), django_capture_on_commit_callbacks)
        # Another worker recorded today's change a moment ago (without our knowing).
        PartnershipHealth.objects.filter(partnership=partnership).update(health=Health.COOLING, since=d(3, 2))

        assert nightly(d(3, 2), django_capture_on_commit_callbacks) == 0
        assert not HealthChange.objects.exists()
        assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers itself")
def test_two_nightly_jobs_at_the_same_moment_record_and_announce_a_change_once(world):
    activate(world, ACTIVATED)
    mail.outbox = []
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(record_health_changes(d(3, 2)))
        finally:
            connection.close()

    with time_machine.travel(at(d(3, 2), 2), tick=False):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == [0, 1]
    assert HealthChange.objects.count() == 1
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [world.officer_a.email, world.officer_b.email, world.coordinator_a.email, world.coordinator_b.email]
    )
