"""The programme report: per course, applications, learners, completion, at risk and the mix of
sectors, summed by the database; below each course, its cohorts, paged across the report.

The work does not grow with the number of cohorts: the course figures are grouped counts, the
cohort rows are one page of ``PER_PAGE`` at a time, and the at-risk counts take one query per
course (``learners.at_risk_counts``). The CSV download asks for every cohort at once."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from courses.models import CoursePage

from ..models import Cohort, Enrolment
from ..progress import percent
from .learners import at_risk_counts

Status = Enrolment.Status
PER_PAGE = 50
NOT_GIVEN = "Not given"


class Completion:
    """Learners (active or completed) and the share who completed, of whatever is counted."""

    active: int
    completed: int

    @property
    def learners(self) -> int:
        return self.active + self.completed

    @property
    def completion_rate(self) -> int:
        return percent(self.completed, self.learners)


@dataclass
class CohortReport(Completion):
    cohort: Cohort
    applications: int
    active: int
    completed: int
    withdrawn: int
    at_risk: int
    sectors: list[tuple[str, int]]


@dataclass
class CourseReport(Completion):
    course: CoursePage
    applications: int = 0
    active: int = 0
    completed: int = 0
    at_risk: int = 0
    cohort_count: int = 0
    sectors: list[tuple[str, int]] = field(default_factory=list)
    cohorts: list[CohortReport] = field(default_factory=list)  # those on the page shown


@dataclass
class ProgrammeReport(Completion):
    courses: list[CourseReport]
    page: Page | None  # of cohorts; None when every cohort is in

    @property
    def cohorts(self) -> int:
        return sum(course.cohort_count for course in self.courses)

    def _sum(self, name: str) -> int:
        return sum(getattr(course, name) for course in self.courses)

    @property
    def applications(self) -> int:
        return self._sum("applications")

    @property
    def active(self) -> int:
        return self._sum("active")

    @property
    def completed(self) -> int:
        return self._sum("completed")

    @property
    def at_risk(self) -> int:
        return self._sum("at_risk")


def _status_counts(prefix: str = "") -> dict:
    def count(status):
        return Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status}))

    return {
        "n_applications": count(Status.APPLIED),
        "n_active": count(Status.ACTIVE),
        "n_completed": count(Status.COMPLETED),
        "n_withdrawn": count(Status.WITHDRAWN),
    }


def _sectors(group_by: str, **filters) -> dict[int, list[tuple[str, int]]]:
    """The sectors of the learners holding a place, grouped by ``group_by``: one query."""
    rows = (
        Enrolment.objects.members()
        .filter(**filters)
        .order_by()
        .values(group_by, "user__sector__name")
        .annotate(n=Count("pk"))
    )
    sectors: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        sectors[row[group_by]][row["user__sector__name"] or NOT_GIVEN] += row["n"]
    return {key: counter.most_common() for key, counter in sectors.items()}


def programme_report(*, page=1, every_cohort: bool = False, today: date | None = None):
    """The report with the cohorts of one page (``page`` as ``Paginator.get_page`` takes it),
    or with every cohort for the CSV (``every_cohort=True``)."""
    now = timezone.now()
    courses = {
        course.pk: CourseReport(course)
        for course in CoursePage.objects.filter(pk__in=Cohort.objects.values("course_id"))
        .only("title", "slug", "path", "depth", "url_path")
        .order_by("title", "pk")
    }
    for row in Enrolment.objects.order_by().values("course_id").annotate(**_status_counts()):
        if report := courses.get(row["course_id"]):
            report.applications = row["n_applications"]
            report.active = row["n_active"]
            report.completed = row["n_completed"]
    cohort_counts = Cohort.objects.order_by().values("course_id").annotate(n=Count("pk"))
    for row in cohort_counts:
        courses[row["course_id"]].cohort_count = row["n"]
    for course_id, sectors in _sectors("course_id").items():
        if course_id in courses:
            courses[course_id].sectors = sectors
    running = list(Cohort.objects.running(today).select_related("course"))
    at_risk = at_risk_counts(running, now)
    for cohort in running:
        courses[cohort.course_id].at_risk += at_risk.get(cohort.pk, 0)

    cohorts = Cohort.objects.select_related("course").order_by(
        "course__title", "course_id", "start_date", "name", "pk"
    )
    cohort_page = None
    if every_cohort:
        shown = list(cohorts.annotate(**_status_counts("enrolments__")))
    else:
        paginator = Paginator(cohorts, PER_PAGE)
        paginator.count = sum(course.cohort_count for course in courses.values())
        cohort_page = paginator.get_page(page)
        ids = [cohort.pk for cohort in cohort_page.object_list]
        counted = Cohort.objects.filter(pk__in=ids).annotate(**_status_counts("enrolments__"))
        by_id = {cohort.pk: cohort for cohort in counted.select_related("course")}
        shown = [by_id[pk] for pk in ids]
        cohort_page.object_list = shown
    if every_cohort:
        sectors = _sectors("cohort_id")
    else:
        sectors = _sectors("cohort_id", cohort__in=[cohort.pk for cohort in shown])
    for cohort in shown:
        courses[cohort.course_id].cohorts.append(
            CohortReport(
                cohort=cohort,
                applications=cohort.n_applications,
                active=cohort.n_active,
                completed=cohort.n_completed,
                withdrawn=cohort.n_withdrawn,
                at_risk=at_risk.get(cohort.pk, 0),
                sectors=sectors.get(cohort.pk, []),
            )
        )
    return ProgrammeReport(list(courses.values()), cohort_page)
