"""Two learners asking for work to review at the same moment, on two PostgreSQL connections:
the second waits for the first's hand-out to commit and then counts it, so both are not handed
the same least-reviewed piece.

As in ``test_cohort_capacity.py``, the moment is made to happen: the first hand-out holds its
transaction open after handing out; the second, on its own connection, must be seen waiting for
it (``pg_blocking_pids``) and, once the first commits, be handed another piece."""

from datetime import timedelta

from django.utils import timezone

import pytest

from cohorts.models import PeerReview
from cohorts.services.peer_reviews import peer_review_assign
from tests.services import require_postgres

from ..cohorts.factories import CohortFactory, EnrolmentFactory, course_with_lessons, handed_in
from ..courses.factories import peer_review_assessment
from .connections import OnItsOwnConnection, assert_waits_for, held_open

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_learners_asking_at_once_are_handed_different_pieces():
    require_postgres()
    course = course_with_lessons(modules=1, lessons=1)
    assessment = peer_review_assessment(course, reviews_required=2)
    cohort = CohortFactory(course=course)
    ben, cai, ana, dee = (EnrolmentFactory(cohort=cohort) for _ in range(4))
    start = timezone.now() - timedelta(hours=4)
    work = {
        person: handed_in(person, assessment, when=start + timedelta(hours=n))
        for n, person in enumerate((ben, cai, ana, dee))
    }

    def ana_asks():
        return peer_review_assign(user=ana.user, cohort=cohort, assessment=assessment)

    with held_open(ana_asks, "the first hand-out") as holder:
        # Ben's work, the oldest, is Ana's; on a stale count it would be Cai's too.
        waiter = OnItsOwnConnection(
            lambda: peer_review_assign(user=cai.user, cohort=cohort, assessment=assessment)
        )
        assert_waits_for(waiter, holder, "the locks on the work handed in")
    anas, cais = holder.finish(), waiter.finish()

    assert anas.submission_id == work[ben].pk
    assert cais.submission_id == work[ana].pk  # the oldest with no review once Ana's counts
    assert PeerReview.objects.filter(submission=work[ben]).count() == 1
