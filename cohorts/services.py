"""Writes about cohorts: taking and giving up places, deciding applications, the waiting list,
completing lessons, live sessions, announcements and calendar tokens.

Every function here is one transaction. A rule a person can break (applying twice, a full or
finished cohort, someone else's enrolment) raises ``CohortError`` with a message fit to show
them, and writes nothing. Emails leave through Celery tasks queued on commit, so a rolled-back
decision never sends one.

Places are counted inside a transaction that holds a row lock on the cohort
(``SELECT … FOR UPDATE``), so two decisions about the last place are taken one after the other:
the first admits its learner, the second finds the cohort full and waitlists its own."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from academy.names import clean_name
from courses.models import LessonPage

from .models import (
    Announcement,
    CalendarFeed,
    Cohort,
    Enrolment,
    LessonCompletion,
    LiveSession,
    new_calendar_token,
)
from .times import LONDON, instant

Status = Enrolment.Status


class CohortError(Exception):
    """A request that breaks a rule of the academy; ``message`` is written for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _queue_enrolment_email(enrolment: Enrolment) -> None:
    from .tasks import send_enrolment_email_task

    enrolment_id, status = enrolment.pk, enrolment.status
    transaction.on_commit(lambda: send_enrolment_email_task.delay(enrolment_id, status))


def _set_status(enrolment: Enrolment, status: str, *, now=None) -> None:
    now = now or timezone.now()
    enrolment.status = status
    enrolment.status_changed_at = now
    if status == Status.WAITLISTED:
        enrolment.waitlisted_at = now
    elif status == Status.ACTIVE:
        enrolment.activated_at = now
        enrolment.last_activity_at = enrolment.last_activity_at or now
    elif status == Status.COMPLETED:
        enrolment.completed_at = now


def _locked_cohort(cohort_id: int) -> Cohort:
    # Lock the cohort row only (not the joined course page, which editors may be publishing).
    return Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort_id)


def places_taken(cohort: Cohort) -> int:
    return cohort.enrolments.filter(status__in=Enrolment.MEMBER_STATUSES).count()


def _admit_or_waitlist(cohort: Cohort, enrolment: Enrolment) -> None:
    """Give ``enrolment`` a place if one is free, else put it on the waiting list. The caller
    holds the cohort's row lock."""
    if places_taken(cohort) < cohort.capacity:
        _set_status(enrolment, Status.ACTIVE)
    else:
        _set_status(enrolment, Status.WAITLISTED)


def _check_joinable(cohort: Cohort) -> None:
    status = cohort.status
    if status == Cohort.Status.CANCELLED:
        raise CohortError(f"{cohort.name} has been cancelled, so it is not taking learners")
    if status == Cohort.Status.FINISHED:
        raise CohortError(f"{cohort.name} has finished, so it is not taking learners")
    if status == Cohort.Status.RUNNING:
        raise CohortError(f"{cohort.name} has already started, so it is not taking learners")


@transaction.atomic
def enrolment_request(*, user, cohort: Cohort, answer: str = "") -> Enrolment:
    """Ask for a place on ``cohort``. Open cohorts admit at once while places are left, then
    waitlist; cohorts by application record the application for facilitators to decide."""
    cohort = _locked_cohort(cohort.pk)
    _check_joinable(cohort)
    answer = answer.strip()
    if cohort.by_application and not answer:
        raise CohortError("Answer the question to apply")
    existing = Enrolment.objects.select_for_update().filter(user=user, cohort=cohort).first()
    if existing and existing.is_live:
        raise CohortError(f"You have already asked for a place on {cohort.name}")
    if existing and existing.status == Status.COMPLETED:
        raise CohortError(f"You have already completed {cohort.name}")
    if existing and existing.status == Status.DECLINED:
        raise CohortError(f"Your application to {cohort.name} was not accepted")
    other = (
        Enrolment.objects.live()
        .filter(user=user, course_id=cohort.course_id)
        .exclude(cohort=cohort)
        .select_related("cohort")
        .first()
    )
    if other:
        raise CohortError(
            f"You already have a place or an application on {other.cohort.name} of this course."
            " Withdraw from it first to join a different cohort"
        )
    enrolment = existing or Enrolment(user=user, cohort=cohort, course_id=cohort.course_id)
    enrolment.application_answer = answer if cohort.by_application else ""
    enrolment.decided_by = None
    enrolment.decided_at = None
    enrolment.decision_message = ""
    if cohort.by_application:
        _set_status(enrolment, Status.APPLIED)
    else:
        _admit_or_waitlist(cohort, enrolment)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:  # a second request from the same person, a moment ago
        raise CohortError(f"You have already asked for a place on {cohort.name}") from error
    _queue_enrolment_email(enrolment)
    return enrolment


def _promote_from_waitlist(cohort: Cohort) -> list[Enrolment]:
    """Fill free places from the waiting list, longest waiting first. Caller holds the lock."""
    free = cohort.capacity - places_taken(cohort)
    if free <= 0 or cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        return []
    waiting = list(
        cohort.enrolments.select_for_update()
        .filter(status=Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    for enrolment in waiting:
        _set_status(enrolment, Status.ACTIVE)
        enrolment.save()
        _queue_enrolment_email(enrolment)
    return waiting


@transaction.atomic
def cohort_places_changed(*, cohort: Cohort) -> list[Enrolment]:
    """After a cohort is saved (more places, say), give any free places to the waiting list,
    longest waiting first. Returns the people admitted."""
    return _promote_from_waitlist(_locked_cohort(cohort.pk))


@transaction.atomic
def enrolment_withdraw(*, user, enrolment: Enrolment) -> Enrolment:
    """The learner gives up their place or application. A freed place goes to the waiting
    list. Only the learner may withdraw their own enrolment."""
    if enrolment.user_id != user.pk:
        raise CohortError("You can only withdraw from your own place")
    cohort = _locked_cohort(enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.is_live:
        raise CohortError(f"You are not on {cohort.name}, so there is nothing to withdraw from")
    if cohort.status == Cohort.Status.FINISHED:
        raise CohortError(f"{cohort.name} has finished")
    _set_status(enrolment, Status.WITHDRAWN)
    enrolment.save()
    _promote_from_waitlist(cohort)
    return enrolment


@dataclass(frozen=True)
class DecisionResult:
    admitted: list[Enrolment]
    waitlisted: list[Enrolment]
    declined: list[Enrolment]


@transaction.atomic
def applications_decide(
    *,
    cohort: Cohort,
    enrolment_ids: Iterable[int],
    approve: bool,
    decided_by,
    message: str = "",
) -> DecisionResult:
    """Approve or decline applications (one or many) to ``cohort``. Approved applicants take
    the places left in the order they applied; the rest go on the waiting list. Declining also
    works for waitlisted people. Ids that are not pending applications of this cohort are an
    error, and nothing is saved."""
    cohort = _locked_cohort(cohort.pk)
    ids = sorted({int(pk) for pk in enrolment_ids})
    if not ids:
        raise CohortError("Select at least one application")
    deciding = (Status.APPLIED, Status.WAITLISTED) if not approve else (Status.APPLIED,)
    enrolments = list(
        cohort.enrolments.select_for_update()
        .filter(pk__in=ids, status__in=deciding)
        .order_by("created_at", "pk")
    )
    if len(enrolments) != len(ids):
        raise CohortError(
            "Some of the selected applications have already been decided or withdrawn."
            " Nothing was changed: check the list and try again"
        )
    if approve and cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        raise CohortError(f"{cohort.name} is {cohort.get_status_display().lower()}")
    now = timezone.now()
    result = DecisionResult([], [], [])
    for enrolment in enrolments:
        enrolment.decided_by = decided_by
        enrolment.decided_at = now
        enrolment.decision_message = message.strip()
        if approve:
            _admit_or_waitlist(cohort, enrolment)
            bucket = result.admitted if enrolment.status == Status.ACTIVE else result.waitlisted
        else:
            _set_status(enrolment, Status.DECLINED, now=now)
            bucket = result.declined
        enrolment.save()
        bucket.append(enrolment)
        _queue_enrolment_email(enrolment)
    return result


def _course_of(lesson: LessonPage):
    from courses.models import CoursePage

    return CoursePage.objects.ancestor_of(lesson).only("pk").first()


def _running_place(user, course, refusal: str) -> Enrolment:
    """The learner's place (active or completed) on a running cohort of ``course``, locked
    for the caller's transaction; ``CohortError(refusal)`` when there is none."""
    enrolment = None
    if course is not None:
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(
                user=user,
                course=course,
                status__in=Enrolment.MEMBER_STATUSES,
                cohort__in=Cohort.objects.running(),
            )
            .first()
        )
    if enrolment is None:
        raise CohortError(refusal)
    return enrolment


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonCompletion:
    """Mark ``lesson`` complete for the learner's active enrolment in a running cohort of the
    lesson's course. Completing every required lesson completes the enrolment. Idempotent."""
    course = _course_of(lesson)
    enrolment = _running_place(
        user, course, "You can only complete lessons of a course you are taking now"
    )
    now = timezone.now()
    completion, _ = LessonCompletion.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"completed_at": now}
    )
    enrolment.last_activity_at = now
    from .selectors import required_lesson_ids

    required = required_lesson_ids(course)
    done = enrolment.completions.filter(lesson_id__in=required).count()
    if enrolment.status == Status.ACTIVE and required and done >= len(required):
        _set_status(enrolment, Status.COMPLETED, now=now)
        _queue_enrolment_email(enrolment)
    enrolment.save()
    return completion


@transaction.atomic
def lesson_uncomplete(*, user, lesson: LessonPage) -> None:
    """Take back a "complete" mark (a slip of the finger). A completed enrolment becomes active
    again when a required lesson is no longer complete."""
    enrolment = _running_place(
        user, _course_of(lesson), "You can only change lessons of a course you are taking now"
    )
    deleted, _ = enrolment.completions.filter(lesson=lesson).delete()
    if deleted and enrolment.status == Status.COMPLETED and lesson.required_for_completion:
        enrolment.status = Status.ACTIVE
        enrolment.completed_at = None
        enrolment.status_changed_at = timezone.now()
        enrolment.save()


def lesson_visited(*, user, lesson: LessonPage) -> None:
    """Record activity when a learner opens a lesson: one UPDATE, at most every 15 minutes."""
    now = timezone.now()
    recent = now - timezone.timedelta(minutes=15)
    Enrolment.objects.filter(
        user=user,
        course__in=_course_pks(lesson),
        status__in=Enrolment.MEMBER_STATUSES,
        cohort__in=Cohort.objects.running(),
    ).exclude(last_activity_at__gte=recent).update(last_activity_at=now)


def _course_pks(lesson: LessonPage):
    from courses.models import CoursePage

    return CoursePage.objects.ancestor_of(lesson).values("pk")


_SESSION_CALENDAR_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "location",
    "joining_url",
    "description",
    "cancelled",
)


def _session_dates_error(session: LiveSession) -> str | None:
    """A session happens while its cohort runs: on or after the start date and on or before
    the end date, as days in the UK. This also keeps out years like 1 or 9999."""
    cohort = session.cohort
    try:
        days = {
            timezone.localtime(at, LONDON).date() for at in (session.starts_at, session.ends_at)
        }
    except OverflowError:  # an instant at the very edge of year 1 has no day in the UK
        days = {None}
    if all(day and cohort.start_date <= day <= cohort.end_date for day in days):
        return None
    first, last = (date_format(day, "j F Y") for day in (cohort.start_date, cohort.end_date))
    return f"The date of the session must be between {first} and {last}, when the cohort runs"


def _clean_session(session: LiveSession) -> None:
    """Check ``session`` and tidy its text; its times become instants in UTC, so that "ends
    after it starts" is decided here exactly as the database's check constraint decides it."""
    errors = {}
    try:
        session.title = clean_name(
            session.title, subject="The title", required_message="Enter a title for the session"
        )
    except ValidationError as error:
        errors["title"] = error.messages
    session.location = session.location.strip()
    session.joining_url = session.joining_url.strip()
    session.description = session.description.strip()
    if not session.location and not session.joining_url:
        errors["location"] = "Enter a location or an online joining link"
    if session.starts_at and session.ends_at:
        session.starts_at, session.ends_at = instant(session.starts_at), instant(session.ends_at)
        if session.ends_at <= session.starts_at:
            errors["ends_at"] = "The session must end after it starts"
        elif problem := _session_dates_error(session):
            errors["starts_at"] = problem
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def live_session_save(*, session: LiveSession) -> LiveSession:
    """Add or change a live session. A change calendars must notice bumps its SEQUENCE."""
    _clean_session(session)
    if session.pk:
        before = LiveSession.objects.select_for_update().get(pk=session.pk)
        if before.cohort_id != session.cohort_id:
            raise CohortError("A session cannot move to another cohort")
        if any(getattr(before, f) != getattr(session, f) for f in _SESSION_CALENDAR_FIELDS):
            session.sequence = before.sequence + 1
        else:
            session.sequence = before.sequence
    session.save()
    return session


@transaction.atomic
def live_session_cancel(*, session: LiveSession) -> LiveSession:
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not session.cancelled:
        session.cancelled = True
        session.sequence += 1
        session.save()
    return session


@transaction.atomic
def announcement_create(*, cohort: Cohort, author, subject: str, body: str) -> Announcement:
    """Post an announcement to the cohort home; the members are emailed after commit."""
    from .tasks import send_announcement_task

    body = body.strip()
    errors = {}
    try:
        subject = clean_name(subject, subject="The subject", required_message="Enter a subject")
    except ValidationError as error:
        errors["subject"] = error.messages
    if not body:
        errors["body"] = "Enter the announcement"
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        cohort=cohort, author=author, subject=subject, body=body
    )
    announcement_id = announcement.pk
    transaction.on_commit(lambda: send_announcement_task.delay(announcement_id))
    return announcement


def calendar_feed_for(user) -> CalendarFeed:
    """The learner's personal feed, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_token_reset(*, user) -> CalendarFeed:
    """A new token: links made with the old one stop working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_calendar_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
