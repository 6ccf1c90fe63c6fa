"""Where a learner stands on one assessment (``AssessmentResult``), worked out from their
versions, released marks, quiz attempts and reviews given. Every service that changes one of
those calls ``result_refresh`` in the same transaction, holding the enrolment's row lock
(``locked_place``): passing or ceasing to pass goes to the progress engine through
``enrolment_progress_changed``, as completing a lesson does."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from courses.models import AssessmentPage, CoursePage

from .. import access
from ..models import AssessmentResult, Cohort, Enrolment, Mark, QuizAttempt, Submission
from .completion import enrolment_progress_changed

Status = AssessmentResult.Status


def locked_place(user, cohort: Cohort, refusal: str) -> Enrolment:
    """The learner's place on ``cohort`` while it runs (``access.running_places``), locked for
    the caller's transaction; ``ValidationError(refusal)`` when there is none."""
    enrolment = (
        access.running_places(user, cohort.course_id)
        .filter(cohort=cohort)
        .select_for_update(of=("self",))
        .first()
    )
    if enrolment is None:
        raise ValidationError(refusal)
    return enrolment


def lock_enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment, locked for the caller's transaction (a marker acting on a learner's
    work takes the same lock the learner's own writes take)."""
    return Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment_id)


def _marked_status(assessment: AssessmentPage, latest: Submission, reviews_given: int) -> str:
    if latest.status == Submission.Status.PASSED:
        if assessment.is_peer_review and reviews_given < assessment.reviews_required:
            return Status.REVIEWS_OWED
        return Status.PASSED
    if latest.status == Submission.Status.RESUBMIT:
        return Status.RESUBMIT
    return Status.SUBMITTED


def _passed_at(latest: Submission, now):
    released = (
        Mark.objects.filter(submission=latest, outcome=Mark.Outcome.PASS)
        .exclude(released_at=None)
        .aggregate(at=Max("released_at"))["at"]
    )
    return released or now


def result_refresh(
    *, enrolment: Enrolment, assessment: AssessmentPage, course: CoursePage | None = None, now=None
) -> AssessmentResult | None:
    """Work out ``enrolment``'s result on ``assessment`` again and store it; tell the
    progress engine when passing changed. The caller holds the enrolment's row lock; this
    saves the enrolment when its status changes. None when nothing has been handed in."""
    now = now or timezone.now()
    result = AssessmentResult.objects.filter(enrolment=enrolment, assessment=assessment).first()
    was_passed = result is not None and result.passed
    fields: dict = {}
    if assessment.is_quiz:
        attempts = list(
            QuizAttempt.objects.filter(enrolment=enrolment, assessment=assessment).order_by(
                "number"
            )
        )
        if not attempts:
            return _drop(result, enrolment, assessment, was_passed, course, now)
        passing = [attempt for attempt in attempts if attempt.passed]
        fields = {
            "status": Status.PASSED if passing else Status.NOT_PASSED,
            "passed_at": passing[0].submitted_at if passing else None,
            "attempts": len(attempts),
            "best_score": max(attempt.percent for attempt in attempts),
            "last_submitted_at": attempts[-1].submitted_at,
            "late": attempts[-1].late,
        }
    else:
        versions = Submission.objects.filter(enrolment=enrolment, assessment=assessment)
        latest = versions.order_by("-version").first()
        if latest is None:
            return _drop(result, enrolment, assessment, was_passed, course, now)
        reviews_given = enrolment.peer_reviews_given.filter(
            submission__assessment=assessment, submitted_at__isnull=False
        ).count()
        status = _marked_status(assessment, latest, reviews_given)
        fields = {
            "status": status,
            "passed_at": (
                (result.passed_at if was_passed else _passed_at(latest, now))
                if status == Status.PASSED
                else None
            ),
            "attempts": latest.version,
            "reviews_given": reviews_given,
            "last_submitted_at": latest.submitted_at,
            "late": latest.late,
        }
    fields["updated_at"] = now
    result, _ = AssessmentResult.objects.update_or_create(
        enrolment=enrolment, assessment=assessment, defaults=fields
    )
    if result.passed != was_passed:
        _progress_changed(enrolment, assessment, course, now)
    return result


def _drop(result, enrolment, assessment, was_passed, course, now) -> None:
    if result is not None:
        result.delete()
        if was_passed:
            _progress_changed(enrolment, assessment, course, now)
    return None


def _progress_changed(enrolment: Enrolment, assessment, course, now) -> None:
    if course is None:
        course = CoursePage.objects.only("pk", "path", "depth").get(pk=enrolment.course_id)
    status = enrolment.status
    enrolment_progress_changed(enrolment=enrolment, course=course, now=now)
    if enrolment.status != status:
        enrolment.save()
