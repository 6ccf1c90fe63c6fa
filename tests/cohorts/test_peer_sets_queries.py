"""docs/quality.md, P3, for peer groups: a set's space, a meeting's page and the calendar feeds
make the same number of queries for a set of 4 members and of 12, with 5 posts or 30 (the
space shows ten threads a page), and in a cohort of 20 members or 1,000."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import Commitment, Enrolment, MeetingAttendance
from cohorts.services.calendars import calendar_feed_for

from .factories import (
    CohortFactory,
    LiveSessionFactory,
    facilitator,
    make_peer_meeting,
    make_peer_post,
    make_peer_set,
    peer_set_members_of,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

# (members of the set, posts, members of the cohort)
SMALL = (4, 5, 20)
SCENARIOS = [SMALL, (12, 5, 20), (4, 30, 20), (4, 5, 1000)]


def grow(cohort, total: int) -> None:
    """Bring the cohort to ``total`` members, in bulk."""
    have = cohort.enrolments.count()
    people = User.objects.bulk_create(
        [
            User(email=f"c{cohort.pk}-member{n}@example.org", display_name=f"Member {n}")
            for n in range(have, total)
        ]
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=person,
                cohort=cohort,
                course=cohort.course,
                status=Enrolment.Status.ACTIVE,
                activated_at=now,
            )
            for person in people
        ]
    )


def world(set_size: int, posts: int, cohort_size: int):
    """A cohort of ``cohort_size`` with a set of ``set_size`` and another set, an adviser, a
    past meeting with attendance and commitments and an upcoming one, ``posts`` threads with
    replies, and live sessions. Returns the set."""
    cohort = CohortFactory(capacity=cohort_size + 10)
    peer_set = make_peer_set(cohort, members=set_size, adviser=facilitator())
    make_peer_set(cohort, members=3)
    members = peer_set_members_of(peer_set)
    past = make_peer_meeting(peer_set, days=-7, problem_holder=members[0])
    upcoming = make_peer_meeting(peer_set, days=7, problem_holder=members[1])
    for meeting in (past, upcoming):
        MeetingAttendance.objects.bulk_create(
            [MeetingAttendance(meeting=meeting, enrolment=e, present=True) for e in members]
        )
        Commitment.objects.bulk_create(
            [Commitment(meeting=meeting, enrolment=e, text=f"Act {e.pk}") for e in members]
        )
    now = timezone.now()
    for n in range(posts):
        thread = make_peer_post(
            peer_set, members[n % set_size], f"Thread {n}", created_at=now - timedelta(hours=n)
        )
        for reply in range(2):
            make_peer_post(peer_set, members[(n + reply + 1) % set_size], "Reply", parent=thread)
    for _ in range(3):
        LiveSessionFactory(cohort=cohort)
    grow(cohort, cohort_size)
    return peer_set, upcoming


def queries(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def counts(client, scenario) -> dict[str, int]:
    peer_set, upcoming = world(*scenario)
    cohort = peer_set.cohort
    member = peer_set_members_of(peer_set)[0].user
    client.force_login(member)
    token = calendar_feed_for(member).token
    args = [cohort.pk, peer_set.number]
    found = {
        "space": queries(client, reverse("peer_set", args=args)),
        "own space": queries(client, reverse("own_peer_set", args=[cohort.pk])),
        "meeting": queries(client, reverse("peer_meeting", args=[*args, upcoming.pk])),
        "cohort calendar": queries(client, reverse("cohort_calendar", args=[cohort.pk])),
        "personal feed": queries(client, reverse("personal_calendar"), {"token": token}),
    }
    client.force_login(peer_set.adviser)
    found["space, as its adviser"] = queries(client, reverse("peer_set", args=args))
    found["feed, as its adviser"] = queries(
        client,
        reverse("personal_calendar"),
        {"token": calendar_feed_for(peer_set.adviser).token},
    )
    return found


def test_the_pages_and_feeds_of_a_set_make_the_same_number_of_queries_whatever_its_size(client):
    seen = {scenario: counts(client, scenario) for scenario in SCENARIOS}

    print("queries by (set members, posts, cohort members):", seen)
    for scenario, found in seen.items():
        assert found == seen[SMALL], f"{scenario}: {found} != {SMALL}: {seen[SMALL]}"
