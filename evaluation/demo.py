"""Demo readiness assessments: a few sections at each verdict, one assessed twice so its
progress chart shows. A section that has assessments already is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership, Status
from sections.demo import demo_officer
from sections.models import Section

from . import services
from .models import Assessment, CheckIn, Questionnaire
from .services.checkins import checkin_save, schedule_extend

# section slug → the answer step (0–3) chosen for each dimension, in the questionnaire's order;
# several lists make several assessments, oldest first.
DEMO_ANSWERS = {
    "houston": [[3, 3, 2, 3, 3]],
    "rotterdam": [[3, 2, 3, 2, 3]],
    "singapore": [[3, 3, 3, 2, 2]],
    "nairobi": [[1, 1, 0, 1, 0], [2, 2, 1, 2, 1]],
    "lagos-student": [[1, 0, 1, 1, 0]],
    "delft-student": [[2, 2, 2, 1, 1]],
}


@transaction.atomic
def seed_assessments() -> None:
    questionnaire = Questionnaire.objects.prefetch_related("dimensions__questions__options").get(is_current=True)
    assessed = set(Assessment.objects.values_list("section__slug", flat=True))
    for slug, rounds in DEMO_ANSWERS.items():
        if slug in assessed:
            continue
        section = Section.objects.get(slug=slug)
        for steps in rounds:
            answers = {
                question.pk: list(question.options.all())[step]
                for dimension, step in zip(questionnaire.dimensions.all(), steps)
                for question in dimension.questions.all()
            }
            services.assessment_submit(
                section=section, actor=demo_officer(section), questionnaire=questionnaire, answers=answers
            )


def seed_checkins() -> None:
    """Give the active demo partnership a reporting history: its schedule runs from its
    start date, every past period is reported but the latest, which waits for its sides."""
    partnership = Partnership.objects.filter(title="Robotics student exchange", status=Status.ACTIVE).first()
    if partnership is None or partnership.periods.exists():
        return
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(schedule_from=partnership.start_date)
        partnership.refresh_from_db()
        today = timezone.localdate()
        periods = schedule_extend(partnership=partnership, today=today)
        reported = [period for period in periods if period.due_on < today][:-1]
        indicators = list(partnership.indicators.all())
        for number, period in enumerate(reported):
            filed_on = period.due_on - datetime.timedelta(days=5)
            for checkin in CheckIn.objects.filter(period=period).select_related("section"):
                checkin_save(
                    checkin=checkin,
                    actor=demo_officer(checkin.section),
                    data={
                        "overall": CheckIn.Overall.AT_RISK if number == len(reported) - 1 else CheckIn.Overall.ON_TRACK,
                        "done": "Monthly calls held; the exchange programme is being prepared.",
                        "received_rating": 4,
                        "communication_rating": 5 if number % 2 else 4,
                        "next_steps": "Confirm the visit dates.",
                    },
                    actuals={indicator.pk: Decimal(12 * (number + 1)) for indicator in indicators},
                    submit=True,
                    today=filed_on,
                )
                # Filed before the due date, as a diligent demo section would have.
                CheckIn.objects.filter(pk=checkin.pk).update(
                    submitted_at=datetime.datetime.combine(filed_on, datetime.time(10), tzinfo=datetime.UTC)
                )
