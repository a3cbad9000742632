from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from evaluation.signals import checkin_submitted, evaluation_final, lesson_published, story_published
        from partnerships.signals import partnership_activated, partnership_closed

        from . import receivers

        partnership_activated.connect(receivers.award_activation, dispatch_uid="recognition.award_activation")
        partnership_closed.connect(receivers.award_completion, dispatch_uid="recognition.award_completion")
        checkin_submitted.connect(receivers.award_checkin, dispatch_uid="recognition.award_checkin")
        evaluation_final.connect(receivers.award_evaluation, dispatch_uid="recognition.award_evaluation")
        lesson_published.connect(receivers.award_lesson, dispatch_uid="recognition.award_lesson")
        story_published.connect(receivers.award_story, dispatch_uid="recognition.award_story")
