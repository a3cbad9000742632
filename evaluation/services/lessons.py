"""Writing lessons for the library: save (a draft or published), publish, "this helped us",
and the search index each save keeps up to date.

Who writes: the current officers of a section taking part in the partnership write for
their section; from then on the writing section's current officers edit the lesson (an
officer who leaves office stops editing it, the one who takes over starts). Everyone else
is refused with PermissionDenied; a lesson the form lets through but the rules do not
(a form of twinning the partnership does not use, a partnership not under way yet) is
refused with a ValidationError naming the field.

The tags the library filters by are snapshots: the partner sections' regions and maturity
are copied when the lesson is saved, so a lesson keeps describing the partnership as it
was, whatever the sections become later.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Partnership, Status
from sections.models import Section
from sections.permissions import roles_of
from twinning import submissions

from ..models import Evaluation, Lesson, LessonHelpful
from ..search import search_vector, unaccented
from ..selectors.lessons import lessons_visible_to
from ..signals import lesson_published

# A lesson is about something that happened: from the partner's yes to the end, not about
# a draft nobody answered nor a proposal that was declined or withdrawn.
LESSON_STATUSES = (
    Status.ACCEPTED, Status.ENDORSED, Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED,
)
TEXT_FIELDS = ("title", "context", "what_happened", "learned", "recommendation")


def lesson_index(*, lesson: Lesson) -> None:
    """Write the lesson's search text (and on PostgreSQL its search vector) from what is saved."""
    text = unaccented(" ".join(getattr(lesson, name) for name in TEXT_FIELDS))
    changes = {"search_text": text}
    if connection.vendor == "postgresql":
        changes["search_vector"] = search_vector()
    Lesson.objects.filter(pk=lesson.pk).update(**changes)
    lesson.search_text = text


def _tags(values: Iterable[str]) -> str:
    """"|a|b|": one `contains` lookup finds a tag on every database."""
    unique = sorted({value for value in values if value})
    return f"|{'|'.join(unique)}|" if unique else ""


def _may_write_for(actor, section_id: int) -> bool:
    return section_id in roles_of(actor).section_ids


def lesson_save(
    *,
    actor,
    partnership: Partnership,
    section: Section,
    data: Mapping,
    lesson: Lesson | None = None,
    evaluation: Evaluation | None = None,
    publish: bool = False,
    once: uuid.UUID | None = None,
) -> Lesson:
    """Write a new lesson for `section` about `partnership`, or change `lesson`; published
    at once when `publish`. `data` holds the text fields, `visibility`, `forms` and
    `challenges`, as the lesson form cleans them. `once` is the form's token
    (twinning.submissions): a lesson sent twice is written once."""
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        claimed = submissions.claim(once, user=actor)
        if lesson is not None:
            lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
            if lesson.partnership_id != locked.pk:
                raise ValidationError(_("This lesson belongs to another partnership."))
            section = lesson.section
        participants = list(locked.participants.select_related("section__district"))
        if section.pk not in {participant.section_id for participant in participants}:
            raise PermissionDenied(_("Only a section taking part in the partnership writes its lessons."))
        if not _may_write_for(actor, section.pk):
            raise PermissionDenied(_("Only the current officers of %(name)s may write its lessons.") % {"name": section.name})
        if lesson is None and locked.status not in LESSON_STATUSES:
            raise ValidationError(_("Lessons can be written once the partner has accepted the partnership."))
        if evaluation is not None and evaluation.partnership_id != locked.pk:
            raise ValidationError(_("The evaluation belongs to another partnership."))

        forms = list(data.get("forms") or [])
        allowed_forms = set(locked.forms.values_list("pk", flat=True))
        if any(form.pk not in allowed_forms for form in forms):
            raise ValidationError({"forms": _("Choose among the forms of twinning of this partnership.")})

        if lesson is None:
            lesson = Lesson(partnership=locked, section=section, author=actor, evaluation=evaluation)
        elif evaluation is not None and lesson.evaluation_id is None:
            lesson.evaluation = evaluation
        for name in TEXT_FIELDS:
            setattr(lesson, name, data.get(name, getattr(lesson, name)))
        lesson.visibility = data.get("visibility") or lesson.visibility
        lesson.region_tags = _tags(participant.section.district.region for participant in participants)
        lesson.maturity_tags = _tags(participant.section.maturity for participant in participants)
        published = publish and lesson.state == Lesson.State.DRAFT
        if published:
            lesson.state = Lesson.State.PUBLISHED
            lesson.published_at = timezone.now()
        lesson.full_clean(exclude=["partnership", "section", "author", "evaluation"])
        lesson.save()
        submissions.record(claimed, lesson)
        lesson.forms.set(forms)
        lesson.challenges.set(list(data.get("challenges") or []))
        lesson_index(lesson=lesson)
        if published:
            transaction.on_commit(lambda: lesson_published.send(sender=Lesson, lesson=lesson))
    return lesson


def lesson_publish(*, lesson: Lesson, actor) -> Lesson:
    """Make a draft readable by those its visibility names; publishing twice changes nothing."""
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if not _may_write_for(actor, lesson.section_id):
            raise PermissionDenied(_("Only the current officers of the writing section may publish the lesson."))
        if lesson.state == Lesson.State.DRAFT:
            lesson.state = Lesson.State.PUBLISHED
            lesson.published_at = timezone.now()
            lesson.save(update_fields=["state", "published_at", "updated_at"])
            transaction.on_commit(lambda: lesson_published.send(sender=Lesson, lesson=lesson))
    return lesson


def _check_markable(lesson: Lesson, actor) -> None:
    if not lessons_visible_to(actor).filter(pk=lesson.pk).exists():
        raise PermissionDenied(_("This lesson is not yours to read."))
    if lesson.state != Lesson.State.PUBLISHED:
        raise ValidationError(_("Only a published lesson can be marked as helpful."))
    if _may_write_for(actor, lesson.section_id):
        raise PermissionDenied(_("A section does not mark its own lessons as helpful."))


def lesson_mark_helpful(*, lesson: Lesson, actor) -> bool:
    """"This helped us": one mark per user. True when this call added the mark.

    The unique constraint (lesson, user) is what makes a second mark impossible, even when
    two requests of the same user arrive at once; the count moves in the same transaction,
    with an UPDATE relative to the stored value, so marks by many users at once all count.
    """
    _check_markable(lesson, actor)
    with transaction.atomic():
        try:
            with transaction.atomic():
                LessonHelpful.objects.create(lesson=lesson, user=actor)
        except IntegrityError:
            return False
        Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    return True


def lesson_unmark_helpful(*, lesson: Lesson, actor) -> bool:
    """Take back one's mark. True when there was one."""
    with transaction.atomic():
        deleted, _by_model = LessonHelpful.objects.filter(lesson=lesson, user=actor).delete()
        if not deleted:
            return False
        Lesson.objects.filter(pk=lesson.pk, helpful_count__gt=0).update(helpful_count=F("helpful_count") - 1)
    return True
