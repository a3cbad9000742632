"""District level: a district's coordinators recognise one of its sections for a year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sections.models import District, DistrictCoordinator, Officer, Section
from sections.permissions import is_society_admin
from twinning import mail

from ..models import DistrictRecognition


def may_recognise(user, district: District) -> bool:
    """The district's coordinators (an open assignment today) and society admins."""
    if not user.is_authenticated:
        return False
    if is_society_admin(user):
        return True
    return DistrictCoordinator.objects.open_now().filter(user=user, district=district).exists()


@transaction.atomic
def district_recognise(
    *, district: District, section: Section, year: int, category: str, citation: str, actor
) -> DistrictRecognition:
    # Lock the district first: two coordinators recognising at once queue here, so the
    # repeat check below sees the first one's row instead of failing on the constraint.
    district = District.objects.select_for_update().get(pk=district.pk)
    if not may_recognise(actor, district):
        raise PermissionDenied(_("Only the district's coordinators recognise its sections."))
    if section.district_id != district.pk:
        raise ValidationError({"section": _("This section is not in %(district)s.") % {"district": district.name}})
    citation = (citation or "").strip()
    if not citation:
        raise ValidationError({"citation": _("Write the citation.")})
    if category not in DistrictRecognition.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    if DistrictRecognition.objects.filter(district=district, section=section, year=year, category=category).exists():
        raise ValidationError(
            {"category": _("%(section)s was already recognised in this category for %(year)s.")
             % {"section": section.name, "year": year}}
        )
    try:
        # A savepoint: the constraint stays the last word should a row slip in anyway.
        with transaction.atomic():
            recognition = DistrictRecognition.objects.create(
                district=district, section=section, year=year, category=category, citation=citation,
                recognised_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"category": _("%(section)s was already recognised in this category for %(year)s.")
             % {"section": section.name, "year": year}}
        ) from None
    officers = (
        Officer.objects.open_on(timezone.localdate()).filter(section=section).select_related("user")
    )
    users = {officer.user_id: officer.user for officer in officers if officer.user.is_active}
    mail.send(
        "recognition/email/district_recognition",
        to=list(users.values()),
        context={
            "recognition": recognition,
            "section": section,
            "district": district,
            "category": recognition.get_category_display(),
            "url": mail.absolute_url(reverse("recognition:district", kwargs={"code": district.code})),
        },
    )
    return recognition
