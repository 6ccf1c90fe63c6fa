"""Required assessments (``cohorts.requirements.assessments``): what a course asks learners to
pass, and how many of them each enrolment has passed, counted by the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cohorts.models import Enrolment, Submission
from cohorts.requirements.assessments import required_assessment_ids, required_assessments
from courses.models import AssessmentPage, ModulePage

from ..courses.factories import assessment_in
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    modules_of,
    quiz_attempted,
    submitted,
)

pytestmark = pytest.mark.django_db
Kind = AssessmentPage.Kind


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=1)


@pytest.fixture
def assessments(course_page):
    """Two required assessments, one optional, a draft and one in an unpublished module."""
    first, second = modules_of(course_page)
    hidden = course_page.add_child(
        instance=ModulePage(title="Still being written", slug="later", live=False)
    )
    return {
        "quiz": assessment_in(first, "Check your understanding", kind=Kind.QUIZ),
        "reflection": assessment_in(second, "Reflect on your place"),
        "optional": assessment_in(second, "Go further", required_for_completion=False),
        "draft": assessment_in(second, "Not ready", live=False),
        "hidden": assessment_in(hidden, "In a hidden module"),
    }


def done(enrolment: Enrolment, course_page) -> int:
    return (
        Enrolment.objects.filter(pk=enrolment.pk)
        .annotate(n=required_assessments.done(course_page))
        .values_list("n", flat=True)
        .get()
    )


def test_only_required_live_assessments_in_live_modules_count(course_page, assessments):
    assert required_assessment_ids(course_page) == [
        assessments["quiz"].pk,
        assessments["reflection"].pk,
    ]
    assert required_assessments.required(course_page) == 2
    assert required_assessments.noun == ("assessment", "assessments")


def test_a_course_without_assessments_requires_none(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))

    assert required_assessments.required(course_page) == 0
    assert done(enrolment, course_page) == 0


def test_only_passes_of_required_assessments_are_done(course_page, assessments):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    assert done(enrolment, course_page) == 0

    submitted(enrolment, assessments["reflection"])  # waiting for feedback
    quiz_attempted(enrolment, assessments["quiz"], percent=40)  # not passed
    submitted(enrolment, assessments["optional"], status=Submission.Status.PASSED)
    submitted(enrolment, assessments["hidden"], status=Submission.Status.PASSED)
    assert done(enrolment, course_page) == 0

    quiz_attempted(enrolment, assessments["quiz"], percent=90)
    assert done(enrolment, course_page) == 1

    submitted(enrolment, assessments["reflection"], status=Submission.Status.PASSED)
    assert done(enrolment, course_page) == 2


def test_held_marks_do_not_pass_until_released(course_page, assessments):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))

    submitted(enrolment, assessments["reflection"], status=Submission.Status.HELD)

    assert done(enrolment, course_page) == 0


def test_the_count_needs_no_query_of_its_own_once_the_outline_is_cached(course_page, assessments):
    required_assessments.required(course_page)
    with CaptureQueriesContext(connection) as queries:
        required_assessments.required(course_page)
        required_assessments.done(course_page)
    assert len(queries) == 0
