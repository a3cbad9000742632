from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from partnerships.signals import partnership_panels
        from sections.signals import section_panels

        from . import receivers

        # Section level: the section's recognition page and acknowledgements.
        section_panels.connect(receivers.section_recognition_panel, dispatch_uid="recognition.section_panel")
        partnership_panels.connect(
            receivers.partnership_acknowledgements_panel, dispatch_uid="recognition.acknowledgements_panel"
        )
