"""A peer group's meetings: scheduled by any member or the adviser with the rotation's next
problem holder offered first, refused with a reason (ends before it starts, a time the clocks
skip or repeat, a link that is not a web address, neither link nor place), changed (a new
SEQUENCE when its time or place moves) and cancelled; who came, recorded once it has started;
and each member's commitment, recorded at a meeting and reviewed by its author at the next."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import Commitment, MeetingAttendance, PeerMeeting
from cohorts.times import LONDON

from .factories import facilitator, make_peer_meeting, make_peer_set, peer_set_members_of
from .helpers import html_of, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser():
    return facilitator(display_name="Ada Adviser")


@pytest.fixture
def peer_set(cohort, adviser):
    return make_peer_set(cohort, members=4, adviser=adviser)


@pytest.fixture
def members(peer_set):
    """The members by name: the order of the rotation."""
    return sorted(peer_set_members_of(peer_set), key=lambda e: e.user.display_name)


@pytest.fixture
def member(members):
    return members[0]


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def add_url(peer_set) -> str:
    return reverse("peer_meeting_add", args=[peer_set.cohort_id, peer_set.number])


def meeting_url(meeting, name="peer_meeting") -> str:
    peer_set = meeting.peer_set
    return reverse(name, args=[peer_set.cohort_id, peer_set.number, meeting.pk])


def review_url(commitment) -> str:
    peer_set = commitment.meeting.peer_set
    return reverse(
        "peer_commitment_review", args=[peer_set.cohort_id, peer_set.number, commitment.pk]
    )


def in_a_week() -> date:
    return timezone.localdate() + timedelta(days=7)


def meeting_data(holder, on: date | None = None, **changes) -> dict:
    on = on or in_a_week()
    data = {
        "date_day": str(on.day),
        "date_month": str(on.month),
        "date_year": f"{on.year:04d}",
        "start_time": "10:00",
        "end_time": "11:30",
        "joining_url": "https://meet.example.org/set-1",
        "location": "",
        "problem_holder": str(holder.pk),
    }
    data.update(changes)
    return data


def last_sunday(month: int) -> date:
    """The next last Sunday of ``month`` (March: the clocks go forward; October: back)."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = date(year, month, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


# --- Scheduling ---


def test_a_member_schedules_a_meeting_in_uk_time(member_client, member, members, peer_set):
    on = in_a_week()

    response = member_client.post(
        add_url(peer_set), meeting_data(members[1], on, location="Room 4, Civic Centre")
    )

    meeting = PeerMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_url(meeting)
    assert meeting.starts_at == datetime.combine(on, time(10), tzinfo=LONDON)
    assert meeting.ends_at == datetime.combine(on, time(11, 30), tzinfo=LONDON)
    assert (meeting.problem_holder, meeting.created_by, meeting.sequence) == (
        members[1],
        member.user,
        0,
    )
    assert meeting.location == "Room 4, Civic Centre"
    assert "has been scheduled" in messages_of(response)[0]


def test_the_adviser_schedules_a_meeting_too(client, adviser, members, peer_set):
    client.force_login(adviser)

    assert client.post(add_url(peer_set), meeting_data(members[0])).status_code == 302
    assert PeerMeeting.objects.get().created_by == adviser


def test_the_form_offers_the_rotations_next_problem_holder(member_client, members, peer_set):
    make_peer_meeting(peer_set, days=-7, problem_holder=members[0])
    make_peer_meeting(peer_set, days=-1, problem_holder=members[1], cancelled=True)

    html = html_of(member_client.get(add_url(peer_set)))

    assert f'<option value="{members[1].pk}" selected>' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "The meeting must end after it starts"),
        ({"end_time": "10:00"}, "The meeting must end after it starts"),
        ({"joining_url": "javascript:alert(1)"}, "Enter the joining link as a web address"),
        ({"joining_url": "ftp://files.example.org/x"}, "Enter the joining link as a web address"),
        ({"joining_url": "data:text/html,x"}, "Enter the joining link as a web address"),
        ({"joining_url": "", "location": " "}, "Enter an online joining link, a place, or both"),
        ({"problem_holder": ""}, "Choose who brings a problem to this meeting"),
        ({"problem_holder": "99999999999999999999999"}, "Choose a member of the set"),
        ({"date_year": "2099"}, "The date of the meeting must be between"),
        ({"date_year": "0001"}, "The date of the meeting must be between"),
        ({"start_time": "half ten"}, "Enter a start time like 10:30 or 14:00"),
        ({"date_day": "31", "date_month": "2"}, "The date of the meeting must be a real date"),
    ],
)
def test_a_refused_meeting_says_why_and_saves_nothing(
    member_client, members, peer_set, changes, message
):
    response = member_client.post(add_url(peer_set), meeting_data(members[0], **changes))

    assert response.status_code == 400
    assert message in html_of(response)
    assert not PeerMeeting.objects.exists()


def test_a_problem_holder_from_another_set_is_refused(member_client, cohort, peer_set):
    stranger = peer_set_members_of(make_peer_set(cohort, members=2))[0]

    response = member_client.post(add_url(peer_set), meeting_data(stranger))

    assert response.status_code == 400
    assert not PeerMeeting.objects.exists()


@pytest.mark.parametrize(
    ("month", "field", "change"),
    [
        (3, "start_time", "the clocks go forward an hour that night, so those times do not exist"),
        (3, "end_time", "the clocks go forward an hour that night, so those times do not exist"),
        (10, "start_time", "the clocks go back an hour that night, so those times happen twice"),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_refused_naming_the_change(
    member_client, members, peer_set, month, field, change
):
    on = last_sunday(month)
    times = {"start_time": "00:30", "end_time": "03:00", field: "01:30"}

    response = member_client.post(add_url(peer_set), meeting_data(members[0], on, **times))

    assert response.status_code == 400
    html = html_of(response)
    assert "must not be between 01:00 and 02:00" in html
    assert change in html
    assert not PeerMeeting.objects.exists()


def test_someone_outside_the_set_cannot_schedule_or_change_its_meetings(
    client, cohort, members, peer_set
):
    runner = facilitator()
    cohort.facilitators.add(runner)
    meeting = make_peer_meeting(peer_set)
    client.force_login(runner)

    assert client.post(add_url(peer_set), meeting_data(members[0])).status_code == 404
    assert (
        client.post(meeting_url(meeting, "peer_meeting_edit"), {"cancel": "1"}).status_code == 404
    )
    assert client.get(meeting_url(meeting)).status_code == 404
    assert PeerMeeting.objects.get().cancelled is False


# --- Changing and cancelling ---


def test_moving_a_meeting_bumps_its_sequence_and_a_new_holder_alone_does_not(
    member_client, members, peer_set
):
    meeting = make_peer_meeting(peer_set, problem_holder=members[0])
    on = timezone.localtime(meeting.starts_at, LONDON).date()
    edit = meeting_url(meeting, "peer_meeting_edit")
    same = {
        "start_time": timezone.localtime(meeting.starts_at, LONDON).strftime("%H:%M"),
        "end_time": timezone.localtime(meeting.ends_at, LONDON).strftime("%H:%M"),
        "joining_url": meeting.joining_url,
    }

    assert member_client.get(edit).status_code == 200
    member_client.post(edit, meeting_data(members[1], on, **same))
    meeting.refresh_from_db()
    assert (meeting.problem_holder, meeting.sequence) == (members[1], 0)

    member_client.post(
        edit, meeting_data(members[1], on, **{**same, "start_time": "07:00", "end_time": "08:00"})
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert timezone.localtime(meeting.starts_at, LONDON).time() == time(7)

    member_client.post(
        edit,
        meeting_data(
            members[1],
            on,
            **{**same, "start_time": "07:00", "end_time": "08:00", "location": "Hall"},
        ),
    )
    meeting.refresh_from_db()
    assert (meeting.location, meeting.sequence) == ("Hall", 2)


def test_a_cancelled_meeting_stays_marked_cancelled_with_a_new_sequence(member_client, peer_set):
    meeting = make_peer_meeting(peer_set)

    response = member_client.post(meeting_url(meeting, "peer_meeting_edit"), {"cancel": "1"})

    meeting.refresh_from_db()
    assert response["Location"] == meeting_url(meeting)
    assert (meeting.cancelled, meeting.sequence) == (True, 1)
    assert "Cancelled" in html_of(member_client.get(meeting_url(meeting)))
    member_client.post(meeting_url(meeting, "peer_meeting_edit"), {"cancel": "1"})
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_a_meeting_of_another_set_is_not_found_at_this_sets_address(
    member_client, cohort, peer_set
):
    elsewhere = make_peer_meeting(make_peer_set(cohort, members=2))
    url = reverse("peer_meeting", args=[cohort.pk, peer_set.number, elsewhere.pk])

    assert member_client.get(url).status_code == 404


# --- Who came ---


def attendance_data(members, absent=()) -> dict:
    return {f"member_{e.pk}": "absent" if e in absent else "present" for e in members}


def test_who_came_is_asked_once_the_meeting_has_started(member_client, members, peer_set):
    later = make_peer_meeting(peer_set, days=3)
    started = make_peer_meeting(peer_set, days=-1)

    assert "Who came" not in html_of(member_client.get(meeting_url(later)))
    assert "Who came" in html_of(member_client.get(meeting_url(started)))
    refused = member_client.post(
        meeting_url(later, "peer_meeting_attendance"), attendance_data(members)
    )
    assert refused.status_code == 400
    assert "once the meeting has started" in html_of(refused)
    assert not MeetingAttendance.objects.exists()


def test_recording_who_came_again_replaces_it(member_client, members, peer_set):
    meeting = make_peer_meeting(peer_set, days=-1)
    url = meeting_url(meeting, "peer_meeting_attendance")

    member_client.post(url, attendance_data(members, absent=[members[3]]))
    response = member_client.post(url, attendance_data(members, absent=[members[2]]))

    assert response.status_code == 302
    recorded = dict(MeetingAttendance.objects.values_list("enrolment_id", "present"))
    assert recorded == {e.pk: e != members[2] for e in members}
    assert 'value="absent" checked' in html_of(member_client.get(meeting_url(meeting)))


def test_the_adviser_records_who_came(client, adviser, members, peer_set):
    meeting = make_peer_meeting(peer_set, days=-1)
    client.force_login(adviser)

    response = client.post(
        meeting_url(meeting, "peer_meeting_attendance"), attendance_data(members)
    )

    assert response.status_code == 302
    assert MeetingAttendance.objects.count() == 4


def test_attendance_with_a_member_left_out_is_refused(member_client, members, peer_set):
    meeting = make_peer_meeting(peer_set, days=-1)
    data = attendance_data(members)
    del data[f"member_{members[1].pk}"]

    response = member_client.post(meeting_url(meeting, "peer_meeting_attendance"), data)

    assert response.status_code == 400
    assert f"Say whether {members[1].user} came to the meeting" in html_of(response)
    assert not MeetingAttendance.objects.exists()


# --- Commitments ---


def test_a_member_records_and_changes_their_commitment(member_client, member, peer_set):
    meeting = make_peer_meeting(peer_set, days=-1)
    url = meeting_url(meeting, "peer_commitment")

    member_client.post(url, {"text": "Ask the finance lead for the pooled budget figures"})
    response = member_client.post(url, {"text": "Meet the finance lead by Friday"})

    assert response["Location"] == meeting_url(meeting)
    commitment = Commitment.objects.get()
    assert (commitment.enrolment, commitment.text) == (member, "Meet the finance lead by Friday")
    html = html_of(member_client.get(meeting_url(meeting)))
    assert "Meet the finance lead by Friday" in html and "Change your commitment" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  ", "Write what you commit to do before the next meeting"),
        ("z" * 1001, "Your commitment must be 1,000 characters or fewer"),
    ],
)
def test_a_refused_commitment_says_why(member_client, peer_set, text, message):
    meeting = make_peer_meeting(peer_set, days=-1)

    response = member_client.post(meeting_url(meeting, "peer_commitment"), {"text": text})

    assert response.status_code == 400
    assert message in html_of(response)
    assert not Commitment.objects.exists()


def test_commitments_at_a_meeting_are_closed_once_the_next_one_starts(member_client, peer_set):
    meeting = make_peer_meeting(peer_set, days=-8)
    make_peer_meeting(peer_set, days=-1)
    make_peer_meeting(peer_set, days=-4, cancelled=True)

    response = member_client.post(meeting_url(meeting, "peer_commitment"), {"text": "Too late"})

    assert response.status_code == 400
    assert "The next meeting has started" in html_of(response)
    assert not Commitment.objects.exists()


def test_no_commitment_at_a_cancelled_meeting(member_client, peer_set):
    meeting = make_peer_meeting(peer_set, days=2, cancelled=True)

    response = member_client.post(meeting_url(meeting, "peer_commitment"), {"text": "Something"})

    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_the_adviser_records_no_commitment(client, adviser, peer_set):
    meeting = make_peer_meeting(peer_set, days=-1)
    client.force_login(adviser)

    assert client.post(meeting_url(meeting, "peer_commitment"), {"text": "x"}).status_code == 404


def test_the_next_meeting_shows_the_last_ones_commitments_for_review(client, members, peer_set):
    last = make_peer_meeting(peer_set, days=-7)
    make_peer_meeting(peer_set, days=-3, cancelled=True)
    upcoming = make_peer_meeting(peer_set, days=1)
    mine = Commitment.objects.create(meeting=last, enrolment=members[0], text="Write to the board")
    theirs = Commitment.objects.create(meeting=last, enrolment=members[1], text="Call the GP lead")

    client.force_login(members[0].user)
    html = html_of(client.get(meeting_url(upcoming)))

    review = html.split("Commitments from the last meeting")[1]
    assert "Write to the board" in review and "Call the GP lead" in review
    assert review_url(mine) in review and review_url(theirs) not in review


def test_the_author_reviews_their_commitment_and_no_one_else_may(
    client, adviser, members, peer_set
):
    last = make_peer_meeting(peer_set, days=-7)
    upcoming = make_peer_meeting(peer_set, days=1)
    commitment = Commitment.objects.create(
        meeting=last, enrolment=members[0], text="Write to the board"
    )
    data = {"outcome": "partly", "outcome_note": "Drafted it; sending Monday"}

    for someone in (members[1].user, adviser):
        client.force_login(someone)
        assert client.get(review_url(commitment)).status_code == 404
        assert client.post(review_url(commitment), data).status_code == 404
    commitment.refresh_from_db()
    assert commitment.outcome == ""

    client.force_login(members[0].user)
    assert client.get(review_url(commitment)).status_code == 200
    response = client.post(review_url(commitment), data)

    assert response["Location"] == meeting_url(upcoming)
    commitment.refresh_from_db()
    assert (commitment.outcome, commitment.outcome_note) == ("partly", data["outcome_note"])
    assert commitment.reviewed_at is not None
    html = html_of(client.get(meeting_url(upcoming)))
    assert "Partly done" in html and "Drafted it; sending Monday" in html


def test_a_review_without_an_outcome_is_refused(client, members, peer_set):
    commitment = Commitment.objects.create(
        meeting=make_peer_meeting(peer_set, days=-7), enrolment=members[0], text="Write"
    )
    client.force_login(members[0].user)

    response = client.post(review_url(commitment), {"outcome": "maybe", "outcome_note": ""})

    assert response.status_code == 400
    assert "Choose how it went" in html_of(response)
    commitment.refresh_from_db()
    assert commitment.reviewed_at is None
