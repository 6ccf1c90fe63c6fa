"""The people the academy serves: users, the organisations they work for, the sectors those
organisations belong to and the places they serve; and the emails the academy sends them
(the outbox) with each person's choices about them."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Sector(models.Model):
    """A part of the public sector. The list is fixed by a data migration; editors tag courses
    and case studies with it and learners choose one."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A council, trust, force, department or charity that learners work for."""

    name = models.CharField(max_length=200)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A geography that public services share: a council area, an integrated care system, a
    police force area or a region."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        INTEGRATED_CARE_SYSTEM = "integrated_care_system", "Integrated care system"
        POLICE_FORCE_AREA = "police_force_area", "Police force area"
        REGION = "region", "Region"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The Office for National Statistics code, such as E08000035.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="place_name_kind_unique"),
            models.UniqueConstraint(
                fields=["ons_code"],
                condition=~models.Q(ons_code=""),
                name="place_ons_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class AcademyUserManager(UserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: learner, facilitator, editor, moderator or programme manager.
    Roles are groups (see ``academy.roles``)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        "name", max_length=150, blank=True, help_text="How other learners will see you."
    )
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    place = models.ForeignKey(
        Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = AcademyUserManager()

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email


class OutboxEmail(models.Model):
    """One email the academy will send, or has sent: written in the same transaction as the
    change that causes it, sent by the worker (``academy.outbox``). The key names the person,
    the kind, the object and the occurrence, so the same email is never written twice; the
    Message-ID comes from the row, so a copy sent again after a crash is recognisable
    downstream."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent"
        IN_DIGEST = "in_digest", "In a digest"

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "As it happens"
        DAILY = "daily", "In a daily digest"
        WEEKLY = "weekly", "In a weekly digest"

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=60)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_emails"
    )
    params = models.JSONField(default=dict, blank=True)
    # What it is about, for pages that count an object's emails ("announcement:12"); optional.
    about = models.CharField(max_length=100, blank=True, db_index=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # When it may be sent (a digest's items wait for the digest's hour).
    due_at = models.DateTimeField(default=timezone.now)
    # A send task is on the broker until then; dispatch queues it again after that.
    queued_until = models.DateTimeField(null=True, blank=True)
    # A worker holds it until then; the sweeper returns it to pending after that.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    to_email = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbox email"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_open_by_due",
            ),
            models.Index(
                fields=["sent_at"],
                condition=models.Q(status="sent"),
                name="outbox_sent_by_time",
            ),
            models.Index(fields=["user", "kind"], name="outbox_user_kind"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def message_id(self) -> str:
        """The same for every attempt at this row, and different for every row."""
        digest = hashlib.blake2b(self.key.encode(), digest_size=8).hexdigest()
        domain = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<outbox.{self.pk}.{digest}@{domain}>"


class NotificationPreference(models.Model):
    """A person's choice for one kind of email: on or off, and as it happens or gathered into a
    daily or weekly digest. No row means on, as it happens."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    enabled = models.BooleanField(default=True)
    delivery = models.CharField(
        max_length=10,
        choices=OutboxEmail.Delivery.choices,
        default=OutboxEmail.Delivery.IMMEDIATE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
