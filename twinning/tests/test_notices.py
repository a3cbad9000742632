"""The inbox of the mail path: a notice for every recipient with an account, each user's
choice of how they hear of each kind honoured, the daily summary sent once per user and
day (also by two runs at the same moment), and notices purged after 180 days."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django_celery_beat.models import PeriodicTask

from twinning import mail as mail_path
from twinning import tasks
from twinning.models import DailySummary, Delivery, Notice, NoticeKind, OutgoingMail
from twinning.notices import (
    KINDS, Kind, kind_of, notice_mark_read, notice_preferences_set, notices_mark_all_read, notices_purge, site_path,
)
from twinning.summary import send_daily_summaries

from .concurrency import at_the_same_moment
from .factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "test_email/hello"
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def test_templates(settings):
    """The test's own email templates (twinning/tests/templates/test_email/hello*)."""
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = [engine]


@pytest.fixture
def as_kind(monkeypatch):
    """The test template, counted as a notice of `kind` in the one table."""
    def use(kind: str, at_least: str = Delivery.INBOX) -> None:
        monkeypatch.setitem(KINDS, TEMPLATE, Kind(kind, at_least))
    return use


def send(to, *, link: str = "", topic: str = "The spring meeting") -> list[OutgoingMail]:
    return mail_path.send(TEMPLATE, to=to, context={"topic": topic, "url": f"{django_settings.SITE_URL}/sections/"},
                          link=link)


def test_every_email_template_has_its_kind():
    root = Path(django_settings.BASE_DIR)
    names = {
        str(path.relative_to(root / "templates"))[: -len("-subject.txt")]
        for path in (root / "templates").rglob("*/email/*-subject.txt")
    }
    assert names, "no email templates found"
    assert names - set(KINDS) == set(), "email templates without a row in twinning.notices.KINDS"


def test_a_reminder_is_a_reminder_an_overdue_one_cannot_be_switched_off_and_an_escalation_is_an_escalation():
    class Reminder:
        def __init__(self, kind):
            self.kind = kind

    def of(kind):
        return kind_of("evaluation/email/reminder", {"reminder": Reminder(kind)})

    assert of("before") == Kind(NoticeKind.REMINDERS)
    assert of("overdue") == Kind(NoticeKind.REMINDERS, at_least=Delivery.DAILY)
    assert of("escalation") == Kind(NoticeKind.ESCALATIONS)


@pytest.mark.parametrize("kind", [k for k in NoticeKind if k != NoticeKind.ACCOUNT])
@pytest.mark.parametrize("delivery", list(Delivery))
def test_each_kind_is_delivered_as_the_user_chose(as_kind, kind, delivery):
    as_kind(kind)
    ann, ben = UserFactory(email="ann@example.org"), UserFactory(email="ben@example.org")
    notice_preferences_set(user=ann, deliveries={kind: delivery})

    # Ben is named by his address only: he has an account, so the notice is his too.
    stored = send([ann, "Ben@Example.org", "guest@example.org"])

    mailed = sorted(row.to for row in stored)
    expected = ["Ben@Example.org", "guest@example.org"] + (["ann@example.org"] if delivery == Delivery.IMMEDIATE else [])
    assert mailed == sorted(expected)
    assert set(Notice.objects.values_list("user__email", "kind", "delivery", "link", "read_at")) == {
        ("ann@example.org", kind, delivery, "/sections/", None),
        ("ben@example.org", kind, Delivery.IMMEDIATE, "/sections/", None),
    }


def test_an_overdue_reminder_chosen_for_the_inbox_goes_to_the_daily_summary(as_kind):
    as_kind(NoticeKind.REMINDERS, at_least=Delivery.DAILY)
    ann = UserFactory()
    notice_preferences_set(user=ann, deliveries={NoticeKind.REMINDERS: Delivery.INBOX})
    assert send([ann]) == []
    assert Notice.objects.get().delivery == Delivery.DAILY


def test_account_mail_is_always_sent_and_its_secret_link_stays_out_of_the_inbox(django_capture_on_commit_callbacks):
    ann = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        stored = mail_path.send(
            "registration/email/password_reset", to=[ann], context={"url": "http://testserver/reset/secret/", "days": 3}
        )
    assert len(stored) == 1 and len(mail.outbox) == 1
    notice = Notice.objects.get()
    assert (notice.kind, notice.delivery, notice.link) == (NoticeKind.ACCOUNT, Delivery.IMMEDIATE, "")


@pytest.mark.parametrize(("given", "kept"), [
    ("http://127.0.0.1:8000/partnerships/3/#logs", "/partnerships/3/#logs"),
    ("/partnerships/3/", "/partnerships/3/"),
    ("https://evil.example/x", ""),
    ("//evil.example/x", ""),
    ("/\\evil.example", ""),
    ("javascript:alert(1)", ""),
    ("", ""),
])
def test_only_a_path_on_this_site_is_kept_as_a_link(settings, given, kept):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_path(given) == kept


def test_an_explicit_link_wins_over_the_contexts_url(as_kind):
    as_kind(NoticeKind.TRANSITIONS)
    send([UserFactory()], link="/partnerships/7/")
    assert Notice.objects.get().link == "/partnerships/7/"


def test_marking_read_keeps_the_first_time_and_all_read_marks_only_ones_own(as_kind):
    as_kind(NoticeKind.TRANSITIONS)
    ann, ben = UserFactory(), UserFactory()
    send([ann, ben])
    send([ann, ben])
    first = Notice.objects.filter(user=ann).first()
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        notice_mark_read(notice=first)
    notice_mark_read(notice=first)
    first.refresh_from_db()
    assert first.read_at == datetime.datetime(2026, 3, 1, tzinfo=UTC)
    assert notices_mark_all_read(user=ann) == 1
    assert Notice.objects.filter(user=ann, read_at__isnull=True).count() == 0
    assert Notice.objects.filter(user=ben, read_at__isnull=True).count() == 2


def test_notices_older_than_180_days_are_purged(as_kind):
    as_kind(NoticeKind.TRANSITIONS)
    ann = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=UTC), tick=False):
        send([ann], topic="old")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
        send([ann], topic="recent")
    assert notices_purge(datetime.datetime(2026, 7, 1, 12, tzinfo=UTC)) == 1
    assert [subject.split(" (")[0] for subject in Notice.objects.values_list("subject", flat=True)] == [
        "News for recent"
    ]
    assert notices_purge(datetime.datetime(2026, 7, 1, 12, tzinfo=UTC)) == 0


def _daily(as_kind, user, *, at: datetime.datetime, topic: str = "The spring meeting") -> None:
    as_kind(NoticeKind.TRANSITIONS)
    notice_preferences_set(user=user, deliveries={NoticeKind.TRANSITIONS: Delivery.DAILY})
    with time_machine.travel(at, tick=False):
        assert send([user], topic=topic) == []


def test_the_daily_summary_is_one_mail_a_day_at_seven_in_the_users_time_zone(as_kind, django_capture_on_commit_callbacks):
    ann = UserFactory(time_zone="Asia/Tokyo")  # UTC+9: 07:00 there is 22:00 UTC the day before
    _daily(as_kind, ann, at=datetime.datetime(2026, 5, 4, 10, tzinfo=UTC), topic="first")
    _daily(as_kind, ann, at=datetime.datetime(2026, 5, 4, 11, tzinfo=UTC), topic="second")

    with django_capture_on_commit_callbacks(execute=True):
        # 21:00 UTC is 06:00 in Tokyo: not yet.
        assert send_daily_summaries(datetime.datetime(2026, 5, 4, 21, tzinfo=UTC)).sent == 0
        assert send_daily_summaries(datetime.datetime(2026, 5, 4, 22, 5, tzinfo=UTC)).sent == 1
        # Later the same day: nothing waits any more.
        assert send_daily_summaries(datetime.datetime(2026, 5, 4, 23, tzinfo=UTC)).sent == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ann.email]
    assert message.subject == "Your daily twinning summary, 5 May 2026: 2 notices"
    assert "News for first" in message.body and "News for second" in message.body
    assert f"{django_settings.SITE_URL}/sections/" in message.body
    assert list(DailySummary.objects.values_list("day", flat=True)) == [datetime.date(2026, 5, 5)]


def test_a_notice_after_the_summary_hour_waits_for_the_next_day_and_read_ones_are_not_mailed(
    as_kind, django_capture_on_commit_callbacks
):
    ann = UserFactory()  # the site's time zone, UTC
    _daily(as_kind, ann, at=datetime.datetime(2026, 5, 4, 6, tzinfo=UTC), topic="early")
    _daily(as_kind, ann, at=datetime.datetime(2026, 5, 4, 8, tzinfo=UTC), topic="late")
    _daily(as_kind, ann, at=datetime.datetime(2026, 5, 4, 9, tzinfo=UTC), topic="read")
    notice_mark_read(notice=Notice.objects.get(subject__startswith="News for read"))

    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_summaries(datetime.datetime(2026, 5, 4, 9, tzinfo=UTC)).sent == 1
        assert send_daily_summaries(datetime.datetime(2026, 5, 5, 7, 5, tzinfo=UTC)).sent == 1
    assert [m.subject for m in mail.outbox] == [
        "Your daily twinning summary, 4 May 2026: 1 notice",
        "Your daily twinning summary, 5 May 2026: 1 notice",
    ]
    assert "News for early" in mail.outbox[0].body and "News for late" in mail.outbox[1].body
    assert "News for read" not in mail.outbox[1].body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so two runs never overlap there",
)
def test_two_summary_runs_at_the_same_moment_send_each_users_summary_once(settings, monkeypatch):
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = [engine]
    monkeypatch.setitem(KINDS, TEMPLATE, Kind(NoticeKind.DIGESTS))
    users = [UserFactory() for _ in range(5)]
    for user in users:
        notice_preferences_set(user=user, deliveries={NoticeKind.DIGESTS: Delivery.DAILY})
    with time_machine.travel(datetime.datetime(2026, 5, 4, 6, tzinfo=UTC), tick=False):
        send(users)
        send(users)
    now = datetime.datetime(2026, 5, 4, 7, 5, tzinfo=UTC)

    results = at_the_same_moment(lambda: send_daily_summaries(now), lambda: send_daily_summaries(now))

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(result.sent for result in results) == 5
    # The slower run finds each user's day taken, or (when it read the notices after the other
    # had committed some users) no longer waiting: anything from none to all five.
    assert sum(result.taken for result in results) <= 5
    assert DailySummary.objects.count() == 5
    summaries = OutgoingMail.objects.filter(template_name="twinning/email/daily_summary")
    assert sorted(summaries.values_list("to", flat=True)) == sorted(user.email for user in users)
    assert Notice.objects.filter(summary__isnull=True).count() == 0


def test_the_periodic_tasks_run_and_are_scheduled(as_kind, django_capture_on_commit_callbacks):
    ann = UserFactory()
    _daily(as_kind, ann, at=datetime.datetime(2020, 1, 1, 6, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_summaries() == {"sent": 1, "quiet": 0, "taken": 0}
    # The notice, from 2020, is long past its 180 days.
    assert tasks.purge_notices() == {"purged": 1}
    assert {"twinning.tasks.send_daily_summaries", "twinning.tasks.purge_notices"} <= set(
        PeriodicTask.objects.values_list("task", flat=True)
    )
