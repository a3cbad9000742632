"""one_of picks the rows whose field is one of a list read beforehand, whatever the list holds."""

import pytest
from django.contrib.auth import get_user_model

from twinning.db import one_of
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_one_of_picks_the_rows_of_the_ids_given_and_none_for_none():
    users = [UserFactory(email=f"user{n}@example.org") for n in range(4)]
    chosen = [users[0].pk, users[2].pk, 2**31 - 1]  # an id no row has is no error
    assert set(User.objects.filter(one_of("pk", chosen)).values_list("email", flat=True)) == {
        "user0@example.org", "user2@example.org",
    }
    assert not User.objects.filter(one_of("pk", [])).exists()


def test_one_of_compares_text_as_text():
    UserFactory(email="a@example.org")
    UserFactory(email="b,c@example.org")
    assert list(User.objects.filter(one_of("email", ["b,c@example.org", "{x}"])).values_list("email", flat=True)) == [
        "b,c@example.org",
    ]
