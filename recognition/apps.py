from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from sections.signals import section_panels

        from . import receivers

        # District level (districts): citations on the section's profile.
        section_panels.connect(receivers.section_citations_panel, dispatch_uid="recognition.section_citations")
