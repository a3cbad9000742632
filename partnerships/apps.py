from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sections.signals import office_ended, section_panels

        from . import receivers
        from .models import Participant
        from .signals import partnership_panels
        from .views.exchanges import exchanges_panel

        section_panels.connect(receivers.section_partnerships_panel, dispatch_uid="partnerships.section_panel")
        office_ended.connect(receivers.hand_over_leads, dispatch_uid="partnerships.hand_over_leads")
        partnership_panels.connect(exchanges_panel, dispatch_uid="partnerships.exchanges_panel")
        partnership_panels.connect(receivers.finance_panel, dispatch_uid="partnerships.finance_panel")
        post_save.connect(receivers.recount_added_participant, sender=Participant, dispatch_uid="partnerships.load_added")
        post_delete.connect(
            receivers.recount_removed_participant, sender=Participant, dispatch_uid="partnerships.load_removed"
        )
        self._connect_growth()
        self._connect_search()

    def _connect_search(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sections.models import Section

        from . import search
        from .models import Participant, Partnership

        # The list's stored search text follows every change of what it is made of.
        post_save.connect(search.partnership_saved, sender=Partnership, dispatch_uid="partnerships.search")
        post_save.connect(search.participant_changed, sender=Participant, dispatch_uid="partnerships.search_in")
        post_delete.connect(search.participant_changed, sender=Participant, dispatch_uid="partnerships.search_out")
        post_save.connect(search.section_saved, sender=Section, dispatch_uid="partnerships.search_section")

    def _connect_growth(self) -> None:
        from sections.signals import section_panels

        from . import receivers_growth as growth
        from .signals import partnership_activated, partnership_closed, partnership_panels

        partnership_activated.connect(growth.snapshot_at_activation, dispatch_uid="partnerships.growth_start")
        partnership_closed.connect(growth.snapshot_at_end, dispatch_uid="partnerships.growth_end")
        partnership_panels.connect(growth.growth_panel, dispatch_uid="partnerships.growth_panel")
        section_panels.connect(growth.section_maturity_panel, dispatch_uid="partnerships.maturity_panel")
