"""Emails about cohorts, sent by the Celery worker once the decision is committed. Tasks take
ids, call one function in ``cohorts.emails`` and can safely run twice: each email is claimed in
the database before it is sent, so a retry or a duplicate message sends nothing more."""

from celery import shared_task

from . import emails


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
