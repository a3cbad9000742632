"""CSV import and export of districts and sections, and the import of officer invitations,
for society admins.

An import with any invalid row imports nothing (IMPORT_EXPORT_USE_TRANSACTIONS,
and StrictModelResource rolls back on validation errors too, also at the confirm
step) and the admin lists every bad row with its field errors: an unknown
district code or interest slug is a field error of its row, like any other.
"""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from twinning.exports import FORMULA_STARTS, cell

from .models import District, Invitation, Language, Section, TechnicalInterest, TwinningForm
from .services import invitation_create


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Like ManyToManyWidget, but an unknown value is an error instead of being dropped."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        wanted = [item.strip() for item in str(value).split(self.separator) if item.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": wanted})
        missing = sorted(set(wanted) - {str(getattr(obj, self.field)) for obj in found})
        if missing:
            raise ValueError(_("Unknown value(s): %(values)s") % {"values": ", ".join(missing)})
        return found


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    """Like ForeignKeyWidget, but an unknown value is a field error instead of a row crash."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("Unknown value: %(value)s") % {"value": value}) from None


class StrictTimeZoneWidget(widgets.Widget):
    """A time zone by its IANA name; an unknown name is a field error of its row like any other.

    (Assigning a bad name to the model field raises ValidationError, which the library
    does not collect per field: it would hide the row's other errors.)
    """

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("Enter a time zone, such as Europe/Amsterdam."))
        if name not in zoneinfo.available_timezones():
            raise ValueError(_("Unknown time zone: %(name)s") % {"name": name})
        return name

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class StrictModelResource(resources.ModelResource):
    """A resource whose import is all or nothing, with every bad field reported.

    The library checks many-to-many columns only after a row has been validated
    and saved, and reports a bad one as a crash of the row that hides the other
    rows' field errors; here they are checked with the other fields. And it
    rolls back on validation errors only when asked, which its confirm step
    does not do; here it always does.

    Exported text goes through the rule of every export of the site (twinning.exports.cell):
    the library's own escape drops one leading "=" and nothing else, so "==HYPERLINK(…)",
    "+SUM(…)" or "@x" reached the spreadsheet as formulas. The quote comes off again on import,
    so a file exported, edited and imported back keeps its text.
    """

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, widgets.NumberWidget) or not isinstance(value, str):
            return value  # a number, negative ones too, stays a number
        return cell(value)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for column, value in row.items():
            if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
                row[column] = value[1:]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget) or field.column_name not in row:
                continue
            try:
                field.clean(row, **kwargs)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(force_str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        # All or nothing whatever the caller asks: the admin's confirm step asks for less.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )


class DistrictResource(StrictModelResource):
    class Meta:
        model = District
        import_id_fields = ("code",)
        fields = ("code", "name", "region")
        clean_model_instances = True
        skip_unchanged = True


class SectionResource(StrictModelResource):
    district = fields.Field(
        attribute="district",
        column_name="district",
        widget=StrictForeignKeyWidget(District, field="code"),
    )
    working_languages = fields.Field(
        attribute="working_languages",
        column_name="working_languages",
        widget=StrictManyToManyWidget(Language, field="code", separator=","),
    )
    time_zone = fields.Field(attribute="time_zone", column_name="time_zone", widget=StrictTimeZoneWidget())
    interests = fields.Field(
        attribute="interests",
        column_name="interests",
        widget=StrictManyToManyWidget(TechnicalInterest, field="slug", separator=","),
    )
    offers_forms = fields.Field(
        attribute="offers_forms",
        column_name="offers_forms",
        widget=StrictManyToManyWidget(TwinningForm, field="code", separator=","),
    )
    offers_topics = fields.Field(
        attribute="offers_topics",
        column_name="offers_topics",
        widget=StrictManyToManyWidget(TechnicalInterest, field="slug", separator=","),
    )
    needs_forms = fields.Field(
        attribute="needs_forms",
        column_name="needs_forms",
        widget=StrictManyToManyWidget(TwinningForm, field="code", separator=","),
    )
    needs_topics = fields.Field(
        attribute="needs_topics",
        column_name="needs_topics",
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
            "description",
            "interests",
            "offers_forms",
            "offers_topics",
            "offers_notes",
            "needs_forms",
            "needs_topics",
            "needs_notes",
            "seeking_partner",
            "max_concurrent_partnerships",
            "website",
            "contact_email",
        )
        clean_model_instances = True
        skip_unchanged = True


class OfficerInvitationResource(StrictModelResource):
    """Officers invited in bulk (after an election): email, section slug, role, start date.

    Each row goes through sections.services.invitation_create, as an invitation sent from a
    section's page does, so it mails its link; the import is all or nothing like the others,
    and nothing is mailed for a preview or a rolled-back import (the mail waits for the commit).
    """

    section = fields.Field(
        attribute="section", column_name="section", widget=StrictForeignKeyWidget(Section, field="slug")
    )

    class Meta:
        model = Invitation
        fields = ("email", "section", "role", "start_date")
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._actor = kwargs.get("user")

    def get_instance(self, instance_loader, row):
        # Every row is a new invitation: an open one is re-sent or revoked, never overwritten.
        return None

    def save_instance(self, instance, is_create, row, **kwargs):
        created = invitation_create(
            actor=self._actor, email=instance.email, section=instance.section, role=instance.role,
            start_date=instance.start_date,
        )
        instance.pk = created.pk
