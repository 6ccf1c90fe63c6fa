"""Certificates: created with the completion that earns them, drawn and stored by the worker,
suspended when the course stops being complete, reinstated when it is completed again, revoked
by staff for good, and the holder's choice to show their name or not (docs/decisions.md §39).

The database is the source of truth. Completing an enrolment writes a *pending* certificate in
the same transaction and, once it commits, puts its issue on the queue; if the broker cannot
take it, the certificate stays pending and the sweeper (``certificates_sweep``, every minute
from beat) queues it again. Issuing locks the row and does nothing unless it is still pending,
so a message delivered twice, or queued again by the sweeper, issues it once. The email that
says it is ready is an outbox row written in the issuing transaction (``cohorts.notifications``),
one per issue."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy import queueing
from academy.storage import discard_on_rollback

from ..certificate_pdf import CertificateText, draw_certificate
from ..models import Certificate, CertificateIssue, Enrolment
from ..notifications import certificate_issued_notify

logger = logging.getLogger(__name__)

Status = Certificate.Status
REASON_LIMIT = 2000


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('certificate_verify', args=[code])}"


def publish_issues(certificate_ids: list[int]) -> bool:
    """Put these certificates' issues on the queue (``academy.queueing``): a broker that cannot
    take them is logged, not raised, at once, so whatever asked (a learner's completion) is not
    held up, and the certificates stay pending for the sweeper. Returns whether they were
    queued."""
    from ..tasks import certificate_issue_task

    error = queueing.publish(
        certificate_issue_task, [(certificate_id,) for certificate_id in certificate_ids]
    )
    if error is not None:
        logger.warning(
            "Certificates %s not queued (%s: %s); the sweeper will queue them again",
            certificate_ids[:10],
            error.__class__.__name__,
            error,
        )
        return False
    return True


def _queue_issue(certificate_id: int) -> None:
    """Queue the certificate's issue once the transaction commits (``publish_issues``)."""
    transaction.on_commit(lambda: publish_issues([certificate_id]))


def certificate_create(*, enrolment: Enrolment, now=None) -> Certificate:
    """The certificate for ``enrolment``, just completed: a new one, pending; or, when the
    enrolment had one that was suspended, the same one reinstated as a new issue with the new
    completion date. A revoked certificate stays revoked. Its issue is queued after commit.
    Called by ``enrolment_complete`` inside its transaction, with the enrolment locked."""
    now = now or timezone.now()
    certificate = Certificate.objects.select_for_update().filter(enrolment=enrolment).first()
    if certificate is None:
        certificate = Certificate.objects.create(
            enrolment=enrolment, completed_at=now, queued_at=now
        )
    elif certificate.status == Status.SUSPENDED:
        certificate.issue_number += 1
        certificate.status = Status.PENDING
        certificate.completed_at = now
        certificate.queued_at = now
        certificate.suspended_at = None
        certificate.save()
    else:
        return certificate
    CertificateIssue.objects.create(
        certificate=certificate, number=certificate.issue_number, completed_at=now
    )
    _queue_issue(certificate.pk)
    return certificate


def certificate_suspend(*, enrolment: Enrolment, now=None) -> Certificate | None:
    """The course is no longer complete (a lesson taken back, a pass revised): its certificate,
    if it has one that is pending or valid, is suspended. Called by
    ``enrolment_progress_changed`` inside its transaction."""
    now = now or timezone.now()
    certificate = Certificate.objects.select_for_update().filter(enrolment=enrolment).first()
    if certificate is None or certificate.status not in (Status.PENDING, Status.ISSUED):
        return certificate
    certificate.status = Status.SUSPENDED
    certificate.suspended_at = now
    certificate.save(update_fields=["status", "suspended_at"])
    return certificate


def certificate_text(certificate: Certificate) -> CertificateText:
    """What the certificate's page says. Reads the enrolment, its user, cohort, course and the
    cohort's facilitators."""
    enrolment = certificate.enrolment
    cohort = enrolment.cohort
    return CertificateText(
        holder=enrolment.user.display_name.strip() or enrolment.user.email,
        course=cohort.course.title,
        cohort=cohort.name,
        completed_on=timezone.localdate(certificate.completed_at),
        facilitators=[
            person.display_name or person.email
            for person in cohort.facilitators.order_by("display_name", "email")
        ],
        verify_url=verify_url(certificate.code),
        code=certificate.code,
    )


def certificate_issue(*, certificate_id: int, now=None) -> bool:
    """Draw the certificate's PDF, store it privately, mark it issued and tell the learner.
    Does nothing (returns False) unless the certificate is still pending: a second delivery of
    the same message, or one queued again by the sweeper, finds it issued."""
    now = now or timezone.now()
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("enrolment__user", "enrolment__cohort__course")
            # What the page says, not the course page's body.
            .only(
                *(f.name for f in Certificate._meta.concrete_fields),
                "enrolment__user_id",
                "enrolment__cohort_id",
                "enrolment__user__email",
                "enrolment__user__display_name",
                "enrolment__cohort__name",
                "enrolment__cohort__course__title",
            )
            .filter(pk=certificate_id, status=Status.PENDING)
            .order_by()
            .first()
        )
        if certificate is None:
            return False
        old = certificate.pdf.name
        pdf = draw_certificate(certificate_text(certificate))
        certificate.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
        discard_on_rollback(certificate.pdf.storage, certificate.pdf.name)
        certificate.status = Status.ISSUED
        certificate.issued_at = now
        certificate.pdf_shows_name = bool(certificate.enrolment.user.display_name.strip())
        certificate.save(update_fields=["pdf", "pdf_shows_name", "status", "issued_at"])
        if old and old != certificate.pdf.name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old))
        certificate_issued_notify(certificate)
    return True


def certificates_sweep(*, now=None, limit: int = 5000) -> int:
    """Queue again the certificates still pending a while after they were last queued (the
    broker was down, or a message was lost with Redis): the database, not the broker, says
    what is left to do. Returns how many were queued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.ACADEMY_CERTIFICATE_SWEEP_SECONDS)
    ids = list(
        Certificate.objects.filter(status=Status.PENDING, queued_at__lte=stale)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    Certificate.objects.filter(pk__in=ids).update(queued_at=now)
    if not publish_issues(ids):
        return 0
    logger.info("Certificates: %d pending queued again", len(ids))
    return len(ids)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str, now=None) -> Certificate:
    """Revoke ``certificate`` for good, saying why; who revoked it is recorded. Whether ``by``
    may is ``access.can_revoke_certificate``, checked by the view."""
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError("Say why the certificate is being revoked")
    if "\x00" in reason:
        raise ValidationError("The reason must not contain null characters")
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            f"The reason must be {REASON_LIMIT:,} characters or fewer (it has {len(reason):,})"
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Status.REVOKED:
        raise ValidationError("This certificate has already been revoked")
    certificate.status = Status.REVOKED
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    return certificate


@transaction.atomic
def certificate_name_show(*, user, certificate: Certificate, shown: bool) -> Certificate:
    """The holder chooses whether their name is on the public page and in the credential."""
    if certificate.enrolment.user_id != user.pk:
        raise ValidationError("You can only change your own certificate")
    Certificate.objects.filter(pk=certificate.pk).update(name_hidden=not shown)
    certificate.name_hidden = not shown
    return certificate
