"""My learning: progress and the next lesson of each current cohort, applications and waiting
lists, past cohorts and the next sessions in UK time, in the same queries however many cohorts
a learner is in."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import AssessmentDueDate, Enrolment, Submission
from cohorts.selectors.my_learning import my_learning
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    course_with_lessons,
    lessons_of,
    modules_of,
    quiz_attempted,
    submitted,
)
from .helpers import login_url_for

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
LONDON = ZoneInfo("Europe/London")


def test_my_learning_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("my_learning"))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(reverse("my_learning"))


def test_my_learning_without_courses_points_to_the_catalogue(client):
    client.force_login(UserFactory())

    response = client.get(reverse("my_learning"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not taking part in a course yet" in html
    assert 'href="/courses/"' in html


def test_my_learning_shows_progress_and_the_next_lesson(client, learner, enrolment, course_page):
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:2])
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert "Leading across boundaries" in html
    assert "Autumn 2026" in html
    assert "2 of 6 required lessons complete (33%)" in html
    assert '<progress class="academy-progress' in html
    assert 'max="6" value="2"' in html
    assert f'href="{lessons[2].url}">Continue: Lesson 1.3</a>' in html
    assert reverse("cohort_home", args=[enrolment.cohort_id]) in html
    assert "Lesson 1.1" in html  # recently completed
    assert reverse("calendar_feed") in html


def test_my_learning_lists_applications_waiting_lists_and_past_cohorts(client, course_page):
    user = UserFactory()
    other_course = course_with_lessons("Pooling budgets", modules=1, lessons=1)
    third_course = course_with_lessons("Working with communities", modules=1, lessons=1)
    applied = EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=course_page, upcoming=True, by_application=True),
        status=Status.APPLIED,
    )
    waitlisted = EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=other_course, name="Spring 2027", upcoming=True),
        status=Status.WAITLISTED,
    )
    EnrolmentFactory(
        user=user,
        cohort=CohortFactory(course=third_course, name="Summer 2026", finished=True),
        status=Status.COMPLETED,
    )
    client.force_login(user)

    html = client.get(reverse("my_learning")).content.decode()

    assert "Applications and waiting lists" in html
    assert "On the waiting list" in html and "Applied" in html
    assert reverse("cohort_withdraw", args=[applied.cohort_id]) in html
    assert reverse("cohort_withdraw", args=[waitlisted.cohort_id]) in html
    assert "Past cohorts" in html and "Summer 2026" in html


def test_my_learning_shows_upcoming_sessions_in_uk_time(client, learner, cohort):
    year = timezone.localdate().year + 1
    winter = datetime(year, 12, 3, 10, 0, tzinfo=LONDON)
    summer = datetime(year, 7, 2, 14, 0, tzinfo=LONDON)  # 13:00 UTC in British Summer Time
    LiveSessionFactory(
        cohort=cohort,
        title="Action learning set",
        starts_at=winter,
        ends_at=winter + timedelta(minutes=90),
        location="Room 4, Civic Centre",
        joining_url="",
    )
    LiveSessionFactory(
        cohort=cohort, title="Summer set", starts_at=summer, ends_at=summer + timedelta(hours=1)
    )
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert f"{winter:%A} 3 December {year}, 10am</time> to <time" in html
    assert "11:30am</time>" in html
    assert f"{summer:%A} 2 July {year}, 2pm</time> to <time" in html
    assert "Room 4, Civic Centre" in html
    assert 'href="https://meet.example.org/academy-set"' in html


def test_my_learning_shows_what_is_due_next_and_work_in_progress(
    client, learner, enrolment, cohort, course_page
):
    first, second = modules_of(course_page)
    quiz = assessment_in(
        first, "Check your understanding", kind=AssessmentPage.Kind.QUIZ, due_offset_days=7
    )
    plan = assessment_in(first, "Write a shared plan", due_offset_days=20)
    reflection = assessment_in(second, "Reflect on your place", due_offset_days=60)
    extra = assessment_in(second, "Go further", required_for_completion=False, due_offset_days=70)
    submitted(enrolment, plan, late=True)
    submitted(enrolment, extra, status=Submission.Status.RESUBMIT)
    quiz_attempted(enrolment, quiz, percent=90)
    complete(enrolment, lessons_of(course_page)[:2])
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert "3 of 9 required lessons and assessments complete (33%)" in html
    assessment_url = reverse("cohort_assessment", args=[cohort.pk, reflection.pk])
    due_on = cohort.start_date + timedelta(days=60)
    assert (
        f'Due next: <a class="govuk-link" href="{assessment_url}">Reflect on your place</a>, '
        f'due <time datetime="{due_on:%Y-%m-%d}">{due_on.day} {due_on:%B %Y}</time>'
    ) in html
    assert "In progress:" in html
    assert reverse("cohort_assessment", args=[cohort.pk, plan.pk]) in html
    assert 'govuk-tag--blue">Waiting for feedback</strong>' in html
    assert 'govuk-tag--orange">Resubmit</strong>' in html
    assert html.count('govuk-tag--red">Late</strong>') == 1  # the plan, handed in late
    assert reverse("cohort_assessment", args=[cohort.pk, quiz.pk]) not in html  # passed


def test_my_learning_says_when_work_due_next_is_late(client, learner, enrolment, cohort):
    (module, _) = modules_of(cohort.course)
    assessment = assessment_in(module, "Reflect on your place")
    AssessmentDueDate.objects.create(
        cohort=cohort, assessment=assessment, due_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert "Due next:" in html and "Reflect on your place" in html
    assert re.search(
        r'govuk-tag--grey">Not started</strong>\s*<strong class="govuk-tag govuk-tag--red">Late',
        html,
    )


def test_my_learning_with_nothing_left_to_hand_in(client, learner, enrolment, cohort):
    (module, _) = modules_of(cohort.course)
    submitted(enrolment, assessment_in(module, "Reflect on your place"))
    client.force_login(learner)

    html = client.get(reverse("my_learning")).content.decode()

    assert "You have nothing to hand in at the moment." in html
    assert "Due next:" not in html
    assert "Waiting for feedback" in html


def test_my_learning_makes_the_same_queries_however_many_cohorts(client):
    def queries_for_learner_with(cohorts: int) -> int:
        user = UserFactory()
        for n in range(cohorts):
            page = course_with_lessons(f"Course {cohorts}-{n}", modules=1, lessons=2)
            (module,) = modules_of(page)
            assessments = [assessment_in(module, f"Assessment {k}") for k in range(n + 1)]
            enrolment = EnrolmentFactory(user=user, cohort=CohortFactory(course=page))
            complete(enrolment, lessons_of(page)[:1])
            submitted(enrolment, assessments[0])
            AssessmentDueDate.objects.create(
                cohort=enrolment.cohort, assessment=assessments[-1], due_on=timezone.localdate()
            )
            LiveSessionFactory(cohort=enrolment.cohort)
            EnrolmentFactory.create_batch(3, cohort=enrolment.cohort)
        client.force_login(user)
        client.get(reverse("my_learning"))  # warm the site root cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_learning")).status_code == 200
        return len(queries)

    assert queries_for_learner_with(1) == queries_for_learner_with(4)


class TestTheSelector:
    """My learning read through its selector, on a course of two modules of two required
    lessons."""

    @pytest.fixture
    def course_page(self):
        return course_with_lessons(modules=2, lessons=2)  # 4 required lessons

    def test_my_learning_shows_progress_the_next_lesson_and_sessions(self, course_page):
        learner = UserFactory()
        cohort = CohortFactory(course=course_page)
        enrolment = EnrolmentFactory(cohort=cohort, user=learner)
        lessons = lessons_of(course_page)
        complete(enrolment, [lessons[0], lessons[2]])
        session = LiveSessionFactory(cohort=cohort)
        LiveSessionFactory(cohort=cohort, cancelled=True)
        past = CohortFactory(course=course_with_lessons("Earlier course"), finished=True)
        EnrolmentFactory(cohort=past, user=learner, status=Status.COMPLETED)
        waiting = CohortFactory(
            course=course_with_lessons("Next course"), upcoming=True, by_application=True
        )
        EnrolmentFactory(cohort=waiting, user=learner, status=Status.APPLIED)

        data = my_learning(learner)

        (current,) = data.current
        assert (current.progress.done, current.progress.total, current.progress.percent) == (
            2,
            4,
            50,
        )
        assert current.next_lesson.pk == lessons[1].pk
        assert current.sessions == [session]
        assert [e.cohort for e in data.pending] == [waiting]
        assert [e.cohort for e in data.past] == [past]
        assert {c.lesson.pk for c in data.recently_completed} == {lessons[0].pk, lessons[2].pk}
