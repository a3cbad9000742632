"""Sections thank the people who worked on a partnership: an acknowledgement with its
printable certificate, mailed to the person when an address is given.

The mail carries a signed link to the certificate (`certificate_token`): the person has no
account, so the link itself is the permission. It is signed with the site's secret
(django.core.signing), so it cannot be guessed or forged from another acknowledgement's
number; it does not expire, as a certificate is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerships.models import Participant, Partnership
from sections.models import Section
from sections.permissions import roles_of
from twinning import mail, submissions

from ..models import Acknowledgement

CERTIFICATE_SALT = "recognition.certificate"
FIELDS = ("name", "email", "role", "contribution", "hours")


def certificate_token(acknowledgement: Acknowledgement) -> str:
    return signing.dumps(acknowledgement.pk, salt=CERTIFICATE_SALT)


def acknowledgement_from_token(token: str) -> int | None:
    """The acknowledgement's id a signed link names, or None for a link we did not sign."""
    try:
        pk = signing.loads(token, salt=CERTIFICATE_SALT)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def acknowledging_section_ids(partnership: Partnership, actor) -> frozenset[int]:
    """The sections `actor` may acknowledge for on `partnership`: taking part (not having
    declined) and where they hold an open office today."""
    taking_part = partnership.participants.exclude(response=Participant.Response.DECLINED).values_list(
        "section_id", flat=True
    )
    return frozenset(taking_part) & roles_of(actor).section_ids


def acknowledgement_create(
    *, partnership: Partnership, section: Section, actor, data: Mapping, once: uuid.UUID | None = None
) -> Acknowledgement:
    """Record that `section` thanks a person for their work on `partnership`, signed by
    `actor`, and mail them the certificate when `data` gives an address. `data` holds
    name, email, role, contribution and hours (None when unknown); a bad value raises a
    ValidationError naming its field. `once` is the form's token (twinning.submissions):
    sent twice, the person is acknowledged, and mailed, once."""
    with transaction.atomic():
        # Locked so an officer whose office or section's participation is being ended
        # cannot sign at the same moment.
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        if section.pk not in acknowledging_section_ids(locked, actor):
            raise PermissionDenied(_("Only the current officers of a section taking part may acknowledge people."))
        claimed = submissions.claim(once, user=actor)
        values = {name: data.get(name) for name in FIELDS}
        for name in ("name", "email", "role", "contribution"):
            values[name] = str(values[name] or "").strip()
            # PostgreSQL refuses a NUL character in text: a field error, not a failed query.
            if "\x00" in values[name]:
                raise ValidationError({name: _("Null characters are not allowed.")})
        if values["hours"] in ("", None):
            values["hours"] = None
        acknowledgement = Acknowledgement(partnership=locked, section=section, acknowledged_by=actor, **values)
        acknowledgement.full_clean()
        acknowledgement.save()
        submissions.record(claimed, acknowledgement)
        if acknowledgement.email:
            link = reverse("recognition:certificate_shared", kwargs={"token": certificate_token(acknowledgement)})
            mail.send(
                "recognition/email/acknowledgement",
                to=[acknowledgement.email],
                context={
                    "acknowledgement": acknowledgement,
                    "partnership": locked,
                    "section": section,
                    "signer": actor,
                    "url": mail.absolute_url(link),
                },
            )
    return acknowledgement

