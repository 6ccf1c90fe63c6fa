"""Calendars (RFC 5545) that Outlook, Google Calendar and Apple Calendar subscribe to: one for a
cohort, and one personal feed with every cohort a person belongs to or runs. They hold events of
two kinds, built into one ``CalendarEvent`` each: a cohort's live sessions, and the meetings of
the peer groups a person belongs to or advises.

An event keeps its ``UID`` for life (``<uuid>@host``: the session's or the meeting's own uuid)
and bumps its ``SEQUENCE`` on every change a calendar should notice
(``services.sessions.live_session_save``, ``services.peer_sets.peer_meeting_save``), so a
subscribed calendar updates the event in place. A cancelled event stays in the feed with
``STATUS:CANCELLED``: calendars remove it, rather than keeping a stale copy. Times are written in
UTC, which every client shows in the reader's own time zone.

A peer group's meeting says only that the set meets, when and where: never what its members
wrote (the Chatham House rule, docs/privacy.md)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

import icalendar

from .models import Cohort, LiveSession, PeerMeeting

PRODID = "-//Collaborative Leadership Academy//Cohorts//EN"
# How often subscribed calendars should fetch the feed again.
REFRESH = timedelta(hours=1)
REFRESH_TTL = "PT1H"  # the same, for X-PUBLISHED-TTL (Outlook)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host() -> str:
    return urlsplit(settings.SITE_URL).netloc or "academy"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a calendar, whatever it is: its UID is kept for life and its ``sequence``
    moves on with every change a calendar should notice."""

    uid: str
    sequence: int
    created: datetime
    updated: datetime
    starts: datetime
    ends: datetime
    summary: str
    description: str
    location: str
    url: str
    cancelled: bool = False

    def to_vevent(self) -> icalendar.Event:
        event = icalendar.Event()
        event.add("uid", self.uid)
        event.add("dtstamp", self.updated.astimezone(UTC))
        event.add("created", self.created.astimezone(UTC))
        event.add("last-modified", self.updated.astimezone(UTC))
        event.add("dtstart", self.starts.astimezone(UTC))
        event.add("dtend", self.ends.astimezone(UTC))
        event.add("sequence", self.sequence)
        event.add("summary", self.summary)
        event.add("description", self.description)
        event.add("location", self.location)
        event.add("url", self.url)
        event.add("status", "CANCELLED" if self.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if self.cancelled else "OPAQUE")
        return event


def session_uid(session: LiveSession) -> str:
    return f"{session.uid}@{_host()}"


def meeting_uid(meeting: PeerMeeting) -> str:
    return f"{meeting.uid}@{_host()}"


def _where(joining_url: str, location: str) -> list[str]:
    lines = []
    if joining_url:
        lines.append(f"Join online: {joining_url}")
    if location:
        lines.append(f"Where: {location}")
    return lines


def session_event(session: LiveSession, cohort: Cohort, *, personal: bool = False) -> CalendarEvent:
    """The event of one live session. ``cohort`` is the session's cohort, passed in so that a
    calendar of many sessions makes no query per session."""
    cohort_url = _absolute(reverse("cohort_home", args=[cohort.pk]))
    description = [session.description.strip()] if session.description.strip() else []
    description += _where(session.joining_url, session.location)
    description.append(f"Cohort page: {cohort_url}")
    return CalendarEvent(
        uid=session_uid(session),
        sequence=session.sequence,
        created=session.created_at,
        updated=session.updated_at,
        starts=session.starts_at,
        ends=session.ends_at,
        summary=f"{cohort.name}: {session.title}" if personal else session.title,
        description="\n\n".join(description),
        location=session.location or session.joining_url,
        url=cohort_url,
        cancelled=session.cancelled or cohort.cancelled,
    )


def meeting_event(meeting: PeerMeeting, *, personal: bool = False) -> CalendarEvent:
    """The event of one meeting of a peer group ("Set 3 meeting"): when and where, and a link
    to the meeting's page, which only the set and its adviser can open. ``meeting`` comes with
    its set and the set's cohort (``selectors.sessions``)."""
    peer_set = meeting.peer_set
    cohort = peer_set.cohort
    url = _absolute(reverse("peer_meeting", args=[cohort.pk, peer_set.number, meeting.pk]))
    summary = f"{peer_set.name} meeting"
    description = [f"A meeting of your peer group, {peer_set.name} of {cohort.name}."]
    description += _where(meeting.joining_url, meeting.location)
    description.append(f"Meeting page: {url}")
    return CalendarEvent(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        created=meeting.created_at,
        updated=meeting.updated_at,
        starts=meeting.starts_at,
        ends=meeting.ends_at,
        summary=f"{cohort.name}: {summary}" if personal else summary,
        description="\n\n".join(description),
        location=meeting.location or meeting.joining_url,
        url=url,
        cancelled=meeting.cancelled or cohort.cancelled,
    )


def build_calendar(events: Iterable[CalendarEvent], *, name: str) -> icalendar.Calendar:
    """A calendar of ``events``, in order of their start."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_TTL)
    for event in sorted(events, key=lambda event: (event.starts, event.uid)):
        calendar.add_component(event.to_vevent())
    return calendar


def cohort_calendar(
    cohort: Cohort,
    sessions: Iterable[LiveSession],
    meetings: Iterable[PeerMeeting] = (),
) -> icalendar.Calendar:
    """Every session of ``cohort``, cancelled ones included, and the meetings of its peer
    groups that the reader belongs to or advises."""
    events = [session_event(session, cohort) for session in sessions]
    events += [meeting_event(meeting) for meeting in meetings]
    return build_calendar(events, name=f"{cohort.course.title}: {cohort.name}")


def personal_calendar(
    sessions: Iterable[LiveSession], meetings: Iterable[PeerMeeting] = ()
) -> icalendar.Calendar:
    """A person's sessions from all their cohorts and the meetings of their peer groups; each
    comes with its cohort (``selectors.sessions.calendar_sessions_for``,
    ``calendar_meetings_for``), and each summary starts with the cohort's name."""
    events = [session_event(session, session.cohort, personal=True) for session in sessions]
    events += [meeting_event(meeting, personal=True) for meeting in meetings]
    return build_calendar(events, name="Collaborative Leadership Academy")


def calendar_response(calendar: icalendar.Calendar, *, filename: str) -> HttpResponse:
    """The calendar as a file calendars open inline. Never kept by a shared cache: a feed
    belongs to one person."""
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
