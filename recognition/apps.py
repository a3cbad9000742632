from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from evaluation.signals import checkin_submitted, evaluation_final, lesson_published, story_published
        from partnerships.signals import partnership_activated, partnership_closed, partnership_panels
        from sections.signals import section_panels

        from . import receivers

        # Points: each verified event earns when it happens.
        partnership_activated.connect(receivers.award_activation, dispatch_uid="recognition.award_activation")
        partnership_closed.connect(receivers.award_completion, dispatch_uid="recognition.award_completion")
        checkin_submitted.connect(receivers.award_checkin, dispatch_uid="recognition.award_checkin")
        evaluation_final.connect(receivers.award_evaluation, dispatch_uid="recognition.award_evaluation")
        lesson_published.connect(receivers.award_lesson, dispatch_uid="recognition.award_lesson")
        story_published.connect(receivers.award_story, dispatch_uid="recognition.award_story")
        # Section level: the section's recognition page and acknowledgements.
        section_panels.connect(receivers.section_recognition_panel, dispatch_uid="recognition.section_panel")
        partnership_panels.connect(
            receivers.partnership_acknowledgements_panel, dispatch_uid="recognition.acknowledgements_panel"
        )
        # District level (districts): citations on the section's profile.
        section_panels.connect(receivers.section_citations_panel, dispatch_uid="recognition.section_citations")
