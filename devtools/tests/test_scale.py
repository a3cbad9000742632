"""`seed_scale` (devtools/scale.py) builds synthetic data in bulk, again only what is missing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.utils import timezone

from devtools.tests.helpers import run, seed_30
from evaluation.models import CheckIn, Health, PartnershipHealth, Reminder
from evaluation.services.health import record_health_changes
from partnerships.models import Conflict, Participant, Partnership, Status, Transition
from partnerships.models.partnership import OPEN_STATUSES
from partnerships.services import open_partnerships_drift
from sections.models import District, DistrictCoordinator, Officer, Section

pytestmark = pytest.mark.django_db


def scale_counts() -> dict[str, int]:
    return {
        "sections": Section.objects.filter(slug__startswith="scale-").count(),
        "districts": District.objects.filter(code__startswith="scale-").count(),
        "officers": Officer.objects.filter(section__slug__startswith="scale-").count(),
        "users": get_user_model().objects.filter(email__startswith="scale-officer-").count(),
        "partnerships": Partnership.objects.filter(title__startswith="Scale partnership ").count(),
        "participants": Participant.objects.filter(partnership__title__startswith="Scale partnership ").count(),
        "interests": Section.interests.through.objects.filter(section__slug__startswith="scale-").count(),
        "languages": Section.working_languages.through.objects.filter(section__slug__startswith="scale-").count(),
    }


def test_seed_scale_builds_the_requested_data_and_a_rerun_adds_nothing():
    output = seed_30()

    counts = scale_counts()
    assert counts["sections"] == 30
    assert counts["districts"] == 20
    assert counts["officers"] == counts["users"] == 30
    assert counts["partnerships"] == 20
    assert counts["participants"] == 40
    assert 30 * 2 <= counts["interests"] <= 30 * 5
    assert 30 <= counts["languages"] <= 30 * 3
    assert "Created" in output and " s" in output

    statuses = set(Partnership.objects.values_list("status", flat=True))
    assert statuses & set(OPEN_STATUSES) and statuses - set(OPEN_STATUSES)
    for section in Section.objects.filter(slug__startswith="scale-").prefetch_related("interests", "offers_forms"):
        assert 2 <= len(section.interests.all()) <= 5
        assert 1 <= len(section.offers_forms.all()) <= 3

    again = seed_30()

    assert scale_counts() == counts
    assert "Nothing to create" in again


def test_seed_scale_is_repeatable_with_the_same_seed():
    seed_30()
    first = list(Section.objects.filter(slug__startswith="scale-").order_by("slug").values_list(
        "slug", "country", "kind", "maturity", "readiness_verdict"
    ))
    Participant.objects.all().delete()
    Partnership.objects.all().delete()
    Section.objects.filter(slug__startswith="scale-").delete()

    seed_30()

    again = list(Section.objects.filter(slug__startswith="scale-").order_by("slug").values_list(
        "slug", "country", "kind", "maturity", "readiness_verdict"
    ))
    assert again == first


def test_seed_scale_refuses_with_debug_off_unless_allowed():
    with pytest.raises(CommandError, match="DEBUG"):
        run("seed_scale", "--sections", "3")
    assert not Section.objects.filter(slug__startswith="scale-").exists()


def seed_120() -> str:
    return run("seed_scale", "--sections", "60", "--partnerships", "120", "--years", "2", "--allow-production")


def test_seed_scale_gives_the_dashboards_history_reporting_health_and_conflicts():
    seed_120()
    today = timezone.localdate()
    partnerships = Partnership.objects.filter(title__startswith="Scale partnership ")

    for partnership in partnerships.prefetch_related("transitions"):
        steps = list(partnership.transitions.all())
        assert steps[0].from_status == "" and steps[0].to_status == Status.DRAFT
        assert steps[-1].to_status == partnership.status
        assert all(a.to_status == b.from_status and a.at < b.at for a, b in zip(steps, steps[1:]))
        assert partnership.created_at <= steps[0].at and steps[-1].at <= timezone.now()
    # Activations spread over the quarters of the two years.
    activations = Transition.objects.filter(partnership__in=partnerships, to_status=Status.ACTIVE)
    assert len({(t.at.year, (t.at.month - 1) // 3) for t in activations}) >= 5

    active = partnerships.filter(status=Status.ACTIVE)
    assert not active.filter(health__isnull=True).exists()
    health = dict(PartnershipHealth.objects.filter(partnership__in=active).values_list("partnership_id", "health"))
    assert {Health.ON_TRACK, Health.DORMANT} <= set(health.values())
    assert not PartnershipHealth.objects.filter(partnership__in=active).exclude(health=Health.ON_TRACK).filter(reason="")
    # The nightly job, run today, agrees with what was recorded.
    assert record_health_changes(today) == 0

    checkins = CheckIn.objects.filter(period__partnership__in=partnerships)
    assert checkins.filter(state=CheckIn.State.SUBMITTED, late=False).count() > checkins.filter(late=True).count() > 0
    assert checkins.filter(state=CheckIn.State.DRAFT, due_on__lt=today - datetime.timedelta(days=14)).exists()
    assert not checkins.filter(period__partnership__status__in=[Status.PROPOSED, Status.ENDORSED]).exists()
    assert Conflict.objects.filter(
        partnership__in=partnerships, mediator=Conflict.Mediator.COORDINATOR, resolved_at__isnull=True
    ).exists()
    assert DistrictCoordinator.objects.open_now().filter(user__email__startswith="scale-coordinator-").count() == 20
    assert Section.objects.filter(slug__startswith="scale-", readiness_verdict__gt="").exists()
    officerless = Section.objects.filter(slug__startswith="scale-").exclude(
        pk__in=Officer.objects.open_now().values("section_id")
    )
    assert officerless.exists() and not officerless.filter(officers__isnull=True).exists()


def test_a_second_seed_scale_adds_no_history():
    seed_120()
    built = (Transition.objects.count(), CheckIn.objects.count(), PartnershipHealth.objects.count(),
             Conflict.objects.count(), Reminder.objects.count())

    again = seed_120()

    assert "Nothing to create" in again
    assert (Transition.objects.count(), CheckIn.objects.count(), PartnershipHealth.objects.count(),
            Conflict.objects.count(), Reminder.objects.count()) == built


def test_seed_scale_stores_each_sections_count_of_partnerships_under_way():
    seed_30()

    assert open_partnerships_drift() == {}
    assert sum(Section.objects.filter(slug__startswith="scale-").values_list("open_partnerships", flat=True)) > 0
