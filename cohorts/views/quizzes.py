"""Taking a quiz on its assessment page, and an attempt's result with feedback."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


def quiz_page(request, cohort, assessment):
    raise Http404  # SCAFFOLD: built by the quiz branch


@login_required
def quiz_submit(request, cohort_id: int, assessment_id: int):
    raise Http404  # SCAFFOLD: built by the quiz branch


@login_required
def quiz_attempt(request, cohort_id: int, assessment_id: int, number: int):
    raise Http404  # SCAFFOLD: built by the quiz branch
