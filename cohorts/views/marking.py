"""Marking: the cohort's queue, the marking form, and releasing held marks."""

from django.http import Http404

from .decorators import cohort_view


@cohort_view
def marking_queue(request, cohort):
    raise Http404  # SCAFFOLD: built by the marking branch


@cohort_view
def mark_submission(request, cohort, submission_id: int):
    raise Http404  # SCAFFOLD: built by the marking branch


@cohort_view
def marks_release(request, cohort):
    raise Http404  # SCAFFOLD: built by the marking branch
