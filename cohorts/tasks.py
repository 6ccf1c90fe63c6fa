"""Background work about cohorts. Their emails go through the academy's outbox
(``cohorts.notifications``, ``academy.tasks``). Certificates are drawn here: a task takes the
certificate's id and issues it only while it is pending, so a retry, a duplicate message or one
queued again by the sweeper does nothing more."""

from celery import shared_task

from .services.certificates import certificate_issue, certificates_sweep


# No results are kept: the database says what was issued. Without a result to wait for,
# queueing touches only the broker, and fails at once while it is down (the sweeper queues the
# certificate later) rather than retrying the result store first.
@shared_task(name="cohorts.tasks.certificate_issue_task", ignore_result=True)
def certificate_issue_task(certificate_id: int) -> bool:
    """Draw, store and send a certificate still pending; a no-op once it is issued, so a
    message delivered twice, or queued again by the sweeper, issues it once."""
    return certificate_issue(certificate_id=certificate_id)


@shared_task(name="cohorts.tasks.certificates_sweep_task", ignore_result=True)
def certificates_sweep_task() -> int:
    """Queue again the certificates left pending (beat, every minute): the database says what
    is still to do, whatever the broker lost."""
    return certificates_sweep()
