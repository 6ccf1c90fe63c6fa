"""The learner table of a cohort's dashboard (and its CSV), the summary above it, and the
"at risk" rule.

The database does the work: progress comes from the progress engine as an expression, the
at-risk flag is an expression, and the table is sorted and paged in SQL, so a page of 50 rows
costs the same in a cohort of 40 or of 4,000. Each learner's outcome on each assessment comes
from one more query for the rows shown (``selectors.results.outcomes``). The summary figures
are one aggregate.

The "at risk" rule (docs/facilitators.md): an active learner in a running cohort is at risk
when they have done nothing for ``INACTIVE_DAYS``, or their progress trails the share of the
cohort's time that has passed by more than ``BEHIND_POINTS`` percentage points."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from .. import progress
from ..models import Cohort, Enrolment
from .assessments import cohort_assessments
from .places import holds_a_place, places_taken_count
from .results import Outcome, not_started, outcomes

Status = Enrolment.Status

INACTIVE_DAYS = 14
BEHIND_POINTS = 25
PER_PAGE = 50

# Everyone who holds or held a place: the table's rows.
TABLE_STATUSES = (Status.ACTIVE, Status.COMPLETED, Status.WITHDRAWN)


def last_seen() -> Expression:
    """When the learner was last active: their last activity, else when they were admitted,
    else when they asked for a place."""
    return Coalesce("last_activity_at", "activated_at", "created_at")


def behind_threshold(cohort: Cohort, today) -> int:
    """Progress below this (in percent) counts as behind."""
    return cohort.elapsed_percent(today) - BEHIND_POINTS


def _at_risk_condition(threshold: Expression, now: datetime) -> Q:
    """The rule for enrolments of a running cohort carrying ``progress`` and ``seen``."""
    return Q(status=Status.ACTIVE) & (
        Q(seen__lt=now - timedelta(days=INACTIVE_DAYS)) | Q(progress__lt=threshold)
    )


def at_risk_condition(cohort: Cohort, now: datetime) -> Q | None:
    """The at-risk rule as a condition on the cohort's enrolments, which must carry the
    ``progress`` and ``seen`` annotations; None when nobody can be at risk (the cohort is
    not running)."""
    today = timezone.localdate(now)
    if cohort.status_on(today) != Cohort.Status.RUNNING:
        return None
    return _at_risk_condition(Value(behind_threshold(cohort, today)), now)


def at_risk_expression(cohort: Cohort, now: datetime) -> Expression:
    """``at_risk_condition`` as a true or false column."""
    condition = at_risk_condition(cohort, now)
    if condition is None:
        return Value(False, output_field=BooleanField())
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def at_risk_counts(cohorts: list[Cohort], now: datetime) -> dict[int, int]:
    """How many learners are at risk in each of ``cohorts`` (running or not): one query per
    course among them. Each running cohort has its own "behind" threshold; cohorts sharing a
    threshold share one branch of the expression, so it has at most 101 branches however many
    cohorts there are."""
    today = timezone.localdate(now)
    running = [c for c in cohorts if c.status_on(today) == Cohort.Status.RUNNING]
    by_course: dict[int, list[Cohort]] = {}
    for cohort in running:
        by_course.setdefault(cohort.course_id, []).append(cohort)
    counts: dict[int, int] = {}
    for course_cohorts in by_course.values():
        by_threshold: dict[int, list[int]] = {}
        for cohort in course_cohorts:
            by_threshold.setdefault(behind_threshold(cohort, today), []).append(cohort.pk)
        threshold = Case(
            *(When(cohort_id__in=ids, then=Value(t)) for t, ids in by_threshold.items()),
            output_field=IntegerField(),
        )
        enrolments = progress.with_progress(
            Enrolment.objects.filter(
                cohort__in=[c.pk for c in course_cohorts], status=Status.ACTIVE
            ),
            course_cohorts[0].course,
        ).annotate(seen=last_seen())
        rows = (
            enrolments.filter(_at_risk_condition(threshold, now))
            .order_by()
            .values("cohort_id")
            .annotate(n=Count("pk"))
            .values_list("cohort_id", "n")
        )
        counts.update(rows)
    return counts


def _with_table_fields(enrolments: QuerySet[Enrolment], cohort: Cohort, now) -> QuerySet:
    enrolments = progress.with_progress(enrolments, cohort.course).annotate(seen=last_seen())
    return enrolments.annotate(at_risk=at_risk_expression(cohort, now))


@dataclass
class LearnerRow:
    enrolment_id: int
    name: str
    email: str
    organisation: str
    sector: str
    progress: int
    last_activity: datetime | None
    status: str
    status_label: str
    at_risk: bool
    outcomes: list[Outcome] = field(default_factory=list)  # one per assessment, in course order


def _casefolded(field: str) -> Expression:
    return Lower(Coalesce(field, Value(""), output_field=CharField()))


def _status_label() -> Expression:
    return Case(
        *(When(status=value, then=Value(label)) for value, label in Status.choices),
        output_field=CharField(),
    )


def _order(sort: str, descending: bool, at_risk: Q | None) -> list:
    """ORDER BY for a sort key: the column, then the name, then the order places were asked
    for; ``descending`` turns the column and the name round (as the table shows them)."""
    name = _casefolded("name")

    def direction(expression):
        return expression.desc() if descending else expression.asc()

    if sort == "activity":
        column = (
            F("last_activity_at").desc(nulls_last=True)
            if descending
            else F("last_activity_at").asc(nulls_first=True)
        )
        columns = [column]
    elif sort == "status":
        # At risk first (nobody is, outside a running cohort), then by the status as shown.
        columns = [direction(_status_label())]
        if at_risk is not None:
            at_risk_first = Case(When(at_risk, then=Value(0)), default=Value(1))
            columns.insert(0, direction(at_risk_first))
    elif sort == "progress":
        columns = [direction(F("progress"))]
    elif sort in ("organisation", "sector"):
        columns = [direction(_casefolded(sort))]
    else:
        columns = []
    return [*columns, direction(name), "created_at", "pk"]


SORT_KEYS = ("name", "organisation", "sector", "progress", "activity", "status")

_ROW_FIELDS = (
    "pk",
    "status",
    "name",
    "user__email",
    "organisation",
    "sector",
    "progress",
    "last_activity_at",
    "at_risk",
)


def _table(cohort: Cohort, sort: str, descending: bool) -> QuerySet:
    if sort not in SORT_KEYS:
        sort = "name"
    enrolments = cohort.enrolments.filter(status__in=TABLE_STATUSES).annotate(
        name=Coalesce(
            NullIf("user__display_name", Value("")), "user__email", output_field=CharField()
        ),
        organisation=F("user__organisation__name"),
        sector=F("user__sector__name"),
    )
    now = timezone.now()
    enrolments = _with_table_fields(enrolments, cohort, now)
    order = _order(sort, descending, at_risk_condition(cohort, now))
    return enrolments.order_by(*order).values(*_ROW_FIELDS)


def _row(values: dict, labels: dict) -> LearnerRow:
    return LearnerRow(
        enrolment_id=values["pk"],
        name=values["name"],
        email=values["user__email"],
        organisation=values["organisation"] or "",
        sector=values["sector"] or "",
        progress=values["progress"],
        last_activity=values["last_activity_at"],
        status=values["status"],
        status_label=labels[values["status"]],
        at_risk=bool(values["at_risk"]),
    )


def learner_rows(
    cohort: Cohort, *, sort: str = "name", descending: bool = False
) -> list[LearnerRow]:
    """Every row of the table, sorted (the CSV download): one query, and one for the outcomes
    on the course's assessments when it has any."""
    labels = dict(Status.choices)
    rows = [_row(values, labels) for values in _table(cohort, sort, descending)]
    _with_outcomes(rows, cohort_assessments(cohort), cohort=cohort)
    return rows


def learner_page(cohort: Cohort, *, sort: str = "name", descending: bool = False, page=1) -> Page:
    """One page of the table, sorted and paged by the database: a count, one query for the
    rows and one for their outcomes on the course's assessments, whatever the cohort's size.
    ``page`` is taken as ``Paginator.get_page`` takes it."""
    labels = dict(Status.choices)
    paginator = Paginator(_table(cohort, sort, descending), PER_PAGE)
    # Counted without the joins and expressions of the rows: one index scan.
    paginator.count = cohort.enrolments.filter(status__in=TABLE_STATUSES).count()
    learners = paginator.get_page(page)
    learners.object_list = [_row(values, labels) for values in learners.object_list]
    rows = learners.object_list
    _with_outcomes(rows, cohort_assessments(cohort), enrolment_ids=[r.enrolment_id for r in rows])
    return learners


def _with_outcomes(rows: list[LearnerRow], assessments, **whose) -> None:
    """Give each row its outcome on each of ``assessments``: one query for all the rows."""
    found = outcomes(assessments, **whose)
    for row in rows:
        row.outcomes = found.get(row.enrolment_id) or not_started(assessments)


@dataclass(frozen=True)
class LearnerSummary:
    places_taken: int
    active: int
    completed: int
    at_risk: int
    average_progress: int  # of the learners who hold a place
    applied: int
    waitlisted: int


def learner_summary(cohort: Cohort) -> LearnerSummary:
    """The figures above the table, in one aggregate."""
    now = timezone.now()
    enrolments = progress.with_progress(cohort.enrolments.all(), cohort.course).annotate(
        seen=last_seen()
    )
    members = holds_a_place()
    at_risk = at_risk_condition(cohort, now)
    figures = enrolments.aggregate(
        places_taken=places_taken_count(),
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        completed=Count("pk", filter=Q(status=Status.COMPLETED)),
        # A condition, not the at_risk column: an aggregate cannot filter on an annotation.
        **({"at_risk": Count("pk", filter=at_risk)} if at_risk is not None else {}),
        average_progress=Avg("progress", filter=members),
        applied=Count("pk", filter=Q(status=Status.APPLIED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    average = figures.pop("average_progress")
    figures.setdefault("at_risk", 0)  # nobody is at risk in a cohort that is not running
    return LearnerSummary(**figures, average_progress=round(average) if average else 0)
