import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sections.models import DistrictCoordinator, Officer
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_office_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 30))


def test_same_person_cannot_hold_the_same_open_office_twice():
    office = OfficerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.create(user=office.user, section=office.section, role=office.role)


def test_same_person_may_hold_another_role_and_the_same_role_again_after_it_ended():
    office = OfficerFactory(end_date=datetime.date(2024, 6, 30))
    Officer.objects.create(
        user=office.user, section=office.section, role=office.role, start_date=datetime.date(2024, 7, 1)
    )
    Officer.objects.create(user=office.user, section=office.section, role=Officer.Role.TREASURER)
    assert Officer.objects.filter(user=office.user).count() == 3


def test_overlapping_dated_terms_are_refused_by_validation():
    office = OfficerFactory(start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31))
    overlapping = Officer(
        user=office.user,
        section=office.section,
        role=office.role,
        start_date=datetime.date(2023, 6, 1),
        end_date=datetime.date(2024, 6, 1),
    )
    with pytest.raises(ValidationError, match="already holds this office"):
        overlapping.full_clean()


def test_ended_or_future_offices_are_not_open_today():
    today = timezone.localdate()
    current = OfficerFactory(start_date=today - datetime.timedelta(days=10))
    ending_today = OfficerFactory(start_date=today - datetime.timedelta(days=10), end_date=today)
    OfficerFactory(start_date=today - datetime.timedelta(days=10), end_date=today - datetime.timedelta(days=1))
    OfficerFactory(start_date=today + datetime.timedelta(days=1))
    assert set(Officer.objects.open_now()) == {current, ending_today}


def test_coordinator_assignment_rules_live_in_the_database():
    assignment = CoordinatorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictCoordinator.objects.create(user=assignment.user, district=assignment.district)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorFactory(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 1, 1))


def test_founded_year_in_the_future_is_invalid():
    section = SectionFactory.build(founded_year=timezone.now().year + 1)
    with pytest.raises(ValidationError) as excinfo:
        section.full_clean(exclude=["district"])
    assert "founded_year" in excinfo.value.message_dict


def test_section_slugs_are_unique():
    section = SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(slug=section.slug, district=section.district)


def test_overlapping_coordination_terms_are_refused_by_validation():
    term = CoordinatorFactory(start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31))
    overlapping = DistrictCoordinator(
        user=term.user, district=term.district, start_date=datetime.date(2023, 12, 1)
    )
    with pytest.raises(ValidationError, match="already coordinates this district"):
        overlapping.full_clean()
    later = DistrictCoordinator(user=term.user, district=term.district, start_date=datetime.date(2024, 1, 1))
    later.full_clean()


def test_section_timestamps_have_readable_names():
    from sections.models import Section

    assert Section._meta.get_field("created_at").verbose_name == "created"
    assert Section._meta.get_field("updated_at").verbose_name == "last updated"
