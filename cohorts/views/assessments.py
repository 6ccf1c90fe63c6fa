"""A learner's assessment page at /cohorts/<id>/assessments/<id>/ and the files attached to
work. A quiz is shown and taken by ``views.quizzes``; written work (assignments and peer
reviews) here."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_safe

from .. import access
from ..models import SubmissionFile
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
@require_safe
def submission_file(request, cohort_id: int, assessment_id: int, file_id: int):
    """A file attached to work on this assessment in this cohort, for those who may see the
    work (``access.can_see_submission``); 404 for anyone else. Always a download: sent as an
    attachment, with the type recognised when it was uploaded and ``nosniff``, so a browser
    never opens it as a page of the site. A reviewer of anonymous peer work gets it under a
    plain name, as the learner's own file name may name them."""
    attached = get_object_or_404(
        SubmissionFile.objects.select_related("submission__enrolment__cohort"),
        pk=file_id,
        submission__assessment_id=assessment_id,
        submission__enrolment__cohort_id=cohort_id,
    )
    submission = attached.submission
    viewer = access.submission_viewer(request.user, submission)
    if viewer is None:
        raise Http404
    filename = attached.name
    if viewer == access.SUBMISSION_PEER and submission.assessment.anonymous_reviews:
        suffix = attached.file.name.rpartition(".")[2]
        filename = f"peer-work-{attached.pk}.{suffix}"
    try:
        stream = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=attached.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
