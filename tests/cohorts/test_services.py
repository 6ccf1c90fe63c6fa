"""The rules of taking and giving up places, deciding applications, the waiting list and
completing lessons, tested through the services directly."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest

from cohorts.models import Enrolment, LessonCompletion, LiveSession
from cohorts.progress import enrolment_progress
from cohorts.services import CohortError
from cohorts.services.announcements import announcement_create
from cohorts.services.calendars import calendar_feed_for, calendar_token_reset
from cohorts.services.enrolment import (
    applications_decide,
    cohort_places_changed,
    enrolment_request,
    enrolment_withdraw,
)
from cohorts.services.lessons import lesson_complete, lesson_uncomplete
from cohorts.services.sessions import live_session_cancel, live_session_save

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def course_page():
    return course_with_lessons()


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run the emails queued on commit (Celery is eager in tests)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


# --- Taking a place -------------------------------------------------------------------------


def test_an_open_cohort_admits_while_places_are_left_then_waitlists(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=2)
    first, second, third = UserFactory.create_batch(3)
    assert enrolment_request(user=first, cohort=cohort).status == Status.ACTIVE
    assert enrolment_request(user=second, cohort=cohort).status == Status.ACTIVE
    waiting = send_on_commit(enrolment_request, user=third, cohort=cohort)
    assert waiting.status == Status.WAITLISTED
    assert waiting.waitlisted_at is not None
    assert mail.outbox[-1].to == [third.email]
    assert "waiting list" in mail.outbox[-1].subject


def test_an_application_records_the_answer_and_waits_for_a_decision(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    learner = UserFactory()
    enrolment = enrolment_request(
        user=learner, cohort=cohort, answer="  Joining up hospital discharge.  "
    )
    assert enrolment.status == Status.APPLIED
    assert enrolment.application_answer == "Joining up hospital discharge."
    assert enrolment.course_id == course_page.pk


def test_an_application_needs_an_answer(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    with pytest.raises(CohortError, match="Answer the question"):
        enrolment_request(user=UserFactory(), cohort=cohort, answer="   ")
    assert not Enrolment.objects.exists()


def test_applying_twice_is_refused(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    learner = UserFactory()
    enrolment_request(user=learner, cohort=cohort, answer="First")
    with pytest.raises(CohortError, match="already asked for a place"):
        enrolment_request(user=learner, cohort=cohort, answer="Second")
    assert Enrolment.objects.get().application_answer == "First"


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"finished": True}, "has finished"),
        ({"cancelled": True, "upcoming": True}, "has been cancelled"),
        ({}, "has already started"),
    ],
)
def test_a_cohort_not_taking_learners_refuses_with_a_reason(course_page, traits, message):
    cohort = CohortFactory(course=course_page, **traits)
    with pytest.raises(CohortError, match=message):
        enrolment_request(user=UserFactory(), cohort=cohort)
    assert not Enrolment.objects.exists()


def test_one_live_enrolment_per_course(course_page):
    spring = CohortFactory(course=course_page, upcoming=True, name="Spring 2027")
    summer = CohortFactory(course=course_page, upcoming=True, name="Summer 2027")
    learner = UserFactory()
    enrolment_request(user=learner, cohort=spring)
    with pytest.raises(CohortError, match="Spring 2027"):
        enrolment_request(user=learner, cohort=summer)
    assert learner.enrolments.count() == 1


def test_a_declined_applicant_cannot_apply_again_to_the_same_cohort(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.DECLINED)
    with pytest.raises(CohortError, match="not accepted"):
        enrolment_request(user=enrolment.user, cohort=cohort, answer="Again")


def test_someone_who_withdrew_may_take_a_place_again(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    again = enrolment_request(user=enrolment.user, cohort=cohort)
    assert again.pk == enrolment.pk
    assert again.status == Status.ACTIVE


# --- Withdrawing and the waiting list --------------------------------------------------------


def test_withdrawing_gives_the_place_to_whoever_has_waited_longest(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    holder, early, late = UserFactory.create_batch(3)
    place = enrolment_request(user=holder, cohort=cohort)
    enrolment_request(user=early, cohort=cohort)
    enrolment_request(user=late, cohort=cohort)
    mail.outbox.clear()

    send_on_commit(enrolment_withdraw, user=holder, enrolment=place)

    statuses = dict(cohort.enrolments.values_list("user__email", "status"))
    assert statuses == {
        holder.email: Status.WITHDRAWN,
        early.email: Status.ACTIVE,
        late.email: Status.WAITLISTED,
    }
    assert [message.to for message in mail.outbox] == [[early.email]]
    assert "You have a place" in mail.outbox[0].subject


def test_withdrawing_someone_elses_enrolment_is_refused(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True))
    with pytest.raises(CohortError, match="your own"):
        enrolment_withdraw(user=UserFactory(), enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_withdrawing_twice_is_refused(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True))
    enrolment_withdraw(user=enrolment.user, enrolment=enrolment)
    with pytest.raises(CohortError, match="nothing to withdraw"):
        enrolment_withdraw(user=enrolment.user, enrolment=enrolment)


# --- Deciding applications ------------------------------------------------------------------


def _applications(cohort, count):
    return [
        enrolment_request(user=UserFactory(), cohort=cohort, answer=f"Answer {n}")
        for n in range(count)
    ]


def test_approving_more_than_the_places_left_admits_the_earliest_and_waitlists_the_rest(
    course_page, send_on_commit
):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True, capacity=1)
    lead = facilitator()
    first, second = _applications(cohort, 2)
    mail.outbox.clear()

    result = send_on_commit(
        applications_decide,
        cohort=cohort,
        enrolment_ids=[second.pk, first.pk],
        approve=True,
        decided_by=lead,
        message="Welcome aboard.",
    )

    assert [e.pk for e in result.admitted] == [first.pk]
    assert [e.pk for e in result.waitlisted] == [second.pk]
    first.refresh_from_db()
    assert (first.status, first.decided_by, first.decision_message) == (
        Status.ACTIVE,
        lead,
        "Welcome aboard.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    assert all("Welcome aboard." in m.body for m in mail.outbox)


def test_declining_many_at_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    applications = _applications(cohort, 3)
    mail.outbox.clear()
    result = send_on_commit(
        applications_decide,
        cohort=cohort,
        enrolment_ids=[a.pk for a in applications],
        approve=False,
        decided_by=facilitator(),
    )
    assert len(result.declined) == 3
    assert set(cohort.enrolments.values_list("status", flat=True)) == {Status.DECLINED}
    assert len(mail.outbox) == 3


def test_a_decision_that_includes_an_already_decided_id_changes_nothing(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    pending, decided = _applications(cohort, 2)
    applications_decide(
        cohort=cohort, enrolment_ids=[decided.pk], approve=False, decided_by=facilitator()
    )
    with pytest.raises(CohortError, match="Nothing was changed"):
        applications_decide(
            cohort=cohort,
            enrolment_ids=[pending.pk, decided.pk],
            approve=True,
            decided_by=facilitator(),
        )
    pending.refresh_from_db()
    assert pending.status == Status.APPLIED


def test_an_application_to_another_cohort_cannot_be_decided_here(course_page):
    here = CohortFactory(course=course_page, upcoming=True, by_application=True)
    there = CohortFactory(course=course_with_lessons("Other"), upcoming=True, by_application=True)
    (elsewhere,) = _applications(there, 1)
    with pytest.raises(CohortError):
        applications_decide(
            cohort=here, enrolment_ids=[elsewhere.pk], approve=True, decided_by=facilitator()
        )
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.APPLIED


def test_deciding_nothing_is_refused(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True, by_application=True)
    with pytest.raises(CohortError, match="Select at least one"):
        applications_decide(cohort=cohort, enrolment_ids=[], approve=True, decided_by=facilitator())


# --- Completing lessons and progress --------------------------------------------------------


def test_progress_is_required_lessons_completed_over_required_lessons(course_page):
    lessons = lessons_of(course_page)  # 6 required lessons
    optional = lessons[-1]
    optional.required_for_completion = False
    optional.save_revision().publish()
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    for lesson in [*lessons[:2], optional]:
        lesson_complete(user=enrolment.user, lesson=lesson)
    progress = enrolment_progress(enrolment)
    assert (progress.done, progress.total, progress.percent) == (2, 5, 40)


def test_completing_is_idempotent_and_records_activity(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page), last_activity_at=None)
    lesson = lessons_of(course_page)[0]
    lesson_complete(user=enrolment.user, lesson=lesson)
    lesson_complete(user=enrolment.user, lesson=lesson)
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at is not None


def test_completing_every_required_lesson_completes_the_enrolment(course_page, send_on_commit):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    *first, last = lessons_of(course_page)
    complete(enrolment, first)
    send_on_commit(lesson_complete, user=enrolment.user, lesson=last)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert enrolment.completed_at is not None
    assert "You have completed" in mail.outbox[-1].subject

    lesson_uncomplete(user=enrolment.user, lesson=last)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.completed_at is None


def test_a_lesson_of_another_course_cannot_be_completed(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    other_lesson = lessons_of(course_with_lessons("Another course"))[0]
    with pytest.raises(CohortError, match="course you are taking now"):
        lesson_complete(user=enrolment.user, lesson=other_lesson)
    assert not LessonCompletion.objects.exists()


@pytest.mark.parametrize(
    ("status", "traits"),
    [
        (Status.APPLIED, {}),
        (Status.WAITLISTED, {}),
        (Status.WITHDRAWN, {}),
        (Status.ACTIVE, {"finished": True}),
        (Status.ACTIVE, {"upcoming": True}),
    ],
)
def test_only_a_member_of_a_running_cohort_completes_lessons(course_page, status, traits):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, **traits), status=status)
    with pytest.raises(CohortError):
        lesson_complete(user=enrolment.user, lesson=lessons_of(course_page)[0])
    assert not LessonCompletion.objects.exists()


# --- Live sessions, announcements and calendar tokens ----------------------------------------


def test_changing_a_session_bumps_its_sequence_and_an_unchanged_save_does_not(course_page):
    session = LiveSessionFactory(cohort=CohortFactory(course=course_page))
    session.title = "Action learning set: budgets"
    live_session_save(session=session)
    assert LiveSession.objects.get().sequence == 1
    live_session_save(session=LiveSession.objects.get())
    assert LiveSession.objects.get().sequence == 1
    live_session_cancel(session=session)
    live_session_cancel(session=session)
    saved = LiveSession.objects.get()
    assert (saved.cancelled, saved.sequence) == (True, 2)


def test_a_session_needs_somewhere_to_happen_and_an_end_after_its_start(course_page):
    from django.core.exceptions import ValidationError

    session = LiveSessionFactory.build(
        cohort=CohortFactory(course=course_page), joining_url="", location=""
    )
    session.ends_at = session.starts_at
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert set(error.value.message_dict) == {"location", "ends_at"}
    assert not LiveSession.objects.exists()


def test_end_after_start_is_decided_on_instants_as_the_database_decides_it(course_page):
    """On the night the clocks go back, 01:45 the first time (BST) comes before 01:30 the
    second time (GMT). Compared as clock times it looked later, and the database's check
    constraint then failed with a 500."""
    from django.core.exceptions import ValidationError

    cohort = CohortFactory(
        course=course_page, start_date=date(2027, 10, 1), end_date=date(2027, 11, 30)
    )
    session = LiveSessionFactory.build(
        cohort=cohort,
        starts_at=datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=LONDON),  # 01:30 UTC
        ends_at=datetime(2027, 10, 31, 1, 45, fold=0, tzinfo=LONDON),  # 00:45 UTC
    )
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert error.value.message_dict == {"ends_at": ["The session must end after it starts"]}
    assert not LiveSession.objects.exists()

    session.ends_at = datetime(2027, 10, 31, 1, 45, fold=1, tzinfo=LONDON)  # 01:45 UTC
    saved = live_session_save(session=session)
    assert saved.ends_at - saved.starts_at == timedelta(minutes=15)


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(1, 1, 1, 10, tzinfo=LONDON),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),  # before the first day the UK's clocks can show
        datetime(9999, 12, 31, 10, tzinfo=LONDON),
        datetime(2027, 6, 30, 23, 30, tzinfo=UTC),  # 30 June in UTC, 1 July in the UK
    ],
    ids=["year-1", "year-1-utc-midnight", "year-9999", "a-day-after-in-the-uk"],
)
def test_a_session_happens_while_its_cohort_runs(course_page, starts_at):
    from django.core.exceptions import ValidationError

    cohort = CohortFactory(
        course=course_page, start_date=date(2027, 3, 2), end_date=date(2027, 6, 30)
    )
    session = LiveSessionFactory.build(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        live_session_save(session=session)
    assert error.value.message_dict == {
        "starts_at": [
            "The date of the session must be between 2 March 2027 and 30 June 2027, when the"
            " cohort runs"
        ]
    }
    assert not LiveSession.objects.exists()


def test_an_announcement_is_emailed_to_active_members_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page)
    active = EnrolmentFactory.create_batch(2, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    announcement = send_on_commit(
        announcement_create,
        cohort=cohort,
        author=facilitator(display_name="Amira Hassan"),
        subject="Reading for Thursday",
        body="Please read the Wigan case study.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in active)
    assert "Amira Hassan" in mail.outbox[0].body
    from cohorts.emails import send_announcement

    assert send_announcement(announcement.pk) == 0  # already sent: nothing more goes out
    assert len(mail.outbox) == 2


def test_resetting_the_calendar_token_replaces_it():
    learner = UserFactory()
    old = calendar_feed_for(learner).token
    new = calendar_token_reset(user=learner).token
    assert new != old
    assert len(new) >= 40
    assert calendar_feed_for(learner).token == new


def test_more_places_go_to_the_waiting_list_at_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=1)
    holder, first, second, third = UserFactory.create_batch(4)
    for person in (holder, first, second, third):
        enrolment_request(user=person, cohort=cohort)
    mail.outbox.clear()
    cohort.capacity = 3
    cohort.save()

    admitted = send_on_commit(cohort_places_changed, cohort=cohort)

    assert [e.user for e in admitted] == [first, second]
    assert cohort.enrolments.get(user=third).status == Status.WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
