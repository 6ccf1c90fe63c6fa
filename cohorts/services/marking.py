"""Marking written work against its rubric, releasing held marks together, and a cohort's own
due dates. Marking is for the people who run the cohort (``access.can_facilitate``, checked by
the views). Every mark is kept: marking again, or revising a released mark, adds a ``Mark``.

A mark is released on save, or held (``Submission.status == held``) and released later with
the cohort's other held marks (``marks_release``), so that learners hear at the same time: each
learner is emailed when a mark becomes theirs to read (``notifications.mark_returned_notify``).
The learner's result follows under their enrolment's row lock (``result_refresh``): a pass
counts toward completion, and revising a released pass to *resubmit* takes it back."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import AssessmentPage, CoursePage

from ..models import AssessmentDueDate, Cohort, Enrolment, Mark, Submission
from ..notifications import mark_returned_notify
from ..rubrics import score
from ..selectors.assessments import cohort_assessments
from .assessment_results import lock_enrolment, result_refresh

Outcome = Mark.Outcome
SubmissionStatus = Submission.Status

# How far past its end a cohort's due date may go: late work is still taken for a while.
DUE_DATE_LIMIT = datetime.timedelta(days=365)
RELEASED = {Outcome.PASS: SubmissionStatus.PASSED, Outcome.RESUBMIT: SubmissionStatus.RESUBMIT}


def _points(n: int) -> str:
    return f"{n} point{'' if n == 1 else 's'}"


@transaction.atomic
def mark_save(
    *,
    submission: Submission,
    by,
    levels: dict[str, str],
    comments: str,
    outcome: str,
    release: bool,
    now=None,
) -> Mark:
    """Mark ``submission`` (the latest version of a learner's work) against its assessment's
    rubric: ``levels`` picks a level per criterion (criterion id → level id), ``outcome`` is
    pass or resubmit. Released at once with ``release``, else held. Refused, with nothing
    saved: an earlier version, a level that is not one of its criterion's, a pass below the
    rubric's points to pass, a resubmission without comments, holding a revision of a mark
    the learner has already seen. The same mark saved twice (a double click) is kept once."""
    now = now or timezone.now()
    enrolment = lock_enrolment(submission.enrolment_id)
    submission = Submission.objects.select_related("assessment__rubric").get(pk=submission.pk)
    assessment = submission.assessment
    if not assessment.is_marked or assessment.rubric is None:
        raise ValidationError("This assessment is not marked against a rubric")
    if not enrolment.is_member:
        raise ValidationError(
            "This learner no longer holds a place on the cohort, so their work cannot be marked"
        )
    latest = Submission.objects.filter(enrolment=enrolment, assessment=assessment).aggregate(
        latest=Max("version")
    )["latest"]
    if submission.version != latest:
        raise ValidationError(
            f"The learner has handed in a newer version (version {latest}) since this one:"
            " mark the newest version"
        )
    errors: dict[str, list[str]] = {}
    try:
        scored = score(assessment.rubric, levels)
    except ValidationError as error:
        scored = None
        errors.update(error.message_dict)
    comments = comments.strip()
    if outcome not in Outcome.values:
        errors.setdefault("outcome", []).append("Choose whether the work passes or is resubmitted")
    elif outcome == Outcome.PASS and scored is not None and not scored.suggests_pass:
        errors.setdefault("outcome", []).append(
            f"The total, {scored.total} of {scored.max_total}, is below the"
            f" {_points(scored.pass_points)} needed to pass: choose Resubmit or change the levels"
        )
    if outcome == Outcome.RESUBMIT and not comments:
        errors.setdefault("comments", []).append(
            "Tell the learner what to change before they resubmit"
        )
    if not release and submission.status in RELEASED.values():
        errors.setdefault("__all__", []).append(
            "The learner has already seen a mark on this work, so a revised mark is released"
            " straight away: choose Save and release"
        )
    if errors:
        raise ValidationError(errors)
    latest_mark = submission.marks.order_by("created_at", "pk").last()
    if latest_mark is not None and (
        latest_mark.criteria,
        latest_mark.comments,
        latest_mark.outcome,
        latest_mark.released,
    ) == (scored.criteria, comments, outcome, release):
        return latest_mark  # the same mark again (a double click): nothing changes
    mark = Mark.objects.create(
        submission=submission,
        marker=by,
        outcome=outcome,
        criteria=scored.criteria,
        total=scored.total,
        max_total=scored.max_total,
        comments=comments,
        created_at=now,
        released_at=now if release else None,
    )
    submission.status = RELEASED[outcome] if release else SubmissionStatus.HELD
    submission.save(update_fields=["status"])
    result_refresh(enrolment=enrolment, assessment=assessment, now=now)
    if release:
        mark_returned_notify([mark])
    return mark


@transaction.atomic
def marks_release(*, cohort: Cohort, by, assessment: AssessmentPage | None = None, now=None) -> int:
    """Release every held mark on the work of ``cohort``'s members (on one ``assessment``, when
    given) at once: the latest mark of each held version, as the marking queue counts them.
    The enrolments concerned are locked together, in order; each learner's result follows.
    Returns how many were released; a second call finds none. ``by`` is whoever released them
    (the marks keep their markers)."""
    now = now or timezone.now()
    marked = [page.pk for page in cohort_assessments(cohort) if page.is_marked]
    held = Submission.objects.filter(
        enrolment__in=Enrolment.objects.members().filter(cohort=cohort).values("pk"),
        assessment_id__in=[pk for pk in marked if assessment is None or pk == assessment.pk],
        status=SubmissionStatus.HELD,
    ).order_by()
    enrolment_ids = set(held.values_list("enrolment_id", flat=True))
    if not enrolment_ids:
        return 0
    enrolments = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=enrolment_ids)
        .order_by("pk")
    }
    # Read again under the locks: a marker may have changed one meanwhile.
    submissions = list(held.filter(enrolment_id__in=enrolments).select_for_update(of=("self",)))
    latest_marks = {
        mark.submission_id: mark
        for mark in Mark.objects.filter(submission__in=submissions).order_by("created_at", "pk")
    }
    released: list[Mark] = []
    by_outcome: dict[str, list[int]] = defaultdict(list)
    touched: set[tuple[int, int]] = set()
    for submission in submissions:
        mark = latest_marks.get(submission.pk)
        if mark is None or mark.released:
            continue
        released.append(mark)
        by_outcome[RELEASED[mark.outcome]].append(submission.pk)
        touched.add((submission.enrolment_id, submission.assessment_id))
    if not released:
        return 0
    Mark.objects.filter(pk__in=[mark.pk for mark in released]).update(released_at=now)
    for status, ids in by_outcome.items():
        Submission.objects.filter(pk__in=ids).update(status=status)
    course = CoursePage.objects.only("pk", "path", "depth").get(pk=cohort.course_id)
    pages = {
        page.pk: page for page in AssessmentPage.objects.filter(pk__in={a for _, a in touched})
    }
    for enrolment_id, assessment_id in sorted(touched):
        result_refresh(
            enrolment=enrolments[enrolment_id],
            assessment=pages[assessment_id],
            course=course,
            now=now,
        )
    mark_returned_notify(released)
    return len(released)


@transaction.atomic
def due_date_set(
    *, cohort: Cohort, assessment: AssessmentPage, due_on: datetime.date | None, by, now=None
) -> AssessmentDueDate | None:
    """Give ``cohort`` its own due date for ``assessment``, or, with ``due_on=None``, go back
    to the course's (``due_offset_days`` after the cohort starts). Refused: a date before the
    cohort starts, or more than a year after it ends. Work already handed in keeps the late
    flag it was given then."""
    now = now or timezone.now()
    if assessment.pk not in {page.pk for page in cohort_assessments(cohort)}:
        raise ValidationError("This assessment is not part of the cohort's course")
    if due_on is None:
        AssessmentDueDate.objects.filter(cohort=cohort, assessment=assessment).delete()
        return None
    if due_on < cohort.start_date:
        raise ValidationError(
            {
                "due_on": "The due date must be on or after the day the cohort starts,"
                f" {date_format(cohort.start_date, 'j F Y')}"
            }
        )
    latest = cohort.end_date + DUE_DATE_LIMIT
    if due_on > latest:
        raise ValidationError(
            {
                "due_on": "The due date must be no more than a year after the cohort ends:"
                f" {date_format(latest, 'j F Y')} at the latest"
            }
        )
    due_date, _ = AssessmentDueDate.objects.update_or_create(
        cohort=cohort,
        assessment=assessment,
        defaults={"due_on": due_on, "set_by": by, "set_at": now},
    )
    return due_date
