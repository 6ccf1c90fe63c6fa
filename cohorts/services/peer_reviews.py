"""Peer review: a learner who has handed in their own work asks for someone else's to review,
one piece at a time, and sends a review of it against the assessment's rubric. Which piece
they get is ``cohorts.peer_review``'s rule. The reviews a learner has sent count towards their
own result: they pass once the facilitator's released mark is a pass and they have sent the
N reviews the assessment asks for (``result_refresh``: "Reviews to give" until then).

Locks, always in this order: the reviewer's enrolment (``locked_place``, as every write of a
learner's own takes it), then the latest versions of the other members' work. Two learners
asking at the same moment both want those versions' rows, so the second waits until the first
has committed the piece it was handed, and then counts that review: both cannot be handed the
same least-reviewed piece on a stale count. A piece handed in meanwhile is not locked, and need
not be: no count of the other pieces changes with it."""

import collections

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import AssessmentPage

from ..models import Cohort, Enrolment, PeerReview, Submission
from ..peer_review import Candidate, next_for_review, preferred_authors
from ..rubrics import score
from .assessment_results import locked_place, result_refresh

# A review tells the author something they can use: a few words at least.
COMMENTS_MIN_WORDS = 5
COMMENTS_MAX_LENGTH = 5000


@transaction.atomic
def peer_review_assign(*, user, cohort: Cohort, assessment: AssessmentPage, now=None) -> PeerReview:
    """Hand the learner the next piece of work to review on ``assessment``: another member's
    latest version (``cohorts.peer_review``). A review they have not sent yet is given back
    instead, so asking twice (a double-click) hands out one piece. Refused before they have
    handed in their own work, once they have sent the reviews the assessment asks for (extra
    reviews are not handed out: they would take pieces from the learners still reviewing),
    and when there is nothing they may review yet."""
    now = now or timezone.now()
    if not assessment.is_peer_review:
        raise ValidationError("This assessment has no peer review")
    reviewer = locked_place(
        user, cohort, "You can only review work while the cohort runs and you have a place on it"
    )
    theirs = PeerReview.objects.filter(reviewer=reviewer, submission__assessment=assessment)
    unsent = theirs.filter(submitted_at=None).order_by("assigned_at", "pk").first()
    if unsent is not None:
        return unsent
    required = assessment.reviews_required
    if theirs.count() >= required:
        raise ValidationError(
            f"You have given the {required} review{'s' if required != 1 else ''} this asks for"
        )
    if not Submission.objects.filter(enrolment=reviewer, assessment=assessment).exists():
        raise ValidationError(
            "Hand in your own work first: then you can review other learners' work"
        )

    members = Enrolment.objects.members().filter(cohort=cohort).values("pk")
    newer = Submission.objects.filter(
        enrolment=OuterRef("enrolment"), assessment=assessment, version__gt=OuterRef("version")
    )
    latest = list(
        Submission.objects.filter(assessment=assessment, enrolment__in=members)
        .exclude(enrolment=reviewer)
        .exclude(Exists(newer))
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", "enrolment_id", "submitted_at")
    )
    # Read after the lock: a review handed out by someone who asked a moment earlier counts.
    handed = list(
        PeerReview.objects.filter(
            submission__assessment=assessment, reviewer__cohort=cohort
        ).values_list("reviewer_id", "submission__enrolment_id", "submission_id")
    )
    reviews = collections.Counter(submission for _, _, submission in handed)
    piece = next_for_review(
        [
            Candidate(id=pk, author=author, submitted_at=at, reviews=reviews[pk])
            for pk, author, at in latest
        ],
        reviewer=reviewer.pk,
        required=required,
        handed=[(giver, author) for giver, author, _ in handed],
        prefer=preferred_authors(reviewer),
    )
    if piece is None:
        raise ValidationError(
            "There is no work to review yet: come back when others have handed theirs in"
        )
    return PeerReview.objects.create(submission_id=piece.id, reviewer=reviewer, assigned_at=now)


def comments_problem(comments: str) -> str | None:
    """What is wrong with a review's comments for the author, if anything: they must say
    something the author can use (a few words at least), within 5,000 characters."""
    if len(comments.split()) < COMMENTS_MIN_WORDS:
        return f"Write at least {COMMENTS_MIN_WORDS} words of feedback for the author"
    if len(comments.strip()) > COMMENTS_MAX_LENGTH:
        return "Your feedback must be 5,000 characters or fewer"
    return None


@transaction.atomic
def peer_review_submit(
    *, user, review_id: int, levels: dict[str, str], comments: str, now=None
) -> PeerReview:
    """Send a review handed to the learner: a level of the assessment's rubric for each
    criterion (``levels``: criterion id → level id, checked by ``cohorts.rubrics.score``) and
    comments for the author. Sent once; the reviews the learner has given are counted into
    their own result under their enrolment's lock, which also makes a double-click's second
    post find the review sent."""
    now = now or timezone.now()
    found = (
        PeerReview.objects.filter(pk=review_id, reviewer__user=user)
        .select_related("reviewer__cohort")
        .first()
    )
    if found is None:
        raise ValidationError("This review was not handed to you")
    reviewer = locked_place(
        user,
        found.reviewer.cohort,
        "You can only send a review while the cohort runs and you have a place on it",
    )
    # Read again under the lock.
    review = PeerReview.objects.select_related("submission__assessment__rubric").get(pk=review_id)
    if review.reviewer_id != reviewer.pk:
        raise ValidationError("This review was not handed to you")
    if review.done:
        raise ValidationError("You have already sent this review")
    assessment = review.submission.assessment
    if assessment.rubric is None:
        raise ValidationError("This peer review has no rubric yet: ask your facilitator")

    errors: dict[str, list[str]] = {}
    scored = None
    try:
        scored = score(assessment.rubric, levels)
    except ValidationError as error:
        errors.update(error.message_dict)
    comments = comments.strip()
    problem = comments_problem(comments)
    if problem:
        errors["comments"] = [problem]
    if errors:
        raise ValidationError(errors)

    review.submitted_at = now
    review.criteria = scored.criteria
    review.total = scored.total
    review.comments = comments
    review.save(update_fields=["submitted_at", "criteria", "total", "comments"])
    reviewer.last_activity_at = now
    result_refresh(enrolment=reviewer, assessment=assessment, now=now)
    reviewer.save(update_fields=["last_activity_at"])
    return review
