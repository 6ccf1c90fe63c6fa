"""Live sessions: adding, changing and cancelling them. A change a calendar should notice bumps
the session's SEQUENCE (RFC 5545), so subscribed calendars update the event in place."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from academy.names import clean_name

from ..models import LiveSession
from ..times import LONDON, instant

_SESSION_CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "location",
    "joining_url",
    "description",
    "cancelled",
)


def _session_dates_error(session: LiveSession) -> str | None:
    """A session happens while its cohort runs: on or after the start date and on or before
    the end date, as days in the UK. This also keeps out years like 1 or 9999."""
    cohort = session.cohort
    try:
        days = {
            timezone.localtime(at, LONDON).date() for at in (session.starts_at, session.ends_at)
        }
    except OverflowError:  # an instant at the very edge of year 1 has no day in the UK
        days = {None}
    if all(day and cohort.start_date <= day <= cohort.end_date for day in days):
        return None
    first, last = (date_format(day, "j F Y") for day in (cohort.start_date, cohort.end_date))
    return f"The date of the session must be between {first} and {last}, when the cohort runs"


def _clean_session(session: LiveSession) -> None:
    """Check ``session`` and tidy its text; its times become instants in UTC, so that "ends
    after it starts" is decided here exactly as the database's check constraint decides it."""
    errors = {}
    try:
        session.title = clean_name(
            session.title, subject="The title", required_message="Enter a title for the session"
        )
    except ValidationError as error:
        errors["title"] = error.messages
    session.location = session.location.strip()
    session.joining_url = session.joining_url.strip()
    session.description = session.description.strip()
    if not session.location and not session.joining_url:
        errors["location"] = "Enter a location or an online joining link"
    if session.starts_at and session.ends_at:
        session.starts_at, session.ends_at = instant(session.starts_at), instant(session.ends_at)
        if session.ends_at <= session.starts_at:
            errors["ends_at"] = "The session must end after it starts"
        elif problem := _session_dates_error(session):
            errors["starts_at"] = problem
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def live_session_save(*, session: LiveSession) -> LiveSession:
    """Add or change a live session. A change calendars must notice bumps its SEQUENCE."""
    _clean_session(session)
    if session.pk:
        before = LiveSession.objects.select_for_update().get(pk=session.pk)
        if before.cohort_id != session.cohort_id:
            raise ValidationError({NON_FIELD_ERRORS: "A session cannot move to another cohort"})
        if any(getattr(before, f) != getattr(session, f) for f in _SESSION_CALENDAR_FIELDS):
            session.sequence = before.sequence + 1
        else:
            session.sequence = before.sequence
    session.save()
    return session


@transaction.atomic
def live_session_cancel(*, session: LiveSession) -> LiveSession:
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not session.cancelled:
        session.cancelled = True
        session.sequence += 1
        session.save()
    return session
