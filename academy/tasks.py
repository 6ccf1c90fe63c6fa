"""Background work about people. Tasks are thin: they take primitives, call one service and can
safely run twice."""

from celery import shared_task

from . import services


@shared_task(name="academy.tasks.clear_expired_sessions_task", ignore_result=False)
def clear_expired_sessions_task() -> int:
    """Nightly (see CELERY_BEAT_SCHEDULE): remove expired sessions. Idempotent."""
    return services.sessions_clear_expired()
