"""Peer review: asking for the next piece of work to review, and reviewing it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def peer_review_next(request, cohort_id: int, assessment_id: int):
    raise Http404  # SCAFFOLD: built by the written-work branch


@login_required
def peer_review(request, cohort_id: int, assessment_id: int, review_id: int):
    raise Http404  # SCAFFOLD: built by the written-work branch
