"""The cohorts app's background work: emails about cohorts, sent by the Celery worker once the
decision is committed, and certificates. Tasks take ids, call one function and can safely run
twice: each email is claimed in the database before it is sent, and a certificate is issued
only while it is pending, so a retry or a duplicate message does nothing more."""

from celery import shared_task

from . import emails
from .services.certificates import certificate_issue, certificates_sweep


@shared_task(
    name="cohorts.tasks.send_enrolment_email_task",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_enrolment_email_task(enrolment_id: int, status: str) -> bool:
    """Tell a learner about their place: admitted, waitlisted, declined, applied, completed."""
    return emails.send_enrolment_email(enrolment_id, status)


@shared_task(
    name="cohorts.tasks.send_announcement_task",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_announcement_task(announcement_id: int) -> int:
    """Email an announcement to the cohort's members; returns how many were sent."""
    return emails.send_announcement(announcement_id)


@shared_task(
    name="cohorts.tasks.send_peer_set_emails_task",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_peer_set_emails_task(membership_ids: list[int]) -> int:
    """Tell members of published peer groups their set (on publication, or after a move);
    returns how many were sent."""
    return emails.send_peer_set_emails(membership_ids)


@shared_task(name="cohorts.tasks.certificate_issue_task")
def certificate_issue_task(certificate_id: int) -> bool:
    """Draw, store and send a certificate still pending; a no-op once it is issued, so a
    message delivered twice, or queued again by the sweeper, issues it once."""
    return certificate_issue(certificate_id=certificate_id)


@shared_task(name="cohorts.tasks.certificates_sweep_task")
def certificates_sweep_task() -> int:
    """Queue again the certificates left pending (beat, every minute): the database says what
    is still to do, whatever the broker lost."""
    return certificates_sweep()
