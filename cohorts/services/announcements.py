"""Announcements: posted to the cohort home and emailed to its members through the outbox."""

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.names import clean_name

from ..models import Announcement, Cohort


@transaction.atomic
def announcement_create(*, cohort: Cohort, author, subject: str, body: str) -> Announcement:
    """Post an announcement to the cohort home, and write its email to each current member
    into the outbox (sent by the worker after commit)."""
    from ..notifications import announcement_notify

    body = body.strip()
    errors = {}
    try:
        subject = clean_name(subject, subject="The subject", required_message="Enter a subject")
    except ValidationError as error:
        errors["subject"] = error.messages
    if not body:
        errors["body"] = "Enter the announcement"
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        cohort=cohort, author=author, subject=subject, body=body
    )
    announcement_notify(announcement)
    return announcement
