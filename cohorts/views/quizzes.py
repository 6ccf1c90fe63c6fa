"""Taking a quiz on its assessment page, and an attempt's result with feedback.

A learner sees the quiz with its options in the order of the attempt they may make next
(``quiz.shuffled``, seeded by the attempt: a reload shows the same order) and posts it to
``quiz_submit``. The people who run the cohort see the questions with the right answers and
each option's feedback, without a form, and may open a learner's attempt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from academy.converters import DatabaseIdConverter

from .. import access, quiz
from ..forms.quizzes import QuizForm
from ..requirements.assessments import is_required
from ..selectors.assessments import cohort_assessment, due_date
from ..selectors.quizzes import cohort_place, learner_attempt, member_place, quiz_standing
from ..services.quizzes import quiz_attempt_submit
from .decorators import viewable_cohort


def quiz_page(request, cohort, assessment, *, form: QuizForm | None = None, status: int = 200):
    """The quiz at the assessment's address (``assessments.assessment`` hands quizzes here).
    Answers are posted to ``quiz_submit``, which shows this page again when it refuses them."""
    if request.method != "GET" and form is None:
        return HttpResponseNotAllowed(["GET"])
    questions = quiz.questions_of(assessment)
    context = {"cohort": cohort, "assessment": assessment, "counts": is_required(assessment)}
    enrolment = member_place(request.user, cohort)
    if enrolment is None:
        # Only the people who run the cohort reach here (``viewable_cohort``): a preview.
        context |= {"preview": True, "questions": questions, "due_on": due_date(cohort, assessment)}
        if form is not None:
            context["form"] = form  # its errors, in the summary
        return render(request, "cohorts/assessments/quiz.html", context, status=status)
    standing = quiz_standing(enrolment, cohort, assessment)
    seed = quiz.attempt_seed(enrolment.pk, assessment.pk, standing.next_number)
    if form is None:
        form = QuizForm(questions=questions)
    form.order_options(quiz.shuffled(questions, seed))
    context |= {"standing": standing, "due_on": standing.due_on, "form": form}
    return render(request, "cohorts/assessments/quiz.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def quiz_submit(request, cohort_id: int, assessment_id: int):
    """Mark an attempt and show its result; a refused post shows the quiz again (400) with the
    reasons and the answers as they were."""
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = _quiz_of(cohort, assessment_id)
    form = QuizForm(request.POST, questions=quiz.questions_of(assessment))
    if form.is_valid():
        try:
            attempt = quiz_attempt_submit(
                user=request.user,
                cohort=cohort,
                assessment=assessment,
                number=form.cleaned_data["number"],
                posted=form.posted(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Attempt {attempt.number} has been marked")
            return redirect("quiz_attempt", cohort.pk, assessment.pk, attempt.number)
    return quiz_page(request, cohort, assessment, form=form, status=400)


@login_required
@require_http_methods(["GET"])
def quiz_attempt(request, cohort_id: int, assessment_id: int, number: int):
    """An attempt's result, for the learner who made it; the people who run the cohort open a
    learner's with ``?enrolment=<id>``."""
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = _quiz_of(cohort, assessment_id)
    enrolment_id = request.GET.get("enrolment")
    if enrolment_id is None:
        enrolment = member_place(request.user, cohort)
        if enrolment is None:
            raise Http404
    elif access.can_facilitate(request.user, cohort):
        enrolment = cohort_place(cohort, _database_id(enrolment_id))
    else:
        raise Http404
    attempt = learner_attempt(enrolment, assessment, number)
    own = enrolment.user_id == request.user.pk
    context = {
        "cohort": cohort,
        "assessment": assessment,
        "attempt": attempt,
        "answered": quiz.answered(quiz.questions_of(assessment), attempt.answers),
        "learner": None if own else enrolment.user,
        "standing": quiz_standing(enrolment, cohort, assessment) if own else None,
    }
    return render(request, "cohorts/assessments/quiz_attempt.html", context)


def _quiz_of(cohort, assessment_id: int):
    assessment = cohort_assessment(cohort, assessment_id)
    if not assessment.is_quiz:
        raise Http404
    return assessment


def _database_id(value: str) -> int:
    try:
        return DatabaseIdConverter().to_python(value)
    except ValueError:
        raise Http404 from None
