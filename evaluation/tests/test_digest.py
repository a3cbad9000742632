"""The coordinators' weekly digest: what it lists for each coordinator, and that a week's
digest goes out once."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from evaluation.models import DigestSent
from evaluation.services.checkins import schedule_extend
from evaluation.services.digest import send_weekly_digests
from partnerships.tests.conftest import World
from sections.models import DistrictCoordinator
from sections.tests.factories import CoordinatorFactory, DistrictFactory
from twinning.delivery import deliver_due
from twinning.models import OutgoingMail

from .monitoring import REFUSING_BACKEND, RefusingBackend, activate, at, other_world, submit

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 5, 11)


@pytest.fixture
def running(world) -> tuple[World, World]:
    """On Monday 11 May: Alpha–Beta is at risk (Beta said so) and Alpha's first check-in is
    overdue; Gamma–Delta, in two other districts, has been silent since January: dormant,
    both its check-ins overdue."""
    first = activate(world, datetime.date(2026, 1, 1))
    submit(first, world.b, world.officer_b, datetime.date(2026, 5, 5), "at-risk")
    other = other_world()
    second = activate(other, datetime.date(2026, 1, 1), title="Gamma and Delta")
    schedule_extend(partnership=second, today=MONDAY)
    return world, other


def digests(day: datetime.date = MONDAY):
    """The job on `day`, and its messages delivered as the worker does once it commits."""
    with time_machine.travel(at(day, 6), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return send_weekly_digests(day)


def digest_to(user) -> mail.EmailMultiAlternatives:
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def test_a_coordinator_hears_of_the_overdue_checkins_and_troubled_partnerships_of_their_district(running):
    world, other = running

    digests()

    message = digest_to(world.coordinator_a)
    assert message.subject == "Your weekly twinning digest, week of 11 May 2026"
    assert "Overdue check-ins" in message.body
    assert "Alpha and Beta: Alpha Section, due 30 Apr 2026 (11 days overdue)" in message.body
    assert "At risk\n- Alpha and Beta: Beta Section reported at risk." in message.body
    # Beta's check-in is in; the other districts' partnership is theirs to hear about.
    assert "Beta Section, due" not in message.body
    assert "Gamma" not in message.body and "Delta" not in message.body and "Dormant" not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Alpha Section, due 30 Apr 2026 (11 days overdue)" in html
    assert "/partnerships/" in html and "Gamma" not in html


def test_each_coordinator_gets_their_own_districts(running):
    world, other = running

    digests()

    beta = digest_to(world.coordinator_b)
    assert "Overdue check-ins" not in beta.body
    assert "Beta Section reported at risk." in beta.body
    gamma = digest_to(other.coordinator_a)
    assert "Gamma Section, due 30 Apr 2026 (11 days overdue)" in gamma.body
    assert "Delta Section, due" not in gamma.body
    assert "Dormant\n- Gamma and Delta: Nothing recorded for 130 days" in gamma.body
    assert "Alpha" not in gamma.body
    assert len(mail.outbox) == 4


def test_a_coordinator_of_two_districts_gets_one_digest_with_both(running):
    world, other = running
    CoordinatorFactory(user=other.coordinator_a, district=other.b.district)

    digests()

    message = digest_to(other.coordinator_a)
    assert "Gamma Section, due" in message.body and "Delta Section, due" in message.body
    assert message.body.count("Gamma and Delta: Nothing recorded") == 1
    assert "District C, District D" in message.body


def test_the_digest_goes_out_once_a_week_however_often_the_job_runs(running):
    first = digests()
    again = digests()
    later_that_week = digests(MONDAY + datetime.timedelta(days=2))

    assert (first.sent, again.sent, later_that_week.sent) == (4, 0, 0)
    assert (again.taken, later_that_week.taken) == (4, 4)
    assert len(mail.outbox) == 4
    assert set(DigestSent.objects.values_list("week_of", flat=True)) == {MONDAY}

    next_week = digests(MONDAY + datetime.timedelta(days=7))
    assert next_week.sent == 4
    assert len(mail.outbox) == 8


def test_a_coordinator_with_nothing_to_report_gets_no_email_and_the_week_is_done(running):
    quiet = CoordinatorFactory(district=DistrictFactory(code="de", name="District E")).user

    result = digests()
    again = digests()

    assert (result.sent, result.quiet, again.taken) == (4, 1, 5)
    assert not [m for m in mail.outbox if m.to == [quiet.email]]
    assert DigestSent.objects.filter(coordinator=quiet, week_of=MONDAY).exists()


def test_a_refused_digest_keeps_its_week_and_the_mail_path_delivers_it_later(running, settings):
    world, _other = running
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    RefusingBackend.refused = {world.coordinator_a.email}

    result = digests()

    # The week is claimed with the digest queued: the job never sends it again...
    assert result.sent == 4
    assert DigestSent.objects.filter(coordinator=world.coordinator_a, week_of=MONDAY).exists()
    assert len(mail.outbox) == 3
    waiting = OutgoingMail.objects.get(to=world.coordinator_a.email)
    assert (waiting.status, waiting.attempts) == (OutgoingMail.Status.QUEUED, 1)
    assert digests().taken == 4
    # ...the mail path does, once the mail server takes it.
    RefusingBackend.refused = set()
    with time_machine.travel(at(MONDAY, 6) + datetime.timedelta(minutes=5), tick=False):
        assert deliver_due().sent == 1
    assert sorted(m.to[0] for m in mail.outbox).count(world.coordinator_a.email) == 1
    assert len(mail.outbox) == 4


def test_a_coordinator_whose_term_ended_gets_no_digest(running):
    world, _other = running
    DistrictCoordinator.objects.filter(user=world.coordinator_a).update(end_date=MONDAY - datetime.timedelta(days=1))

    assert digests().sent == 3
    assert not [m for m in mail.outbox if m.to == [world.coordinator_a.email]]


def test_a_coordinator_whose_account_is_closed_gets_no_digest(running):
    world, _other = running
    world.coordinator_a.is_active = False
    world.coordinator_a.save(update_fields=["is_active"])

    assert digests().sent == 3
    assert not [m for m in mail.outbox if m.to == [world.coordinator_a.email]]


def test_each_further_coordinator_costs_a_fixed_number_of_queries(running):
    world, other = running

    def queries(day):
        # The job's own queries; delivering is the mail path's, one message at a time.
        with time_machine.travel(at(day, 6), tick=False), CaptureQueriesContext(connection) as captured:
            send_weekly_digests(day)
        return len(captured)

    four = queries(MONDAY)
    CoordinatorFactory(district=world.a.district)
    five = queries(MONDAY + datetime.timedelta(days=7))
    CoordinatorFactory(district=world.b.district)
    CoordinatorFactory(district=other.a.district)
    seven = queries(MONDAY + datetime.timedelta(days=14))

    per_coordinator = five - four
    # The claim and the digest queued, in one savepoint; the mail path reads the
    # coordinator's notice preference and files the notice in their inbox.
    assert per_coordinator <= 6
    assert seven - five == 2 * per_coordinator


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers itself")
def test_two_digest_jobs_at_the_same_moment_send_each_coordinator_one_digest(running):
    mail.outbox = []
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(send_weekly_digests(MONDAY))
        finally:
            connection.close()

    with time_machine.travel(at(MONDAY, 6), tick=False):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sum(result.sent for result in results) == 4
    assert sum(result.taken for result in results) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        DigestSent.objects.values_list("coordinator__email", flat=True)
    )
    assert len(mail.outbox) == 4


def test_each_coordinator_reads_the_digest_in_their_own_language(running):
    world, _other = running
    world.coordinator_a.language = "fr"
    world.coordinator_a.save(update_fields=["language"])

    digests()

    message = digest_to(world.coordinator_a)
    # The words and the date are French; the names are the sections' own.
    assert message.subject == "Votre résumé hebdomadaire du jumelage, semaine du 11 mai 2026"
    assert "Alpha and Beta: Alpha Section" in message.body
    assert "Overdue check-ins" not in message.body
    [(html, _mimetype)] = message.alternatives
    assert 'lang="fr"' in html


def test_overdue_days_are_counted_in_the_sections_time_zone(running):
    world, _other = running
    # 06:00 UTC on Monday 11 May is still Sunday 10 May, 19:00, in Pago Pago.
    world.a.time_zone = "Pacific/Pago_Pago"
    world.a.save(update_fields=["time_zone"])

    with time_machine.travel(at(MONDAY, 6), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        send_weekly_digests()

    assert "Alpha and Beta: Alpha Section, due 30 Apr 2026 (10 days overdue)" in digest_to(world.coordinator_a).body
