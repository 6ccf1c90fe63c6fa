"""Background work about people. Tasks are thin: they take primitives, call one service and can
safely run twice."""

from celery import shared_task

from . import outbox, services


@shared_task(name="academy.tasks.clear_expired_sessions_task", ignore_result=False)
def clear_expired_sessions_task() -> int:
    """Nightly (see CELERY_BEAT_SCHEDULE): remove expired sessions. Idempotent."""
    return services.sessions_clear_expired()


@shared_task(name="academy.tasks.outbox_dispatch_task")
def outbox_dispatch_task() -> dict:
    """Every minute (see CELERY_BEAT_SCHEDULE): sweep expired leases, write due reminders,
    gather digests and queue what is due. Safe to run twice at once: rows are claimed with
    ``SKIP LOCKED`` and keys are unique."""
    report = outbox.dispatch()
    return {
        "swept": report.swept,
        "written": report.written,
        "digests": report.digests,
        "queued": report.queued,
    }


@shared_task(name="academy.tasks.outbox_send_task")
def outbox_send_task(ids: list[int]) -> int:
    """Send these outbox rows if they are still pending; returns how many were sent."""
    return outbox.send(ids)
