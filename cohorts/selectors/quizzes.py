"""What the quiz pages show a learner: their attempts so far, where they stand, and whether
they may make another attempt now. A fixed number of queries however many attempts."""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from courses.models import AssessmentPage

from .. import quiz
from ..models import AssessmentDueDate, AssessmentResult, Cohort, Enrolment, QuizAttempt
from .assessments import due_date


@dataclass
class QuizStanding:
    enrolment: Enrolment
    attempts: list[QuizAttempt]  # without their answers, first to last
    result: AssessmentResult | None  # None: not started
    due_on: datetime.date
    late: bool  # an attempt made now would be late
    closed: str | None  # why no attempt can be made now; None when one can
    max_attempts: int

    @property
    def next_number(self) -> int:
        return len(self.attempts) + 1

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed


def member_place(user, cohort: Cohort) -> Enrolment | None:
    """``user``'s place on ``cohort`` (active or completed), if they hold one."""
    return cohort.enrolments.members().filter(user=user).first()


def _cohort_closed(cohort: Cohort) -> str | None:
    if cohort.status == Cohort.Status.UPCOMING:
        return f"The quiz opens when the cohort starts on {date_format(cohort.start_date, 'j F Y')}"
    if not cohort.is_running:
        return "The cohort has finished, so the quiz is closed"
    return None


def quiz_standing(
    enrolment: Enrolment, cohort: Cohort, assessment: AssessmentPage, now=None
) -> QuizStanding:
    """Three queries: the attempts, the result and the cohort's due date."""
    attempts = list(
        QuizAttempt.objects.filter(enrolment=enrolment, assessment=assessment)
        .defer("answers")
        .order_by("number")
    )
    result = AssessmentResult.objects.filter(enrolment=enrolment, assessment=assessment).first()
    due_on = due_date(cohort, assessment)
    late = AssessmentDueDate.is_late(now or timezone.now(), due_on)
    closed = _cohort_closed(cohort) or quiz.closed_because(
        attempts=len(attempts),
        passed=any(attempt.passed for attempt in attempts),
        max_attempts=assessment.max_attempts,
        late=late,
        refuses_late=assessment.late_work == AssessmentPage.Late.REFUSE,
        due_on=due_on,
    )
    return QuizStanding(
        enrolment=enrolment,
        attempts=attempts,
        result=result,
        due_on=due_on,
        late=late,
        closed=closed,
        max_attempts=assessment.max_attempts,
    )


def learner_attempt(enrolment: Enrolment, assessment: AssessmentPage, number: int) -> QuizAttempt:
    """One of the learner's attempts; 404 when there is no such attempt."""
    attempt = QuizAttempt.objects.filter(
        enrolment=enrolment, assessment=assessment, number=number
    ).first()
    if attempt is None:
        raise Http404
    return attempt


def cohort_place(cohort: Cohort, enrolment_id: int) -> Enrolment:
    """A place on ``cohort`` with its learner, for the people who run it; 404 otherwise."""
    enrolment = (
        Enrolment.objects.select_related("user").filter(cohort=cohort, pk=enrolment_id).first()
    )
    if enrolment is None:
        raise Http404
    return enrolment
