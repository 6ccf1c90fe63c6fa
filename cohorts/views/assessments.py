"""A learner's assessment page at /cohorts/<id>/assessments/<id>/ and the files attached to
work. A quiz is shown and taken by ``views.quizzes``; written work (assignments and peer
reviews) here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from academy.uploads import upload_limits

from .. import access
from ..forms.learning import SubmissionForm
from ..models import Submission, SubmissionFile
from ..selectors.assessments import cohort_assessment
from ..selectors.assessments import written_work as read_written_work
from ..services.submissions import already_handed_in, submission_create
from . import quizzes
from .decorators import viewable_cohort


@login_required
@upload_limits  # before anything reads the body: a file's size is checked as it is read
@require_http_methods(["GET", "POST"])
def assessment(request, cohort_id: int, assessment_id: int):
    cohort = viewable_cohort(request.user, cohort_id)
    assessment = cohort_assessment(cohort, assessment_id)
    if assessment.is_quiz:
        return quizzes.quiz_page(request, cohort, assessment)
    return written_work(request, cohort, assessment)


def written_work(request, cohort, assessment):
    """An assignment or peer review: its instructions and rubric, the learner's versions with
    their feedback, and the form for the next version (``services.submissions``). A refused
    post answers 400 with the page and what was typed; a second post of the same form (a
    double click) goes back to the page, where the version handed in is."""
    work = read_written_work(request.user, cohort, assessment)
    latest = work.latest
    initial = {"version": work.next_version}
    if latest is not None and latest.status == Submission.Status.RESUBMIT:
        initial["text"] = latest.submission.text  # a resubmission starts from the last version
    posted = request.method == "POST"
    form = SubmissionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        assessment=assessment,
        initial=initial,
    )
    if posted and form.is_valid():
        try:
            submission = submission_create(
                user=request.user,
                cohort=cohort,
                assessment=assessment,
                text=form.text,
                files=form.files_chosen,
                version_expected=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if already_handed_in(error):
                messages.info(request, "This version was already handed in")
                return _back(cohort, assessment)
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Version {submission.version} handed in: you will see the feedback here once "
                "it has been marked",
            )
            return _back(cohort, assessment)
    context = {**vars(work), "latest": latest, "form": form}
    status = 400 if form.errors else 200
    return render(request, "cohorts/assessments/written.html", context, status=status)


def _back(cohort, assessment):
    return redirect("cohort_assessment", cohort_id=cohort.pk, assessment_id=assessment.pk)


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
