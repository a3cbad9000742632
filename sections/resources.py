"""CSV import and export of districts and sections for society admins.

An import with any invalid row imports nothing (IMPORT_EXPORT_USE_TRANSACTIONS)
and the admin lists every bad row with its field errors.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from .models import District, Language, Section, TechnicalInterest


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Like ManyToManyWidget, but an unknown value is an error instead of being dropped."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        wanted = [item.strip() for item in str(value).split(self.separator) if item.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        missing = sorted(set(wanted) - {str(getattr(obj, self.field)) for obj in found})
        if missing:
            raise ValueError(f"Unknown value(s): {', '.join(missing)}")
        return found


class DistrictResource(resources.ModelResource):
    class Meta:
        model = District
        import_id_fields = ("code",)
        fields = ("code", "name", "region")
        clean_model_instances = True
        skip_unchanged = True


class SectionResource(resources.ModelResource):
    district = fields.Field(
        attribute="district",
        column_name="district",
        widget=widgets.ForeignKeyWidget(District, field="code"),
    )
    working_languages = fields.Field(
        attribute="working_languages",
        column_name="working_languages",
        widget=StrictManyToManyWidget(Language, field="code", separator=","),
    )
    interests = fields.Field(
        attribute="interests",
        column_name="interests",
        widget=StrictManyToManyWidget(TechnicalInterest, field="slug", separator=","),
    )

    class Meta:
        model = Section
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "kind",
            "district",
            "country",
            "city",
            "time_zone",
            "working_languages",
            "founded_year",
            "member_count",
            "maturity",
            "interests",
            "seeking_partner",
            "max_concurrent_partnerships",
            "website",
            "contact_email",
        )
        clean_model_instances = True
        skip_unchanged = True
