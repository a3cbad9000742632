from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from sections.signals import section_panels

        from . import receivers
        from .signals import partnership_panels

        section_panels.connect(receivers.section_partnerships_panel, dispatch_uid="partnerships.section_panel")
        partnership_panels.connect(receivers.finance_panel, dispatch_uid="partnerships.finance_panel")
