"""Who may see and fill a section's readiness assessments: the rule of a section's
private pages (sections.permissions.get_section_private) — its officers fill and read
them, coordinators of its district and society admins read them, everybody else gets 404.

Lessons: who reads which is evaluation.selectors.lessons.lessons_visible_to; what a reader
may do with one is its LessonAccess."""

from __future__ import annotations

from functools import cached_property

from django.http import Http404

from sections.permissions import get_section_private as get_section_for_readiness
from sections.permissions import roles_of

from .models import Lesson, LessonHelpful
from .selectors.lessons import lessons_visible_to

__all__ = ["LessonAccess", "get_lesson_for_user", "get_section_for_readiness"]


class LessonAccess:
    """What `user` may do with one lesson they can read: its writing section's current
    officers edit and publish it; others who read a published lesson may mark it helpful."""

    def __init__(self, user, lesson: Lesson) -> None:
        self.user = user
        self.lesson = lesson
        self.roles = roles_of(user)

    @property
    def may_edit(self) -> bool:
        return self.lesson.section_id in self.roles.section_ids

    @property
    def may_mark(self) -> bool:
        return self.lesson.state == Lesson.State.PUBLISHED and not self.may_edit

    @cached_property
    def marked(self) -> bool:
        return LessonHelpful.objects.filter(lesson=self.lesson, user=self.user).exists()


def get_lesson_for_user(user, pk: int) -> tuple[Lesson, LessonAccess]:
    """The lesson if `user` may read it, and what they may do with it; 404 otherwise, so a
    draft or a partners-only lesson does not show that it exists."""
    try:
        lesson = (
            lessons_visible_to(user)
            .select_related("partnership", "section", "author", "evaluation")
            .prefetch_related("forms", "challenges")
            .get(pk=pk)
        )
    except Lesson.DoesNotExist:
        raise Http404("No lesson found.") from None
    return lesson, LessonAccess(user, lesson)
