"""How recognition/ answers what the apps below it tell (partnerships.signals,
evaluation.signals): each receiver awards the points for the one record it hears about.
The nightly reconciliation fills in whatever a receiver missed."""

from __future__ import annotations

from django.db import transaction

from .services import points


def award_activation(sender, *, partnership, **kwargs) -> None:
    # Sent inside the activation's transaction: award once it commits, so a rollback
    # leaves no points and the status change is there to read.
    transaction.on_commit(lambda: points.points_award_activation(partnership=partnership))


def award_completion(sender, *, partnership, action, **kwargs) -> None:
    if action == "complete":
        transaction.on_commit(lambda: points.points_award_completion(partnership=partnership))


def award_checkin(sender, *, checkin, **kwargs) -> None:
    points.points_award_checkin(checkin=checkin)


def award_evaluation(sender, *, evaluation, **kwargs) -> None:
    points.points_award_evaluation(evaluation=evaluation)


def award_lesson(sender, *, lesson, **kwargs) -> None:
    points.points_award_lesson(lesson=lesson)


def award_story(sender, *, story, **kwargs) -> None:
    points.points_award_story(story=story)
