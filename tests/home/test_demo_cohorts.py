"""The demo cohorts built by ``manage.py load_demo``: one running, one to come by application,
one finished and an open one on a second course, all consistent with the cohort rules, and a
second run that changes nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase
from django.utils import timezone

import pytest

from academy.models import OutboxEmail
from cohorts.models import Announcement, Cohort, Enrolment, LessonCompletion, LiveSession
from cohorts.requirements.lessons import required_lesson_ids
from cohorts.selectors.applications import pending_applications
from cohorts.selectors.learners import learner_rows
from cohorts.selectors.my_learning import my_learning
from cohorts.selectors.places import places_left, upcoming_cohorts
from cohorts.services.enrolment import enrolment_request, enrolment_withdraw
from courses.models import LessonPage
from home.demo.cohorts import COHORT_LEARNERS, ORGANISATION_PLACES
from home.demo.people import ORGANISATIONS
from home.management.commands.load_demo import DEMO_PASSWORD
from tests.database import built_for_the_module

User = get_user_model()
MAIN_COURSE = "leading-across-organisational-boundaries"
Status = Enrolment.Status


def load_demo(*args) -> str:
    stdout = StringIO()
    call_command("load_demo", *args, verbosity=1, stdout=stdout)
    return stdout.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at the end (each
    test's own transaction nests inside it). Work queued on commit runs, as it would in
    ``make run``; the emails it sent are kept for the test that checks there are none."""
    with built_for_the_module(django_db_blocker):
        mail.outbox = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            load_demo()
        yield list(mail.outbox)


@pytest.fixture
def academy(loaded, db):
    return loaded


def cohort(status: str) -> Cohort:
    """The demo cohort of the main course with ``status``."""
    cohorts = Cohort.objects.filter(course__slug=MAIN_COURSE).select_related("course")
    (found,) = [c for c in cohorts if c.status == status]
    return found


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "cohorts": Cohort.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "sessions": LiveSession.objects.count(),
        "announcements": Announcement.objects.count(),
        "facilitators": Cohort.facilitators.through.objects.count(),
    }


def test_the_running_cohort_is_big_mixed_and_spread_across_the_course(academy):
    running = cohort(Cohort.Status.RUNNING)
    rows = learner_rows(running)
    members = [row for row in rows if row.status in (Status.ACTIVE, Status.COMPLETED)]
    learner = next(row for row in rows if row.email == "learner@academy.test")

    assert running.facilitators.get().email == "facilitator@academy.test"
    assert 35 <= len(members) <= 45 <= running.capacity
    assert len({row.sector for row in members}) >= 5
    assert len({row.organisation for row in members}) >= 15
    assert 3 <= sum(row.at_risk for row in rows) <= 12
    assert sum(row.status == Status.COMPLETED for row in rows) >= 2
    assert any(row.status == Status.WITHDRAWN for row in rows)
    progress = sorted(row.progress for row in members)
    assert progress[0] < 25 and progress[-1] == 100 and 25 <= progress[len(progress) // 2] <= 75
    assert learner.status == Status.ACTIVE and not learner.at_risk
    assert 1 <= learner.progress <= 99


def test_learner_sees_the_running_cohort_with_progress_and_a_next_lesson(academy):
    learner = User.objects.get(email="learner@academy.test")

    mine = my_learning(learner)

    (current,) = mine.current
    assert current.cohort == cohort(Cohort.Status.RUNNING)
    assert 0 < current.progress.done < current.progress.total
    assert current.next_lesson is not None
    assert len(current.sessions) == 2  # the two to come; the cancelled one is left out


def test_running_cohort_has_sessions_past_to_come_and_cancelled_and_two_announcements(academy):
    running = cohort(Cohort.Status.RUNNING)
    now = timezone.now()
    sessions = list(running.sessions.all())

    assert len([s for s in sessions if s.ends_at < now and not s.cancelled]) == 1
    assert len([s for s in sessions if s.starts_at > now and not s.cancelled]) == 2
    assert len([s for s in sessions if s.cancelled]) == 1
    for session in sessions:
        assert session.location or session.joining_url
        if session.joining_url:
            assert session.joining_url.startswith("https://meet.example.org/")
    announcements = list(running.announcements.all())
    assert len(announcements) == 2
    assert all(a.author.email == "facilitator@academy.test" for a in announcements)


def test_the_upcoming_cohort_is_by_application_with_applications_to_decide(academy):
    upcoming = cohort(Cohort.Status.UPCOMING)
    applications = list(pending_applications(upcoming))

    assert upcoming.by_application and upcoming.application_question
    assert 5 <= len(applications) <= 8
    assert all(a.status == Status.APPLIED for a in applications)
    assert all(len(a.application_answer.split()) >= 50 for a in applications)
    assert upcoming.sessions.count() == 1
    assert upcoming.facilitators.get().email == "facilitator@academy.test"


def test_the_finished_cohort_has_completed_and_withdrawn_learners(academy):
    finished = cohort(Cohort.Status.FINISHED)
    statuses = dict(finished.enrolments.values_list("status").annotate(n=Count("pk")).order_by())
    required = set(required_lesson_ids(finished.course))

    assert set(statuses) == {Status.COMPLETED, Status.WITHDRAWN}
    assert statuses[Status.COMPLETED] >= 10
    assert (timezone.localdate() - finished.end_date).days in range(50, 70)
    for enrolment in finished.enrolments.filter(status=Status.COMPLETED):
        assert enrolment.completed_at and enrolment.completed_at.date() <= finished.end_date
        assert required <= set(enrolment.completions.values_list("lesson_id", flat=True))


def test_an_open_cohort_of_a_second_course_has_places_left(academy):
    (open_cohort,) = Cohort.objects.upcoming().filter(enrolment_mode=Cohort.EnrolmentMode.OPEN)

    assert open_cohort.course.slug == "counting-and-mapping-public-resources"
    assert 0 < places_left(open_cohort) < open_cohort.capacity
    assert open_cohort in upcoming_cohorts(open_cohort.course)


def test_demo_data_keeps_the_cohort_rules_and_sends_no_email(academy):
    assert academy == []  # the emails sent while loading
    # Nothing waits in the outbox either: whatever the load wrote is the past, recorded as sent.
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()
    for each in Cohort.objects.all():
        assert each.enrolments.members().count() <= each.capacity
        lessons = set(LessonPage.objects.descendant_of(each.course).values_list("pk", flat=True))
        done = LessonCompletion.objects.filter(enrolment__cohort=each)
        assert set(done.values_list("lesson_id", flat=True)) <= lessons
    for enrolment in Enrolment.objects.all():
        assert enrolment.course_id == enrolment.cohort.course_id
        assert enrolment.created_at <= enrolment.status_changed_at <= timezone.now()
        if enrolment.status in (Status.ACTIVE, Status.COMPLETED):
            assert enrolment.activated_at
        if enrolment.status == Status.COMPLETED:
            assert enrolment.completed_at
    live = Enrolment.objects.live().values("user", "course").annotate(n=Count("pk"))
    assert max(row["n"] for row in live) == 1


def test_organisations_of_the_cohort_learners_are_demo_organisations():
    assert set(ORGANISATION_PLACES) <= {name for name, _ in ORGANISATIONS}


def test_a_cohort_learner_signs_in_with_the_demo_password(client, academy):
    email = next(iter(COHORT_LEARNERS))

    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk


def test_a_second_run_changes_nothing(academy):
    before = row_counts()

    output = load_demo()

    assert row_counts() == before
    for kind in ("Cohorts", "Enrolments", "Live sessions", "Announcements"):
        assert f"{kind}: 0 created, 0 updated" in output
    assert "Demo academy already up to date." in output


def test_a_run_puts_back_what_a_demo_changed(academy):
    learner = User.objects.get(email="learner@academy.test")
    running = cohort(Cohort.Status.RUNNING)
    upcoming = cohort(Cohort.Status.UPCOMING)
    place = running.enrolments.get(user=learner)
    enrolment_withdraw(user=learner, enrolment=place)
    enrolment_request(user=learner, cohort=upcoming, answer="Please let me in.")
    running.capacity = 50
    running.save()
    before = row_counts()

    output = load_demo()

    place.refresh_from_db()
    running.refresh_from_db()
    assert place.status == Status.ACTIVE
    assert not upcoming.enrolments.filter(user=learner).exists()
    assert running.capacity == 45
    assert row_counts()["enrolments"] == before["enrolments"] - 1
    assert "Cohorts: 0 created, 1 updated" in output
