"""Reads about peer reviews: the review a learner was handed (their review page), the reviews
they owe and have sent (their assessment page), and who reviewed whom in a cohort (the
facilitator's marking form, through ``templates/cohorts/facilitate/includes/peer_reviews.html``).
Each is one query, whatever the number of reviews."""

import datetime
from dataclasses import dataclass

from django.http import Http404

from courses.models import AssessmentPage

from ..models import Cohort, Enrolment, PeerReview


def review_handed_to(
    user, cohort: Cohort, assessment: AssessmentPage, review_id: int
) -> PeerReview:
    """The review ``review_id`` of work on ``assessment``, handed to ``user`` while they hold a
    place on ``cohort``, with the work and its files; 404 for anyone else's (a facilitator's
    too: they read reviews on the marking form)."""
    places = Enrolment.objects.members().filter(user=user, cohort=cohort).values("pk")
    review = (
        PeerReview.objects.filter(
            pk=review_id, reviewer__in=places, submission__assessment=assessment
        )
        .select_related("submission__enrolment__user")
        .prefetch_related("submission__files")
        .first()
    )
    if review is None:
        raise Http404("a peer review of a submission not handed to you")
    return review


@dataclass(frozen=True)
class ReviewsToGive:
    """The reviews a learner owes on one assessment and those they have been handed, in the
    order they were handed out."""

    required: int
    reviews: list[PeerReview]

    @property
    def sent(self) -> int:
        return sum(1 for review in self.reviews if review.done)

    @property
    def owed(self) -> int:
        return max(0, self.required - self.sent)

    @property
    def unsent(self) -> PeerReview | None:
        """The review they were handed and have not sent: they finish it before another."""
        return next((review for review in self.reviews if not review.done), None)


def reviews_to_give(enrolment: Enrolment | None, assessment: AssessmentPage) -> ReviewsToGive:
    reviews = []
    if enrolment is not None:
        reviews = list(
            PeerReview.objects.filter(
                reviewer=enrolment, submission__assessment=assessment
            ).order_by("assigned_at", "pk")
        )
    return ReviewsToGive(required=assessment.reviews_required, reviews=reviews)


@dataclass(frozen=True)
class PeerReviewRow:
    """One review handed out: who reviewed whose work, when, and what they gave."""

    id: int
    reviewer: str
    author: str
    author_enrolment: int
    submission: int
    version: int
    assigned_at: datetime.datetime
    submitted_at: datetime.datetime | None
    total: int | None
    max_total: int | None
    criteria: list[dict]
    comments: str

    @property
    def done(self) -> bool:
        return self.submitted_at is not None


def peer_reviews_of(
    cohort: Cohort, assessment: AssessmentPage, *, author: Enrolment | int | None = None
) -> list[PeerReviewRow]:
    """Who reviewed whom on ``assessment`` in ``cohort``, for the people who run it: every
    review handed out, sent or not, by the author's name and then in the order handed out.
    ``author``: only the reviews of that enrolment's work (every version), as the marking form
    shows them beside the work. ``max_total`` is the rubric's (``assessment.rubric`` is read
    if it was not selected with the assessment)."""
    reviews = PeerReview.objects.filter(
        submission__assessment=assessment, reviewer__cohort=cohort
    ).select_related("reviewer__user", "submission__enrolment__user")
    if author is not None:
        reviews = reviews.filter(submission__enrolment=author)
    reviews = reviews.order_by(
        "submission__enrolment__user__display_name",
        "submission__enrolment__user__email",
        "submission__enrolment_id",
        "assigned_at",
        "pk",
    )
    max_total = assessment.rubric.max_points if assessment.rubric_id else None
    return [
        PeerReviewRow(
            id=review.pk,
            reviewer=str(review.reviewer.user),
            author=str(review.submission.enrolment.user),
            author_enrolment=review.submission.enrolment_id,
            submission=review.submission_id,
            version=review.submission.version,
            assigned_at=review.assigned_at,
            submitted_at=review.submitted_at,
            total=review.total,
            max_total=max_total,
            criteria=review.criteria,
            comments=review.comments,
        )
        for review in reviews
    ]
