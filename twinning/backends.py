"""Signing in by email (Django's ModelBackend), and the user read with the number of their
unread notices: the bell in the navigation bar shows it on every page, so it comes in the
query that loads the signed-in user rather than in one more."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notice, User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        unread = (
            Notice.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by().values("user").annotate(count=Count("pk")).values("count")
        )
        try:
            user = User._default_manager.annotate(
                unread_notice_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


# For a view that signs a user in without a password check (an accepted invitation).
USER_BACKEND = f"{UserBackend.__module__}.{UserBackend.__qualname__}"
