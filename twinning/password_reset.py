"""Password reset: a link to choose a new password, mailed through the one mail path.

Whoever asks learns nothing about which addresses have an account: the request
(`password_reset_request`) does the same work for every address — it counts the request and
hands the address to a Celery task — and the page answers the same. Only the worker
(`password_reset_send`) looks for the account and, if there is one, stores its message through
`twinning.mail.send`, so neither the response nor its timing depends on the answer.

Throttles (settings PASSWORD_RESET_*): one email address gets at most one link per window (a
second request within it is answered the same and sends nothing), and one client address may
ask a limited number of times per window before the page answers 429. The counts are kept in
the cache; `cache.add` and `cache.incr` are atomic in Redis and in the memory cache, so two
requests at once cannot both take the one link of a window.
"""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import mail
from .models import OutgoingMail, User
from .tasks import send_password_reset

TEMPLATE = "registration/email/password_reset"


def _folded(email: str) -> str:
    # As Django's own reset form compares addresses: compatibility-normalised and case-folded,
    # so "ANA@example.org" and "ana@example.org" are one address and look-alikes are not.
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def _key(kind: str, value: str) -> str:
    # Hashed: the cache (shared Redis in production) holds no address in clear, and every key
    # is short and safe whatever was typed.
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


@dataclass(frozen=True)
class AddressAllowance:
    allowed: bool
    # Seconds until the client address may ask again (its window ends).
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def address_allowance(*, address: str | None) -> AddressAllowance:
    """Count one request from this client address in its window; allowed up to the limit.

    Windows are fixed (aligned on the clock), so the wait until the next one is exact.
    """
    window = int(settings.PASSWORD_RESET_ADDRESS_WINDOW.total_seconds())
    now = time.time()
    bucket = int(now // window)
    key = f"{_key('address', address or '')}:{bucket}"
    retry_after = max(1, math.ceil((bucket + 1) * window - now))
    # Kept a little past its window so it outlives any clock skew between web processes.
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between the add and the incr: this request starts the count again.
        cache.add(key, 1, timeout=window + 60)
        count = 1
    return AddressAllowance(allowed=count <= settings.PASSWORD_RESET_ADDRESS_LIMIT, retry_after=retry_after)


def password_reset_request(*, email: str) -> None:
    """Have a reset link mailed to `email` if an account uses it: the same work for any address.

    The first request for an address in PASSWORD_RESET_EMAIL_WINDOW takes the window; later ones
    within it send nothing. The look-up happens in the worker, after the commit.
    """
    folded = _folded(email)
    window = int(settings.PASSWORD_RESET_EMAIL_WINDOW.total_seconds())
    if not cache.add(_key("email", folded), 1, timeout=window):
        return
    # Robust: with the broker unreachable the page still answers as for any address; the
    # person asks again once the window has passed.
    transaction.on_commit(lambda: send_password_reset.delay(email.strip()), robust=True)


def _accounts(email: str) -> list[User]:
    """Active accounts with a usable password whose address is `email` (as Django's reset form finds them)."""
    folded = _folded(email)
    candidates = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in candidates if user.has_usable_password() and _folded(user.email) == folded]


def reset_url(user: User) -> str:
    """The one-time link that lets `user` choose a new password (valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return mail.absolute_url(path)


def password_reset_send(*, email: str) -> list[OutgoingMail]:
    """(The worker.) Store a reset message for each account using `email`; none if there is none."""
    days = math.ceil(settings.PASSWORD_RESET_TIMEOUT / 86400)
    rows = []
    for user in _accounts(email):
        rows += mail.send(TEMPLATE, to=[user], context={"url": reset_url(user), "days": days})
    return rows
