"""Reads about a cohort's assessments shared by the learner's and the facilitator's pages:
which assessments a cohort has and when each is due; and the written-work page
(``written_work``): the assignment, its rubric, and one learner's versions with the feedback
released on them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from courses.models import AssessmentPage
from courses.selectors import course_assessments

from .. import access
from ..models import (
    AssessmentDueDate,
    AssessmentResult,
    Cohort,
    Enrolment,
    Mark,
    PeerReview,
    Submission,
)
from ..requirements.assessments import is_required
from ..rubrics import criteria_of
from .peer_reviews import ReviewsToGive, reviews_to_give


def cohort_assessments(cohort: Cohort) -> list[AssessmentPage]:
    """The assessments a cohort's learners can reach, in course order (from the cached course
    outline: no query once cached)."""
    return course_assessments(cohort.course_id)


def cohort_assessment(cohort: Cohort, assessment_id: int) -> AssessmentPage:
    """One of the cohort's assessments, read in full (one query); 404 when it is not one of
    them (another course's, a draft, in an unpublished module)."""
    if assessment_id not in {page.pk for page in cohort_assessments(cohort)}:
        raise Http404
    return AssessmentPage.objects.select_related("rubric").get(pk=assessment_id)


def due_dates(cohort: Cohort, assessments=None) -> dict[int, datetime.date]:
    """Each assessment's due date for ``cohort``: its own where its facilitators set one,
    else the offset from its start. One query."""
    assessments = cohort_assessments(cohort) if assessments is None else assessments
    own = dict(
        AssessmentDueDate.objects.filter(
            cohort=cohort, assessment_id__in=[page.pk for page in assessments]
        ).values_list("assessment_id", "due_on")
    )
    return {page.pk: _due_on(cohort, page, own) for page in assessments}


def _due_on(cohort: Cohort, assessment, own: dict[int, datetime.date]) -> datetime.date:
    """The cohort's own date for ``assessment`` (in ``own``), else its default."""
    return own.get(assessment.pk) or AssessmentDueDate.default_for(cohort, assessment)


def due_date(cohort: Cohort, assessment: AssessmentPage) -> datetime.date:
    return due_dates(cohort, [assessment])[assessment.pk]


# --- The written-work page ----------------------------------------------------------------------

# Where a version stands, as its learner reads it (an ``AssessmentResult.Status``): a held mark
# is not theirs to see yet, so held work is still waiting for feedback.
LEARNER_VERSION_STATUS = {
    Submission.Status.WAITING: AssessmentResult.Status.SUBMITTED,
    Submission.Status.HELD: AssessmentResult.Status.SUBMITTED,
    Submission.Status.PASSED: AssessmentResult.Status.PASSED,
    Submission.Status.RESUBMIT: AssessmentResult.Status.RESUBMIT,
}
NOT_STARTED = ("not_started", "Not started")


@dataclass(frozen=True)
class RubricRow:
    """A criterion of the rubric as the page's table shows it: its levels, weakest first, and
    an empty cell for each level another criterion has and this one has not."""

    name: str
    guidance: str
    levels: list[dict]  # {"descriptor", "points"}, or None for an empty cell


@dataclass(frozen=True)
class Review:
    """A peer review done of the learner's work, named as the learner may know its reviewer."""

    reviewer: str
    review: PeerReview


@dataclass(frozen=True)
class Version:
    """One version of the learner's work, with what they may see of its marking."""

    submission: Submission
    status: str  # as the learner reads it (``LEARNER_VERSION_STATUS``)
    status_label: str
    marks: list[Mark]  # released only, newest first
    reviews: list[Review]  # done only, in the order they were given

    @property
    def number(self) -> int:
        return self.submission.version


@dataclass(frozen=True)
class WrittenWork:
    cohort: Cohort
    assessment: AssessmentPage
    due_on: datetime.date
    required: bool  # passing it counts towards completing the course
    enrolment: Enrolment | None
    is_member: bool  # the person holds a place on the cohort: their work and feedback
    runs_cohort: bool  # the person runs the cohort: the marking queue
    result: AssessmentResult | None
    status: str  # the learner's result: an AssessmentResult.Status value or "not_started"
    status_label: str
    versions: list[Version]  # newest first
    rubric: list[RubricRow]
    level_count: int  # the most levels any criterion has: the rubric table's columns
    cohort_open: bool  # a member may hand in work and give reviews (``access.hands_in_work``)
    can_hand_in: bool
    late_now: bool  # a first version handed in now would be late (and is accepted)
    why_not: str  # why a member cannot hand in a version now ("" when they can)
    next_version: int
    reviews: ReviewsToGive | None  # peer review: the reviews handed to the member

    @property
    def latest(self) -> Version | None:
        return self.versions[0] if self.versions else None


def _rubric_rows(rubric) -> tuple[list[RubricRow], int]:
    criteria = criteria_of(rubric) if rubric is not None else []
    width = max((len(criterion["levels"]) for criterion in criteria), default=0)
    rows = [
        RubricRow(
            name=criterion["name"],
            guidance=criterion["guidance"],
            levels=criterion["levels"] + [None] * (width - len(criterion["levels"])),
        )
        for criterion in criteria
    ]
    return rows, width


def _versions(enrolment: Enrolment, assessment: AssessmentPage) -> list[Version]:
    """Every version, newest first, with its released marks (and markers), its files and the
    peer reviews done of it: four queries (three for an assignment), however many there are."""
    prefetches = [
        Prefetch(
            "marks",
            queryset=Mark.objects.filter(released_at__isnull=False)
            .select_related("marker")
            .order_by("-released_at", "-pk"),
            to_attr="released_marks",
        ),
        "files",
    ]
    if assessment.is_peer_review:
        prefetches.append(
            Prefetch(
                "peer_reviews",
                queryset=PeerReview.objects.filter(submitted_at__isnull=False)
                .select_related("reviewer__user")
                .order_by("submitted_at", "pk"),
                to_attr="done_reviews",
            )
        )
    submissions = (
        Submission.objects.filter(enrolment=enrolment, assessment=assessment)
        .order_by("-version")
        .prefetch_related(*prefetches)
    )
    versions = []
    for submission in submissions:
        reviews = [
            Review(
                reviewer=(
                    f"Reviewer {number}"
                    if assessment.anonymous_reviews
                    else str(review.reviewer.user)
                ),
                review=review,
            )
            for number, review in enumerate(getattr(submission, "done_reviews", []), start=1)
        ]
        status = LEARNER_VERSION_STATUS[submission.status]
        versions.append(
            Version(
                submission=submission,
                status=status,
                status_label=status.label,
                marks=submission.released_marks,
                reviews=reviews,
            )
        )
    return versions


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _closed(cohort: Cohort) -> str:
    """Why a member of a cohort that is not running cannot hand in work."""
    if cohort.status == Cohort.Status.UPCOMING:
        return f"You can hand in work once the cohort starts on {_day(cohort.start_date)}"
    if cohort.status == Cohort.Status.CANCELLED:
        return "This cohort was cancelled, so work can no longer be handed in"
    return f"This cohort finished on {_day(cohort.end_date)}, so work can no longer be handed in"


def written_work(user, cohort: Cohort, assessment: AssessmentPage, now=None) -> WrittenWork:
    """The written-work page for ``user``: for a member of the cohort, their versions newest
    first with the marks released on them (a held mark is not read at all) and the peer reviews
    done of them; for the people who run the cohort, the assignment and its rubric. The same
    number of queries however many versions, marks and reviews there are."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.filter(user=user, cohort=cohort).first()
    is_member = enrolment is not None and enrolment.is_member
    due_on = due_date(cohort, assessment)
    rubric, level_count = _rubric_rows(assessment.rubric)
    result, versions = None, []
    if is_member:
        result = AssessmentResult.objects.filter(enrolment=enrolment, assessment=assessment).first()
        versions = _versions(enrolment, assessment)
    latest = versions[0].submission if versions else None
    cohort_open = access.hands_in_work(enrolment, cohort)
    why_not = ""
    if is_member:
        if not cohort_open:
            why_not = _closed(cohort)
        else:
            why_not = access.hand_in_refusal(assessment, latest, due_on, now) or ""
    status, status_label = (
        (result.status, result.get_status_display()) if result is not None else NOT_STARTED
    )
    reviews = None
    if assessment.is_peer_review and is_member:
        reviews = reviews_to_give(enrolment, assessment)
    return WrittenWork(
        cohort=cohort,
        assessment=assessment,
        due_on=due_on,
        required=is_required(assessment),
        enrolment=enrolment,
        is_member=is_member,
        runs_cohort=access.can_facilitate(user, cohort),
        result=result,
        status=status,
        status_label=status_label,
        versions=versions,
        rubric=rubric,
        level_count=level_count,
        cohort_open=cohort_open,
        can_hand_in=is_member and not why_not,
        late_now=access.hand_in_late(latest, due_on, now),
        why_not=why_not,
        next_version=(latest.version if latest else 0) + 1,
        reviews=reviews,
    )


def due_dates_of(cohorts: list[Cohort]) -> dict[int, dict[int, datetime.date]]:
    """``due_dates`` of each of ``cohorts`` (of any courses), by cohort: one query whatever
    their number, none when their courses have no assessments."""
    assessments = {cohort.pk: cohort_assessments(cohort) for cohort in cohorts}
    ids = {page.pk for pages in assessments.values() for page in pages}
    own: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    if ids:
        rows = AssessmentDueDate.objects.filter(
            cohort_id__in=list(assessments), assessment_id__in=ids
        ).values_list("cohort_id", "assessment_id", "due_on")
        for cohort_id, assessment_id, due_on in rows:
            own[cohort_id][assessment_id] = due_on
    return {
        cohort.pk: {
            page.pk: _due_on(cohort, page, own[cohort.pk]) for page in assessments[cohort.pk]
        }
        for cohort in cohorts
    }
