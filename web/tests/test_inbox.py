"""The inbox and the bell: the unread count on every page at no extra query, the inbox's
notices opened (read, then their link) or marked read, one by one or all; another user's
notice answers 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from twinning.models import Delivery, Notice, NoticeKind
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notice(user, subject: str = "Beta accepted", link: str = "/partnerships/", **fields) -> Notice:
    return Notice.objects.create(
        user=user, kind=NoticeKind.TRANSITIONS, subject=subject, link=link, delivery=Delivery.IMMEDIATE, **fields
    )


def test_the_bell_shows_the_unread_count_read_with_the_user(client, django_assert_num_queries):
    ann = UserFactory()
    for number in range(3):
        notice(ann, f"Notice {number}")
    notice(UserFactory(), "Someone else's")
    client.force_login(ann)
    # Session and user (with the count): the page asks nothing more for the bell.
    with django_assert_num_queries(2):
        response = client.get(reverse("password_change"))
    assert b'id="unread-count">3<' in response.content

    Notice.objects.filter(user=ann).update(read_at="2026-01-01T00:00Z")
    assert b"unread-count" not in client.get(reverse("password_change")).content


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_takes_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    ann = UserFactory()
    for number in range(count):
        notice(ann, f"Notice {number}")
    client.force_login(ann)
    # Session, user with the count, the page's count, the page's notices, the reader's time zone, their section's as they chose none (1): the
    # notices' times are shown in it.
    with django_assert_num_queries(5):
        response = client.get(reverse("inbox"))
    assert response.content.count(b"Mark read: Notice ") == count


def test_the_inbox_shows_only_ones_own_notices_newest_first(client):
    ann = UserFactory()
    notice(ann, "Older")
    notice(ann, "Newer")
    notice(UserFactory(), "Not Ann's")
    client.force_login(ann)
    content = client.get(reverse("inbox")).content.decode()
    assert content.index("Newer") < content.index("Older")
    assert "Not Ann&#x27;s" not in content and "Not Ann's" not in content


def test_opening_a_notice_marks_it_read_and_follows_its_link(client):
    ann = UserFactory()
    mine = notice(ann, link="/partnerships/")
    client.force_login(ann)
    response = client.post(reverse("notice_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/partnerships/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_notice_without_a_link_or_with_a_foreign_one_opens_to_the_inbox(client):
    ann = UserFactory()
    bare = notice(ann, link="")
    foreign = notice(ann, link="//evil.example/")
    client.force_login(ann)
    for item in (bare, foreign):
        assert client.post(reverse("notice_open", args=[item.pk]))["Location"] == reverse("inbox")


def test_another_users_notice_answers_404_and_stays_unread(client):
    ann, ben = UserFactory(), UserFactory()
    theirs = notice(ben)
    client.force_login(ann)
    assert client.post(reverse("notice_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notice_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notice_read", args=[99999999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_mark_all_read(client):
    ann, ben = UserFactory(), UserFactory()
    first, _second, _third = notice(ann, "1"), notice(ann, "2"), notice(ann, "3")
    bens = notice(ben)
    client.force_login(ann)
    client.post(reverse("notice_read", args=[first.pk]))
    assert Notice.objects.filter(user=ann, read_at__isnull=True).count() == 2
    response = client.post(reverse("notices_read_all"), follow=True)
    assert "All your notices are marked read." in response.content.decode()
    assert Notice.objects.filter(user=ann, read_at__isnull=True).count() == 0
    bens.refresh_from_db()
    assert bens.read_at is None
