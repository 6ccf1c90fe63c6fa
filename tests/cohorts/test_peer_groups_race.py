"""Peer groups changed by two people at the same moment, on two PostgreSQL connections: the
row lock on the cohort's plan serves them one after the other.

As in the other race tests (tests/integration/connections.py), the moment is made to happen:
the first call holds its transaction open until PostgreSQL shows the second waiting for it
(``pg_blocking_pids``); then the first commits, and the second must see what it did. Without the
lock the second never waits, and each test fails every time."""

from django.core import mail
from django.core.exceptions import ValidationError

import pytest

from cohorts.models import PeerGroupChange, PeerGroupPlan, PeerSetMember
from cohorts.services.peer_groups import (
    peer_groups_compose,
    peer_groups_publish,
    peer_member_move,
)
from tests.services import require_postgres

from ..integration.connections import OnItsOwnConnection, assert_waits_for, held_open
from .factories import (
    CohortFactory,
    course_with_lessons,
    facilitator,
    make_members_in_bulk,
    make_peer_sets,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cohort_in_sets():
    require_postgres()
    lead = facilitator(display_name="Ann Lee")
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1), facilitators=[lead])
    members = make_members_in_bulk(cohort, 12)
    make_peer_sets(cohort, members, 4)
    PeerGroupPlan.objects.create(cohort=cohort, size=4, min_size=3, max_size=5)
    return cohort, lead, members


def test_publishing_twice_at_once_publishes_once_and_emails_each_member_once(cohort_in_sets):
    cohort, lead, _ = cohort_in_sets

    def publish():
        return peer_groups_publish(cohort=cohort, by=lead)

    with held_open(publish, "the first publication") as holder:
        waiter = OnItsOwnConnection(publish)
        assert_waits_for(waiter, holder, "the plan's row lock")
    assert holder.finish() == 12
    with pytest.raises(ValidationError, match="The sets were already published on"):
        waiter.finish()
    assert PeerGroupChange.objects.filter(kind=PeerGroupChange.Kind.PUBLISHED).count() == 1
    assert len(mail.outbox) == 12
    assert len({message.to[0] for message in mail.outbox}) == 12


def test_two_moves_into_the_last_place_of_a_set_let_one_in(cohort_in_sets):
    cohort, lead, members = cohort_in_sets
    # Set 3 has four members, one short of the largest a set may be (five).

    def move(enrolment):
        return lambda: peer_member_move(cohort=cohort, enrolment=enrolment, to_number=3, by=lead)

    with held_open(move(members[0]), "the first move") as holder:
        waiter = OnItsOwnConnection(move(members[4]))
        assert_waits_for(waiter, holder, "the plan's row lock")
    holder.finish()
    with pytest.raises(ValidationError, match="Set 3 already has 5 members"):
        waiter.finish()
    numbers = dict(
        PeerSetMember.objects.filter(enrolment__in=[members[0], members[4]]).values_list(
            "enrolment_id", "peer_set__number"
        )
    )
    assert numbers == {members[0].pk: 3, members[4].pk: 2}


def test_the_first_two_compositions_at_once_make_one_plan():
    require_postgres()
    lead = facilitator()
    cohort = CohortFactory(course=course_with_lessons(modules=1, lessons=1), facilitators=[lead])
    make_members_in_bulk(cohort, 8)

    def compose(seed):
        return lambda: peer_groups_compose(
            cohort=cohort, by=lead, size=4, min_size=3, max_size=5, mode="mix", seed=seed
        )

    with held_open(compose(1), "the first composition") as holder:
        waiter = OnItsOwnConnection(compose(2))
        assert_waits_for(waiter, holder, "the new plan's row")
    holder.finish()
    waiter.finish()
    plan = PeerGroupPlan.objects.get(cohort=cohort)
    assert plan.seed == 2
    assert PeerSetMember.objects.filter(cohort=cohort).count() == 8
    assert PeerGroupChange.objects.filter(kind=PeerGroupChange.Kind.COMPOSED).count() == 2
