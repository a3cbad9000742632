from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectionsConfig(AppConfig):
    name = "sections"
    verbose_name = _("Sections")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from . import profile_version, search
        from .models import SECTION_PROFILE_M2M_FIELDS, Section, TechnicalInterest, TwinningForm

        # The directory's stored search text follows every change of what it is made of.
        post_save.connect(search.section_saved, sender=Section, dispatch_uid="sections.search_section")
        for name in search.SEARCHED_LISTS:
            m2m_changed.connect(
                search.section_list_changed, sender=getattr(Section, name).through,
                dispatch_uid=f"sections.search_{name}",
            )
        for model in (TechnicalInterest, TwinningForm):
            label = model._meta.model_name
            post_save.connect(search.list_item_saved, sender=model, dispatch_uid=f"sections.search_{label}")
            pre_delete.connect(search.list_item_deleting, sender=model, dispatch_uid=f"sections.search_del_{label}")
            post_delete.connect(search.list_item_deleted, sender=model, dispatch_uid=f"sections.search_gone_{label}")
        # SQLite's stand-in for the triggers that keep the finder's profile_version on PostgreSQL.
        post_save.connect(profile_version.section_saved, sender=Section, dispatch_uid="sections.profile_version")
        for name in SECTION_PROFILE_M2M_FIELDS:
            m2m_changed.connect(
                profile_version.profile_list_changed, sender=getattr(Section, name).through,
                dispatch_uid=f"sections.profile_version_{name}",
            )
