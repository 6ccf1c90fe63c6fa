"""Calendars of live sessions (RFC 5545) that Outlook, Google Calendar and Apple Calendar
subscribe to: one for a cohort, and one personal feed with every cohort a person belongs to or
runs.

A session keeps its ``UID`` for life and bumps its ``SEQUENCE`` on every change a calendar
should notice (``services.sessions.live_session_save``), so a subscribed calendar updates the
event in place. A cancelled session stays in the feed with ``STATUS:CANCELLED``: calendars
remove it, rather than keeping a stale copy. Times are written in UTC, which every client shows
in the reader's own time zone."""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

import icalendar

from .models import Cohort, LiveSession

PRODID = "-//Collaborative Leadership Academy//Cohorts//EN"
# How often subscribed calendars should fetch the feed again.
REFRESH = timedelta(hours=1)
REFRESH_TTL = "PT1H"  # the same, for X-PUBLISHED-TTL (Outlook)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host() -> str:
    return urlsplit(settings.SITE_URL).netloc or "academy"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def session_uid(session: LiveSession) -> str:
    return f"{session.uid}@{_host()}"


def session_event(session: LiveSession, cohort: Cohort, *, personal: bool = False):
    """The VEVENT of one live session. ``cohort`` is the session's cohort, passed in so that a
    calendar of many sessions makes no query per session."""
    cohort_url = _absolute(reverse("cohort_home", args=[cohort.pk]))
    cancelled = session.cancelled or cohort.cancelled
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("created", session.created_at.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("sequence", session.sequence)
    event.add("summary", f"{cohort.name}: {session.title}" if personal else session.title)
    description = [session.description.strip()] if session.description.strip() else []
    if session.joining_url:
        description.append(f"Join online: {session.joining_url}")
    if session.location:
        description.append(f"Where: {session.location}")
    description.append(f"Cohort page: {cohort_url}")
    event.add("description", "\n\n".join(description))
    event.add("location", session.location or session.joining_url)
    event.add("url", cohort_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def build_calendar(
    sessions: Iterable[tuple[LiveSession, Cohort]], *, name: str, personal: bool = False
) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_TTL)
    for session, cohort in sessions:
        calendar.add_component(session_event(session, cohort, personal=personal))
    return calendar


def cohort_calendar(cohort: Cohort, sessions: Iterable[LiveSession]) -> icalendar.Calendar:
    """Every session of ``cohort``, cancelled ones included."""
    return build_calendar(
        ((session, cohort) for session in sessions), name=f"{cohort.course.title}: {cohort.name}"
    )


def personal_calendar(sessions: Iterable[LiveSession]) -> icalendar.Calendar:
    """A person's sessions from all their cohorts; ``sessions`` come with their cohort
    (``selectors.sessions.calendar_sessions_for``), each summary starts with the cohort's name."""
    return build_calendar(
        ((session, session.cohort) for session in sessions),
        name="Collaborative Leadership Academy",
        personal=True,
    )


def calendar_response(calendar: icalendar.Calendar, *, filename: str) -> HttpResponse:
    """The calendar as a file calendars open inline. Never kept by a shared cache: a feed
    belongs to one person."""
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
