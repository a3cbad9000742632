"""A district's coordinators recognise its sections: who may, a repeat, the mail."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared
from recognition.models import DistrictRecognition
from recognition.services.districts import district_recognise
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory
from twinning.models import OutgoingMail

pytestmark = pytest.mark.django_db


def _recognise(world, actor, section=None, **overrides):
    kwargs = dict(
        district=world.a.district, section=section or world.a, year=2026,
        category=DistrictRecognition.Category.MOST_ACTIVE, citation="Three exchanges in one year.", actor=actor,
    )
    kwargs.update(overrides)
    return district_recognise(**kwargs)


def test_the_district_coordinator_recognises_one_of_its_sections(world):
    recognition = _recognise(world, world.coordinator_a)

    assert DistrictRecognition.objects.get() == recognition
    assert recognition.recognised_by == world.coordinator_a
    assert recognition.citation == "Three exchanges in one year."


def test_staff_may_recognise_in_any_district(world):
    _recognise(world, world.staff)

    assert DistrictRecognition.objects.count() == 1


@pytest.mark.parametrize("who", ["officer_a", "coordinator_b", "outsider"])
def test_nobody_else_recognises(world, who):
    with pytest.raises(PermissionDenied):
        _recognise(world, getattr(world, who))

    assert not DistrictRecognition.objects.exists()


def test_a_former_coordinator_no_longer_recognises(world):
    former = CoordinatorFactory(
        district=world.a.district, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    ).user

    with pytest.raises(PermissionDenied):
        _recognise(world, former)


def test_a_section_of_another_district_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as refused:
        _recognise(world, world.coordinator_a, section=world.b)

    assert "section" in refused.value.message_dict
    assert not DistrictRecognition.objects.exists()


def test_a_repeat_is_a_field_error_not_a_crash(world):
    _recognise(world, world.coordinator_a)

    with pytest.raises(ValidationError) as refused:
        _recognise(world, world.coordinator_a, citation="Again")

    assert "already recognised" in refused.value.message_dict["category"][0]
    assert DistrictRecognition.objects.count() == 1


def test_another_category_or_year_is_a_new_recognition(world):
    _recognise(world, world.coordinator_a)
    _recognise(world, world.coordinator_a, category=DistrictRecognition.Category.MENTOR)
    _recognise(world, world.coordinator_a, year=2025)

    assert DistrictRecognition.objects.count() == 3


def test_the_mail_goes_to_the_sections_officers_in_office_only(world):
    second = OfficerFactory(section=world.a, role="secretary", user__email="second@example.org").user
    OfficerFactory(
        section=world.a, role="treasurer", user__email="gone@example.org",
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1),
    )
    OfficerFactory(section=SectionFactory(district=world.a.district), user__email="neighbour@example.org")

    _recognise(world, world.coordinator_a)

    mails = OutgoingMail.objects.filter(template_name="recognition/email/district_recognition")
    assert sorted(mail.to for mail in mails) == sorted([world.officer_a.email, second.email])
    mail = mails.first()
    assert "Most active in twinning" in mail.subject
    assert "Three exchanges in one year." in mail.text
    assert "/recognition/districts/da/" in mail.html
