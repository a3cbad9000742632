"""Reads of acknowledgements: the certificate and the lists that show them."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from partnerships.models import Participant
from partnerships.permissions import visible_partnerships
from sections.models import Officer

from ..models import Acknowledgement


def _with_partnership():
    return Acknowledgement.objects.select_related("partnership", "section", "acknowledged_by").prefetch_related(
        Prefetch("partnership__participants", queryset=Participant.objects.select_related("section").order_by("pk"))
    )


def acknowledgement_for_user(user, pk: int) -> Acknowledgement:
    """The acknowledgement if `user` may see its partnership (partnerships.permissions); 404 otherwise."""
    try:
        return _with_partnership().filter(partnership__in=visible_partnerships(user)).get(pk=pk)
    except Acknowledgement.DoesNotExist:
        raise Http404("No acknowledgement found.") from None


def acknowledgement_by_pk(pk: int) -> Acknowledgement:
    """For a signed link: the link is the permission."""
    try:
        return _with_partnership().get(pk=pk)
    except Acknowledgement.DoesNotExist:
        raise Http404("No acknowledgement found.") from None


def certificate_context(acknowledgement: Acknowledgement) -> dict:
    """What a certificate shows: the society, the partnership and its sections, the person
    and what they did, and the signing officer with the office they held on the day."""
    office = None
    if acknowledgement.acknowledged_by_id:
        office = (
            Officer.objects.open_on(acknowledgement.created_at.date())
            .filter(user_id=acknowledgement.acknowledged_by_id, section_id=acknowledgement.section_id)
            .order_by("start_date")
            .first()
        )
    return {
        "acknowledgement": acknowledgement,
        "partnership": acknowledgement.partnership,
        "sections": [participant.section for participant in acknowledgement.partnership.participants.all()],
        "signer": acknowledgement.acknowledged_by,
        "office": office.get_role_display() if office else "",
        "society_name": settings.SOCIETY_NAME,
    }
