"""Section level: officers acknowledge the people who worked on a partnership, the person
gets their certificate by a signed link, and the section's recognition page shows its
points with their sources and the people it thanked."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation.models import CheckIn
from partnerships.models import Partnership
from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import Acknowledgement, LedgerEntry, PointRule
from recognition.services.acknowledgements import (
    acknowledgement_create,
    acknowledgement_from_token,
    certificate_token,
)
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.models import OutgoingMail

VOLUNTEER = {
    "name": "Vera Volunteer",
    "email": "vera@example.org",
    "role": "Exchange coordinator",
    "contribution": "Found host families for twenty students.",
    "hours": "120",
}


def acknowledge(world, partnership, **overrides) -> Acknowledgement:
    return acknowledgement_create(
        partnership=partnership, section=world.a, actor=world.officer_a, data={**VOLUNTEER, **overrides}
    )


# --- the service ---


def test_an_officer_of_a_participating_section_acknowledges_a_person(world):
    partnership = endorsed(world)
    acknowledgement = acknowledge(world, partnership)
    stored = Acknowledgement.objects.get()
    assert stored == acknowledgement
    assert (stored.name, stored.section, stored.acknowledged_by) == ("Vera Volunteer", world.a, world.officer_a)
    assert stored.hours == 120


@pytest.mark.parametrize("who", ["officer_b", "coordinator_a", "outsider", "staff"])
def test_only_an_officer_of_the_named_participating_section_may_acknowledge(world, who):
    partnership = endorsed(world)
    with pytest.raises(PermissionDenied):
        acknowledgement_create(partnership=partnership, section=world.a, actor=getattr(world, who), data=VOLUNTEER)
    assert not Acknowledgement.objects.exists()


def test_an_officer_cannot_sign_for_a_section_that_does_not_take_part(world):
    partnership = endorsed(world)
    elsewhere = SectionFactory()
    OfficerFactory(section=elsewhere, user=world.officer_a)
    with pytest.raises(PermissionDenied):
        acknowledgement_create(partnership=partnership, section=elsewhere, actor=world.officer_a, data=VOLUNTEER)


def test_the_person_gets_one_mail_with_a_signed_certificate_link(world):
    partnership = endorsed(world)
    OutgoingMail.objects.all().delete()
    acknowledgement = acknowledge(world, partnership)
    mail = OutgoingMail.objects.get()
    assert mail.to == "vera@example.org"
    assert "Alpha Section thanks you" in mail.subject
    # The signed link carries the second it was made, so the test reads it back from the mail
    # rather than signing again (a second later it would differ).
    token = re.search(r"/recognition/certificates/shared/([^/\s]+)/", mail.text).group(1)
    assert acknowledgement_from_token(token) == acknowledgement.pk


def test_no_mail_without_an_address(world):
    partnership = endorsed(world)
    OutgoingMail.objects.all().delete()
    acknowledge(world, partnership, email="")
    assert Acknowledgement.objects.count() == 1
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 201),
        ("email", "not an address"),
        ("role", "   "),
        ("contribution", ""),
        ("hours", "-3"),
        ("hours", "lots"),
        ("hours", "1" * 12),
        ("hours", "nan"),
        ("contribution", "Hosted\x00students"),
        ("email", ["vera@example.org"]),
    ],
)
def test_hostile_input_is_refused_with_a_field_error(world, field, value):
    partnership = endorsed(world)
    with pytest.raises(ValidationError) as refused:
        acknowledge(world, partnership, **{field: value})
    assert field in refused.value.message_dict
    assert not Acknowledgement.objects.exists()
    assert not OutgoingMail.objects.filter(to="vera@example.org").exists()


# --- the pages ---


def test_the_acknowledge_page_answers_404_to_those_who_do_not_run_the_partnership(client, world):
    partnership = endorsed(world)
    url = reverse("recognition:acknowledge", args=[partnership.pk])
    for user in (world.outsider, world.coordinator_a):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {**VOLUNTEER, "section": world.a.pk}).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_an_officer_acknowledges_from_the_partnership_page_and_lands_on_the_certificate(client, world):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    page = client.get(partnership.get_absolute_url())
    assert reverse("recognition:acknowledge", args=[partnership.pk]) in page.content.decode()
    response = client.post(
        reverse("recognition:acknowledge", args=[partnership.pk]), {**VOLUNTEER, "section": world.a.pk}, follow=True
    )
    acknowledgement = Acknowledgement.objects.get()
    assert response.redirect_chain[-1][0] == reverse("recognition:certificate", args=[acknowledgement.pk])
    body = response.content.decode()
    for text in ("Certificate of acknowledgement", "Vera Volunteer", "Alpha Section", "Beta Section", "Ann Alpha",
                 "Alpha and Beta", "Found host families"):
        assert text in body


def test_a_bad_form_keeps_what_was_typed_with_its_field_error(client, world):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("recognition:acknowledge", args=[partnership.pk]),
        {**VOLUNTEER, "email": "nope", "hours": "-1", "section": world.a.pk},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert "Vera Volunteer" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_an_officer_may_not_sign_for_the_other_side_through_the_form(client, world):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    response = client.post(
        reverse("recognition:acknowledge", args=[partnership.pk]), {**VOLUNTEER, "section": world.b.pk}
    )
    assert response.status_code == 200
    assert not Acknowledgement.objects.exists()


def test_the_certificate_is_for_those_who_see_the_partnership(client, world):
    partnership = endorsed(world)
    acknowledgement = acknowledge(world, partnership)
    for user, status in ((world.officer_b, 200), (world.coordinator_b, 200), (world.outsider, 404)):
        client.force_login(user)
        assert client.get(reverse("recognition:certificate", args=[acknowledgement.pk])).status_code == status
        assert client.get(reverse("recognition:certificate_pdf", args=[acknowledgement.pk])).status_code == status


def test_the_certificate_pdf_is_a_pdf(client, world):
    partnership = endorsed(world)
    acknowledgement = acknowledge(world, partnership)
    client.force_login(world.officer_b)
    response = client.get(reverse("recognition:certificate_pdf", args=[acknowledgement.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_signed_link_opens_the_certificate_without_an_account_and_a_forged_one_does_not(client, world):
    partnership = endorsed(world)
    acknowledgement = acknowledge(world, partnership)
    token = certificate_token(acknowledgement)
    page = client.get(reverse("recognition:certificate_shared", args=[token]))
    assert page.status_code == 200
    assert "Vera Volunteer" in page.content.decode()
    assert client.get(reverse("recognition:certificate_shared_pdf", args=[token])).content.startswith(b"%PDF")
    forged = token.rsplit(":", 1)[0] + ":forged"
    assert client.get(reverse("recognition:certificate_shared", args=[forged])).status_code == 404
    assert client.get(reverse("recognition:certificate_shared", args=[str(acknowledgement.pk)])).status_code == 404


def test_the_certificate_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    partnership = endorsed(world)
    acknowledgement = acknowledge(world, partnership)
    client.force_login(world.officer_a)
    url = reverse("recognition:certificate", args=[acknowledgement.pk])
    client.get(url)
    with django_assert_num_queries(CERTIFICATE_QUERIES):
        assert client.get(url).status_code == 200


CERTIFICATE_QUERIES = 6


# --- the section's recognition page ---


def ledger(
    section, partnership, *, year=2026, points=10, kind=LedgerEntry.Kind.EARNED, source=Partnership, source_id=None,
    **extra,
) -> LedgerEntry:
    rule = PointRule.objects.filter(event="activated").order_by("effective_from").first()
    if kind == LedgerEntry.Kind.ADJUSTMENT:
        extra.setdefault("reason", "A correction")
        return LedgerEntry.objects.create(
            section=section, points=points, kind=kind, award_year=year,
            occurred_on=datetime.date(year, 3, 1), **extra,
        )
    return LedgerEntry.objects.create(
        section=section, points=points, kind=kind, rule=rule, award_year=year,
        occurred_on=datetime.date(year, 3, 1), partnership=partnership,
        source_type=ContentType.objects.get_for_model(source), source_id=source_id or partnership.pk,
        reason="Agreement activated", **extra,
    )


def test_the_section_page_shows_points_by_rule_with_their_sources_and_adjustments(client, world):
    partnership = endorsed(world)
    ledger(world.a, partnership, points=20)
    ledger(world.a, partnership, points=-5, kind=LedgerEntry.Kind.ADJUSTMENT, created_by=world.staff,
           reason="Counted twice by hand")
    ledger(world.a, partnership, year=2025, points=7, source=CheckIn, source_id=999)
    client.force_login(world.outsider)
    body = client.get(reverse("recognition:section", args=["alpha"]) + "?year=2026").content.decode()
    assert "Points in 2026: 15" in body
    assert "Agreement activated" in body
    assert "Counted twice by hand" in body and "Adjustment" in body
    assert partnership.get_absolute_url() in body
    body_2025 = client.get(reverse("recognition:section", args=["alpha"]) + "?year=2025").content.decode()
    assert "Points in 2025: 7" in body_2025
    assert reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": 999}) in body_2025


def test_the_section_page_defaults_to_the_latest_year_and_ignores_a_nonsense_year(client, world):
    partnership = endorsed(world)
    ledger(world.a, partnership, year=2025, points=7)
    client.force_login(world.outsider)
    for query in ("", "?year=abc", "?year=%00"):
        response = client.get(reverse("recognition:section", args=["alpha"]) + query)
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert "Points in 2025: 7" in response.content.decode()


def test_acknowledged_emails_show_only_to_the_sections_officers(client, world):
    partnership = endorsed(world)
    acknowledge(world, partnership)
    url = reverse("recognition:section", args=["alpha"])
    client.force_login(world.officer_b)
    body = client.get(url).content.decode()
    assert "Vera Volunteer" in body and "vera@example.org" not in body
    client.force_login(world.officer_a)
    assert "vera@example.org" in client.get(url).content.decode()


def test_the_section_profile_links_to_its_recognition_page(client, world):
    client.force_login(world.outsider)
    body = client.get(world.a.get_absolute_url()).content.decode()
    assert reverse("recognition:section", args=["alpha"]) in body


def test_an_unknown_section_is_404(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("recognition:section", args=["nowhere"])).status_code == 404


def test_the_section_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    url = reverse("recognition:section", args=["alpha"])

    def fill(n):
        for _ in range(n):
            acknowledge(world, partnership, email="")
        for index in range(n):
            ledger(world.a, partnership, points=-1, kind=LedgerEntry.Kind.ADJUSTMENT, created_by=world.staff,
                   reason=f"Correction {index}")

    fill(1)
    ledger(world.a, partnership, points=3)
    client.get(url)
    with django_assert_num_queries(SECTION_QUERIES):
        assert client.get(url).status_code == 200
    fill(3)
    with django_assert_num_queries(SECTION_QUERIES):
        assert client.get(url).status_code == 200


SECTION_QUERIES = 8
