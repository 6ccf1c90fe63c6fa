"""Background work about content. Tasks are thin and safe to run twice."""

from io import StringIO

from django.core.management import call_command

from celery import shared_task


@shared_task(name="courses.tasks.publish_scheduled_pages_task", ignore_result=False)
def publish_scheduled_pages_task() -> str:
    """Every minute (see CELERY_BEAT_SCHEDULE): publish pages and snippets whose go-live time
    has passed and unpublish those whose expiry has passed, with Wagtail's own
    ``publish_scheduled`` command. Idempotent: a second run finds nothing due."""
    output = StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()
