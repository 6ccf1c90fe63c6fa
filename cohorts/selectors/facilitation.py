"""The cohorts a person runs (/facilitate/), in sections: running now, starting soon, finished
and cancelled. Each section is counted and paged by the database, so a programme manager, who
runs every cohort, opens the page as fast with 2,000 cohorts as with 20."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from .. import access
from ..models import Cohort, Enrolment
from .places import places_taken_count

Status = Enrolment.Status
PER_PAGE = 50

SECTIONS = (
    (Cohort.Status.RUNNING, "Running now"),
    (Cohort.Status.UPCOMING, "Starting soon"),
    (Cohort.Status.FINISHED, "Finished"),
    (Cohort.Status.CANCELLED, "Cancelled"),
)


@dataclass(frozen=True)
class Section:
    status: str
    heading: str
    page: Page  # of cohorts with n_learners, n_pending and n_waitlisted

    @property
    def cohorts(self):
        return self.page.object_list

    @property
    def page_parameter(self) -> str:
        return page_parameter(self.status)


def page_parameter(status: str) -> str:
    """Each section pages on its own: ``?finished_page=2``."""
    return f"{status}_page"


def _in_section(cohorts, status: str, today):
    """The section's cohorts in the order shown: finished ones, latest first."""
    listed = cohorts.filter(_section_filter(status, today))
    if status == Cohort.Status.FINISHED:
        return listed.order_by("-end_date", "-name", "-pk")
    return listed.order_by("start_date", "name", "pk")


def _section_filter(status: str, today) -> Q:
    """Which of the person's cohorts fall in a section, as ``Cohort.status_on`` decides."""
    return Cohort.status_condition(status, today)


def cohort_sections(user, pages) -> list[Section]:
    """The non-empty sections of the cohorts ``user`` runs; ``pages`` maps each section's page
    parameter to the page asked for (``request.GET``). Six queries whatever is in them: one
    count per section in one aggregate, the ids of each section's page, and the cohorts shown
    with their figures."""
    today = timezone.localdate()
    cohorts = access.facilitated_cohorts(user)
    counts = cohorts.aggregate(
        **{status: Count("pk", filter=_section_filter(status, today)) for status, _ in SECTIONS}
    )
    pages_shown = {}
    for status, _ in SECTIONS:
        paginator = Paginator(
            _in_section(cohorts, status, today).values_list("pk", flat=True), PER_PAGE
        )
        paginator.count = counts[status]
        page = paginator.get_page(pages.get(page_parameter(status)))
        page.object_list = list(page.object_list)
        pages_shown[status] = page
    counted = {
        cohort.pk: cohort
        for cohort in Cohort.objects.filter(
            pk__in=[pk for page in pages_shown.values() for pk in page.object_list]
        )
        .select_related("course")
        .annotate(
            n_learners=places_taken_count("enrolments__"),
            n_pending=Count("enrolments", filter=Q(enrolments__status=Status.APPLIED)),
            n_waitlisted=Count("enrolments", filter=Q(enrolments__status=Status.WAITLISTED)),
        )
    }
    sections = []
    for status, heading in SECTIONS:
        page = pages_shown[status]
        if counts[status]:
            page.object_list = [counted[pk] for pk in page.object_list]
            sections.append(Section(status, heading, page))
    return sections
