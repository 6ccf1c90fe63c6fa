"""Marking: the cohort's queue, the marking form, and releasing held marks
(``services.marking``). For the people who run the cohort (``cohort_view``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy.pagination import pagination

from ..forms.marking import MarkForm, QueueFilterForm
from ..rubrics import criteria_of
from ..selectors.marking import (
    marked_assessments,
    marking_sheet,
    oldest_waiting,
    queue_counts,
    queue_page,
    work_to_mark,
)
from ..services.marking import mark_save
from ..services.marking import marks_release as release_held_marks
from .decorators import cohort_view


def _queue_url(cohort, assessment_id: int | None = None) -> str:
    url = reverse("facilitate_marking", args=[cohort.pk])
    return f"{url}?{urlencode({'assessment': assessment_id})}" if assessment_id else url


@cohort_view
@require_GET
def marking_queue(request, cohort):
    assessments = marked_assessments(cohort)
    form = QueueFilterForm(request.GET, assessments=assessments)
    form.is_valid()  # a filter that is not one of the choices is left out, with its error
    work = queue_page(
        cohort,
        assessments,
        assessment_id=form.assessment_id,
        status=form.status_value,
        page=request.GET.get("page"),
    )
    context = {
        "cohort": cohort,
        "form": form,
        "assessments": assessments,
        "assessment_id": form.assessment_id,
        "status_label": dict(QueueFilterForm.STATUSES)[form.status_value or QueueFilterForm.ANY],
        "work": work,
        "pages": pagination(work, request.GET, fragment="work"),
        "counts": queue_counts(cohort, assessments, assessment_id=form.assessment_id),
        "oldest_waiting": oldest_waiting(cohort, assessments, assessment_id=form.assessment_id),
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/marking_queue.html", context, status=status)


@cohort_view
@require_http_methods(["GET", "POST"])
def mark_submission(request, cohort, submission_id: int):
    submission = work_to_mark(cohort, submission_id)
    sheet = marking_sheet(submission)
    criteria = criteria_of(submission.assessment.rubric)
    initial = MarkForm.initial_from(sheet.current.latest_mark)
    data = request.POST if request.method == "POST" else None
    form = MarkForm(data, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        release = form.cleaned_data["release"]
        try:
            mark = mark_save(
                submission=submission,
                by=request.user,
                levels=form.levels,
                comments=form.cleaned_data["comments"],
                outcome=form.cleaned_data["outcome"],
                release=release,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            what = f"{sheet.learner}'s {submission.assessment.title}"
            if release:
                messages.success(
                    request,
                    f"Your mark on {what} ({mark.get_outcome_display().lower()},"
                    f" {mark.total} of {mark.max_total}) has been released to the learner",
                )
            else:
                messages.success(
                    request,
                    f"Your mark on {what} is saved and held: the learner sees it when you"
                    " release the held marks",
                )
            return redirect(_queue_url(cohort, submission.assessment_id))
    context = {
        "cohort": cohort,
        "submission": submission,
        "assessment": submission.assessment,
        "rubric": submission.assessment.rubric,
        "sheet": sheet,
        "form": form,
        "queue_url": _queue_url(cohort, submission.assessment_id),
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/mark_form.html", context, status=status)


@cohort_view
@require_POST
def marks_release(request, cohort):
    assessment = None
    chosen = request.POST.get("assessment", "")
    if chosen:
        assessment = next(
            (page for page in marked_assessments(cohort) if str(page.pk) == chosen), None
        )
        if assessment is None:
            raise Http404
    released = release_held_marks(cohort=cohort, by=request.user, assessment=assessment)
    if released:
        messages.success(
            request,
            f"{released} held mark{'' if released == 1 else 's'} released: learners can now see"
            " their feedback",
        )
    else:
        messages.info(request, "There were no held marks to release")
    return redirect(_queue_url(cohort, assessment.pk if assessment else None))
