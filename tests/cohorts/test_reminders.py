"""The reminders (``cohorts.reminders``) and the marked-work email, driven as the worker drives
them: the clock is moved, the outbox's dispatch step asks every kind what is due and sends it
(Celery is eager here), and the emails are read from the locmem outbox. Each is sent when due
(UK time), not before, once however often dispatch runs, and not about something cancelled,
done or switched off; a daily digest gathers them. Each kind's ``due`` and ``context`` take
the same number of queries for 10 learners as for 200."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from academy import outbox
from academy.models import NotificationPreference, OutboxEmail
from academy.outbox.engine import write_reminders
from academy.outbox.kinds import get_kind
from cohorts.models import AssessmentDueDate, Enrolment, LiveSession, PeerMeeting
from cohorts.notifications import MARK_RETURNED
from cohorts.reminders import (
    ASSESSMENT_DUE,
    FACILITATOR_WEEK,
    INACTIVITY,
    MEETING,
    SESSION,
)
from cohorts.services.marking import mark_save, marks_release

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    SubmissionFactory,
    course_with_lessons,
    facilitator,
    make_members_in_bulk,
    make_peer_meeting,
    make_peer_set,
    make_peer_sets,
    publish_peer_groups,
    submitted,
    written_assessment,
)
from .test_marking import levels

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
Status = Enrolment.Status
Sent = OutboxEmail.Status


def uk(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Monday 30 November 2026, noon: the test's data is made then, relative to that day.
MONDAY = uk(2026, 11, 30, 12)


@pytest.fixture
def clock(time_machine):
    """The clock, stopped at ``MONDAY``; ``clock.move_to(moment)`` moves it."""
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def course(clock):
    return course_with_lessons("Leading across boundaries", modules=1, lessons=2)


@pytest.fixture
def running(course):
    """Started 30 days ago, ends in 30 days."""
    return CohortFactory(course=course, name="Autumn 2026")


def at(clock, moment: datetime) -> list:
    """Move the clock to ``moment``, run dispatch (which sends what is due) and send anything
    still pending and due; the emails sent then."""
    clock.move_to(moment, tick=False)
    before = len(mail.outbox)
    outbox.dispatch(moment)
    pending = OutboxEmail.objects.filter(status=Sent.PENDING, due_at__lte=moment)
    outbox.send(list(pending.values_list("pk", flat=True)), now=moment)
    return mail.outbox[before:]


def written_at(clock, moment: datetime) -> list[OutboxEmail]:
    """Move the clock and write what is due without sending it (as when the worker is busy)."""
    clock.move_to(moment, tick=False)
    write_reminders(moment)
    return list(OutboxEmail.objects.filter(status=Sent.PENDING))


def send_now(clock, moment: datetime) -> list:
    clock.move_to(moment, tick=False)
    before = len(mail.outbox)
    ids = list(OutboxEmail.objects.filter(status=Sent.PENDING).values_list("pk", flat=True))
    outbox.send(ids, now=moment)
    return mail.outbox[before:]


def html(message) -> str:
    return message.alternatives[0][0]


def to(messages) -> list[str]:
    return sorted(message.to[0] for message in messages)


# --- A live session tomorrow ------------------------------------------------------------------


@pytest.fixture
def session(running):
    return LiveSessionFactory(
        cohort=running,
        title="Action learning set 3",
        starts_at=uk(2026, 12, 2, 14),
        ends_at=uk(2026, 12, 2, 15, 30),
        location="Civic Hall, Leeds",
    )


def test_a_session_is_reminded_from_nine_the_day_before_to_each_member_once(clock, session):
    members = EnrolmentFactory.create_batch(2, cohort=session.cohort)
    done = EnrolmentFactory(cohort=session.cohort, status=Status.COMPLETED)
    EnrolmentFactory(cohort=session.cohort, status=Status.APPLIED)
    EnrolmentFactory(cohort=session.cohort, status=Status.WITHDRAWN)

    assert at(clock, uk(2026, 12, 1, 8, 59)) == []
    sent = at(clock, uk(2026, 12, 1, 9))
    assert at(clock, uk(2026, 12, 1, 9, 1)) == []
    assert at(clock, uk(2026, 12, 2, 8)) == []

    assert to(sent) == sorted(e.user.email for e in [*members, done])
    message = sent[0]
    assert message.subject.endswith("Tomorrow: Action learning set 3")
    assert "Wednesday 2 December 2026 at 14:00 to 15:30 (UK time)" in message.body
    assert "Where: Civic Hall, Leeds" in message.body
    assert "Join online: https://meet.example.org/academy-set" in message.body
    assert f"/cohorts/{session.cohort.pk}/" in message.body
    assert "<strong>Where:</strong> Civic Hall, Leeds" in html(message)
    assert 'href="https://meet.example.org/academy-set"' in html(message)
    row = OutboxEmail.objects.get(to_email=message.to[0])
    assert row.key == f"{SESSION}:session:{session.pk}:2026-12-02:{row.user_id}"
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_in_summer_the_reminder_goes_at_nine_uk_time_not_nine_utc(clock, course):
    clock.move_to(uk(2027, 6, 1, 12), tick=False)
    cohort = CohortFactory(course=course)
    learner = EnrolmentFactory(cohort=cohort)
    LiveSessionFactory(cohort=cohort, starts_at=uk(2027, 6, 16, 10), ends_at=uk(2027, 6, 16, 11))

    assert at(clock, datetime(2027, 6, 15, 7, 59, tzinfo=ZoneInfo("UTC"))) == []
    (message,) = at(clock, datetime(2027, 6, 15, 8, 0, tzinfo=ZoneInfo("UTC")))
    assert message.to == [learner.user.email]
    assert "Wednesday 16 June 2027 at 10:00" in message.body


def test_a_session_added_after_nine_the_day_before_is_reminded_at_once(clock, running):
    learner = EnrolmentFactory(cohort=running)
    clock.move_to(uk(2026, 12, 1, 20), tick=False)
    LiveSessionFactory(cohort=running, starts_at=uk(2026, 12, 2, 8, 30))
    LiveSessionFactory(cohort=running, starts_at=uk(2026, 12, 3, 8, 30))  # the day after

    (message,) = at(clock, uk(2026, 12, 1, 20, 1))
    assert message.to == [learner.user.email]
    assert "at 08:30" in message.body


def test_nothing_is_sent_about_a_cancelled_session_or_cohort(clock, session, course):
    EnrolmentFactory(cohort=session.cohort)
    LiveSession.objects.filter(pk=session.pk).update(cancelled=True)
    other = CohortFactory(course=course, cancelled=True)
    EnrolmentFactory(cohort=other)
    LiveSessionFactory(cohort=other, starts_at=uk(2026, 12, 2, 10))

    assert at(clock, uk(2026, 12, 1, 9)) == []
    assert not OutboxEmail.objects.exists()


def test_a_reminder_written_before_the_session_was_cancelled_or_moved_is_not_sent(clock, session):
    EnrolmentFactory(cohort=session.cohort)
    moved = LiveSessionFactory(cohort=session.cohort, starts_at=uk(2026, 12, 2, 10))
    assert len(written_at(clock, uk(2026, 12, 1, 9))) == 2

    LiveSession.objects.filter(pk=session.pk).update(cancelled=True)
    LiveSession.objects.filter(pk=moved.pk).update(
        starts_at=uk(2026, 12, 4, 10), ends_at=uk(2026, 12, 4, 11)
    )
    assert send_now(clock, uk(2026, 12, 1, 9, 1)) == []
    assert set(OutboxEmail.objects.values_list("status", "last_error")) == {
        (Sent.SKIPPED, "No longer relevant")
    }
    # The moved session is reminded the day before its new date.
    assert at(clock, uk(2026, 12, 2, 9)) == []
    (message,) = at(clock, uk(2026, 12, 3, 9))
    assert "Friday 4 December 2026 at 10:00" in message.body


def test_a_learner_who_left_or_switched_reminders_off_is_not_reminded(clock, session):
    stays, leaves, opted_out = EnrolmentFactory.create_batch(3, cohort=session.cohort)
    NotificationPreference.objects.create(user=opted_out.user, kind=SESSION, enabled=False)
    written_at(clock, uk(2026, 12, 1, 9))
    Enrolment.objects.filter(pk=leaves.pk).update(status=Status.WITHDRAWN)

    sent = send_now(clock, uk(2026, 12, 1, 9, 1))
    assert to(sent) == [stays.user.email]
    assert not OutboxEmail.objects.filter(user=opted_out.user).exists()
    assert at(clock, uk(2026, 12, 1, 10)) == []


# --- A peer-group meeting tomorrow --------------------------------------------------------------


def test_a_meeting_is_reminded_to_its_set_and_adviser_only(clock, running):
    adviser = facilitator(display_name="Ada Adviser")
    mine = make_peer_set(running, members=3, adviser=adviser)
    other = make_peer_set(running, members=2)
    holder = mine.memberships.first().enrolment
    meeting = make_peer_meeting(mine, days=0, problem_holder=holder)
    cancelled = make_peer_meeting(other, days=0, cancelled=True)
    PeerMeeting.objects.filter(pk__in=[meeting.pk, cancelled.pk]).update(
        starts_at=uk(2026, 12, 2, 18), ends_at=uk(2026, 12, 2, 19, 30)
    )

    assert at(clock, uk(2026, 12, 1, 8)) == []
    sent = at(clock, uk(2026, 12, 1, 9))
    assert at(clock, uk(2026, 12, 1, 12)) == []

    people = [m.enrolment.user.email for m in mine.memberships.select_related("enrolment__user")]
    assert to(sent) == sorted([*people, adviser.email])
    by_person = {message.to[0]: message for message in sent}
    message = by_person[adviser.email]
    assert message.subject.endswith("Tomorrow: set 1 meets")
    assert "Wednesday 2 December 2026 at 18:00 to 19:30 (UK time)" in message.body
    assert f"{holder.user.display_name} is bringing the problem this time." in message.body
    assert f"/peer-group/1/meetings/{meeting.pk}/" in html(message)
    assert "You are bringing the problem" in by_person[holder.user.email].body


def test_no_meeting_reminder_before_the_sets_are_published(clock, running):
    peer_set = make_peer_set(running, members=2, published=False)
    meeting = make_peer_meeting(peer_set, days=0)
    PeerMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=uk(2026, 12, 2, 18), ends_at=uk(2026, 12, 2, 19)
    )
    assert at(clock, uk(2026, 12, 1, 9)) == []
    publish_peer_groups(running)
    assert len(at(clock, uk(2026, 12, 1, 9, 1))) == 2


# --- An assessment due, not handed in -----------------------------------------------------------


@pytest.fixture
def assignment(course, running):
    """Due on Wednesday 2 December for ``running`` (32 days after it started)."""
    return written_assessment(course, "Reflect on a partnership", due_offset_days=32)


def test_work_due_is_reminded_the_day_before_to_those_who_have_not_handed_it_in(
    clock, running, assignment
):
    waiting = EnrolmentFactory(cohort=running)
    handed_in = EnrolmentFactory(cohort=running)
    submitted(handed_in, assignment)
    EnrolmentFactory(cohort=running, status=Status.COMPLETED)

    assert at(clock, uk(2026, 12, 1, 8, 59)) == []
    (message,) = at(clock, uk(2026, 12, 1, 9))
    assert at(clock, uk(2026, 12, 2, 9)) == []  # once, also on the day

    assert message.to == [waiting.user.email]
    assert message.subject.endswith("Due tomorrow: Reflect on a partnership")
    assert "is due tomorrow, Wednesday 2 December 2026" in message.body
    assert f"/cohorts/{running.pk}/assessments/{assignment.pk}/" in message.body
    assert "<strong>Reflect on a partnership</strong> is due tomorrow" in html(message)


def test_work_handed_in_or_a_date_moved_after_the_reminder_was_written_is_not_reminded(
    clock, running, assignment
):
    hands_in, moved = EnrolmentFactory.create_batch(2, cohort=running)
    assert len(written_at(clock, uk(2026, 12, 1, 9))) == 2
    submitted(hands_in, assignment)
    AssessmentDueDate.objects.create(
        cohort=running, assessment=assignment, due_on=uk(2026, 12, 9).date()
    )

    assert send_now(clock, uk(2026, 12, 1, 9, 1)) == []
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Sent.SKIPPED}
    # The new date is reminded the day before it, to the learner still to hand in.
    (message,) = at(clock, uk(2026, 12, 8, 9))
    assert message.to == [moved.user.email]
    assert "Wednesday 9 December 2026" in message.body


# --- Marked work returned -----------------------------------------------------------------------


@pytest.fixture
def marker():
    return facilitator(display_name="Mo Marker")


def test_a_released_mark_is_emailed_and_a_held_one_when_released(
    clock, running, assignment, marker
):
    first, second = EnrolmentFactory.create_batch(2, cohort=running)
    now_work = SubmissionFactory(enrolment=first, assessment=assignment)
    held_work = SubmissionFactory(enrolment=second, assessment=assignment)
    rubric = assignment.rubric

    mark_save(
        submission=now_work,
        by=marker,
        levels=levels(rubric, 4, 2, 2),
        comments="",
        outcome="pass",
        release=True,
    )
    mark_save(
        submission=held_work,
        by=marker,
        levels=levels(rubric, 0, 2, 2),
        comments="Name the partners.",
        outcome="resubmit",
        release=False,
    )
    assert OutboxEmail.objects.filter(kind=MARK_RETURNED).count() == 1
    (message,) = send_now(clock, MONDAY)
    assert message.to == [first.user.email]
    assert message.subject.endswith("Your work on Reflect on a partnership has been marked")
    assert "Your work has passed: 8 of 12 points." in message.body
    assert "Passed: 8 of 12 points" in html(message)

    assert marks_release(cohort=running, by=marker) == 1
    (message,) = send_now(clock, MONDAY + timedelta(minutes=1))
    assert message.to == [second.user.email]
    assert "asked you to resubmit" in message.body
    assert "and hand in a new version" in message.body
    assert send_now(clock, MONDAY + timedelta(minutes=2)) == []


def test_a_mark_revised_before_its_email_went_is_emailed_once_as_revised(
    clock, running, assignment, marker
):
    work = SubmissionFactory(enrolment=EnrolmentFactory(cohort=running), assessment=assignment)
    rubric = assignment.rubric
    for points in ((4, 2, 2), (4, 4, 2)):
        mark_save(
            submission=work,
            by=marker,
            levels=levels(rubric, *points),
            comments="",
            outcome="pass",
            release=True,
        )
    (message,) = send_now(clock, MONDAY)
    assert message.subject.endswith("Your mark on Reflect on a partnership has been revised")
    assert "10 of 12 points" in message.body
    assert OutboxEmail.objects.filter(status=Sent.SKIPPED).count() == 1


# --- The nudge after a quiet week ---------------------------------------------------------------


def test_a_quiet_learner_is_nudged_at_ten_at_most_once_a_week(clock, running, course):
    quiet = EnrolmentFactory(cohort=running, last_activity_at=MONDAY - timedelta(days=8))
    busy = EnrolmentFactory(cohort=running, last_activity_at=MONDAY - timedelta(days=2))
    EnrolmentFactory(
        cohort=running, status=Status.COMPLETED, last_activity_at=MONDAY - timedelta(days=20)
    )
    # A cohort that started three days ago: nobody is nudged before it has run a week.
    new = CohortFactory(course=course, start_date=MONDAY.date() - timedelta(days=3))
    newcomer = EnrolmentFactory(cohort=new, last_activity_at=MONDAY - timedelta(days=20))

    assert at(clock, uk(2026, 11, 30, 9, 59)) == []
    (message,) = at(clock, uk(2026, 11, 30, 10))
    assert at(clock, uk(2026, 11, 30, 16)) == []
    Enrolment.objects.filter(pk=busy.pk).update(last_activity_at=uk(2026, 12, 6, 12))
    # Sunday: the new cohort has run a week now; the quiet learner was nudged six days ago.
    (first_week,) = at(clock, uk(2026, 12, 6, 23))
    (again,) = at(clock, uk(2026, 12, 7, 10))  # a week after the last nudge

    assert message.to == again.to == [quiet.user.email]
    assert first_week.to == [newcomer.user.email]
    assert message.subject.endswith("Pick up where you left off on Autumn 2026")
    assert "It has been 8 days since you last did anything" in message.body
    assert f'href="http://127.0.0.1:8000/cohorts/{running.pk}/"' in html(message)


def test_a_learner_back_before_the_nudge_went_is_not_nudged(clock, running):
    quiet = EnrolmentFactory(cohort=running, last_activity_at=MONDAY - timedelta(days=8))
    assert len(written_at(clock, uk(2026, 11, 30, 10))) == 1
    Enrolment.objects.filter(pk=quiet.pk).update(last_activity_at=uk(2026, 11, 30, 10, 1))
    assert send_now(clock, uk(2026, 11, 30, 10, 2)) == []


# --- The facilitators' Monday summary -----------------------------------------------------------


def test_facilitators_hear_on_monday_what_waits_in_their_cohorts(
    clock, course, running, assignment
):
    fran = facilitator(display_name="Fran")
    running.facilitators.add(fran)
    upcoming = CohortFactory(course=course, upcoming=True, by_application=True, name="Spring")
    upcoming.facilitators.add(fran)
    CohortFactory(course=course, upcoming=True, name="Summer").facilitators.add(fran)
    CohortFactory(course=course, finished=True).facilitators.add(facilitator())
    EnrolmentFactory.create_batch(2, cohort=upcoming, status=Status.APPLIED)
    SubmissionFactory(enrolment=EnrolmentFactory(cohort=running), assessment=assignment)
    EnrolmentFactory(cohort=running, last_activity_at=MONDAY - timedelta(days=20))

    assert at(clock, uk(2026, 11, 30, 7, 59)) == []
    (message,) = at(clock, uk(2026, 11, 30, 8))
    assert at(clock, uk(2026, 11, 30, 9)) == []
    assert at(clock, uk(2026, 12, 1, 8)) == []

    assert message.to == [fran.email]
    assert message.subject.endswith("Your cohorts this week")
    assert "Leading across boundaries: Autumn 2026 (running)" in message.body
    assert "- 1 piece of work to mark" in message.body
    assert "- 2 learners at risk" in message.body  # one quiet, one far behind
    assert "Leading across boundaries: Spring (upcoming, starts 14 December 2026)" in message.body
    assert "- 2 applications to decide" in message.body
    assert f"/facilitate/cohorts/{upcoming.pk}/applications/" in html(message)
    assert "Summer" not in message.body
    assert "Nothing is waiting in your other cohort." in message.body
    # Not the facilitator of the finished cohort.
    assert OutboxEmail.objects.filter(kind=FACILITATOR_WEEK).count() == 1


def test_a_facilitator_with_nothing_waiting_is_not_emailed(clock, running):
    upcoming = CohortFactory(course=running.course, upcoming=True)
    upcoming.facilitators.add(fran := facilitator())
    EnrolmentFactory(cohort=upcoming)
    assert at(clock, uk(2026, 11, 30, 8)) == []
    row = OutboxEmail.objects.get(user=fran)
    assert (row.status, row.last_error) == (Sent.SKIPPED, "No longer relevant")


# --- Digests ------------------------------------------------------------------------------------


def test_a_daily_digest_gathers_reminders_of_two_kinds_into_one_email(clock, session, assignment):
    learner = EnrolmentFactory(cohort=session.cohort)
    for kind in (SESSION, ASSESSMENT_DUE):
        NotificationPreference.objects.create(
            user=learner.user, kind=kind, delivery=OutboxEmail.Delivery.DAILY
        )

    assert at(clock, uk(2026, 12, 1, 9)) == []
    assert at(clock, uk(2026, 12, 2, 6, 59)) == []
    (digest,) = at(clock, uk(2026, 12, 2, 7))
    assert at(clock, uk(2026, 12, 2, 7, 1)) == []

    assert digest.to == [learner.user.email]
    assert digest.subject.endswith("Your daily digest: 2 updates")
    # Read on the day: both are today now.
    assert "- Today: Action learning set 3" in digest.body
    assert "- Due today: Reflect on a partnership" in digest.body
    assert f"/cohorts/{session.cohort.pk}/assessments/{assignment.pk}/" in html(digest)


# --- Queries ------------------------------------------------------------------------------------


def _academy_of(course, size: int, facilitator_user):
    """A running cohort of ``size`` quiet learners, in published sets of five that meet
    tomorrow, with a session tomorrow and work due tomorrow: every reminder is due for each."""
    cohort = CohortFactory(course=course, capacity=size)
    cohort.facilitators.add(facilitator_user)
    members = make_members_in_bulk(cohort, size, first=Enrolment.objects.count())
    Enrolment.objects.filter(cohort=cohort).update(last_activity_at=MONDAY - timedelta(days=9))
    LiveSessionFactory(cohort=cohort, starts_at=uk(2026, 12, 1, 14))
    publish_peer_groups(cohort)
    for peer_set in make_peer_sets(cohort, members, 5):
        peer_set.adviser = facilitator_user
        peer_set.save()
        meeting = make_peer_meeting(peer_set, days=0)
        PeerMeeting.objects.filter(pk=meeting.pk).update(
            starts_at=uk(2026, 12, 1, 18), ends_at=uk(2026, 12, 1, 19)
        )
    return cohort


def _queries(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        found = call()
    return len(queries), found


@pytest.mark.parametrize("name", [SESSION, MEETING, ASSESSMENT_DUE, INACTIVITY, FACILITATOR_WEEK])
def test_due_and_context_take_as_many_queries_for_200_learners_as_for_10(
    clock, course, name, django_assert_max_num_queries
):
    written_assessment(course, "Reflect on a partnership", due_offset_days=31)
    fran = facilitator()
    kind = get_kind(name)
    now = uk(2026, 11, 30, 10)
    counts = []
    for size in (10, 190):
        _academy_of(course, size, fran)
        kind.due(now)  # the course's outline is read once, then cached
        with django_assert_max_num_queries(4):
            due_queries, notices = _queries(lambda: list(kind.due(now)))
        assert notices
        OutboxEmail.objects.all().delete()
        outbox.enqueue(name, notices, now=now)
        rows = list(OutboxEmail.objects.filter(kind=name).select_related("user"))
        kind.context(rows[:1])  # what is cached once (the course's requirements) is read
        with django_assert_max_num_queries(12):
            context_queries, made = _queries(lambda rows=rows: kind.context(rows))
        assert all(made)
        counts.append((due_queries, context_queries, len(notices)))
    (small_due, small_context, few), (big_due, big_context, many) = counts
    assert many > few or name == FACILITATOR_WEEK
    assert (small_due, small_context) == (big_due, big_context)
