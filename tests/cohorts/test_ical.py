"""The calendars of live sessions, read back as a calendar app reads them: stable UIDs, a
SEQUENCE that moves on with each change, cancellations as STATUS:CANCELLED, and a personal
feed with every session of the learner's cohorts and nothing else. Beside the sessions, the
meetings of the peer groups the person belongs to or advises, saying when and where and
nothing the set wrote."""

from datetime import UTC, datetime, timedelta

from django.urls import reverse

import icalendar
import pytest

from cohorts.models import Enrolment, LiveSession
from cohorts.services.calendars import calendar_feed_for
from cohorts.services.peer_sets import peer_meeting_cancel, peer_meeting_save
from cohorts.services.sessions import live_session_cancel, live_session_save

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    course_with_lessons,
    facilitator,
    make_peer_meeting,
    make_peer_post,
    make_peer_set,
    publish_peer_groups,
)

pytestmark = pytest.mark.django_db

HOST = "academy.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = f"https://{HOST}"


@pytest.fixture
def cohort():
    return CohortFactory(course=course_with_lessons("Leading across boundaries"), name="Autumn")


@pytest.fixture
def member(cohort):
    return EnrolmentFactory(cohort=cohort).user


def fetch_cohort_calendar(client, user, cohort) -> tuple:
    client.force_login(user)
    response = client.get(reverse("cohort_calendar", args=[cohort.pk]))
    assert response.status_code == 200
    return response, icalendar.Calendar.from_ical(response.content)


def fetch_personal_feed(client, user) -> icalendar.Calendar:
    token = calendar_feed_for(user).token
    response = client.get(reverse("personal_calendar"), {"token": token})
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_cohort_calendar_describes_each_session(client, member, cohort):
    starts = datetime(2027, 3, 4, 10, 0, tzinfo=UTC)
    session = LiveSessionFactory(
        cohort=cohort,
        title="Action learning set 1",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        location="Room 4, Civic Centre",
        joining_url="https://meet.example.org/set-1",
        description="Bring one problem.",
    )

    response, calendar = fetch_cohort_calendar(client, member, cohort)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="cohort-{cohort.pk}.ics"'
    assert b"\r\n" in response.content
    assert str(calendar["prodid"]) == "-//Collaborative Leadership Academy//Cohorts//EN"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["x-wr-timezone"]) == "Europe/London"
    assert str(calendar["x-wr-calname"]) == "Leading across boundaries: Autumn"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{session.uid}@{HOST}"
    assert event["dtstart"].dt == starts
    assert event["dtend"].dt == starts + timedelta(minutes=90)
    assert event["dtstamp"].dt == session.updated_at.replace(microsecond=0)
    assert event["created"].dt == session.created_at.replace(microsecond=0)
    assert event["last-modified"].dt == session.updated_at.replace(microsecond=0)
    assert str(event["summary"]) == "Action learning set 1"
    assert str(event["location"]) == "Room 4, Civic Centre"
    assert "Bring one problem." in str(event["description"])
    assert "https://meet.example.org/set-1" in str(event["description"])
    assert str(event["url"]) == f"https://{HOST}{reverse('cohort_home', args=[cohort.pk])}"
    assert str(event["status"]) == "CONFIRMED"
    assert event["sequence"] == 0


def test_an_online_session_gives_its_joining_link_as_the_location(client, member, cohort):
    LiveSessionFactory(cohort=cohort, location="", joining_url="https://meet.example.org/x")

    _, calendar = fetch_cohort_calendar(client, member, cohort)

    (event,) = calendar.walk("VEVENT")
    assert str(event["location"]) == "https://meet.example.org/x"


def test_an_edit_keeps_the_uid_and_bumps_the_sequence(client, member, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Opening session")
    uid = f"{session.uid}@{HOST}"
    later = session.starts_at + timedelta(days=1)

    session = LiveSession.objects.get(pk=session.pk)
    session.title = "Opening session (moved)"
    session.starts_at = later
    session.ends_at = later + timedelta(hours=1)
    live_session_save(session=session)

    _, calendar = fetch_cohort_calendar(client, member, cohort)
    event = events(calendar)[uid]
    assert event["sequence"] == 1
    assert str(event["summary"]) == "Opening session (moved)"
    assert event["dtstart"].dt == later
    session.refresh_from_db()
    assert event["dtstamp"].dt == session.updated_at.replace(microsecond=0)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, member, cohort):
    session = LiveSessionFactory(cohort=cohort)
    uid = f"{session.uid}@{HOST}"

    live_session_cancel(session=session)

    _, calendar = fetch_cohort_calendar(client, member, cohort)
    event = events(calendar)[uid]
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1


def test_the_personal_feed_has_every_cohort_of_the_learner_and_nothing_else(client, member, cohort):
    other_course = course_with_lessons("Pooling budgets", modules=1, lessons=1)
    second = CohortFactory(course=other_course, name="Spring", upcoming=True)
    EnrolmentFactory(user=member, cohort=second)
    left = CohortFactory(
        course=course_with_lessons("Working with communities", modules=1, lessons=1)
    )
    EnrolmentFactory(user=member, cohort=left, status=Enrolment.Status.WITHDRAWN)
    stranger = CohortFactory(course=other_course, name="Someone else's")
    mine = [
        LiveSessionFactory(cohort=cohort, title="Set 1"),
        LiveSessionFactory(cohort=second, title="Kick-off"),
    ]
    LiveSessionFactory(cohort=left, title="Left behind")
    LiveSessionFactory(cohort=stranger, title="Not yours")

    calendar = fetch_personal_feed(client, member)

    found = events(calendar)
    assert set(found) == {f"{session.uid}@{HOST}" for session in mine}
    summaries = {str(event["summary"]) for event in found.values()}
    assert summaries == {"Autumn: Set 1", "Spring: Kick-off"}


def test_the_personal_feed_of_a_facilitator_has_the_cohorts_they_run(client, cohort):
    person = facilitator()
    cohort.facilitators.add(person)
    session = LiveSessionFactory(cohort=cohort, title="Set 1")

    calendar = fetch_personal_feed(client, person)

    assert set(events(calendar)) == {f"{session.uid}@{HOST}"}


def test_an_empty_feed_is_still_a_valid_calendar(client, member):
    calendar = fetch_personal_feed(client, member)

    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


# --- Peer-group meetings beside the sessions ---


def _set_with(cohort, person=None, *, members: int = 4, adviser=None):
    place = person and (
        Enrolment.objects.filter(cohort=cohort, user=person).first()
        or EnrolmentFactory(cohort=cohort, user=person)
    )
    people = [place] if place else None
    return make_peer_set(cohort, members=members, adviser=adviser, people=people)


def test_a_members_cohort_calendar_has_their_sets_meetings_and_not_another_sets(
    client, member, cohort
):
    someone_elses = _set_with(cohort, UserFactory())
    peer_set = _set_with(cohort, member)
    other = _set_with(cohort)
    session = LiveSessionFactory(cohort=cohort)
    meeting = make_peer_meeting(peer_set, location="Room 4, Civic Centre")
    make_peer_meeting(other)
    make_peer_meeting(someone_elses)
    make_peer_post(peer_set, peer_set.memberships.first().enrolment, "SECRET-POST-TEXT")

    response, calendar = fetch_cohort_calendar(client, member, cohort)

    found = events(calendar)
    assert set(found) == {f"{session.uid}@{HOST}", f"{meeting.uid}@{HOST}"}
    event = found[f"{meeting.uid}@{HOST}"]
    assert str(event["summary"]) == f"Set {peer_set.number} meeting"
    assert event["dtstart"].dt == meeting.starts_at
    assert event["dtend"].dt == meeting.ends_at
    assert str(event["location"]) == "Room 4, Civic Centre"
    assert "https://meet.example.org/set" in str(event["description"])
    meeting_path = reverse("peer_meeting", args=[cohort.pk, peer_set.number, meeting.pk])
    assert str(event["url"]) == f"https://{HOST}{meeting_path}"
    assert event["sequence"] == 0
    assert b"SECRET-POST-TEXT" not in response.content


def test_a_meeting_keeps_its_uid_and_moves_on_its_sequence_when_moved_or_cancelled(
    client, member, cohort
):
    peer_set = _set_with(cohort, member)
    meeting = make_peer_meeting(peer_set)
    uid = f"{meeting.uid}@{HOST}"

    meeting.starts_at += timedelta(days=1)
    meeting.ends_at += timedelta(days=1)
    peer_meeting_save(meeting=meeting)
    _, calendar = fetch_cohort_calendar(client, member, cohort)
    assert events(calendar)[uid]["sequence"] == 1

    peer_meeting_cancel(meeting=meeting)
    _, calendar = fetch_cohort_calendar(client, member, cohort)
    event = events(calendar)[uid]
    assert (event["sequence"], str(event["status"])) == (2, "CANCELLED")


def test_the_personal_feed_has_the_meetings_of_every_set_of_the_person(client, member, cohort):
    second = CohortFactory(
        course=course_with_lessons("Pooling budgets", modules=1, lessons=1), name="Spring"
    )
    here = make_peer_meeting(_set_with(cohort, member))
    there = make_peer_meeting(_set_with(second, member))
    make_peer_meeting(_set_with(cohort))

    found = events(fetch_personal_feed(client, member))

    assert {f"{here.uid}@{HOST}", f"{there.uid}@{HOST}"} <= set(found)
    summaries = {str(found[f"{m.uid}@{HOST}"]["summary"]) for m in (here, there)}
    assert summaries == {f"Autumn: Set {here.peer_set.number} meeting", "Spring: Set 1 meeting"}
    assert len([uid for uid in found if uid.startswith(str(here.uid)[:8])]) == 1


def test_an_adviser_has_their_sets_meetings_while_they_run_the_cohort(client, cohort):
    adviser = facilitator()
    meeting = make_peer_meeting(_set_with(cohort, adviser=adviser))
    make_peer_meeting(_set_with(cohort))
    uid = f"{meeting.uid}@{HOST}"

    assert set(events(fetch_personal_feed(client, adviser))) == {uid}
    cohort.facilitators.remove(adviser)
    assert uid not in events(fetch_personal_feed(client, adviser))


def test_meetings_are_in_no_calendar_before_the_sets_are_published(client, member, cohort):
    meeting = make_peer_meeting(_set_with(cohort, member))
    publish_peer_groups(cohort, published=False)

    assert f"{meeting.uid}@{HOST}" not in events(fetch_personal_feed(client, member))
