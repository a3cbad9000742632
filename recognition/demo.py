"""Demo recognition: a volunteer acknowledged on the completed partnership, a section
recognised by its district, and a section's award nomination waiting for its district. The points come by themselves (seed_demo runs the
reconciliation last). What exists already is left alone."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from partnerships.models import Partnership, Status
from sections.demo import demo_officer
from sections.models import DistrictCoordinator, Section

from .models import Acknowledgement, DistrictRecognition, Nomination
from .services.acknowledgements import acknowledgement_create
from .services.districts import district_recognise
from .services.nominations import nomination_save, nomination_start, nomination_submit

# (partnership title, acknowledging section slug, what the acknowledgement says)
DEMO_ACKNOWLEDGEMENTS = [
    (
        "Instrumentation seminar series", "toronto",
        {"name": "Priya Raman", "email": "priya.raman@example.org", "role": "Seminar host and recording lead",
         "contribution": "Ran the live room for all six seminars and published every recording within a week.",
         "hours": Decimal("46")},
    ),
    (
        "Instrumentation seminar series", "sao-paulo",
        {"name": "João Pereira", "email": "", "role": "Translator",
         "contribution": "Wrote the Portuguese subtitles of every recording.", "hours": None},
    ),
]

NOMINATED = "toronto"


def seed_recognition() -> None:
    # The demo's mail would only flood the console of `make run`; it is sent on commit.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for title, slug, data in DEMO_ACKNOWLEDGEMENTS:
            partnership = Partnership.objects.filter(title=title, status=Status.COMPLETED).first()
            section = Section.objects.get(slug=slug)
            if partnership is None or Acknowledgement.objects.filter(partnership=partnership, name=data["name"]).exists():
                continue
            acknowledgement_create(partnership=partnership, section=section, actor=demo_officer(section), data=data)
        section = Section.objects.get(slug=NOMINATED)
        year = timezone.localdate().year
        if not DistrictRecognition.objects.filter(section=section, year=year).exists():
            coordinator = DistrictCoordinator.objects.open_now().filter(district=section.district).first().user
            district_recognise(
                district=section.district, section=section, year=year,
                category=DistrictRecognition.Category.MOST_ACTIVE, actor=coordinator,
                citation=(
                    "For a seminar series that brought members on two continents together, recorded "
                    "every talk, and left its partner a format it now runs alone."
                ),
            )
        if not Nomination.objects.filter(section=section, award_year=year).exists():
            officer = demo_officer(section)
            nomination = nomination_start(section=section, award_year=year, actor=officer)
            nomination_save(
                nomination=nomination, actor=officer,
                narrative=(
                    "Our seminar series with São Paulo reached members on two continents: six seminars, "
                    "every one recorded, eleven new members, and a format our partner now runs on its own."
                ),
            )
            nomination_submit(nomination=nomination, actor=officer)
