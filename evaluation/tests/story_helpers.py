"""Closed partnerships for the story tests: the partnerships world's pair, activated with the
real services, a final evaluation every side confirmed (written as rows: the evaluation
pages are not what these tests are about), a published lesson, and the closing itself."""

from __future__ import annotations

import base64
import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluation.models import Benefit, BenefitRating, Evaluation, EvaluationSide, Lesson, Story
from evaluation.tests.monitoring import activate, at
from partnerships import services
from partnerships.models import Partnership, Status, Transition
from partnerships.tests.conftest import World
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from sections.models import TwinningForm
from sections.tests.factories import SectionFactory

# A real one-pixel PNG, and the smallest file that starts as a JPEG does.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20

ACTIVATED = datetime.date(2026, 1, 15)
COMPLETED = datetime.date(2026, 11, 20)


def running(world: World) -> Partnership:
    return activate(world, ACTIVATED)


def final_evaluation(
    world: World,
    partnership: Partnership,
    *,
    consent=(True, True),
    title: str = "Two sections, one summer school",
    photo: tuple[str, bytes] | None = ("summer-school.png", PNG),
    final: bool = True,
    kind: str = Evaluation.Kind.FINAL,
) -> Evaluation:
    """A co-signed evaluation: each side (A, then B) confirmed and gave its story consent as
    `consent` says; A realised networking (4) and solidarity (1), B knowledge transfer (5)."""
    now = timezone.now()
    evaluation = Evaluation.objects.create(
        partnership=partnership, kind=kind, summary="Forty students trained across both sections.",
        story_title=title, created_by=world.officer_a, updated_by=world.officer_a,
        story_photo=SimpleUploadedFile(photo[0], photo[1]) if photo else "",
        final_at=now if final else None,
    )
    ratings = {
        world.a: [(Benefit.NETWORKING, 4, "New contacts in three companies."), (Benefit.SOLIDARITY, 1, "Little.")],
        world.b: [(Benefit.KNOWLEDGE, 5, "Our labs run the partner's course now.")],
    }
    leads = {world.a: world.officer_a, world.b: world.officer_b}
    for (section, lead), agrees in zip(leads.items(), consent, strict=True):
        side = EvaluationSide.objects.create(
            evaluation=evaluation, section=section, gave="Speakers", gained="Hosts", story_consent=agrees,
            confirmed_by=lead, confirmed_at=now,
        )
        for benefit, rating, explanation in ratings[section]:
            BenefitRating.objects.create(side=side, benefit=benefit, rating=rating, explanation=explanation)
    return evaluation


def published_lesson(world: World, partnership: Partnership) -> Lesson:
    """The lesson a closing asks for, published."""
    return Lesson.objects.create(
        partnership=partnership, section=world.a, author=world.officer_a, title="Book the labs early",
        context="A summer school for forty students.", what_happened="The labs were booked by others.",
        learned="Ask a year ahead.", recommendation="Book the labs when the plan is agreed.",
        state=Lesson.State.PUBLISHED, published_at=timezone.now(),
    )


def complete(world: World, partnership: Partnership) -> Partnership:
    """Complete with the real service, as the partnership page does."""
    with time_machine.travel(at(COMPLETED), tick=False):
        services.partnership_complete(partnership=partnership, actor=world.officer_a, reason="All done.")
    partnership.refresh_from_db()
    return partnership


def mark_closed(partnership: Partnership, status: str = Status.COMPLETED) -> Partnership:
    """Record a closing without the lifecycle service, for testing the story service on its own."""
    Transition.objects.create(partnership=partnership, from_status=partnership.status, to_status=status)
    Partnership.objects.filter(pk=partnership.pk).update(
        status=status, end_reason="Pressing priorities." if status == Status.ENDED else ""
    )
    partnership.refresh_from_db()
    return partnership


def more_stories(count: int, *, published: bool = True) -> list[Story]:
    """Published stories of other completed partnerships, each with two sections, two forms,
    a photo and realised benefits: what makes a story page or card query more."""
    forms = list(TwinningForm.objects.all()[:2])
    stories = []
    for n in range(count):
        partnership = PartnershipFactory(title=f"Other partnership {n}", status=Status.COMPLETED)
        partnership.forms.set(forms)
        evaluation = Evaluation.objects.create(
            partnership=partnership, kind=Evaluation.Kind.FINAL, summary=f"Achieved {n}.", final_at=timezone.now(),
            story_title=f"Other story {n}",
        )
        for section in (SectionFactory(country="BR"), SectionFactory(country="JP")):
            ParticipantFactory(partnership=partnership, section=section)
            side = EvaluationSide.objects.create(evaluation=evaluation, section=section, story_consent=True)
            BenefitRating.objects.create(side=side, benefit=Benefit.HORIZONS, rating=4, explanation="Wider views.")
        stories.append(Story.objects.create(
            partnership=partnership, evaluation=evaluation, title=evaluation.story_title, achieved=evaluation.summary,
            photo=SimpleUploadedFile(f"other-{n}.jpg", JPEG), published_at=timezone.now() if published else None,
        ))
    return stories
