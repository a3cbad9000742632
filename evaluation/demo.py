"""Demo data of evaluation/: readiness assessments (a few sections at each verdict, one
assessed twice so its progress chart shows), the active partnership's check-ins, lessons in
the library on the partnerships that got far enough to teach something, and the closing of
the completed and the ended partnership. What exists already is left alone."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from partnerships import services as partnership_services
from partnerships.demo import QUIET_PARTNERSHIPS
from partnerships.models import Partnership, Status
from sections.demo import demo_officer
from sections.models import Section

from . import services
from .models import Assessment, ChallengeCategory, CheckIn, Evaluation, ExchangeReport, Lesson, Questionnaire
from .services import closing
from .services.checkin_exchanges import ExchangeAnswer, period_exchanges, reportable
from .services.checkins import checkin_save, schedule_extend
from .services.health import record_health_changes
from .services.lessons import lesson_mark_helpful, lesson_save

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


# The demo partnerships that report, with what each side says it did, and whether their
# latest past period still waits for its reports.
DEMO_REPORTING = [
    ("Robotics student exchange", "Monthly calls held; the exchange programme is being prepared.", True),
    ("Instrumentation seminar series", "A seminar held live in both cities and recorded.", False),
]


def seed_checkins() -> None:
    """Give the running demo partnerships a reporting history: the schedule runs from the
    start date and every past period is reported (the active one's latest waits for its
    sides). Runs before the demo closings, while both are still active."""
    for title, done, leave_latest_open in DEMO_REPORTING:
        partnership = Partnership.objects.filter(title=title, status=Status.ACTIVE).first()
        # Activation made periods from the day the demo activated it; the history runs
        # from the start date the demo dated it back to (partnerships.demo).
        if partnership is not None and not partnership.periods.filter(
            number=0, starts_on=partnership.start_date
        ).exists():
            _report_history(partnership, done, leave_latest_open)
    for title, *_rest in QUIET_PARTNERSHIPS:
        partnership = Partnership.objects.filter(title=title, status=Status.ACTIVE).first()
        if partnership is not None and not partnership.periods.filter(
            number=0, starts_on=partnership.schedule_from
        ).exists():
            _report_then_fall_quiet(partnership)


@transaction.atomic
def _report_then_fall_quiet(partnership: Partnership) -> None:
    """A quiet partnership's sides reported on the first period and never again: its later
    check-ins are overdue, and with nothing else recorded since, the nightly job finds it
    dormant. The periods its activation made ran from the day the demo activated it, before
    partnerships.demo dated its records back: they are made again from the activation."""
    partnership.periods.all().delete()
    periods = schedule_extend(partnership=partnership, today=timezone.localdate())
    first = periods[0]
    filed_on = first.due_on - datetime.timedelta(days=5)
    indicators = list(partnership.indicators.all())
    for checkin in CheckIn.objects.filter(period=first).select_related("section"):
        checkin_save(
            checkin=checkin,
            actor=demo_officer(checkin.section),
            data={"overall": CheckIn.Overall.ON_TRACK, "done": "The kick-off webinar and the first visit.",
                  "received_rating": 4, "communication_rating": 3, "next_steps": "Plan the second visit."},
            actuals={indicator.pk: Decimal(15) for indicator in indicators},
            submit=True,
            today=filed_on,
        )
        CheckIn.objects.filter(pk=checkin.pk).update(
            submitted_at=datetime.datetime.combine(filed_on, datetime.time(10), tzinfo=datetime.UTC)
        )


def seed_health() -> None:
    """Record every active partnership's health as the nightly job does (the quiet ones are
    dormant, the running exchange at risk), so the badges and dashboards show it at once."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        record_health_changes()


@transaction.atomic
def _report_history(partnership: Partnership, done: str, leave_latest_open: bool) -> None:
    partnership.periods.all().delete()
    Partnership.objects.filter(pk=partnership.pk).update(schedule_from=partnership.start_date)
    partnership.refresh_from_db()
    today = timezone.localdate()
    periods = schedule_extend(partnership=partnership, today=today)
    reported = [period for period in periods if period.due_on < today]
    if leave_latest_open:
        reported = reported[:-1]
    indicators = list(partnership.indicators.all())
    for number, period in enumerate(reported):
        filed_on = period.due_on - datetime.timedelta(days=5)
        for checkin in CheckIn.objects.filter(period=period).select_related("section"):
            checkin_save(
                checkin=checkin,
                actor=demo_officer(checkin.section),
                data={
                    "overall": CheckIn.Overall.AT_RISK
                    if leave_latest_open and number == len(reported) - 1 else CheckIn.Overall.ON_TRACK,
                    "done": done,
                    "received_rating": 4,
                    "communication_rating": 5 if number % 2 else 4,
                    "next_steps": "Confirm the next dates.",
                },
                actuals={indicator.pk: Decimal(12 * (number + 1)) for indicator in indicators},
                exchanges=_exchange_answers(checkin, filed_on),
                submit=True,
                today=filed_on,
            )
            # Filed before the due date, as a diligent demo section would have.
            CheckIn.objects.filter(pk=checkin.pk).update(
                submitted_at=datetime.datetime.combine(filed_on, datetime.time(10), tzinfo=datetime.UTC)
            )


def _exchange_answers(checkin: CheckIn, filed_on: datetime.date) -> dict[int, ExchangeAnswer]:
    """What a demo check-in says of its period's exchanges under way: done, with what came
    of it, once over; still running otherwise. The first side to report moves the exchange;
    the other then finds it done and is not asked."""
    answers = {}
    for exchange in period_exchanges(checkin):
        if not reportable(exchange, filed_on) or exchange.status == exchange.Status.PLANNED:
            continue
        if exchange.end_date <= checkin.period.ends_on:
            answers[exchange.pk] = ExchangeAnswer(
                ExchangeReport.Outcome.DONE,
                "Every session ran as planned; the visitors took the host's test procedures home and "
                "presented them at their own section's next meeting.",
            )
        else:
            answers[exchange.pk] = ExchangeAnswer(ExchangeReport.Outcome.RUNNING)
    return answers


# The demo's closing partnerships: (title, how it closes, the lesson it leaves).
CLOSINGS = [
    (
        "Instrumentation seminar series", "completed",
        "Record every seminar for the sections that cannot attend live",
    ),
    ("Energy asset reliability", "ended", "Confirm the funding before planning the visits"),
]


def _story_photo() -> ContentFile:
    """The demo story's photo: a seminar hall drawn in a few shapes (the demo ships no
    pictures of real people), a PNG like an officer's upload."""
    image = Image.new("RGB", (960, 540), (31, 78, 121))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 70, 880, 330), fill=(236, 240, 244))  # the projection screen
    draw.rectangle((120, 110, 520, 300), fill=(52, 152, 219))
    draw.polygon([(560, 300), (700, 140), (840, 300)], fill=(46, 204, 113))
    for row in range(3):  # the audience, row by row
        for seat in range(12):
            x, y = 90 + seat * 68 + (row % 2) * 30, 380 + row * 50
            draw.ellipse((x, y, x + 34, y + 34), fill=(241, 196, 15) if (seat + row) % 3 else (230, 126, 34))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="seminar.png")


def _close(partnership: Partnership, how: str, lesson_title: str) -> None:
    participants = list(partnership.participants.select_related("section").order_by("pk"))
    proposer, partner = participants[0].section, participants[1].section
    actor = demo_officer(proposer)
    kind = Evaluation.Kind.FINAL if how == "completed" else Evaluation.Kind.EARLY_END
    if not partnership.lessons.filter(state=Lesson.State.PUBLISHED).exists():
        lesson_save(
            actor=actor, partnership=partnership, section=proposer, publish=True,
            data={
                "title": lesson_title,
                "context": f"{proposer.name} and {partner.name}, {partnership.title.lower()}.",
                "what_happened": "What we planned in the first month changed twice before the first activity.",
                "learned": "Agreeing early on a small, sure first step kept both sides on board.",
                "recommendation": "Start with one joint activity both sides can fund today; plan the rest after it.",
                "forms": list(partnership.forms.all()),
                "challenges": list(ChallengeCategory.objects.filter(code="planning")),
            },
        )
    evaluation = closing.evaluation_start(partnership=partnership, kind=kind, actor=actor)
    data = {"summary": "Six seminars were held and recorded; both sections' members joined each one."}
    if kind == Evaluation.Kind.FINAL:
        data.update(continuation=Evaluation.Continuation.YES, continuation_how="A yearly joint seminar.",
                    story_title="Six seminars across two continents")
    else:
        data["summary"] = "The first visit took place; the funding for the rest was withdrawn."
    closing.evaluation_save(
        evaluation=evaluation, actor=actor, data=data,
        story_photo=_story_photo() if kind == Evaluation.Kind.FINAL else None,
    )
    if kind == Evaluation.Kind.FINAL:
        closing.evaluation_save(
            evaluation=evaluation, actor=actor,
            challenges=ChallengeCategory.objects.filter(code__in=["communication", "planning"]),
            objectives={
                objective.pk: ("achieved", "Six seminars held, each recorded and shared with both sections.")
                for objective in partnership.objectives.all()
            },
            indicators={indicator.pk: (Decimal("64"), "Average of the six seminars") for indicator in partnership.indicators.all()},
        )
    sides = (
        (
            proposer,
            {"gave": "Four speakers from local industry and the recording of every seminar",
             "gained": "Eleven new members who joined after the seminars, and a partner for a joint paper",
             "do_differently": "Fix the seminar dates for the whole year at the start."},
            {"knowledge": (4, "Their process-safety practice is ahead of ours."),
             "networking": (5, "Contacts with three companies in São Paulo."),
             "horizons": (4, "Members saw how another country regulates the same plants.")},
        ),
        (
            partner,
            {"gave": "Two speakers, a venue for the live audience and the Portuguese subtitles",
             "gained": "Speakers we could not have afforded, and a seminar format we now run alone",
             "do_differently": "Share the recordings within a week; some waited a month."},
            {"knowledge": (5, "Six talks our members asked for."),
             "best-practices": (4, "Their seminar checklist is now ours."),
             "solidarity": (3, "")},
        ),
    ) if kind == Evaluation.Kind.FINAL else (
        (proposer, {"gave": "The workshop programme and two trainers", "gained": "A first visit and a contact at the plant",
                    "do_differently": "Wait for the sponsor's letter before announcing dates."}, None),
        (partner, {"gave": "Hosting the first visit", "gained": "One day of training for twelve engineers",
                   "do_differently": "Look for a second sponsor from the start."}, None),
    )
    for section, side, benefits in sides:
        closing.evaluation_save(
            evaluation=evaluation, actor=demo_officer(section),
            sides={section.pk: {**side, "story_consent": True}},
            benefits={section.pk: benefits} if benefits else None,
        )
    # Ending early needs only the ending side's confirmation (services.closing.closing_gaps).
    for section in (proposer, partner) if kind == Evaluation.Kind.FINAL else (proposer,):
        closing.evaluation_confirm(evaluation=evaluation, section=section, actor=demo_officer(section))
    if how == "completed":
        partnership_services.partnership_complete(partnership=partnership, actor=actor, reason="All activities done.")
    else:
        partnership_services.partnership_end(partnership=partnership, actor=actor, reason="Funding was withdrawn.")


def seed_closings() -> None:
    """Close the demo's completed and ended partnerships as their sections would: a lesson,
    the evaluation co-signed (by the ending side alone for the early end), then the change."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for title, how, lesson_title in CLOSINGS:
            partnership = Partnership.objects.filter(title=title, status=Status.ACTIVE).first()
            if partnership is not None:
                _close(partnership, how, lesson_title)
# (partnership title, writing section slug, challenge codes, text); one names an accented
# place, so that searching "Sao Paulo" shows the unaccented search at work.
DEMO_LESSONS = [
    (
        "Instrumentation seminar series", "sao-paulo", ["communication", "planning"],
        {
            "title": "A seminar series between Toronto and São Paulo survives time zones",
            "context": "Two professional sections, five hours apart, ran ten evening seminars over a year.",
            "what_happened": "Attendance dropped whenever the seminar fell late for one side.",
            "learned": "Alternating the hour kept both audiences; recordings brought in the rest.",
            "recommendation": "Fix a rota of two time slots before the first seminar and record every one.",
        },
    ),
    (
        "Energy asset reliability", "cairo", ["funding", "priorities"],
        {
            "title": "Confirm the funding before announcing the dates",
            "context": "A joint reliability workshop depended on a sponsor that had only said yes verbally.",
            "what_happened": "The sponsor withdrew two months before; the workshop and then the partnership ended.",
            "learned": "A verbal promise is not funding: we announced too early and lost trust.",
            "recommendation": "Write the sponsor's commitment down and keep a smaller plan B within your own budget.",
        },
    ),
    (
        "Robotics student exchange", "delft-student", ["sustainability"],
        {
            "title": "Two leads per side keep an exchange going through elections",
            "context": "Student officers change every year, halfway through a two-year exchange.",
            "what_happened": "The handover nearly lost the host contacts; the second lead still had them.",
            "learned": "Name two leads per side from different year groups, and keep a shared contact list.",
            "recommendation": "Put the handover in the plan as an activity with a date.",
        },
    ),
]


@transaction.atomic
def seed_lessons() -> None:
    for title, slug, challenges, text in DEMO_LESSONS:
        partnership = Partnership.objects.filter(title=title).prefetch_related("forms").first()
        if partnership is None or Lesson.objects.filter(partnership=partnership, title=text["title"]).exists():
            continue
        section = Section.objects.get(slug=slug)
        lesson = lesson_save(
            actor=demo_officer(section), partnership=partnership, section=section, publish=True,
            data={
                **text,
                "forms": list(partnership.forms.all()),
                "challenges": list(ChallengeCategory.objects.filter(code__in=challenges)),
            },
        )
        # The partner found it helpful, as partners usually do.
        for participant in partnership.participants.exclude(section=section).select_related("section"):
            lesson_mark_helpful(lesson=lesson, actor=demo_officer(participant.section))
