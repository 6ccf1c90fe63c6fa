"""Reads for marking a cohort's written work: the queue (filtered, oldest first, paged by the
database) and its counts, one piece of work with everything a marker sees beside the rubric,
and the pseudonyms of anonymous marking.
Each is a fixed number of queries, however many learners and versions there are."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils.crypto import salted_hmac

from courses.models import AssessmentPage

from .. import access
from ..models import Cohort, Enrolment, Mark, PeerReview, Submission
from .assessments import cohort_assessments

PER_PAGE = 25
Status = Submission.Status
# Statuses whose mark the learner has seen.
RELEASED_STATUSES = (Status.PASSED, Status.RESUBMIT)


def pseudonym(enrolment_id: int, assessment_id: int) -> str:
    """How a learner is shown under anonymous marking: "Learner 4F2A", the same for their
    every version of one assessment, different from one assessment to the next, and not to be
    worked back to them without the site's secret key."""
    digest = salted_hmac(
        "cohorts.marking.pseudonym", f"{enrolment_id}:{assessment_id}", algorithm="sha256"
    ).hexdigest()
    return f"Learner {digest[:4].upper()}"


def version_label(version: int) -> str:
    """ "First submission", "Resubmission 1", "Resubmission 2"…"""
    return "First submission" if version <= 1 else f"Resubmission {version - 1}"


def marked_assessments(cohort: Cohort) -> list[AssessmentPage]:
    """The cohort's assessments that facilitators mark (assignments and peer reviews), in
    course order; no query once the course outline is cached."""
    return [page for page in cohort_assessments(cohort) if page.is_marked]


def _members(cohorts: Cohort | list[Cohort]) -> QuerySet[Enrolment]:
    if isinstance(cohorts, Cohort):
        return Enrolment.objects.members().filter(cohort=cohorts).values("pk")
    return Enrolment.objects.members().filter(cohort__in=[c.pk for c in cohorts]).values("pk")


# Work in these statuses is always its learner's newest version: a new version is handed in
# only once the last was sent back (``access.hand_in_refusal``), and only the newest is marked
# (``services.marking.mark_save``).
NEWEST_ONLY = (Status.WAITING, Status.HELD)


def _work(cohort: Cohort | list[Cohort], assessment_ids, statuses=None) -> QuerySet[Submission]:
    """The versions a marker deals with: each member's latest version of each marked
    assessment, and any held one; only those in ``statuses`` when given. For work waiting or
    held (``NEWEST_ONLY``) no later version is looked for: the database then reads only the
    versions in those statuses. Of one cohort, or of several (``queue_counts_of``)."""
    work = Submission.objects.filter(
        enrolment__in=_members(cohort), assessment_id__in=list(assessment_ids)
    )
    if statuses is not None:
        work = work.filter(status__in=list(statuses))
        if set(statuses) <= set(NEWEST_ONLY):
            return work
    later = Submission.objects.filter(
        enrolment=OuterRef("enrolment"),
        assessment=OuterRef("assessment"),
        version__gt=OuterRef("version"),
    )
    return work.filter(~Exists(later) | Q(status=Status.HELD))


@dataclass(frozen=True)
class QueueRow:
    submission_id: int
    assessment_id: int
    assessment_title: str
    version: int
    version_label: str
    submitted_at: datetime
    late: bool
    status: str
    status_label: str
    learner: str  # their name, or a pseudonym while anonymous
    anonymous: bool

    @property
    def released(self) -> bool:
        return self.status in RELEASED_STATUSES


def _row(values: dict, titles: dict[int, str], labels: dict[str, str]) -> QueueRow:
    released = values["status"] in RELEASED_STATUSES
    named = access.marker_sees_name(
        anonymous_marking=values["anonymous_marking"], released=released
    )
    return QueueRow(
        submission_id=values["pk"],
        assessment_id=values["assessment_id"],
        assessment_title=titles.get(values["assessment_id"], ""),
        version=values["version"],
        version_label=version_label(values["version"]),
        submitted_at=values["submitted_at"],
        late=values["late"],
        status=values["status"],
        status_label=labels[values["status"]],
        learner=values["name"]
        if named
        else pseudonym(values["enrolment_id"], values["assessment_id"]),
        anonymous=not named,
    )


def queue_page(
    cohort: Cohort,
    assessments: list[AssessmentPage],
    *,
    assessment_id: int | None = None,
    status: str | None = Status.WAITING,
    page=1,
) -> Page:
    """One page of the queue, oldest first: a count and one query for the rows. ``status``
    None means any status; ``page`` is taken as ``Paginator.get_page`` takes it."""
    ids = [page.pk for page in assessments]
    if assessment_id is not None:
        ids = [pk for pk in ids if pk == assessment_id]
    work = _work(cohort, ids, None if status is None else [status])
    rows = work.order_by("submitted_at", "pk").values(
        "pk",
        "assessment_id",
        "enrolment_id",
        "version",
        "submitted_at",
        "late",
        "status",
        anonymous_marking=F("assessment__anonymous_marking"),
        name=Coalesce(
            NullIf(F("enrolment__user__display_name"), Value("")),
            "enrolment__user__email",
            output_field=CharField(),
        ),
    )
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = work.count()
    found = paginator.get_page(page)
    titles = {page.pk: page.title for page in assessments}
    labels = dict(Status.choices)
    found.object_list = [_row(values, titles, labels) for values in found.object_list]
    return found


@dataclass(frozen=True)
class QueueCounts:
    waiting: int
    held: int


def queue_counts(
    cohort: Cohort, assessments: list[AssessmentPage], *, assessment_id: int | None = None
) -> QueueCounts:
    """How much work waits for marking and how many marks are held: one aggregate."""
    ids = [page.pk for page in assessments if assessment_id in (None, page.pk)]
    figures = _work(cohort, ids, NEWEST_ONLY).aggregate(
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        held=Count("pk", filter=Q(status=Status.HELD)),
    )
    return QueueCounts(waiting=figures["waiting"], held=figures["held"])


def queue_counts_of(cohorts: list[Cohort]) -> dict[int, QueueCounts]:
    """``queue_counts`` of each of ``cohorts`` that has work waiting or held, over all its
    marked assessments: one aggregate grouped by cohort, whatever their number; none when no
    course among them has assessments to mark."""
    ids = {page.pk for cohort in cohorts for page in marked_assessments(cohort)}
    if not ids:
        return {}
    rows = (
        _work(cohorts, ids, NEWEST_ONLY)
        .order_by()
        .values("enrolment__cohort_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
            held=Count("pk", filter=Q(status=Status.HELD)),
        )
    )
    return {
        row["enrolment__cohort_id"]: QueueCounts(waiting=row["waiting"], held=row["held"])
        for row in rows
    }


def oldest_waiting(
    cohort: Cohort, assessments: list[AssessmentPage], *, assessment_id: int | None = None
) -> int | None:
    """The id of the work that has waited longest for marking (of one assessment, when given),
    or None."""
    ids = [page.pk for page in assessments if assessment_id in (None, page.pk)]
    return (
        _work(cohort, ids, [Status.WAITING])
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


# --- One piece of work ------------------------------------------------------------------------


def work_to_mark(cohort: Cohort, submission_id: int) -> Submission:
    """A version handed in by a member of ``cohort`` for one of its marked assessments, with
    its learner, assessment and rubric (one query); 404 otherwise."""
    submission = (
        Submission.objects.select_related("enrolment__user", "assessment__rubric")
        .filter(
            pk=submission_id,
            enrolment__in=_members(cohort),
            assessment_id__in=[page.pk for page in marked_assessments(cohort)],
        )
        .first()
    )
    if submission is None:
        raise Http404
    return submission


@dataclass
class Version:
    """A version of the work with its files and every mark on it, oldest first."""

    submission: Submission
    label: str
    files: list = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @property
    def latest_mark(self) -> Mark | None:
        return self.marks[-1] if self.marks else None


@dataclass
class Review:
    """A peer review, with the names the people who run the cohort always see."""

    review: PeerReview
    reviewer: str
    author: str
    version_label: str


@dataclass
class MarkingSheet:
    """Everything beside the rubric on the marking form."""

    learner: str  # a name, or a pseudonym while anonymous
    anonymous: bool
    current: Version
    earlier: list[Version]  # newest first
    newest: Submission  # the learner's newest version: the one that may be marked
    reviews_received: list[Review]
    reviews_given: list[Review]


def _name(user) -> str:
    return user.display_name or user.email


def marking_sheet(submission: Submission) -> MarkingSheet:
    """The work, its earlier versions with their marks and files, and for a peer review who
    reviewed this learner's work and whose work they reviewed: five queries however many
    versions and reviews there are."""
    assessment = submission.assessment
    versions = list(
        Submission.objects.filter(
            enrolment_id=submission.enrolment_id, assessment_id=submission.assessment_id
        )
        .order_by("-version")
        .prefetch_related(
            "files",
            Prefetch(
                "marks", queryset=Mark.objects.select_related("marker").order_by("created_at", "pk")
            ),
        )
    )
    by_id = {
        version.pk: Version(
            submission=version,
            label=version_label(version.version),
            files=list(version.files.all()),
            marks=list(version.marks.all()),
        )
        for version in versions
    }
    current = by_id[submission.pk]
    current.submission = submission  # the one read with its learner and rubric
    earlier = [by_id[v.pk] for v in versions if v.version < submission.version]
    named = access.marker_sees_name(
        anonymous_marking=assessment.anonymous_marking,
        released=submission.status in RELEASED_STATUSES,
    )
    received: list[Review] = []
    given: list[Review] = []
    if assessment.is_peer_review:
        received = [
            Review(
                review=review,
                reviewer=_name(review.reviewer.user),
                author="",
                version_label=version_label(review.submission.version),
            )
            for review in PeerReview.objects.filter(
                submission__enrolment_id=submission.enrolment_id,
                submission__assessment_id=submission.assessment_id,
            )
            .select_related("reviewer__user", "submission")
            .order_by("submission__version", "assigned_at", "pk")
        ]
        given = [
            Review(
                review=review,
                reviewer="",
                author=_name(review.submission.enrolment.user),
                version_label=version_label(review.submission.version),
            )
            for review in PeerReview.objects.filter(
                reviewer_id=submission.enrolment_id,
                submission__assessment_id=submission.assessment_id,
            )
            .select_related("submission__enrolment__user")
            .order_by("assigned_at", "pk")
        ]
    return MarkingSheet(
        learner=_name(submission.enrolment.user)
        if named
        else pseudonym(submission.enrolment_id, submission.assessment_id),
        anonymous=not named,
        current=current,
        earlier=earlier,
        newest=versions[0],
        reviews_received=received,
        reviews_given=given,
    )
