"""The two-step paginator gives the pages Django's Paginator gives, in two queries a page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator

from twinning.pagination import TwoStepPaginator
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def listed():
    """Eleven users to list (names repeat, as an order's ties do), and two that the filter leaves out."""
    for n in range(11):
        UserFactory(email=f"listed{n:02}@example.org", full_name=f"Name {n % 4}")
    UserFactory(email="other1@example.org", full_name="Name 0")
    UserFactory(email="other2@example.org", full_name="Name 9")
    return User.objects.filter(email__startswith="listed").order_by("-full_name", "pk")


def two_step(queryset, per_page=4):
    # The rows are read without the list's filter: a row the filter left out would show if the ids leaked.
    return TwoStepPaginator(queryset, per_page, rows=lambda ids: User.objects.filter(pk__in=ids))


def emails(page):
    return [user.email for user in page.object_list]


def test_every_page_holds_what_djangos_paginator_puts_there(listed):
    django_pages = Paginator(listed, 4)
    for number in (1, 2, 3):
        ours, theirs = two_step(listed).get_page(number), django_pages.get_page(number)
        assert emails(ours) == emails(theirs)
        assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (number, 11, 3)
        assert (ours.start_index(), ours.end_index()) == (theirs.start_index(), theirs.end_index())
    assert len(emails(two_step(listed).get_page(3))) == 3


@pytest.mark.parametrize("asked, shown", [("x", 1), (None, 1), ("2.0", 1), (2.0, 2), ("0", 3), ("-1", 3),
                                          ("4", 3), ("999", 3), (str(10**30), 3)])
def test_a_page_number_that_is_none_or_past_the_end_shows_as_djangos_get_page_does(listed, asked, shown):
    page = two_step(listed).get_page(asked)
    assert page.number == Paginator(listed, 4).get_page(asked).number == shown
    assert emails(page) == emails(Paginator(listed, 4).page(shown))


def test_an_empty_list_has_one_empty_page(listed):
    page = two_step(listed.filter(email="nobody@example.org")).get_page("3")
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


def test_a_page_costs_two_queries_the_count_riding_on_the_first(listed, django_assert_num_queries):
    with django_assert_num_queries(2):
        page = two_step(listed).get_page("2")
        assert page.paginator.count == 11 and len(emails(page)) == 4
