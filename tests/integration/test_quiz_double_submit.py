"""A quiz attempt posted twice at the same moment (a double click) on two PostgreSQL
connections: the enrolment's row lock makes the second wait for the first, then refuses it, so
one attempt is kept.

As in the other race tests, the moment is made to happen: the first submission holds its
transaction open until the second is seen waiting for it (``pg_blocking_pids``)."""

from django.core.exceptions import ValidationError

import pytest

from cohorts import quiz
from cohorts.models import AssessmentResult, QuizAttempt
from cohorts.services.quizzes import quiz_attempt_submit
from courses.models import AssessmentPage, ModulePage
from tests.services import require_postgres

from ..cohorts.factories import CohortFactory, EnrolmentFactory, course_with_lessons
from ..courses import factories as pages
from .connections import OnItsOwnConnection, assert_waits_for, held_open

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_double_click_keeps_one_attempt():
    require_postgres()
    course = course_with_lessons(modules=1, lessons=0)
    page = pages.quiz(ModulePage.objects.child_of(course).get(), due_offset_days=60)
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course))
    posted = {question.id: sorted(question.right) for question in quiz.questions_of(page)}

    def submit():
        return quiz_attempt_submit(
            user=enrolment.user,
            cohort=enrolment.cohort,
            assessment=AssessmentPage.objects.get(pk=page.pk),
            number=1,
            posted=posted,
        )

    with held_open(submit, "the first submission") as holder:
        waiter = OnItsOwnConnection(submit)
        assert_waits_for(waiter, holder, "the enrolment's row lock")
    assert holder.finish().passed
    with pytest.raises(ValidationError, match="This attempt was already submitted"):
        waiter.finish()
    assert QuizAttempt.objects.count() == 1
    assert AssessmentResult.objects.get().attempts == 1
