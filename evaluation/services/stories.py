"""Stories: a completed partnership told to the public, when every side agreed to it.

A story is published once, when the partnership completes (partnerships.signals
`partnership_closed`, see evaluation/receivers.py), from its final evaluation: the title
and what was achieved as the sides co-signed them, and the photo they chose. A society
admin may withdraw it; it then answers 404 like a story that never was.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Partnership, Status
from sections.permissions import is_society_admin

from ..models import Evaluation, Story
from ..signals import story_published


def _publishable_evaluation(partnership: Partnership) -> Evaluation | None:
    """The final evaluation when it allows a story: co-signed by every side, every
    participating section consenting, a title to publish under. None otherwise."""
    evaluation = (
        Evaluation.objects.filter(partnership=partnership, kind=Evaluation.Kind.FINAL, final_at__isnull=False)
        .exclude(story_title="")
        .first()
    )
    if evaluation is None:
        return None
    consenting = set(evaluation.sides.filter(story_consent=True).values_list("section_id", flat=True))
    refusing = evaluation.sides.filter(story_consent=False).exists()
    participating = set(partnership.participants.values_list("section_id", flat=True))
    # A section without a side in the evaluation has not agreed either.
    if refusing or not participating or not participating <= consenting:
        return None
    return evaluation


@transaction.atomic
def story_publish_for(*, partnership: Partnership) -> Story | None:
    """Publish the partnership's story if it may have one; the story it has, or None.

    Safe to run twice: the partnership's lock orders two calls, and the one-to-one keeps
    one story; a story already there, published or withdrawn, is left as it is.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    # Only a partnership that completed: one that ended early has no results to show.
    if partnership.status != Status.COMPLETED:
        return None
    existing = Story.objects.filter(partnership=partnership).first()
    if existing is not None:
        return existing
    evaluation = _publishable_evaluation(partnership)
    if evaluation is None:
        return None
    story, _created = Story.objects.get_or_create(
        partnership=partnership,
        defaults={
            "evaluation": evaluation,
            "title": evaluation.story_title,
            "achieved": evaluation.summary,
            # The same stored file: the photo was checked when the side uploaded it.
            "photo": evaluation.story_photo.name,
            "published_at": timezone.now(),
        },
    )
    if _created:
        transaction.on_commit(lambda: story_published.send(sender=Story, story=story))
    return story


@transaction.atomic
def story_withdraw(*, story: Story, actor) -> Story:
    """Take a story off the public pages (a society admin's decision); withdrawing twice
    changes nothing more."""
    if not is_society_admin(actor):
        raise PermissionDenied(_("Only a society admin may withdraw a story."))
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.published_at is not None:
        story.published_at = None
        story.save(update_fields=["published_at"])
    return story
