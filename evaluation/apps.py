from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from partnerships.signals import (
            finder_panels,
            partnership_activated,
            partnership_badges,
            partnership_closed,
            partnership_closing,
            partnership_panels,
            partnership_resumed,
            proposal_panels,
        )

        from . import receivers

        partnership_activated.connect(receivers.start_schedule, dispatch_uid="evaluation.start_schedule")
        partnership_resumed.connect(receivers.resume_schedule, dispatch_uid="evaluation.resume_schedule")
        partnership_badges.connect(receivers.health_badge, dispatch_uid="evaluation.health_badge")
        partnership_panels.connect(receivers.checkins_panel, dispatch_uid="evaluation.checkins_panel")
        partnership_closed.connect(receivers.publish_story, dispatch_uid="evaluation.publish_story")
        partnership_panels.connect(receivers.evaluation_panel, dispatch_uid="evaluation.evaluation_panel")
        partnership_closing.connect(receivers.closing_gate, dispatch_uid="evaluation.closing_gate")
        partnership_panels.connect(receivers.partnership_lessons_panel, dispatch_uid="evaluation.lessons_panel")
        finder_panels.connect(receivers.helpful_lessons_panel, dispatch_uid="evaluation.finder_lessons")
        proposal_panels.connect(receivers.helpful_lessons_panel, dispatch_uid="evaluation.proposal_lessons")
