"""Quiz attempts: a learner's answers, marked when submitted (``cohorts.quiz``) and kept one
row per attempt. The best attempt counts: the learner passes once any attempt passes, and may
try again while they have not passed and attempts remain (``quiz.closed_because``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import AssessmentPage

from .. import quiz
from ..models import AssessmentDueDate, Cohort, QuizAttempt
from ..selectors.assessments import due_date
from .assessment_results import locked_place, result_refresh

ALREADY_SUBMITTED = "This attempt was already submitted: its result is under “Your attempts”"


@transaction.atomic
def quiz_attempt_submit(
    *,
    user,
    cohort: Cohort,
    assessment: AssessmentPage,
    number: int,
    posted: dict[str, list[str]],
) -> QuizAttempt:
    """Mark ``posted`` (question id → chosen option ids) as attempt ``number`` of the learner's
    place on ``cohort`` and keep it. ``number`` is the attempt the quiz page offered: a second
    post of the same attempt (a double click) is refused and writes nothing. Refused, too, when
    the learner has passed, has used every attempt, or the quiz refuses late work and its due
    date has passed; late attempts are otherwise kept and flagged."""
    enrolment = locked_place(
        user, cohort, "You can only take a quiz while your cohort is running and you have a place"
    )
    now = timezone.now()
    made = list(
        QuizAttempt.objects.filter(enrolment=enrolment, assessment=assessment).values_list(
            "number", "passed"
        )
    )
    if number <= len(made):
        raise ValidationError(ALREADY_SUBMITTED)
    if number != len(made) + 1:
        raise ValidationError("This attempt is not the next one: open the quiz again")
    due_on = due_date(cohort, assessment)
    late = AssessmentDueDate.is_late(now, due_on)
    closed = quiz.closed_because(
        attempts=len(made),
        passed=any(passed for _, passed in made),
        max_attempts=assessment.max_attempts,
        late=late,
        refuses_late=assessment.late_work == AssessmentPage.Late.REFUSE,
        due_on=due_on,
    )
    if closed:
        raise ValidationError(closed)
    questions = quiz.questions_of(assessment)
    answers = quiz.check_answers(questions, posted)
    result = quiz.score(questions, answers)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrolment=enrolment,
                assessment=assessment,
                number=number,
                answers={question_id: sorted(chosen) for question_id, chosen in answers.items()},
                score=result.right,
                max_score=result.out_of,
                percent=result.percent,
                passed=quiz.passes(result, assessment.pass_mark),
                submitted_at=now,
                late=late,
            )
    except IntegrityError:
        raise ValidationError(ALREADY_SUBMITTED) from None
    enrolment.last_activity_at = now
    result_refresh(enrolment=enrolment, assessment=assessment, course=cohort.course, now=now)
    enrolment.save(update_fields=["last_activity_at"])
    return attempt
