"""A submit button clicked twice, the two posts arriving at the same moment on two PostgreSQL
connections: the enrolment's row lock makes the second wait for the first, which hands in the
version; the second then finds it handed in and writes nothing.

As in ``test_cohort_capacity``, the moment that matters is made to happen every time: the first
post hands in and holds its transaction open; the second, on its own connection, must be seen
waiting for the first (``pg_blocking_pids``) until it commits."""

from django.core.exceptions import ValidationError

import pytest

from cohorts.models import AssessmentResult, Submission
from cohorts.services.submissions import already_handed_in, submission_create
from tests.services import require_postgres

from ..cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    reflective_assignment,
)
from .connections import OnItsOwnConnection, assert_waits_for, held_open

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ANSWER = "We pooled two budgets across the council and the health board and counted the savings."


def handed_in_and_held(then):
    """On a connection of its own: run ``then`` in a transaction and keep that transaction
    open, uncommitted, until the block ends."""
    return held_open(then, "the first post")


def test_two_posts_of_one_form_at_once_hand_in_one_version():
    require_postgres()
    course = course_with_lessons(modules=1, lessons=1)
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course))
    assignment = reflective_assignment(course, due_offset_days=60)

    def post():
        return submission_create(
            user=enrolment.user,
            cohort=enrolment.cohort,
            assessment=assignment,
            text=ANSWER,
            version_expected=1,
        )

    with handed_in_and_held(post) as holder:
        waiter = OnItsOwnConnection(post)
        assert_waits_for(waiter, holder, "the enrolment's lock")
    first = holder.finish()
    with pytest.raises(ValidationError) as refused:
        waiter.finish()

    assert already_handed_in(refused.value)
    assert list(Submission.objects.values_list("pk", "version")) == [(first.pk, 1)]
    assert AssessmentResult.objects.get(enrolment=enrolment).attempts == 1
