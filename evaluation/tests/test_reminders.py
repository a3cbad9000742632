"""The reminder sweep under a frozen clock: which reminders go out on which day, to whom,
each once; escalation to the right coordinators; time zones; suspension; failures and
interruptions."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import MonitoringSettings, Reminder, ReportingPeriod
from evaluation.services.checkins import schedule_extend
from evaluation.services.reminders import create_due_reminders, send_due_reminders
from partnerships import services
from partnerships.models import Lead
from sections.models import Officer
from sections.tests.factories import OfficerFactory
from twinning.delivery import deliver_due
from twinning.models import OutgoingMail

from .monitoring import REFUSING_BACKEND, RefusingBackend, activate, at, checkin_of, d, submit, sweep

pytestmark = pytest.mark.django_db

BEFORE, OVERDUE, ESCALATION = Reminder.Kind.BEFORE, Reminder.Kind.OVERDUE, Reminder.Kind.ESCALATION


def days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def walk(first: datetime.date, last: datetime.date, *, hour: int = 9, on_day=None) -> list[tuple]:
    """Sweep once a day at `hour` UTC; what each sweep sent: (UTC day, kind, occurrence,
    section, recipient's email), with one email per reminder in the outbox."""
    sent = []
    with time_machine.travel(at(first, hour), tick=False) as clock:
        for day in days(first, last):
            clock.move_to(at(day, hour))
            if on_day:
                on_day(day)
            outbox_before = len(mail.outbox)
            result = sweep()
            rows = list(
                Reminder.objects.filter(sent_at=at(day, hour))
                .values_list("kind", "occurrence", "checkin__section__name", "recipient__email")
                .order_by("kind", "checkin__section__name", "recipient__email")
            )
            assert result.sent == len(rows)
            assert sorted(m.to for m in mail.outbox[outbox_before:]) == sorted([row[3]] for row in rows)
            sent.extend((day, *row) for row in rows)
    return sent


def test_a_quarter_of_reminders_and_escalations_goes_out_on_the_right_days_to_the_right_people(world):
    partnership = activate(world, d(1, 1))
    a_email, b_email = world.officer_a.email, world.officer_b.email
    ca_email, cb_email = world.coordinator_a.email, world.coordinator_b.email

    def on_day(day):
        # Alpha reports after its first escalation; Beta never does.
        if day == d(5, 18):
            submit(partnership, world.a, world.officer_a, day, "on-track")

    sent = walk(d(1, 1), d(6, 14), on_day=on_day)

    alpha, beta = world.a.name, world.b.name
    assert sent == [
        (d(4, 16), BEFORE, 14, alpha, a_email), (d(4, 16), BEFORE, 14, beta, b_email),
        (d(4, 27), BEFORE, 3, alpha, a_email), (d(4, 27), BEFORE, 3, beta, b_email),
        (d(4, 30), BEFORE, 0, alpha, a_email), (d(4, 30), BEFORE, 0, beta, b_email),
        (d(5, 3), OVERDUE, 0, alpha, a_email), (d(5, 3), OVERDUE, 0, beta, b_email),
        # Each side's overdue check-in goes to the coordinators of its own district.
        (d(5, 14), ESCALATION, 0, alpha, ca_email), (d(5, 14), ESCALATION, 0, beta, cb_email),
        # Alpha submitted on 18 May: only Beta's escalation repeats, weekly.
        (d(5, 21), ESCALATION, 1, beta, cb_email),
        (d(5, 28), ESCALATION, 2, beta, cb_email),
        (d(6, 4), ESCALATION, 3, beta, cb_email),
        (d(6, 11), ESCALATION, 4, beta, cb_email),
    ]
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    # The next quarter's period was made on its first day; its reminders come in July.
    assert ReportingPeriod.objects.filter(partnership=partnership).values_list("number", "starts_on", "due_on")[1] == (
        1, d(4, 1), d(7, 30)
    )


def test_a_sweep_that_missed_days_sends_only_the_latest_reminder(world):
    activate(world, d(1, 1))

    sent = walk(d(4, 28), d(4, 28))

    # The 14-day reminder was never sent; on 28 April only the 3-day one is due.
    assert {(kind, occurrence) for _day, kind, occurrence, *_rest in sent} == {(BEFORE, 3)}


def test_reminders_go_to_the_leads_else_the_twinning_lead_else_the_chair(world):
    partnership = activate(world, d(1, 1))
    twinning_lead = OfficerFactory(section=world.a, role=Officer.Role.TWINNING_LEAD).user

    def on_day(day):
        if day == d(4, 16):
            Lead.objects.filter(partnership=partnership, section=world.a).delete()
        if day == d(4, 27):
            Officer.objects.filter(user=twinning_lead).update(end_date=d(4, 26))

    sent = walk(d(4, 15), d(4, 30), on_day=on_day)

    to_alpha = [(day, occurrence, email) for day, _kind, occurrence, section, email in sent if section == world.a.name]
    assert to_alpha == [
        (d(4, 16), 14, twinning_lead.email),
        (d(4, 27), 3, world.officer_a.email),  # the chair, once the twinning lead's term ended
        (d(4, 30), 0, world.officer_a.email),
    ]


def test_every_lead_of_the_section_is_reminded_and_no_one_else(world):
    partnership = activate(world, d(1, 1))
    second_lead = OfficerFactory(section=world.a, role=Officer.Role.SECRETARY).user
    Lead.objects.create(partnership=partnership, section=world.a, user=second_lead)
    OfficerFactory(section=world.a, role=Officer.Role.TWINNING_LEAD)

    sent = walk(d(4, 16), d(4, 16))

    assert sorted(email for *_rest, section, email in sent if section == world.a.name) == sorted(
        [world.officer_a.email, second_lead.email]
    )


def test_dates_are_judged_in_each_sections_own_time_zone(world):
    world.a.time_zone, world.b.time_zone = "Pacific/Auckland", "America/Los_Angeles"
    world.a.save(), world.b.save()
    activate(world, d(1, 1))

    # At 13:00 UTC it is already the next day in Auckland, still the same morning in Los Angeles.
    sent = walk(d(4, 10), d(5, 5), hour=13)

    def days_for(section):
        return [(day, kind, occurrence) for day, kind, occurrence, name, _email in sent if name == section.name]

    assert days_for(world.a) == [
        (d(4, 15), BEFORE, 14), (d(4, 26), BEFORE, 3), (d(4, 29), BEFORE, 0), (d(5, 2), OVERDUE, 0)
    ]
    assert days_for(world.b) == [
        (d(4, 16), BEFORE, 14), (d(4, 27), BEFORE, 3), (d(4, 30), BEFORE, 0), (d(5, 3), OVERDUE, 0)
    ]


def test_a_suspended_partnership_is_not_reminded_and_its_schedule_resumes_with_it(world):
    partnership = activate(world, d(1, 1))

    def on_day(day):
        if day == d(3, 25):
            services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Exams")

    # The first quarter's report falls due during the suspension: not a word about it.
    sent = walk(d(3, 20), d(5, 31), on_day=on_day)

    assert sent == []
    assert not Reminder.objects.exists()
    with time_machine.travel(at(d(6, 1)), tick=False):
        services.partnership_resume(partnership=partnership, actor=world.officer_a)
        send_due_reminders()
    # Reporting picks up from the resumption: no period covers the weeks of the pause.
    periods = list(ReportingPeriod.objects.filter(partnership=partnership).values_list("starts_on", "ends_on"))
    assert periods == [(d(1, 1), d(3, 31)), (d(6, 1), d(8, 31))]
    with time_machine.travel(at(d(9, 16)), tick=False):
        send_due_reminders()
    resumed_period = Reminder.objects.filter(checkin__period__number=1)
    assert set(resumed_period.values_list("kind", "occurrence", "recipient__email")) == {
        (BEFORE, 14, world.officer_a.email), (BEFORE, 14, world.officer_b.email)
    }


def test_a_sweep_run_twice_sends_nothing_twice(world):
    activate(world, d(1, 1))

    with time_machine.travel(at(d(4, 16)), tick=False) as clock:
        first = sweep()
        second = sweep()
        clock.shift(datetime.timedelta(hours=1))
        third = sweep()

    assert (first.created, first.sent) == (2, 2)
    assert (second.created, second.sent, third.created, third.sent) == (0, 0, 0, 0)
    assert len(mail.outbox) == 2


def test_a_refused_reminder_is_queued_once_and_the_mail_path_retries_it(world, settings):
    activate(world, d(1, 1))
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    RefusingBackend.refused = {world.officer_b.email}
    now = at(d(4, 16))

    with time_machine.travel(now, tick=False) as clock:
        result = sweep()

        assert (result.created, result.sent) == (2, 2)
        assert [m.to for m in mail.outbox] == [[world.officer_a.email]]
        refused = Reminder.objects.select_related("mail").get(recipient=world.officer_b)
        assert refused.sent_at == now
        assert (refused.mail.status, refused.mail.attempts) == (OutgoingMail.Status.QUEUED, 1)
        assert refused.mail.next_attempt_at == now + datetime.timedelta(minutes=5)
        assert "550 mailbox unavailable" in refused.mail.last_error

        # The reminder sweep queues nothing again; retrying is the mail path's job.
        clock.shift(datetime.timedelta(minutes=5))
        assert (sweep().sent, deliver_due().failed) == (0, 1)
        refused.mail.refresh_from_db()
        assert (refused.mail.attempts, refused.mail.next_attempt_at) == (2, now + datetime.timedelta(minutes=15))

        RefusingBackend.refused = set()
        clock.shift(datetime.timedelta(minutes=10))
        assert deliver_due().sent == 1

    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.officer_a.email, world.officer_b.email])
    assert OutgoingMail.objects.count() == Reminder.objects.count() == 2
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


def test_reminders_created_by_a_sweep_that_stopped_before_queueing_them_go_out_with_the_next(world):
    partnership = activate(world, d(1, 1))

    with time_machine.travel(at(d(4, 16)), tick=False) as clock:
        # The sweep's first steps only: the schedule and the rows, then the worker stopped.
        schedule_extend(partnership=partnership, today=d(4, 16))
        created = create_due_reminders(at(d(4, 16)), MonitoringSettings.current())
        assert not mail.outbox
        clock.shift(datetime.timedelta(hours=1))
        again = sweep()
        later = sweep()

    assert created == 2
    assert (again.created, again.sent, later.sent) == (0, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.officer_a.email, world.officer_b.email])


class WorkerStopped(BaseException):
    """What a worker shutting down raises in the middle of a task."""


class StoppingBackend(EmailBackend):
    """Sends the first message, then the worker is stopped before the second."""

    calls = 0

    def send_messages(self, messages):
        StoppingBackend.calls += 1
        if StoppingBackend.calls == 2:
            raise WorkerStopped
        return super().send_messages(messages)


def test_a_delivery_stopped_half_way_keeps_what_it_sent_and_the_mail_sweep_sends_the_rest(world, settings):
    activate(world, d(1, 1))
    settings.EMAIL_BACKEND = f"{__name__}.StoppingBackend"
    StoppingBackend.calls = 0

    with time_machine.travel(at(d(4, 16)), tick=False) as clock:
        with pytest.raises(WorkerStopped):
            sweep()
        assert len(mail.outbox) == 1
        assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
        assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 1
        # The message being sent when the worker stopped waits for its claim to lapse, then goes.
        clock.shift(datetime.timedelta(minutes=4))
        assert deliver_due().sent == 0
        clock.shift(datetime.timedelta(minutes=1))
        assert deliver_due().sent == 1
        assert sweep().sent == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.officer_a.email, world.officer_b.email])


def test_a_reminder_not_yet_queued_is_dropped_once_the_checkin_is_submitted(world):
    partnership = activate(world, d(1, 1))
    with time_machine.travel(at(d(5, 3)), tick=False):
        schedule_extend(partnership=partnership, today=d(5, 3))
        assert create_due_reminders(at(d(5, 3)), MonitoringSettings.current()) == 2
    submit(partnership, world.b, world.officer_b, d(5, 3), "at-risk")

    with time_machine.travel(at(d(5, 3), 10), tick=False):
        result = sweep()

    assert result.sent == 1
    assert [m.to for m in mail.outbox] == [[world.officer_a.email]]
    assert Reminder.objects.get(recipient=world.officer_b).sent_at is None


def test_the_reminder_email_has_text_and_html_and_links_to_the_checkin(world):
    partnership = activate(world, d(1, 1))
    with time_machine.travel(at(d(5, 14)), tick=False):
        sweep()

    checkin = checkin_of(partnership, world.a)
    url = django_settings.SITE_URL + reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": checkin.pk})
    [escalation] = [m for m in mail.outbox if m.to == [world.coordinator_a.email]]
    assert partnership.title in escalation.subject
    assert "14 days overdue" in escalation.body
    assert url in escalation.body
    [(html, mimetype)] = escalation.alternatives
    assert mimetype == "text/html"
    assert f'href="{url}"' in html
    assert "Alpha Section" in html


def test_send_reminders_command_prints_its_summary(world):
    activate(world, d(1, 1))

    out = StringIO()
    with time_machine.travel(at(d(4, 30)), tick=False):
        call_command("send_reminders", stdout=out)

    assert out.getvalue().strip() == "Reminders: 2 created, 2 queued for sending; mid-term review offers: 0 queued."
    assert OutgoingMail.objects.filter(template_name="evaluation/email/reminder").count() == 2


def test_a_lead_whose_office_ended_is_not_reminded_and_the_chair_is(world):
    partnership = activate(world, d(1, 1))
    former = OfficerFactory(section=world.b, role=Officer.Role.SECRETARY, end_date=d(3, 1)).user
    Lead.objects.filter(partnership=partnership, section=world.b).delete()
    Lead.objects.create(partnership=partnership, section=world.b, user=former)

    with time_machine.travel(at(d(4, 16)), tick=False):
        sweep()

    recipients = {m.to[0] for m in mail.outbox}
    assert former.email not in recipients
    assert world.officer_b.email in recipients


def test_a_mail_server_that_does_not_answer_leaves_every_message_queued_for_a_retry(world, settings):
    activate(world, d(1, 1))
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"

    with time_machine.travel(at(d(4, 16)), tick=False):
        result = sweep()

    assert (result.created, result.sent) == (2, 2)
    assert not mail.outbox
    assert list(OutgoingMail.objects.order_by().values_list("status", "attempts", "last_error").distinct()) == [
        (OutgoingMail.Status.QUEUED, 1, "ConnectionRefusedError: smtp down")
    ]


class DownBackend(EmailBackend):
    def open(self):
        raise ConnectionRefusedError("smtp down")


# ---- a sweep reads only the check-ins whose next reminder has come ------------------------

@pytest.mark.parametrize(
    "today, expected",
    [
        (d(4, 1), d(4, 16)),   # before the first offset (14, 3, 0 days before 30 April)
        (d(4, 16), d(4, 27)),
        (d(4, 29), d(4, 30)),
        (d(4, 30), d(5, 3)),   # the overdue notice, 3 days after
        (d(5, 3), d(5, 14)),   # the first escalation, 14 days after
        (d(5, 14), d(5, 21)),  # then weekly
        (d(5, 20), d(5, 21)),
        (d(7, 1), d(7, 2)),
    ],
)
def test_the_next_reminder_day_follows_the_settings(world, today, expected):
    from evaluation.services.reminders import next_reminder_on

    assert next_reminder_on(d(4, 30), today, MonitoringSettings.current()) == expected


def test_a_sweep_with_nothing_new_reads_no_check_in_and_stores_each_ones_next_day(world, django_assert_num_queries):
    partnership = activate(world, d(1, 1))
    alpha, beta = checkin_of(partnership, world.a), checkin_of(partnership, world.b)
    # Auckland's 16 April begins while it is still the 15th in UTC (and in Amsterdam).
    world.a.time_zone = "Pacific/Auckland"
    world.a.save()

    with time_machine.travel(at(d(4, 15), 13), tick=False):
        sweep()
    alpha.refresh_from_db()
    beta.refresh_from_db()
    # Each one's next reminder is due when its day begins where the section is.
    assert (alpha.next_reminder_at, beta.next_reminder_at) == (
        datetime.datetime(2026, 4, 26, 12, tzinfo=datetime.UTC), datetime.datetime(2026, 4, 15, 22, tzinfo=datetime.UTC),
    )
    assert Reminder.objects.filter(checkin=alpha).count() == 1 and not Reminder.objects.filter(checkin=beta).exists()

    with time_machine.travel(at(d(4, 16)), tick=False):
        sweep()
    beta.refresh_from_db()
    assert beta.next_reminder_at == datetime.datetime(2026, 4, 26, 22, tzinfo=datetime.UTC)
    assert Reminder.objects.filter(checkin=beta).count() == 1

    # Nothing falls due between 16 and 27 April: the sweep reads the open check-ins whose day
    # has come (none), and makes no other query about them.
    settings = MonitoringSettings.current()
    with time_machine.travel(at(d(4, 20)), tick=False), django_assert_num_queries(1):
        assert create_due_reminders(at(d(4, 20)), settings) == 0


def test_changed_offsets_take_effect_at_the_next_sweep(world):
    activate(world, d(1, 1))
    walk(d(4, 16), d(4, 16))
    settings = MonitoringSettings.current()
    settings.reminder_offsets = "7"
    settings.save()

    sent = walk(d(4, 17), d(4, 30))

    assert {(day, kind, occurrence) for day, kind, occurrence, *_rest in sent} == {(d(4, 23), BEFORE, 7)}
