"""Progress: percentages rounded down, an enrolment's progress over the required lessons of its
course, and the moment an enrolment becomes complete (and stops being complete)."""

from django.core import mail

import pytest

from cohorts.models import Enrolment
from cohorts.progress import enrolment_progress, percent
from cohorts.services.lessons import lesson_complete, lesson_uncomplete

from .factories import CohortFactory, EnrolmentFactory, complete, lessons_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def test_percent_rounds_down_and_never_divides_by_zero():
    assert percent(1, 3) == 33
    assert percent(2, 3) == 66
    assert percent(3, 3) == 100
    assert percent(0, 0) == 0


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
