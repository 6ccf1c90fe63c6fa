"""Peer review prefers the set (``cohorts.peer_group_preference``): once a cohort's sets are
published, a reviewer is handed a set-mate's work before another piece with as many reviews,
and falls back to the rest of the cohort when the set has none left; unpublished sets change
nothing; and the preference costs one query, whatever the size of the set."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from cohorts import peer_review
from cohorts.models import PeerGroupPlan, PeerSet, PeerSetMember
from cohorts.peer_group_preference import own_set
from cohorts.services.peer_reviews import peer_review_assign

from ..courses.factories import peer_review_assessment
from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, handed_in, handed_to

pytestmark = pytest.mark.django_db
AN_HOUR = timedelta(hours=1)


@pytest.fixture
def assessment(course_page):
    return peer_review_assessment(course_page, reviews_required=2)


@pytest.fixture
def people(cohort):
    """Ana, Ben, Cai, Dee, Eve and Fay, with places on the cohort."""
    return [
        EnrolmentFactory(cohort=cohort, user=UserFactory(display_name=name))
        for name in ("Ana Ahmed", "Ben Brown", "Cai Clarke", "Dee Davies", "Eve Evans", "Fay Fox")
    ]


def hand_in(people, assessment, order):
    """The work of ``people`` at the positions in ``order``, handed in an hour apart in that
    order (the first the oldest); returned by author."""
    start = timezone.now() - (len(order) + 1) * AN_HOUR
    return {
        people[n]: handed_in(people[n], assessment, when=start + k * AN_HOUR, text=f"Plan {n}.")
        for k, n in enumerate(order)
    }


def sets_of(cohort, *sets, published=True) -> PeerGroupPlan:
    """``cohort``'s sets, one for each list of enrolments in ``sets``, published or not."""
    plan = PeerGroupPlan.objects.create(
        cohort=cohort, published_at=timezone.now() if published else None
    )
    for number, members in enumerate(sets, start=1):
        peer_set = PeerSet.objects.create(cohort=cohort, number=number)
        PeerSetMember.objects.bulk_create(
            PeerSetMember(peer_set=peer_set, cohort=cohort, enrolment=member) for member in members
        )
    return plan


def assign(enrolment, assessment):
    return peer_review_assign(user=enrolment.user, cohort=enrolment.cohort, assessment=assessment)


def test_the_own_set_is_registered_when_the_app_starts():
    assert own_set in peer_review._preferences


def test_a_reviewer_prefers_the_other_members_of_their_published_set(people, cohort):
    ana, ben, cai, dee, eve, fay = people
    fay.status = "withdrawn"
    fay.save()
    sets_of(cohort, [ana, ben, cai, fay], [dee, eve])

    assert sorted(own_set.preferred_authors(ana)) == [ben.pk, cai.pk]  # not Fay, who left
    assert sorted(own_set.preferred_authors(dee.pk)) == [eve.pk]


def test_a_set_mates_work_is_handed_out_before_an_equally_reviewed_older_piece(
    people, cohort, assessment
):
    ana, ben, cai, dee, eve, fay = people
    work = hand_in(people, assessment, [3, 4, 1, 2, 0])  # Dee's first, Ben's third
    sets_of(cohort, [ana, ben, cai], [dee, eve, fay])

    first = assign(ana, assessment)
    first.submitted_at = timezone.now()  # sent, so Ana may ask for another
    first.save()

    assert first.submission == work[ben]  # not Dee's, older but in another set
    assert assign(ana, assessment).submission == work[cai]


def test_the_reviewer_falls_back_to_the_cohort_when_the_set_has_no_work_left(
    people, cohort, assessment
):
    ana, ben, cai, dee, eve, fay = people
    work = hand_in(people, assessment, [4, 3, 1, 0])  # Eve's first; Cai has not handed in
    sets_of(cohort, [ana, ben, cai], [dee, eve, fay])
    handed_to(work[ben], ana, done=True)

    assert assign(ana, assessment).submission == work[eve]  # the oldest of the rest


def test_the_set_only_breaks_ties_between_pieces_with_as_many_reviews(people, cohort, assessment):
    ana, ben, cai, dee, eve, fay = people
    work = hand_in(people, assessment, [3, 1, 0])  # Dee's, then Ben's
    sets_of(cohort, [ana, ben, cai], [dee, eve, fay])
    handed_to(work[ben], eve)  # Ben's has a review; Dee's none

    assert assign(ana, assessment).submission == work[dee]


def test_sets_not_yet_published_change_nothing(people, cohort, assessment):
    ana, ben, cai, dee, eve, fay = people
    work = hand_in(people, assessment, [3, 1, 0])  # Dee's first
    sets_of(cohort, [ana, ben, cai], [dee, eve, fay], published=False)

    assert own_set.preferred_authors(ana) == []
    assert assign(ana, assessment).submission == work[dee]


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.parametrize("size", [3, 12])
def test_the_set_is_read_in_one_query_whatever_its_size(cohort, size):
    members = [EnrolmentFactory(cohort=cohort) for _ in range(size)]
    sets_of(cohort, members)

    assert queries(lambda: own_set.preferred_authors(members[0])) == 1


def test_handing_out_work_takes_as_many_queries_for_a_set_of_3_as_for_a_set_of_12(
    course_page, assessment
):
    counts = []
    for size in (3, 12):
        cohort = CohortFactory(course=course_page, name=f"Sets of {size}")
        members = [EnrolmentFactory(cohort=cohort) for _ in range(size)]
        hand_in(members, assessment, list(range(size)))
        sets_of(cohort, members)
        counts.append(queries(lambda members=members: assign(members[-1], assessment)))

    assert counts[0] == counts[1]
