"""`seed_scale` (devtools/scale.py) builds synthetic data in bulk, again only what is missing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from devtools.tests.helpers import run, seed_30
from partnerships.models import Participant, Partnership
from partnerships.models.partnership import OPEN_STATUSES
from sections.models import District, Officer, Section

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
