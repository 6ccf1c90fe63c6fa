"""The demo's certificates: every learner who completed a demo cohort holds an issued one,
drawn and stored as the worker would (``cohorts.services.certificates``), dated when they
completed. ``data/certificates.toml`` gives some of them fixed codes, so the public page of a
valid and of a revoked certificate can be opened at once (README.md lists them).

Run inside ``load_demo``'s ``outbox.history()``: the emails saying they are ready are recorded as
sent at the time, not sent. Safe to run again: a certificate whose code, dates or revocation
already match is left alone; one whose completion date moved with the demo's dates is drawn
again; one of a place the demo leaves unfinished (a learner who finished the course during a
demo) is removed, with its PDF."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.models import Certificate, CertificateIssue, Cohort, Enrolment
from cohorts.models.certificates import CODE_LENGTH
from cohorts.services.certificates import (
    certificate_create,
    certificate_issue,
    certificate_revoke,
)

from . import CREATED, UNCHANGED, UPDATED, Summary
from .loader import DATA, DemoDataError, Paragraphs, read

Status = Certificate.Status


@dataclass(frozen=True)
class CertificateData:
    cohort: str
    email: str
    code: str
    revoked_days_ago: int | None = None
    revoked_by: str = ""
    reason: Paragraphs = ""


@dataclass(frozen=True)
class CertificatesData:
    """``data/certificates.toml``: a ``[[certificates]]`` table for each fixed certificate."""

    certificates: list[CertificateData]


def load_certificates(summary: Summary, cohorts: list[Cohort]) -> None:
    """An issued certificate for every completed enrolment of ``cohorts``, with the codes and
    revocations of ``data/certificates.toml``."""
    specs = {
        (spec.cohort, spec.email.lower()): spec
        for spec in read(DATA / "certificates.toml", CertificatesData).certificates
    }
    completed = list(
        Enrolment.objects.filter(cohort__in=cohorts, status=Enrolment.Status.COMPLETED)
        .select_related("cohort", "user")
        .order_by("pk")
    )
    found = {(e.cohort.name, e.user.email.lower()) for e in completed}
    missing = sorted(set(specs) - found)
    if missing:
        raise DemoDataError(
            f"data/certificates.toml: no one completed as {missing[0][1]} on {missing[0][0]}"
        )
    for enrolment in completed:
        spec = specs.get((enrolment.cohort.name, enrolment.user.email.lower()))
        outcome = _certificate(enrolment, spec)
        summary.record("certificates", outcome, f"{enrolment.user.email} on {enrolment.cohort}")
    # A place the demo leaves unfinished has no certificate: one written during a demo (a
    # learner who finished the course), or while its work was loaded before the place was
    # settled, goes with its PDF, as the demo's other changes are undone. Its issues stay,
    # detached and marked in the revocation list, as an erased holder's do.
    for certificate in Certificate.objects.filter(enrolment__cohort__in=cohorts).exclude(
        enrolment__status=Enrolment.Status.COMPLETED
    ):
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.delete()
        summary.record("certificates", UPDATED, f"removed {certificate.code}")


def _certificate(enrolment: Enrolment, spec: CertificateData | None) -> str:
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    outcome = UNCHANGED
    if certificate is None:
        certificate = certificate_create(enrolment=enrolment, now=enrolment.completed_at)
        outcome = CREATED
    changes = {}
    if spec and certificate.code != spec.code:
        if len(spec.code) != CODE_LENGTH:
            raise DemoDataError(f"data/certificates.toml: {spec.code} is not a certificate code")
        changes["code"] = spec.code
    if certificate.completed_at != enrolment.completed_at and certificate.status != Status.REVOKED:
        # The demo's dates moved on since it was loaded: the certificate is drawn again.
        changes.update(completed_at=enrolment.completed_at, status=Status.PENDING)
        CertificateIssue.objects.filter(
            certificate=certificate, number=certificate.issue_number
        ).update(completed_at=enrolment.completed_at)
    if changes:
        Certificate.objects.filter(pk=certificate.pk).update(**changes)
        certificate.refresh_from_db()
        outcome = UPDATED if outcome == UNCHANGED else outcome
    if certificate.status in (Status.PENDING, Status.SUSPENDED):
        if certificate.status == Status.SUSPENDED:
            Certificate.objects.filter(pk=certificate.pk).update(status=Status.PENDING)
        certificate_issue(
            certificate_id=certificate.pk, now=enrolment.completed_at + timedelta(minutes=5)
        )
        certificate.refresh_from_db()
        outcome = UPDATED if outcome == UNCHANGED else outcome
    if spec and spec.revoked_days_ago is not None and certificate.status != Status.REVOKED:
        by = get_user_model().objects.get(email__iexact=spec.revoked_by)
        revoked_at = timezone.now() - timedelta(days=spec.revoked_days_ago)
        certificate_revoke(certificate=certificate, by=by, reason=spec.reason, now=revoked_at)
        outcome = UPDATED if outcome == UNCHANGED else outcome
    return outcome
