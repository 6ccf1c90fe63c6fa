"""Who may do what. The pages for the people who run cohorts answer anyone else 404, never 403,
and ask visitors to sign in; a course's lessons are read by the members of its running cohorts
and by the people who run its cohorts, whatever the cohort's status, in few queries."""

import pytest

from academy.roles import PROGRAMME_MANAGERS
from cohorts.access import lesson_rule
from cohorts.models import Enrolment

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    course_with_lessons,
    facilitator,
    lessons_of,
)
from .helpers import html_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


def cohort_urls(cohort, session) -> list[str]:
    base = f"/facilitate/cohorts/{cohort.pk}"
    return [
        f"{base}/",
        f"{base}/learners.csv",
        f"{base}/applications/",
        f"{base}/sessions/new/",
        f"{base}/sessions/{session.pk}/edit/",
        f"{base}/sessions/{session.pk}/cancel/",
        f"{base}/announcements/new/",
    ]


# --- The pages for the people who run cohorts -----------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    for url in ["/facilitate/", "/facilitate/programme/", *cohort_urls(cohort, session)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_learners_get_404_everywhere(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    learner = EnrolmentFactory(cohort=cohort).user
    client.force_login(learner)
    urls = [
        "/facilitate/",
        "/facilitate/programme/",
        "/facilitate/programme/report.csv",
        *cohort_urls(cohort, session),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/facilitate/cohorts/{cohort.pk}/applications/").status_code == 404


def test_a_facilitator_of_another_cohort_gets_404(client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    other = facilitator()
    CohortFactory(course=cohort.course, facilitators=[other])
    client.force_login(other)
    assert client.get("/facilitate/").status_code == 200
    for url in cohort_urls(cohort, session):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/cancel/")
    assert response.status_code == 404
    session.refresh_from_db()
    assert not session.cancelled


def test_the_cohorts_facilitator_reaches_every_page(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort)
    for url in cohort_urls(cohort, session):
        assert runner_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["programme manager", "superuser"])
def test_programme_managers_and_superusers_reach_every_cohort(client, cohort, role):
    session = LiveSessionFactory(cohort=cohort)
    if role == "superuser":
        person = UserFactory(is_superuser=True, is_staff=True)
    else:
        person = UserFactory(groups=[PROGRAMME_MANAGERS])
    client.force_login(person)
    for url in ["/facilitate/", "/facilitate/programme/", *cohort_urls(cohort, session)]:
        assert client.get(url).status_code == 200, url


def test_the_programme_report_is_not_for_facilitators(runner_client, cohort):
    assert runner_client.get("/facilitate/programme/").status_code == 404
    assert runner_client.get("/facilitate/programme/report.csv").status_code == 404
    assert "/facilitate/programme/" not in html_of(runner_client.get("/facilitate/"))


def test_unknown_cohorts_and_sessions_of_other_cohorts_are_404(runner_client, cohort):
    elsewhere = LiveSessionFactory(cohort=CohortFactory(course=cohort.course))
    base = f"/facilitate/cohorts/{cohort.pk}"
    assert runner_client.get("/facilitate/cohorts/999999/").status_code == 404
    assert runner_client.get(f"{base}/sessions/{elsewhere.pk}/edit/").status_code == 404
    assert runner_client.get(f"{base}/sessions/{elsewhere.pk}/cancel/").status_code == 404
    assert runner_client.post(f"{base}/sessions/{elsewhere.pk}/cancel/").status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.cancelled


# --- Reading lessons ------------------------------------------------------------------------------


class TestReadingLessons:
    """The lesson rule, on a course of two modules of two required lessons."""

    @pytest.fixture
    def course_page(self):
        return course_with_lessons(modules=2, lessons=2)  # 4 required lessons

    def test_lesson_access_follows_membership_of_a_running_cohort(self, course_page):
        from courses.access import can_read_lesson

        lesson = lessons_of(course_page)[0]
        running = CohortFactory(course=course_page)
        member = EnrolmentFactory(cohort=running).user
        completed = EnrolmentFactory(cohort=running, status=Status.COMPLETED).user
        applicant = EnrolmentFactory(cohort=running, status=Status.APPLIED).user
        waitlisted = EnrolmentFactory(cohort=running, status=Status.WAITLISTED).user
        withdrawn = EnrolmentFactory(cohort=running, status=Status.WITHDRAWN).user
        finished_member = EnrolmentFactory(
            cohort=CohortFactory(course=course_page, finished=True)
        ).user
        upcoming_member = EnrolmentFactory(
            cohort=CohortFactory(course=course_page, upcoming=True)
        ).user
        lead = facilitator()
        running.facilitators.add(lead)
        assert can_read_lesson(member, lesson)
        assert can_read_lesson(completed, lesson)
        assert can_read_lesson(lead, lesson)
        for outsider in (applicant, waitlisted, withdrawn, finished_member, upcoming_member):
            assert not can_read_lesson(outsider, lesson)
        assert not can_read_lesson(facilitator(), lesson)

    @pytest.mark.parametrize(
        "cohort_fields",
        [{"upcoming": True}, {}, {"finished": True}, {"cancelled": True}],
        ids=["upcoming", "running", "finished", "cancelled"],
    )
    def test_the_people_who_run_a_cohort_read_its_lessons_whatever_its_status(
        self, course_page, cohort_fields
    ):
        from courses.access import can_read_lesson

        lesson = lessons_of(course_page)[0]
        lead = facilitator()
        CohortFactory(course=course_page, facilitators=[lead], **cohort_fields)
        other_lead = facilitator()
        CohortFactory(course=course_with_lessons("Pooled budgets"), facilitators=[other_lead])

        assert can_read_lesson(lead, lesson)
        assert can_read_lesson(UserFactory(groups=[PROGRAMME_MANAGERS]), lesson)
        assert not can_read_lesson(other_lead, lesson)
        assert not can_read_lesson(
            UserFactory(groups=[PROGRAMME_MANAGERS], is_active=False), lesson
        )

    def test_programme_managers_read_no_lessons_of_a_course_no_cohort_runs(self, course_page):
        from courses.access import can_read_lesson

        CohortFactory(course=course_with_lessons("Pooled budgets"))

        assert not can_read_lesson(
            UserFactory(groups=[PROGRAMME_MANAGERS]), lessons_of(course_page)[0]
        )

    @pytest.mark.parametrize(
        ("who", "queries"),
        [("learner", 1), ("facilitator", 1), ("programme manager", 3), ("outsider", 2)],
    )
    def test_the_lesson_rule_takes_few_queries(
        self, course_page, django_assert_num_queries, who, queries
    ):
        lesson = lessons_of(course_page)[0]
        cohort = CohortFactory(course=course_page)
        user = {
            "learner": lambda: EnrolmentFactory(cohort=cohort).user,
            "facilitator": lambda: cohort.facilitators.add(lead := facilitator()) or lead,
            "programme manager": lambda: UserFactory(groups=[PROGRAMME_MANAGERS]),
            "outsider": lambda: UserFactory(),
        }[who]()

        with django_assert_num_queries(queries):
            assert lesson_rule(user, lesson) is (who != "outsider")
