"""The moment an enrolment becomes complete, and the moment it stops being complete.

Whatever the learner finishes last (today a lesson; later an assessment), the service that
records it calls ``enrolment_progress_changed``; the progress engine (``cohorts.progress``)
decides, and ``enrolment_complete`` is the one place an enrolment is marked complete: it writes
the enrolment's certificate in the same transaction (``services.certificates``), whose issue is
queued once the transaction commits, as the ``enrolment_completed`` signal is sent.

Undoing something after completion (a lesson taken back, a released pass revised) makes the
enrolment active again and suspends its certificate; completing again reinstates the same
certificate with the new completion date (docs/decisions.md §39).
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from courses.models import CoursePage

from .. import progress
from ..models import Enrolment
from .certificates import certificate_create, certificate_suspend
from .enrolment import queue_enrolment_email, set_status

Status = Enrolment.Status

# Sent with ``enrolment`` after the transaction that completed it commits.
enrolment_completed = Signal()


def enrolment_complete(*, enrolment: Enrolment, now=None) -> None:
    """Mark ``enrolment`` complete: its status and date, its certificate (issued in the
    background), the learner's email and the signal, both after commit. The caller holds the
    enrolment's row lock and saves it."""
    set_status(enrolment, Status.COMPLETED, now=now)
    certificate_create(enrolment=enrolment, now=enrolment.completed_at)
    queue_enrolment_email(enrolment)
    transaction.on_commit(lambda: enrolment_completed.send(sender=Enrolment, enrolment=enrolment))


def enrolment_progress_changed(*, enrolment: Enrolment, course: CoursePage, now=None) -> None:
    """After something counted by the progress engine was done or undone: an active enrolment
    with everything done becomes complete; a completed one with something undone becomes
    active again, and its certificate is suspended until it is complete again. The caller holds
    the enrolment's row lock and saves it."""
    now = now or timezone.now()
    if enrolment.status == Status.ACTIVE:
        if progress.is_complete(enrolment, course):
            enrolment_complete(enrolment=enrolment, now=now)
    elif enrolment.status == Status.COMPLETED and not progress.is_complete(enrolment, course):
        enrolment.status = Status.ACTIVE
        enrolment.completed_at = None
        enrolment.status_changed_at = now
        certificate_suspend(enrolment=enrolment, now=now)
