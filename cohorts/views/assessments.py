"""A learner's assessment page at /cohorts/<id>/assessments/<id>/ and the files attached to
work. A quiz is shown and taken by ``views.quizzes``; written work (assignments and peer
reviews) here."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_http_methods

from ..selectors.assessments import cohort_assessment
from . import quizzes
from .decorators import viewable_cohort


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, cohort_id: int, assessment_id: int):
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = cohort_assessment(cohort, assessment_id)
    if assessment.is_quiz:
        return quizzes.quiz_page(request, cohort, assessment)
    return written_work(request, cohort, assessment)


def written_work(request, cohort, assessment):
    raise Http404  # SCAFFOLD: built by the written-work branch


@login_required
def submission_file(request, cohort_id: int, assessment_id: int, file_id: int):
    raise Http404  # SCAFFOLD: built by the uploads branch
