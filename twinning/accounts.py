"""The signed-in user's own account: name, preferred language and time zone, and a change
of email address, which takes effect only when confirmed from the new address.

The confirmation link carries a signed token (user, new address, a fingerprint of the
address it replaces) that expires after EMAIL_CHANGE_DAYS. Once the change is made the
fingerprint no longer matches, so a link works once; a newer link for another address
does not undo the older one's work, it simply finds the current address and goes on.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from . import mail
from .models import OutgoingMail, User
from .translations import is_site_language

EMAIL_CHANGE_DAYS = 3
_SALT = "twinning.accounts.email-change"


def _fingerprint(email: str) -> str:
    return salted_hmac(_SALT, email.lower()).hexdigest()[:20]


def _taken(email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str, time_zone: str) -> User:
    """Change the user's name, preferred language and time zone."""
    if language and not is_site_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    user.full_name, user.language, user.time_zone = full_name, language, time_zone
    changed = ["full_name", "language", "time_zone"]
    user.full_clean(
        exclude=[field.name for field in User._meta.fields if field.name not in changed],
        validate_unique=False, validate_constraints=False,
    )
    user.save(update_fields=changed)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The language the user's pages and mail are in, chosen with the footer's switcher."""
    if not is_site_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def email_change_token(*, user: User, new_email: str) -> str:
    return signing.dumps({"user": user.pk, "email": new_email, "from": _fingerprint(user.email)}, salt=_SALT)


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> list[OutgoingMail]:
    """Mail a confirmation link to `new_email`; the address changes when it is followed."""
    new_email = User.objects.normalize_email(new_email).lower()
    if new_email == user.email.lower():
        raise ValidationError({"email": _("That is already your address.")})
    if _taken(new_email, user):
        raise ValidationError({"email": _("Another account uses that address.")})
    url = mail.absolute_url(reverse("profile_email_confirm", args=[email_change_token(user=user, new_email=new_email)]))
    return mail.send(
        "twinning/email/email_change", to=[new_email],
        context={"user": user, "url": url, "days": EMAIL_CHANGE_DAYS},
    )


def email_change_read(*, user: User, token: str) -> str:
    """The new address a link for `user` asks for; ValidationError saying why when it is
    forged, expired, for another account or used already."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=EMAIL_CHANGE_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Ask for a new one on your profile.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid. Ask for a new one on your profile.")) from None
    if not isinstance(data, dict) or data.get("user") != user.pk or not isinstance(data.get("email"), str):
        raise ValidationError(_("This link is for another account. Sign in as its owner, or ask for a new one."))
    if data.get("from") != _fingerprint(user.email):
        raise ValidationError(_("This link has been used already, or your address changed since it was sent."))
    return data["email"]


@transaction.atomic
def email_change_confirm(*, user: User, token: str) -> User:
    """Make the address a link asks for the user's address."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    new_email = email_change_read(user=locked, token=token)
    if _taken(new_email, locked):
        raise ValidationError(_("Another account uses that address now."))
    locked.email = new_email
    locked.save(update_fields=["email"])
    user.email = new_email
    return locked
