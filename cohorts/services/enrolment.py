"""Taking and giving up places, deciding applications and the waiting list.

Places are counted (``selectors.places.places_taken``) inside a transaction that holds a row
lock on the cohort (``SELECT … FOR UPDATE``), so two decisions about the last place are taken
one after the other: the first admits its learner, the second finds the cohort full and
waitlists its own."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Cohort, Enrolment
from ..selectors.places import places_taken

Status = Enrolment.Status


def queue_enrolment_email(enrolment: Enrolment) -> None:
    """Write the learner's email about their new status into the outbox, in this transaction."""
    from ..notifications import enrolment_notify

    enrolment_notify(enrolment)


def set_status(enrolment: Enrolment, status: str, *, now=None) -> None:
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


def locked_cohort(cohort_id: int) -> Cohort:
    # Lock the cohort row only (not the joined course page, which editors may be publishing).
    return Cohort.objects.select_for_update(of=("self",)).select_related("course").get(pk=cohort_id)


def _admit_or_waitlist(cohort: Cohort, enrolment: Enrolment) -> None:
    """Give ``enrolment`` a place if one is free, else put it on the waiting list. The caller
    holds the cohort's row lock."""
    if places_taken(cohort) < cohort.capacity:
        set_status(enrolment, Status.ACTIVE)
    else:
        set_status(enrolment, Status.WAITLISTED)


def _check_joinable(cohort: Cohort) -> None:
    status = cohort.status
    if status == Cohort.Status.CANCELLED:
        raise ValidationError(f"{cohort.name} has been cancelled, so it is not taking learners")
    if status == Cohort.Status.FINISHED:
        raise ValidationError(f"{cohort.name} has finished, so it is not taking learners")
    if status == Cohort.Status.RUNNING:
        raise ValidationError(f"{cohort.name} has already started, so it is not taking learners")


@transaction.atomic
def enrolment_request(*, user, cohort: Cohort, answer: str = "") -> Enrolment:
    """Ask for a place on ``cohort``. Open cohorts admit at once while places are left, then
    waitlist; cohorts by application record the application for facilitators to decide."""
    cohort = locked_cohort(cohort.pk)
    _check_joinable(cohort)
    answer = answer.strip()
    if cohort.by_application and not answer:
        raise ValidationError("Answer the question to apply")
    existing = Enrolment.objects.select_for_update().filter(user=user, cohort=cohort).first()
    if existing and existing.is_live:
        raise ValidationError(f"You have already asked for a place on {cohort.name}")
    if existing and existing.status == Status.COMPLETED:
        raise ValidationError(f"You have already completed {cohort.name}")
    if existing and existing.status == Status.DECLINED:
        raise ValidationError(f"Your application to {cohort.name} was not accepted")
    other = (
        Enrolment.objects.live()
        .filter(user=user, course_id=cohort.course_id)
        .exclude(cohort=cohort)
        .select_related("cohort")
        .first()
    )
    if other:
        raise ValidationError(
            f"You already have a place or an application on {other.cohort.name} of this course."
            " Withdraw from it first to join a different cohort"
        )
    enrolment = existing or Enrolment(user=user, cohort=cohort, course_id=cohort.course_id)
    enrolment.application_answer = answer if cohort.by_application else ""
    enrolment.decided_by = None
    enrolment.decided_at = None
    enrolment.decision_message = ""
    if cohort.by_application:
        set_status(enrolment, Status.APPLIED)
    else:
        _admit_or_waitlist(cohort, enrolment)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:  # a second request from the same person, a moment ago
        raise ValidationError(f"You have already asked for a place on {cohort.name}") from error
    queue_enrolment_email(enrolment)
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
        set_status(enrolment, Status.ACTIVE)
        enrolment.save()
        queue_enrolment_email(enrolment)
    return waiting


@transaction.atomic
def cohort_places_changed(*, cohort: Cohort) -> list[Enrolment]:
    """After a cohort is saved (more places, say), give any free places to the waiting list,
    longest waiting first. Returns the people admitted."""
    return _promote_from_waitlist(locked_cohort(cohort.pk))


@transaction.atomic
def enrolment_withdraw(*, user, enrolment: Enrolment) -> Enrolment:
    """The learner gives up their place or application. A freed place goes to the waiting
    list. Only the learner may withdraw their own enrolment."""
    if enrolment.user_id != user.pk:
        raise ValidationError("You can only withdraw from your own place")
    cohort = locked_cohort(enrolment.cohort_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.is_live:
        raise ValidationError(f"You are not on {cohort.name}, so there is nothing to withdraw from")
    if cohort.status == Cohort.Status.FINISHED:
        raise ValidationError(f"{cohort.name} has finished")
    set_status(enrolment, Status.WITHDRAWN)
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
    cohort = locked_cohort(cohort.pk)
    ids = sorted({int(pk) for pk in enrolment_ids})
    if not ids:
        raise ValidationError("Select at least one application")
    deciding = (Status.APPLIED, Status.WAITLISTED) if not approve else (Status.APPLIED,)
    enrolments = list(
        cohort.enrolments.select_for_update()
        .filter(pk__in=ids, status__in=deciding)
        .order_by("created_at", "pk")
    )
    if len(enrolments) != len(ids):
        raise ValidationError(
            "Some of the selected applications have already been decided or withdrawn."
            " Nothing was changed: check the list and try again"
        )
    if approve and cohort.status in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED):
        raise ValidationError(f"{cohort.name} is {cohort.get_status_display().lower()}")
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
            set_status(enrolment, Status.DECLINED, now=now)
            bucket = result.declined
        enrolment.save()
        bucket.append(enrolment)
        queue_enrolment_email(enrolment)
    return result
