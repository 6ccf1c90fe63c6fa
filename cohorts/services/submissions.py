"""Written work a learner hands in (assignments and the work part of peer reviews): each time a
new version, kept with every earlier one. Whether they may hand in now is
``access.hand_in_refusal``; what they hand in is checked here against the assessment (words,
files); where they then stand is ``result_refresh``, in the same transaction, under the
enrolment's row lock (``locked_place``), so that two posts of one form cannot both land."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import AssessmentPage

from .. import access
from ..models import Cohort, Submission
from ..selectors.assessments import cohort_assessments, due_date
from .assessment_results import locked_place, result_refresh
from .submission_files import submission_files_attach

NO_PLACE = "You can only hand in work while you have a place on a cohort that is running"
ALREADY_HANDED_IN = "This version was already handed in"
# The code of the refusal a second post of the same form gets (a double click).
ALREADY_HANDED_IN_CODE = "already_handed_in"


def word_count(text: str) -> int:
    """Words as a person counts them: whatever stands between spaces or line breaks."""
    return len(text.split())


def _refuse(field: str, message: str, code: str | None = None) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _content_errors(assessment: AssessmentPage, words: int, files: int) -> dict[str, str]:
    errors = {}
    least, most = assessment.min_words, assessment.max_words
    if words == 0 and files == 0:
        errors["text"] = "Write your answer" + (" or attach a file" if assessment.max_files else "")
    elif most == 0 and words:
        errors["text"] = "This assessment takes files only: attach your work as a file"
    elif words > most:
        errors["text"] = f"Your answer has {words:,} words; the most is {most:,}"
    elif words < least:
        errors["text"] = (
            f"Write at least {least:,} words"
            if words == 0
            else f"Your answer has {words:,} word{'' if words == 1 else 's'}; "
            f"the fewest is {least:,}"
        )
    if files > assessment.max_files:
        errors["files"] = (
            f"Attach up to {assessment.max_files} file{'' if assessment.max_files == 1 else 's'}"
            if assessment.max_files
            else "This assessment does not take files"
        )
    return errors


def _latest(enrolment, assessment: AssessmentPage) -> Submission | None:
    return (
        Submission.objects.filter(enrolment=enrolment, assessment=assessment)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def submission_create(
    *,
    user,
    cohort: Cohort,
    assessment: AssessmentPage,
    text: str,
    files=(),
    version_expected: int,
    now: datetime.datetime | None = None,
) -> Submission:
    """Hand in ``text`` (and ``files``, uploaded files checked and kept by
    ``submission_files_attach``) as the next version of the learner's work on
    ``assessment`` in ``cohort``. ``version_expected`` is the version the learner's form would
    create: when it already exists the form was posted twice, and nothing is written.

    Refused, with ``ValidationError`` keyed by the form field (``text``, ``files``) or none,
    and nothing written: no place on the cohort while it runs; a version already handed in
    (code ``already_handed_in``); work waiting to be marked or already passed; a first version
    after a due date that refuses late work; no words and no files; words outside the
    assessment's range; more files than it takes, or a file that is not of an allowed type or
    is too large (nothing is kept of the files either). A first version after the due day (in
    Europe/London) is flagged late; a resubmission asked for by a marker never is."""
    now = now or timezone.now()
    try:
        enrolment = locked_place(user, cohort, NO_PLACE)
    except ValidationError:
        raise _refuse(NON_FIELD_ERRORS, NO_PLACE) from None
    if not assessment.is_marked or assessment.pk not in {
        page.pk for page in cohort_assessments(cohort)
    }:
        raise _refuse(NON_FIELD_ERRORS, "This assessment does not take written work")
    latest = _latest(enrolment, assessment)
    version = (latest.version if latest else 0) + 1
    if version_expected < version:
        raise _refuse(NON_FIELD_ERRORS, ALREADY_HANDED_IN, ALREADY_HANDED_IN_CODE)
    if version_expected > version:
        raise _refuse(NON_FIELD_ERRORS, "This page was out of date: check your work and hand it in")
    due_on = due_date(cohort, assessment)
    refusal = access.hand_in_refusal(assessment, latest, due_on, now)
    if refusal:
        raise _refuse(NON_FIELD_ERRORS, refusal)
    text = text.strip()
    words = word_count(text)
    errors = _content_errors(assessment, words, len(files))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                enrolment=enrolment,
                assessment=assessment,
                version=version,
                text=text,
                word_count=words,
                submitted_at=now,
                late=access.hand_in_late(latest, due_on, now),
            )
    except IntegrityError:
        raise _refuse(NON_FIELD_ERRORS, ALREADY_HANDED_IN, ALREADY_HANDED_IN_CODE) from None
    if files:
        submission_files_attach(submission=submission, files=list(files))
    enrolment.last_activity_at = now
    enrolment.save(update_fields=["last_activity_at"])
    result_refresh(enrolment=enrolment, assessment=assessment, now=now)
    return submission


def already_handed_in(error: ValidationError) -> bool:
    """Whether ``submission_create`` refused a second post of the same form."""
    return any(
        getattr(item, "code", None) == ALREADY_HANDED_IN_CODE
        for items in getattr(error, "error_dict", {}).values()
        for item in items
    )
