"""Closing a partnership in the tests as the sides would: a published lesson, the
evaluation filled in and confirmed by each side's lead, then the lifecycle service."""

from __future__ import annotations

from django.utils import timezone

from evaluation.models import Evaluation, Lesson
from evaluation.services.closing import evaluation_confirm, evaluation_save, evaluation_start
from partnerships import services
from partnerships.models import Partnership
from partnerships.tests.conftest import World


def publish_lesson(partnership: Partnership, section, author, *, title: str = "Plan the visit early") -> Lesson:
    return Lesson.objects.create(
        partnership=partnership, section=section, author=author, title=title,
        context="Two sections, one exchange.", what_happened="Visas took three months.",
        learned="Start the paperwork first.", recommendation="Book the visit a semester ahead.",
        state=Lesson.State.PUBLISHED, published_at=timezone.now(),
    )


def filled(world: World, partnership: Partnership, kind: str = Evaluation.Kind.FINAL) -> Evaluation:
    """The evaluation of `kind`, started and filled in by both sides, nobody confirmed yet."""
    evaluation = evaluation_start(partnership=partnership, kind=kind, actor=world.officer_a)
    data = {"summary": "Two exchanges ran; both sections grew."}
    if kind == Evaluation.Kind.FINAL:
        data["continuation"] = Evaluation.Continuation.YES
    evaluation_save(
        evaluation=evaluation, actor=world.officer_a, data=data,
        sides={world.a.pk: {"gave": "Speakers", "gained": "Exchange students"}},
    )
    evaluation_save(
        evaluation=evaluation, actor=world.officer_b,
        sides={world.b.pk: {"gave": "Student hosts", "gained": "Technical talks"}},
    )
    return Evaluation.objects.get(pk=evaluation.pk)


def confirmed(world: World, partnership: Partnership, kind: str = Evaluation.Kind.FINAL, *, sides=("a", "b")) -> Evaluation:
    """The evaluation of `kind`, filled in, with a published lesson, confirmed by the leads of
    `sides` ("a", "b" or both)."""
    if not Lesson.objects.filter(partnership=partnership, state=Lesson.State.PUBLISHED).exists():
        publish_lesson(partnership, world.a, world.officer_a)
    evaluation = filled(world, partnership, kind)
    for side in sides:
        evaluation_confirm(
            evaluation=evaluation, section=getattr(world, side), actor=getattr(world, f"officer_{side}")
        )
    return Evaluation.objects.get(pk=evaluation.pk)


def complete(world: World, partnership: Partnership, *, reason: str = "") -> Partnership:
    """Complete the running partnership after its final evaluation, confirmed by both sides."""
    confirmed(world, partnership)
    return services.partnership_complete(partnership=partnership, actor=world.officer_a, reason=reason)
