"""The applications queue: applications waiting for a decision, oldest first, then the
waiting list, longest waiting first. Paged by the database, with both counts in one
aggregate, so a cohort with thousands of applicants opens as fast as one with three."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from ..models import Cohort, Enrolment

Status = Enrolment.Status
PER_PAGE = 50


@dataclass(frozen=True)
class ApplicationQueue:
    page: Page  # of enrolments, applications first
    applied: int
    waitlisted: int


def pending_applications(cohort: Cohort):
    """Applications waiting for a decision, oldest first; then the waiting list."""
    return (
        cohort.enrolments.filter(status__in=(Status.APPLIED, Status.WAITLISTED))
        .select_related("user__organisation", "user__sector")
        .order_by("status", "created_at", "pk")
    )


def _counts() -> dict[str, Count]:
    return {
        "applied": Count("pk", filter=Q(status=Status.APPLIED)),
        "waitlisted": Count("pk", filter=Q(status=Status.WAITLISTED)),
    }


def application_queue(cohort: Cohort, *, page=1) -> ApplicationQueue:
    """One page of the queue and how many are applying and waiting: two queries, and one
    more for the page's rows."""
    counts = cohort.enrolments.aggregate(**_counts())
    paginator = Paginator(pending_applications(cohort), PER_PAGE)
    # The paginator's own count is the sum of the two, already known.
    paginator.count = counts["applied"] + counts["waitlisted"]
    queue_page = paginator.get_page(page)
    queue_page.object_list = list(queue_page.object_list)
    return ApplicationQueue(queue_page, counts["applied"], counts["waitlisted"])


def application_counts(cohorts: list[Cohort]) -> dict[int, dict[str, int]]:
    """The queue's two counts (``applied``, ``waitlisted``) for each of ``cohorts`` that has
    anyone in its queue: one aggregate, whatever their number."""
    rows = (
        Enrolment.objects.filter(
            cohort__in=[cohort.pk for cohort in cohorts],
            status__in=(Status.APPLIED, Status.WAITLISTED),
        )
        .order_by()
        .values("cohort_id")
        .annotate(**_counts())
    )
    return {row.pop("cohort_id"): row for row in rows}
