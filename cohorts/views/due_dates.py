"""A cohort's due dates: each assessment's date, and setting the cohort's own."""

from django.http import Http404

from .decorators import cohort_view


@cohort_view
def due_dates(request, cohort):
    raise Http404  # SCAFFOLD: built by the marking branch


@cohort_view
def due_date_edit(request, cohort, assessment_id: int):
    raise Http404  # SCAFFOLD: built by the marking branch
