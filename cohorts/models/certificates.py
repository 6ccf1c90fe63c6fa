"""Certificates: one for each completed enrolment, drawn as a PDF by the worker, verified by
anyone at its public address and signed as an Open Badges 3.0 credential
(``cohorts.credentials``). Writes go through ``cohorts.services.certificates``; docs/decisions.md
§39 has the reasoning.

A certificate is *pending* from the moment the enrolment is completed until the worker has drawn
and stored its PDF (*issued*). When something counted towards completion is undone, it is
*suspended*; completing again reinstates it under the same code with the new completion date
(a new *issue*). Staff *revoke* it, with a reason, for good.

Each issue has its own place in the public revocation list (``CertificateIssue.pk``): a
credential signed for an issue that is suspended, superseded or revoked is marked there, and
never unmarked, as the Bitstring Status List asks of revocation. The holder's name is their
display name; without one, as when they hide it, the public page and the credential name no
one."""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from academy.storage import private_storage

# 128 random bits, in lower-case base32 (26 characters): easy to read aloud, to type from paper
# and to put in a QR code, with no characters that look alike.
CODE_LENGTH = 26
CODE_PATTERN = f"[a-z2-7]{{{CODE_LENGTH}}}"


def new_certificate_code() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


def certificate_pdf_path(certificate: "Certificate", filename: str) -> str:
    return f"certificates/{certificate.code}-{certificate.issue_number}.pdf"


class CertificateQuerySet(models.QuerySet):
    def shown(self):
        """Certificates a holder sees: all but those still being prepared."""
        return self.exclude(status=Certificate.Status.PENDING)


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        ISSUED = "issued", "Valid"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    enrolment = models.OneToOneField(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        max_length=CODE_LENGTH, unique=True, default=new_certificate_code, editable=False
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Counts the issues: 1, then one more each time the certificate is reinstated.
    issue_number = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField(help_text="When the course was completed (this issue).")
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(
        storage=private_storage, upload_to=certificate_pdf_path, max_length=255, blank=True
    )
    pdf_shows_name = models.BooleanField(
        default=False,
        help_text="The PDF shows the holder's name. It shows their email address instead when "
        "they had no name as it was drawn, and then only they download it.",
    )
    # When the issue was last put on the queue: the sweeper queues again what waits longer.
    queued_at = models.DateTimeField(default=timezone.now)
    name_hidden = models.BooleanField(
        default=False, help_text="The holder's name is left off the public page and credential."
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates_revoked",
    )
    revocation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at", "pk"]
        indexes = [
            models.Index(
                fields=["queued_at"], condition=Q(status="pending"), name="certificate_pending"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revocation_reason=""),
                name="certificate_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return f"Certificate {self.code} ({self.get_status_display()})"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def holder_name(self) -> str:
        """The name shown publicly: the holder's display name unless they hide it; "" when
        there is none to show. Reads ``enrolment.user``."""
        return "" if self.name_hidden else self.enrolment.user.display_name.strip()


class CertificateIssue(models.Model):
    """One issue of a certificate: the first, and one more each time it is reinstated. Its id
    is the issue's index in the public revocation list (``cohorts.credentials``)."""

    # Left without its certificate when the holder's account is erased: the issue's place in
    # the revocation list stays marked, so a copy of its credential kept elsewhere fails.
    certificate = models.ForeignKey(
        Certificate, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues"
    )
    number = models.PositiveIntegerField()
    completed_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "number"], name="one_issue_per_number")
        ]

    def __str__(self):
        return f"Issue {self.number} of {self.certificate}"
