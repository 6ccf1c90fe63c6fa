"""The last place on a cohort, asked for twice at the same moment on two PostgreSQL
connections: the cohort's row lock admits one and waitlists the other."""

import threading

from django.db import connection

import pytest

from cohorts import services
from cohorts.models import Enrolment
from tests.services import require_postgres

from ..cohorts.factories import CohortFactory, course_with_lessons, facilitator
from ..factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Status = Enrolment.Status


def at_once(*calls):
    """Run each call on its own thread (so its own database connection), released together."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_approvals_for_the_last_place_admit_one_and_waitlist_the_other():
    require_postgres()
    cohort = CohortFactory(
        course=course_with_lessons(modules=1, lessons=1),
        upcoming=True,
        by_application=True,
        capacity=2,
    )
    Enrolment.objects.create(
        user=UserFactory(), cohort=cohort, course=cohort.course, status=Status.ACTIVE
    )
    first, second = (
        services.enrolment_request(user=UserFactory(), cohort=cohort, answer="Please")
        for _ in range(2)
    )
    lead, colleague = facilitator(), facilitator()

    at_once(
        lambda: services.applications_decide(
            cohort=cohort, enrolment_ids=[first.pk], approve=True, decided_by=lead
        ),
        lambda: services.applications_decide(
            cohort=cohort, enrolment_ids=[second.pk], approve=True, decided_by=colleague
        ),
    )

    statuses = sorted(
        Enrolment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    assert statuses == [Status.ACTIVE, Status.WAITLISTED]
    assert cohort.enrolments.filter(status=Status.ACTIVE).count() == cohort.capacity


def test_two_learners_taking_the_last_open_place_at_once():
    require_postgres()
    cohort = CohortFactory(
        course=course_with_lessons(modules=1, lessons=1), upcoming=True, capacity=1
    )
    learners = UserFactory.create_batch(2)

    results = at_once(
        *(
            lambda learner=learner: services.enrolment_request(user=learner, cohort=cohort)
            for learner in learners
        )
    )

    assert sorted(e.status for e in results) == [Status.ACTIVE, Status.WAITLISTED]
    assert cohort.enrolments.filter(status=Status.ACTIVE).count() == 1
