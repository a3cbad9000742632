"""People: a user logs in with an email address; there is no username."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Permission, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_time_zone

# Society-admin rights: granted in the admin, by adding a user to the "Society admins" group
# (created by web's migration 0002) or by giving them this permission. Staff status alone
# only opens the admin site, where the user's model permissions say what they may do.
SOCIETY_ADMIN_PERMISSION = "twinning.act_as_society_admin"
SOCIETY_ADMINS_GROUP = "Society admins"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> User:
        # Logging in is case-insensitive on the email address.
        return self.get(email__iexact=username)

    def society_admins(self) -> models.QuerySet[User]:
        """The active users who hold society-admin rights (see `User.is_society_admin`): the
        recipients of what only a society admin acts on. Sub-selects, not joins, so a user
        holding the permission both directly and through a group comes once."""
        app_label, codename = SOCIETY_ADMIN_PERMISSION.split(".")
        granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        holding = models.Q(pk__in=self.model.user_permissions.through.objects.filter(
            permission__in=granted).values("user_id")) | models.Q(
            pk__in=self.model.groups.through.objects.filter(group__permissions__in=granted).values("user_id"))
        return self.filter(models.Q(is_superuser=True) | models.Q(is_staff=True) & holding, is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_(
            "Lets the user log into the admin site, where their permissions say what they may see and "
            "change. It gives no other rights: society-admin rights come from the “Society admins” group."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Empty: the site's own (settings.LANGUAGE_CODE, settings.TIME_ZONE).
    language = models.CharField(_("preferred language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=63, blank=True, validators=[validate_time_zone])
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        permissions = [
            ("act_as_society_admin", _("Act as society admin: read every partnership, contact and agreement")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_society_admin(self) -> bool:
        """Whether the user acts as a society admin on the site: reads every partnership,
        officer contact and agreement, opens every dashboard, decides the awards. An active
        superuser, or a staff user granted the permission; staff status alone gives nothing
        beyond the admin site. The permissions are read once per user object (Django keeps
        them on it), so asking again costs no query."""
        if not self.is_active:
            return False
        return self.is_superuser or (self.is_staff and self.has_perm(SOCIETY_ADMIN_PERMISSION))

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The user's time zone, or the site's when they chose none."""
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)


class OutgoingMail(models.Model):
    """One message to one address, stored before it is sent (`twinning.mail`): a worker
    delivers it after the commit and the sweep retries it, so a mail server outage
    delays a message and loses none."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    template_name = models.CharField(_("template"), max_length=200)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # A worker claims a row by moving `attempts` on and `next_attempt_at` to the backoff
    # in one conditional UPDATE: a worker stopped mid-send leaves the row for the sweep
    # once that backoff has passed, and no other worker can claim it before.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="sent", sent_at__isnull=False)
                | (~models.Q(status="sent") & models.Q(sent_at__isnull=True)),
                name="outgoingmail_sent_has_sent_at",
            ),
        ]
        indexes = [
            # The sweep (twinning.delivery.deliver_due, task twinning.tasks.deliver_due_mail)
            # polls the queued rows whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(status="queued"), name="outgoingmail_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class FormSubmission(models.Model):
    """One form instance that was saved (`twinning.submissions`): the one-time token a create
    form carries, claimed in the same transaction as the record it creates, so the same form
    sent twice (a double click, a reload, two tabs) saves one record; the second sending is
    shown the first one's record."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )
    # What the first sending saved; empty when it is gone since.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("content type"),
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("object ID"))
    target = GenericForeignKey("content_type", "object_id")
    # The nightly prune (twinning.submissions.prune, task twinning.tasks.prune_form_submissions)
    # deletes by age.
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)


class NoticeKind(models.TextChoices):
    """What a notice is about: each user chooses how they hear of each kind but the last
    (twinning.notices.KINDS says which mail is which)."""

    TRANSITIONS = "transitions", _("Proposals and transitions")
    REMINDERS = "reminders", _("Reminders")
    ESCALATIONS = "escalations", _("Escalations")
    DIGESTS = "digests", _("Digests")
    RECOGNITION = "recognition", _("Recognition")
    # Password resets, invitations, address changes: always mailed at once, not switchable.
    ACCOUNT = "account", _("Your account")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("An email at once")
    DAILY = "daily", _("In one daily summary email")
    INBOX = "inbox", _("Only in the inbox")


class DailySummary(models.Model):
    """A user's day, claimed by the run that mails its summary (`twinning.summary`): the
    unique constraint lets one run, worker or retry have the day, so a user gets at most
    one summary a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    mail = models.OneToOneField(
        OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("mail")
    )

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="daily_summary_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class Notice(models.Model):
    """One event a user was told of, in their inbox (made by `twinning.mail.send` for every
    recipient who has an account), kept 180 days (`twinning.notices.notices_purge`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    # A path on this site, or empty.
    link = models.CharField(_("link"), max_length=500, blank=True)
    # How the user chose to hear of it when it happened.
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The daily summary that carried it; empty for one waiting for its summary.
    summary = models.ForeignKey(
        DailySummary, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices",
        verbose_name=_("daily summary"),
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox, newest first.
            models.Index(fields=["user", "-created_at"], name="notice_inbox_idx"),
            # The bell's count (twinning.backends.UserBackend).
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notice_unread_idx"),
            # The daily summary run (twinning.summary.send_daily_summaries) polls the waiting ones.
            models.Index(
                fields=["user"], condition=models.Q(delivery="daily", summary__isnull=True),
                name="notice_summary_due_idx",
            ),
            # The nightly purge (twinning.notices.notices_purge) deletes by age.
            models.Index(fields=["created_at"], name="notice_created_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class NoticePreference(models.Model):
    """How a user hears of one kind of notice; without a row, an email at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once"),
            # Account mail is always sent at once.
            models.CheckConstraint(condition=~models.Q(kind="account"), name="notice_preference_not_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"
