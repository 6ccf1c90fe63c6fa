"""The last place on a cohort, asked for twice at the same moment on two PostgreSQL
connections: the cohort's row lock admits one and waitlists the other.

The moment that matters is made to happen every time, not by chance: one connection takes the
cohort's row lock, gives the last place away and holds its transaction open; the second request,
on its own connection, must then be seen waiting for that connection (``pg_blocking_pids``) until
the first commits, and must find the place taken."""

import pytest

from cohorts.models import Cohort, Enrolment
from cohorts.services.enrolment import applications_decide, enrolment_request
from tests.services import require_postgres

from ..cohorts.factories import CohortFactory, course_with_lessons, facilitator
from ..factories import UserFactory
from .connections import OnItsOwnConnection, assert_waits_for, held_open

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Status = Enrolment.Status


def cohort_lock_held(cohort: Cohort, then):
    """On a connection of its own: take ``cohort``'s row lock, run ``then`` in the same
    transaction, and keep that transaction open, uncommitted, until the block ends."""

    def lock_then():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        return then()

    return held_open(lock_then, "the first connection's hold on the cohort's lock")


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
        enrolment_request(user=UserFactory(), cohort=cohort, answer="Please") for _ in range(2)
    )
    lead, colleague = facilitator(), facilitator()

    with cohort_lock_held(
        cohort,
        then=lambda: applications_decide(
            cohort=cohort, enrolment_ids=[first.pk], approve=True, decided_by=lead
        ),
    ) as holder:
        waiter = OnItsOwnConnection(
            lambda: applications_decide(
                cohort=cohort, enrolment_ids=[second.pk], approve=True, decided_by=colleague
            )
        )
        assert_waits_for(waiter, holder, "the cohort's lock")
    holder.finish()
    waiter.finish()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.ACTIVE, Status.WAITLISTED)
    assert cohort.enrolments.filter(status=Status.ACTIVE).count() == cohort.capacity


def test_two_learners_taking_the_last_open_place_at_once():
    require_postgres()
    cohort = CohortFactory(
        course=course_with_lessons(modules=1, lessons=1), upcoming=True, capacity=1
    )
    first, second = UserFactory.create_batch(2)

    with cohort_lock_held(
        cohort, then=lambda: enrolment_request(user=first, cohort=cohort)
    ) as holder:
        waiter = OnItsOwnConnection(lambda: enrolment_request(user=second, cohort=cohort))
        assert_waits_for(waiter, holder, "the cohort's lock")
    admitted = holder.finish()
    waitlisted = waiter.finish()

    assert (admitted.status, waitlisted.status) == (Status.ACTIVE, Status.WAITLISTED)
    assert cohort.enrolments.filter(status=Status.ACTIVE).count() == 1


def test_capacity_cut_in_the_admin_waits_for_the_last_place_and_is_refused(client):
    """A programme manager lowers the capacity to the places taken a moment ago while a learner
    takes the last place: the admin's save waits for the cohort's row lock, counts again, and
    refuses, so the cohort never holds more learners than its capacity."""
    require_postgres()
    from django.urls import reverse

    from academy.roles import PROGRAMME_MANAGERS
    from cohorts.viewsets import cohort_viewset

    cohort = CohortFactory(
        course=course_with_lessons(modules=1, lessons=1), upcoming=True, capacity=2
    )
    Enrolment.objects.create(
        user=UserFactory(), cohort=cohort, course=cohort.course, status=Status.ACTIVE
    )
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    edit_url = reverse(cohort_viewset.get_url_name("edit"), args=[cohort.pk])
    # What the form shows now: one place taken, so a capacity of 1 looks allowed.
    cut_to_one = {
        "course": cohort.course_id,
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "capacity": "1",
        "enrolment_mode": cohort.enrolment_mode,
        "application_question": "",
    }
    learner = UserFactory()

    with cohort_lock_held(
        cohort, then=lambda: enrolment_request(user=learner, cohort=cohort)
    ) as holder:
        waiter = OnItsOwnConnection(lambda: client.post(edit_url, cut_to_one))
        assert_waits_for(waiter, holder, "the cohort's lock")
    admitted = holder.finish()
    response = waiter.finish()

    assert admitted.status == Status.ACTIVE
    assert response.status_code == 200, "the capacity cut was saved"
    assert list(response.context["form"].errors["capacity"]) == [
        "2 learners already hold places; capacity cannot be less than 2"
    ]
    cohort.refresh_from_db()
    assert cohort.capacity == 2
    assert cohort.enrolments.filter(status=Status.ACTIVE).count() == 2
