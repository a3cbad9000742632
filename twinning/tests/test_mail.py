"""The one mail path: one stored message per recipient, rendered from its templates,
delivered after the commit, retried while the mail server fails, never sent twice, and
failed messages shown in the admin, which can send them again."""

from __future__ import annotations

import datetime
import socket
import time
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.urls import reverse

from twinning import delivery
from twinning import mail as mail_path
from twinning.models import OutgoingMail

from .concurrency import at_the_same_moment
from .factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
TEMPLATE = "test_email/hello"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def test_templates(settings):
    """The test's own email templates (twinning/tests/templates/test_email/hello*)."""
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = [engine]


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings, closed_port):
    """Django's SMTP backend pointed at a port where no server answers."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def send(django_capture_on_commit_callbacks, to, topic: str = "The spring meeting") -> list[OutgoingMail]:
    with django_capture_on_commit_callbacks(execute=True):
        return mail_path.send(TEMPLATE, to=to, context={"topic": topic})


def test_each_recipient_gets_one_message_with_only_their_address(django_capture_on_commit_callbacks):
    ann = UserFactory(full_name="Ann Alpha", email="ann@example.org")

    stored = send(
        django_capture_on_commit_callbacks,
        # The same people again, in other spellings: each address once, the user's greeting kept.
        to=["Ben@Example.org", ann, "ANN@example.org", "ben@example.org", ""],
    )

    assert [row.to for row in stored] == ["Ben@Example.org", "ann@example.org"]
    assert sorted(message.to for message in mail.outbox) == [["Ben@Example.org"], ["ann@example.org"]]
    for message in mail.outbox:
        assert not message.cc and not message.bcc
    to_ann = next(message for message in mail.outbox if message.to == ["ann@example.org"])
    to_ben = next(message for message in mail.outbox if message.to == ["Ben@Example.org"])
    # The subject template's two lines are one line.
    assert to_ann.subject == "News for The spring meeting (ann@example.org)"
    assert to_ann.body.startswith("Hello Ann,\n\nThe spring meeting is ready: http://127.0.0.1:8000/news/\n")
    assert to_ben.body.startswith("Hello Ben@Example.org,")
    [(html, mimetype)] = to_ann.alternatives
    assert mimetype == "text/html"
    assert '<a href="http://127.0.0.1:8000/news/">The spring meeting</a> is ready.' in html
    # Both bodies end with the one base template's footer.
    assert f"— {django_settings.SOCIETY_NAME} Twinning" in to_ann.body
    assert f"— {django_settings.SOCIETY_NAME} Twinning" in html and "<!doctype html>" in html


def test_each_message_is_stored_as_rendered_and_marked_sent(django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        send(django_capture_on_commit_callbacks, to=["ann@example.org"], topic="Tom & Jerry <3")

    row = OutgoingMail.objects.get()
    assert (row.template_name, row.to, row.status, row.attempts, row.sent_at) == (
        TEMPLATE, "ann@example.org", OutgoingMail.Status.SENT, 1, NOW
    )
    # Plain text is not HTML-escaped; HTML is.
    assert row.subject == "News for Tom & Jerry <3 (ann@example.org)"
    assert "Tom & Jerry <3 is ready" in row.text
    assert "Tom &amp; Jerry &lt;3</a>" in row.html
    [message] = mail.outbox
    assert (message.subject, message.body) == (row.subject, row.text)


def test_nothing_is_delivered_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_path.send(TEMPLATE, to=["ann@example.org", "ben@example.org"], context={"topic": "Budget"})

    assert mail.outbox == []
    assert len(callbacks) == 1
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 2


def test_no_recipient_stores_and_sends_nothing(django_capture_on_commit_callbacks):
    assert send(django_capture_on_commit_callbacks, to=[]) == []
    assert not OutgoingMail.objects.exists()


def test_a_mail_server_that_refuses_the_connection_loses_no_message(
    settings, smtp_down, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False) as clock:
        [row] = send(django_capture_on_commit_callbacks, to=["ann@example.org"])

        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutgoingMail.Status.QUEUED, 1)
        assert "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at == NOW + datetime.timedelta(minutes=5)

        settings.EMAIL_BACKEND = LOCMEM
        clock.shift(datetime.timedelta(minutes=4))
        assert delivery.deliver_due().sent == 0  # still waiting out its backoff
        clock.shift(datetime.timedelta(minutes=1))
        assert delivery.deliver_due().sent == 1
        assert delivery.deliver_due().sent == 0

    [message] = mail.outbox
    assert message.to == ["ann@example.org"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == (
        OutgoingMail.Status.SENT, 2, NOW + datetime.timedelta(minutes=5)
    )


def test_the_wait_between_attempts_doubles_up_to_six_hours():
    waits = [delivery.backoff(attempts) for attempts in range(delivery.MAX_ATTEMPTS)]

    assert waits[:4] == [datetime.timedelta(minutes=minutes) for minutes in (5, 10, 20, 40)]
    assert max(waits) == waits[-1] == datetime.timedelta(hours=6)


def test_a_message_that_keeps_failing_is_failed_shown_in_the_admin_and_sent_again_from_there(
    settings, smtp_down, client, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    with time_machine.travel(NOW, tick=False) as clock:
        [row] = send(django_capture_on_commit_callbacks, to=["ann@example.org"], topic="Elections")
        for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
            clock.shift(delivery.backoff(attempt - 2))
            assert delivery.deliver_due().failed == 1
        clock.shift(datetime.timedelta(days=2))
        assert delivery.deliver_due().failed == 0  # given up: no further attempt

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.FAILED, delivery.MAX_ATTEMPTS)
    assert mail.outbox == []

    client.force_login(staff)
    changelist = reverse("admin:twinning_outgoingmail_changelist")
    page = client.get(changelist, {"status__exact": "failed", "q": "ann@"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    content = page.content.decode()
    assert "ann@example.org" in content and "News for Elections" in content and "ConnectionRefusedError" in content

    settings.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "send_again", "_selected_action": [row.pk]}, follow=True
        )

    assert "1 failed message queued to be sent again." in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ann@example.org"] and message.subject == "News for Elections (ann@example.org)"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMail.Status.SENT, 1)


def test_send_again_leaves_messages_that_have_not_failed_alone(django_capture_on_commit_callbacks):
    [sent_row] = send(django_capture_on_commit_callbacks, to=["ann@example.org"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert mail_path.requeue(mail_ids=[sent_row.pk]) == 0

    assert callbacks == []
    assert len(mail.outbox) == 1


def test_the_admin_lists_messages_read_only(client, django_capture_on_commit_callbacks):
    [row] = send(django_capture_on_commit_callbacks, to=["ann@example.org"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:twinning_outgoingmail_add")).status_code == 403
    change = reverse("admin:twinning_outgoingmail_change", args=[row.pk])
    client.post(change, {"to": "mallory@example.org", "subject": "Changed"})
    row.refresh_from_db()
    assert (row.to, row.subject) == ("ann@example.org", "News for The spring meeting (ann@example.org)")


class SlowBackend(EmailBackend):
    """The test backend with a mail server's pace, so two sweeps overlap for a while."""

    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so two sweeps never overlap there",
)
def test_two_sweeps_at_the_same_moment_send_each_message_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    # Queued rows whose delivery tasks were lost: the sweeps' work.
    OutgoingMail.objects.bulk_create(
        OutgoingMail(template_name=TEMPLATE, to=f"member{n}@example.org", subject=f"Note {n}", text="Hi", html="<p>Hi</p>")
        for n in range(20)
    )
    mail.outbox = []

    results = at_the_same_moment(delivery.deliver_due, delivery.deliver_due)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(result.sent for result in results) == 20
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert len(recipients) == 20 and set(recipients.values()) == {1}, recipients
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(OutgoingMail.Status.SENT, 1)}
