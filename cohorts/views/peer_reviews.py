"""Peer review: asking for the next piece of work to review (a plain form post), and the review
page, which shows the work beside the rubric and sends the review. A review not handed to the
person asking is 404, as is a cohort they are not part of."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from courses.models import AssessmentPage

from ..forms.peer_reviews import PeerReviewForm
from ..models import Cohort
from ..selectors.assessments import cohort_assessment
from ..selectors.peer_reviews import review_handed_to
from ..services.peer_reviews import peer_review_assign, peer_review_submit
from .decorators import viewable_cohort

REVIEW_PAGE = "cohorts/assessments/peer_review.html"


def _peer_review(cohort: Cohort, assessment_id: int) -> AssessmentPage:
    assessment = cohort_assessment(cohort, assessment_id)
    if not assessment.is_peer_review or assessment.rubric is None:
        raise Http404
    return assessment


@login_required
@require_http_methods(["POST"])
def peer_review_next(request, cohort_id: int, assessment_id: int):
    """Hand the learner a piece of work to review and open it. A refusal (no work of their own
    handed in, their reviews all sent, nothing to review yet) answers 400 with the reason and
    a link back to the assessment."""
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = _peer_review(cohort, assessment_id)
    try:
        review = peer_review_assign(user=request.user, cohort=cohort, assessment=assessment)
    except ValidationError as error:
        context = {"cohort": cohort, "assessment": assessment, "message": " ".join(error.messages)}
        return render(request, "cohorts/assessments/peer_review_refused.html", context, status=400)
    return redirect("peer_review", cohort.pk, assessment.pk, review.pk)


@login_required
@require_http_methods(["GET", "POST"])
def peer_review(request, cohort_id: int, assessment_id: int, review_id: int):
    """The work handed to the learner and the rubric to review it against; once sent, what
    they sent. A refused post shows the form again with its errors (400)."""
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = _peer_review(cohort, assessment_id)
    review = review_handed_to(request.user, cohort, assessment, review_id)
    context = {
        "cohort": cohort,
        "assessment": assessment,
        "review": review,
        "submission": review.submission,
    }
    posted = request.method == "POST"
    if review.done:
        # Nothing to change: a post (a second click, an old tab) is told so.
        refusal = "You have already sent this review" if posted else None
        context["refusal"] = refusal
        return render(request, REVIEW_PAGE, context, status=400 if refusal else 200)
    form = PeerReviewForm(request.POST if posted else None, rubric=assessment.rubric)
    if posted and form.is_valid():
        try:
            peer_review_submit(
                user=request.user,
                review_id=review.pk,
                levels=form.levels,
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your review has been sent. Thank you")
            return redirect("cohort_assessment", cohort.pk, assessment.pk)
    context["form"] = form
    return render(request, REVIEW_PAGE, context, status=400 if posted else 200)
