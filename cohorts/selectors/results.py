"""Where learners stand on a cohort's assessments, for the pages that list them: My learning
and the cohort home (one learner's standing on each assessment: what is due next, what is in
progress, what is late), the dashboard (what waits to be marked, and each assessment's figures)
and the learner table and its CSV (each learner's outcome on each assessment).

Read from ``AssessmentResult``, which the assessment services keep for every learner and
assessment (no row: not started), never worked out again from every version, mark or attempt;
the assessments themselves come from the course's cached outline. Each read is a fixed number
of queries however many learners, assessments or submissions there are
(``tests/cohorts/test_query_counts.py``)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from courses.models import AssessmentPage

from ..models import AssessmentResult, Cohort, Enrolment
from ..requirements.assessments import is_required
from .assessments import cohort_assessments, due_dates, due_dates_of
from .marking import marked_assessments, queue_counts
from .places import holds_a_place

Status = AssessmentResult.Status
NOT_STARTED = "not_started"
NOT_STARTED_LABEL = "Not started"

# Where the learner has something to do: start, resubmit, give reviews or try the quiz again.
TO_DO = (NOT_STARTED, Status.RESUBMIT, Status.REVIEWS_OWED, Status.NOT_PASSED)
# Handed in and not yet passed: waiting for feedback, asked to resubmit, reviews still to give.
IN_PROGRESS = (Status.SUBMITTED, Status.RESUBMIT, Status.REVIEWS_OWED)

_RESULT_FIELDS = ("enrolment_id", "assessment_id", "status", "best_score", "late")


@dataclass(frozen=True)
class Standing:
    """One learner on one assessment of their cohort."""

    assessment: AssessmentPage
    due_on: datetime.date
    required: bool
    status: str  # an ``AssessmentResult.Status`` value, or ``NOT_STARTED``
    label: str
    handed_in_late: bool
    today: datetime.date

    @property
    def is_to_do(self) -> bool:
        return self.status in TO_DO

    @property
    def is_in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def late(self) -> bool:
        """Past its due date with work still owed, or handed in after it and waiting."""
        if self.is_to_do:
            return self.due_on < self.today
        return self.status == Status.SUBMITTED and self.handed_in_late


def _standing(page, due_on, result, today) -> Standing:
    return Standing(
        assessment=page,
        due_on=due_on,
        required=is_required(page),
        status=result.status if result else NOT_STARTED,
        label=result.get_status_display() if result else NOT_STARTED_LABEL,
        handed_in_late=bool(result and result.late),
        today=today,
    )


def _results(
    enrolment_ids: list[int], assessment_ids: set[int]
) -> dict[tuple[int, int], AssessmentResult]:
    """The results of ``enrolment_ids`` on ``assessment_ids``, by (enrolment, assessment): one
    query, none when there is nothing to read."""
    if not enrolment_ids or not assessment_ids:
        return {}
    rows = AssessmentResult.objects.filter(
        enrolment_id__in=enrolment_ids, assessment_id__in=assessment_ids
    ).only(*_RESULT_FIELDS)
    return {(row.enrolment_id, row.assessment_id): row for row in rows}


def _in_due_order(standings: list[Standing]) -> list[Standing]:
    """By due date; assessments due the same day in course order (a stable sort)."""
    return sorted(standings, key=lambda standing: standing.due_on)


@dataclass(frozen=True)
class LearnerAssessments:
    """One learner's standing on each of their cohort's assessments, in course order."""

    standings: list[Standing]

    @property
    def due_next(self) -> Standing | None:
        """The nearest assessment the learner still has something to do on."""
        return next((s for s in _in_due_order(self.standings) if s.is_to_do), None)

    @property
    def in_progress(self) -> list[Standing]:
        """Work handed in and not yet passed, by due date, leaving out what is due next."""
        due_next = self.due_next
        return [s for s in _in_due_order(self.standings) if s.is_in_progress and s is not due_next]

    def __bool__(self) -> bool:
        return bool(self.standings)


def learner_assessments(enrolment: Enrolment | None, cohort: Cohort) -> LearnerAssessments:
    """Where the holder of ``enrolment`` stands on each of ``cohort``'s assessments (everything
    not started without a place, as someone who runs the cohort sees it): two queries, none for
    a course without assessments."""
    assessments = cohort_assessments(cohort)
    if not assessments:
        return LearnerAssessments([])
    today = timezone.localdate()
    due = due_dates(cohort, assessments)
    member = enrolment.pk if enrolment is not None and enrolment.is_member else None
    results = _results([member] if member else [], {page.pk for page in assessments})
    return LearnerAssessments(
        [
            _standing(page, due[page.pk], results.get((member, page.pk)), today)
            for page in assessments
        ]
    )


def assessments_of_places(enrolments: list[Enrolment]) -> dict[int, LearnerAssessments]:
    """``learner_assessments`` for each of ``enrolments`` (a learner's places, of any courses,
    with ``cohort`` loaded), by enrolment: two queries whatever their number."""
    today = timezone.localdate()
    cohorts = {enrolment.cohort_id: enrolment.cohort for enrolment in enrolments}
    pages = {pk: cohort_assessments(cohort) for pk, cohort in cohorts.items()}
    due = due_dates_of([cohort for pk, cohort in cohorts.items() if pages[pk]])
    results = _results(
        [enrolment.pk for enrolment in enrolments],
        {page.pk for listed in pages.values() for page in listed},
    )
    return {
        enrolment.pk: LearnerAssessments(
            [
                _standing(
                    page,
                    due[enrolment.cohort_id][page.pk],
                    results.get((enrolment.pk, page.pk)),
                    today,
                )
                for page in pages[enrolment.cohort_id]
            ]
        )
        for enrolment in enrolments
    }


# --- For the people who run the cohort -------------------------------------------------------


@dataclass(frozen=True)
class MarkingWaiting:
    """What waits in the cohort's marking queue."""

    waiting: int  # submissions not marked yet
    held: int  # marked, the marks held to be released together

    def __bool__(self) -> bool:
        return bool(self.waiting or self.held)


def marking_waiting(cohort: Cohort) -> MarkingWaiting:
    """What waits in the cohort's marking queue and how many marks are held: the queue's own
    figures (``marking.queue_counts``: the newest work of the learners who hold a place), so
    the dashboard and the queue always agree. One aggregate, none for a course without
    assessments to mark."""
    assessments = marked_assessments(cohort)
    if not assessments:
        return MarkingWaiting(0, 0)
    counts = queue_counts(cohort, assessments)
    return MarkingWaiting(waiting=counts.waiting, held=counts.held)


@dataclass(frozen=True)
class AssessmentFigures:
    """How the learners who hold a place stand on one assessment."""

    assessment: AssessmentPage
    due_on: datetime.date
    required: bool
    handed_in: int  # learners who handed in work or took the quiz
    waiting: int  # of them, waiting for feedback
    passed: int


def assessment_figures(cohort: Cohort) -> list[AssessmentFigures]:
    """Each of the cohort's assessments in course order with its due date and figures: two
    queries (the figures in one aggregate grouped by assessment, and the due dates), none for
    a course without assessments."""
    assessments = cohort_assessments(cohort)
    if not assessments:
        return []
    due = due_dates(cohort, assessments)
    rows = (
        AssessmentResult.objects.filter(
            holds_a_place("enrolment__"),
            enrolment__cohort=cohort,
            assessment_id__in=[page.pk for page in assessments],
        )
        .order_by()
        .values("assessment_id")
        .annotate(
            handed_in=Count("pk"),
            waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
            passed=Count("pk", filter=Q(status=Status.PASSED)),
        )
    )
    figures = {row.pop("assessment_id"): row for row in rows}
    empty = {"handed_in": 0, "waiting": 0, "passed": 0}
    return [
        AssessmentFigures(
            assessment=page,
            due_on=due[page.pk],
            required=is_required(page),
            **figures.get(page.pk, empty),
        )
        for page in assessments
    ]


@dataclass(frozen=True)
class Outcome:
    """A learner's outcome on one assessment, as the learner table and its CSV show it."""

    status: str  # an ``AssessmentResult.Status`` value, or ``NOT_STARTED``
    label: str
    best_score: int | None = None  # quizzes: the best attempt, in percent

    @property
    def text(self) -> str:
        """ "Passed", "Not passed (40%)", "Not started"."""
        if self.best_score is None:
            return self.label
        return f"{self.label} ({self.best_score}%)"


_NOT_STARTED = Outcome(NOT_STARTED, NOT_STARTED_LABEL)


def outcomes(
    assessments: list[AssessmentPage], *, enrolment_ids: list[int] | None = None, cohort=None
) -> dict[int, list[Outcome]]:
    """Each learner's outcome on each of ``assessments`` (in their order), by enrolment: of
    ``enrolment_ids`` (a page of the learner table) or of everyone on ``cohort`` (the CSV). One
    query; none without assessments. Learners with nothing handed in are left out: their
    outcomes are all ``not_started(assessments)``."""
    if not assessments or (cohort is None and not enrolment_ids):
        return {}
    where = Q(enrolment__cohort=cohort) if cohort is not None else Q(enrolment_id__in=enrolment_ids)
    labels = dict(Status.choices)
    found: dict[int, dict[int, Outcome]] = defaultdict(dict)
    rows = AssessmentResult.objects.filter(
        where, assessment_id__in=[page.pk for page in assessments]
    ).values_list("enrolment_id", "assessment_id", "status", "best_score")
    for enrolment_id, assessment_id, status, best_score in rows:
        found[enrolment_id][assessment_id] = Outcome(status, labels[status], best_score)
    return {
        enrolment_id: [by_assessment.get(page.pk, _NOT_STARTED) for page in assessments]
        for enrolment_id, by_assessment in found.items()
    }


def not_started(assessments: list[AssessmentPage]) -> list[Outcome]:
    return [_NOT_STARTED] * len(assessments)
