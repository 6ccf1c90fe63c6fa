"""Completion by module: how many of a cohort's learners have finished each module."""

import pytest

from cohorts.models import Enrolment
from cohorts.selectors.completion import module_completion

from .factories import CohortFactory, EnrolmentFactory, complete, course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


def test_module_completion_counts_learners_who_finished_each_module(course_page):
    cohort = CohortFactory(course=course_page)
    first_module = lessons_of(course_page)[:2]
    complete(EnrolmentFactory(cohort=cohort), first_module)
    complete(EnrolmentFactory(cohort=cohort), first_module[:1])
    EnrolmentFactory(cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)  # not a learner yet
    rows = module_completion(cohort)
    assert [(r.lessons, r.completed, r.learners, r.percent) for r in rows] == [
        (2, 1, 3, 33),
        (2, 0, 3, 0),
    ]
