"""The learner table read through its selector: the at-risk rule and sorting by any column."""

from datetime import timedelta

from django.utils import timezone

import pytest

from cohorts.models import Enrolment
from cohorts.selectors.learners import learner_rows

from .factories import CohortFactory, EnrolmentFactory, complete, course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


def test_the_at_risk_rule(course_page):
    # Started 30 days ago, ends in 30: half the time has passed, so 25% is the line.
    cohort = CohortFactory(course=course_page)
    lessons = lessons_of(course_page)
    now = timezone.now()
    on_track = EnrolmentFactory(cohort=cohort, user__display_name="On track")
    complete(on_track, lessons[:2])  # 50%
    just_behind = EnrolmentFactory(cohort=cohort, user__display_name="Just behind")
    complete(just_behind, lessons[:1])  # 25%: 25 points behind, not more
    EnrolmentFactory(cohort=cohort, user__display_name="Far behind")  # 0%
    idle = EnrolmentFactory(
        cohort=cohort, user__display_name="Idle", last_activity_at=now - timedelta(days=15)
    )
    complete(idle, lessons[:3])
    EnrolmentFactory(
        cohort=cohort,
        user__display_name="Left",
        status=Status.WITHDRAWN,
        last_activity_at=now - timedelta(days=40),
    )

    flags = {row.name: row.at_risk for row in learner_rows(cohort)}
    assert flags == {
        "On track": False,
        "Just behind": False,
        "Far behind": True,
        "Idle": True,
        "Left": False,
    }


def test_nobody_is_at_risk_in_a_cohort_that_has_not_started(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    EnrolmentFactory(cohort=cohort, last_activity_at=timezone.now() - timedelta(days=60))
    assert [row.at_risk for row in learner_rows(cohort)] == [False]


def test_learner_rows_sort_by_any_column(course_page):
    cohort = CohortFactory(course=course_page)
    lessons = lessons_of(course_page)
    for name, done in (("Bea", 3), ("Ade", 1), ("Cat", 2)):
        complete(EnrolmentFactory(cohort=cohort, user__display_name=name), lessons[:done])
    assert [r.name for r in learner_rows(cohort)] == ["Ade", "Bea", "Cat"]
    by_progress = learner_rows(cohort, sort="progress", descending=True)
    assert [(r.name, r.progress) for r in by_progress] == [("Bea", 75), ("Cat", 50), ("Ade", 25)]
    assert [r.name for r in learner_rows(cohort, sort="nonsense")] == [
        "Ade",
        "Bea",
        "Cat",
    ]
