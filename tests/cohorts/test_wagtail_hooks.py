"""An assessment's own address (…/course/module/assessment/) sends the people who take it or run
it to their cohort's page for it (``cohorts.wagtail_hooks.send_to_cohort_assessment``): a
member of a cohort of the course to that cohort, whatever its status; someone who runs cohorts
of the course to the most recent running one, else the latest. Content staff read the
definition; anyone else is asked to sign in or gets a 404."""

from datetime import timedelta

from django.urls import reverse

import pytest

from academy import roles
from cohorts.models import Enrolment
from courses.models import AssessmentPage, ModulePage
from tests.courses import factories as course_factories
from tests.factories import UserFactory

from .factories import CohortFactory, EnrolmentFactory, course_with_lessons, facilitator, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(course_page) -> AssessmentPage:
    module = ModulePage.objects.child_of(course_page).first()
    return course_factories.editor_assessment(module, "Reflecting on your place")


def taken_at(cohort, assessment) -> str:
    return reverse("cohort_assessment", args=[cohort.pk, assessment.pk])


def test_a_learner_is_sent_to_their_cohorts_page_for_it(client, learner, cohort, assessment):
    client.force_login(learner)

    response = client.get(assessment.url)

    assert response.status_code == 302
    assert response["Location"] == taken_at(cohort, assessment)
    assert response["Location"] == f"/cohorts/{cohort.pk}/assessments/{assessment.pk}/"


def test_a_member_of_a_finished_cohort_is_sent_there_too(client, course_page, assessment):
    finished = CohortFactory(course=course_page, finished=True)
    place = EnrolmentFactory(cohort=finished, status=Enrolment.Status.COMPLETED)
    client.force_login(place.user)

    assert client.get(assessment.url)["Location"] == taken_at(finished, assessment)


def test_a_member_of_two_cohorts_is_sent_to_the_running_one(client, cohort, assessment):
    finished = CohortFactory(course=cohort.course, finished=True)
    earlier = EnrolmentFactory(cohort=finished, status=Enrolment.Status.COMPLETED)
    EnrolmentFactory(cohort=cohort, user=earlier.user)
    client.force_login(earlier.user)

    assert client.get(assessment.url)["Location"] == taken_at(cohort, assessment)


@pytest.mark.parametrize(
    "status",
    [Enrolment.Status.APPLIED, Enrolment.Status.WAITLISTED, Enrolment.Status.WITHDRAWN],
)
def test_someone_without_a_place_gets_not_found(client, cohort, assessment, status):
    enrolment = EnrolmentFactory(cohort=cohort, status=status)
    client.force_login(enrolment.user)

    assert client.get(assessment.url).status_code == 404


def test_a_facilitator_is_sent_to_the_running_cohort_they_run(
    client, runner, course_page, assessment
):
    finished = CohortFactory(course=course_page, finished=True, facilitators=[runner])
    running = CohortFactory(course=course_page, facilitators=[runner])
    CohortFactory(course=course_page, upcoming=True, facilitators=[runner])
    CohortFactory(course=course_page)  # run by someone else
    client.force_login(runner)

    assert client.get(assessment.url)["Location"] == taken_at(running, assessment)
    assert finished.pk != running.pk


def test_with_no_running_cohort_a_facilitator_is_sent_to_the_latest(
    client, runner, course_page, assessment
):
    CohortFactory(course=course_page, finished=True, facilitators=[runner])
    upcoming = CohortFactory(course=course_page, upcoming=True, facilitators=[runner])
    client.force_login(runner)

    assert client.get(assessment.url)["Location"] == taken_at(upcoming, assessment)


def test_of_two_running_cohorts_the_most_recent_is_chosen(client, runner, course_page, assessment):
    CohortFactory(course=course_page, facilitators=[runner])
    recent = CohortFactory(
        course=course_page, start_date=today() - timedelta(days=3), facilitators=[runner]
    )
    client.force_login(runner)

    assert client.get(assessment.url)["Location"] == taken_at(recent, assessment)


def test_a_facilitator_of_another_course_gets_not_found(client, runner, assessment):
    CohortFactory(course=course_with_lessons("Counting every pound"), facilitators=[runner])
    client.force_login(runner)

    assert client.get(assessment.url).status_code == 404


def test_a_facilitator_with_a_place_is_sent_to_the_cohort_they_belong_to(
    client, course_page, assessment
):
    person = facilitator()
    CohortFactory(course=course_page, facilitators=[person])
    finished = CohortFactory(course=course_page, finished=True)
    EnrolmentFactory(cohort=finished, user=person, status=Enrolment.Status.COMPLETED)
    client.force_login(person)

    assert client.get(assessment.url)["Location"] == taken_at(finished, assessment)


def test_a_programme_manager_is_sent_to_a_running_cohort_of_the_course(client, cohort, assessment):
    client.force_login(UserFactory(groups=[roles.PROGRAMME_MANAGERS]))

    assert client.get(assessment.url)["Location"] == taken_at(cohort, assessment)


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_content_staff_read_the_definition_even_where_they_run_cohorts(
    client, cohort, assessment, who
):
    user = (
        UserFactory(is_superuser=True)
        if who == "superuser"
        else UserFactory(groups=[roles.EDITORS, roles.FACILITATORS])
    )
    cohort.facilitators.add(user)
    client.force_login(user)

    response = client.get(assessment.url)

    assert response.status_code == 200
    assert "Reflecting on your place" in response.content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client, cohort, assessment):
    response = client.get(assessment.url)

    assert response["Location"] == f"/accounts/login/?next={assessment.url}"


def test_lessons_are_served_as_before(client, learner, course_page):
    lesson = course_page.lessons().first()
    client.force_login(learner)

    assert client.get(lesson.url).status_code == 200
