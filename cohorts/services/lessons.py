"""Lessons a learner completes (or takes back), and the activity of opening one. The progress
engine decides what that means for the enrolment (``services.completion``); whether the
learner holds a place that lets them is ``access.running_places``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from courses.selectors import lesson_outline

from .. import access
from ..models import Enrolment, LessonCompletion
from .completion import enrolment_progress_changed


def _course_of(lesson: LessonPage) -> CoursePage | None:
    return CoursePage.objects.ancestor_of(lesson).only("pk", "path", "depth").first()


def _running_place(user, course, refusal: str) -> Enrolment:
    """The learner's place on a running cohort of ``course`` (``access.running_places``),
    locked for the caller's transaction; ``ValidationError(refusal)`` when there is none."""
    enrolment = None
    if course is not None:
        enrolment = access.running_places(user, course).select_for_update(of=("self",)).first()
    if enrolment is None:
        raise ValidationError(refusal)
    return enrolment


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonCompletion:
    """Mark ``lesson`` complete for the learner's place on a running cohort of the lesson's
    course. Completing everything required completes the enrolment. Idempotent."""
    course = _course_of(lesson)
    enrolment = _running_place(
        user, course, "You can only complete lessons of a course you are taking now"
    )
    now = timezone.now()
    completion, _ = LessonCompletion.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"completed_at": now}
    )
    enrolment.last_activity_at = now
    if enrolment.status == Enrolment.Status.ACTIVE:
        enrolment_progress_changed(enrolment=enrolment, course=course, now=now)
    enrolment.save()
    return completion


@transaction.atomic
def lesson_uncomplete(*, user, lesson: LessonPage) -> None:
    """Take back a "complete" mark (a slip of the finger). A completed enrolment becomes active
    again when the progress engine no longer counts it complete."""
    course = _course_of(lesson)
    enrolment = _running_place(
        user, course, "You can only change lessons of a course you are taking now"
    )
    deleted, _ = enrolment.completions.filter(lesson=lesson).delete()
    if deleted and enrolment.status == Enrolment.Status.COMPLETED:
        enrolment_progress_changed(enrolment=enrolment, course=course)
        enrolment.save()


def lesson_visited(*, user, lesson: LessonPage) -> None:
    """Record activity when a learner opens a lesson: one UPDATE, at most every 15 minutes.
    Called when the lesson is served (``wagtail_hooks``), never while a page renders."""
    outline = lesson_outline(lesson)  # cached: the course's pk without a query
    if outline is None:
        return
    now = timezone.now()
    recent = now - timezone.timedelta(minutes=15)
    access.running_places(user, outline.course_pk).exclude(last_activity_at__gte=recent).update(
        last_activity_at=now
    )
