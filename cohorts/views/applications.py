"""The applications queue of a cohort: approve or decline applications, decline people on the
waiting list. Paged: the decisions posted are about the page shown."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from academy.pagination import pagination

from ..forms.facilitate import DecisionForm
from ..models import Enrolment
from ..selectors.applications import application_queue
from ..selectors.places import places_left
from ..services.enrolment import DecisionResult, applications_decide
from .decorators import cohort_view

Status = Enrolment.Status


def _decision_message(result: DecisionResult) -> str:
    """What happened, for the banner: for example "2 approved; 1 put on the waiting list
    because the cohort is full", or "1 declined"."""
    parts = []
    if result.admitted or not (result.waitlisted or result.declined):
        parts.append(f"{len(result.admitted)} approved")
    if result.waitlisted:
        parts.append(f"{len(result.waitlisted)} put on the waiting list because the cohort is full")
    if result.declined:
        parts.append(f"{len(result.declined)} declined")
    return "; ".join(parts)


@cohort_view
@require_http_methods(["GET", "POST"])
def applications(request, cohort):
    queue = application_queue(cohort, page=request.GET.get("page"))
    form = DecisionForm(
        request.POST if request.method == "POST" else None, applications=queue.page.object_list
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = applications_decide(
                cohort=cohort,
                enrolment_ids=form.cleaned_data["enrolments"],
                approve=form.approve,
                decided_by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _decision_message(result))
            return redirect("facilitate_applications", cohort_id=cohort.pk)
    options = form.options()
    context = {
        "cohort": cohort,
        "form": form,
        "applicants": [item for item in options if item[1].status == Status.APPLIED],
        "waiting_list": [item for item in options if item[1].status == Status.WAITLISTED],
        "applied": queue.applied,
        "waitlisted": queue.waitlisted,
        "pages": pagination(queue.page, request.GET),
        "places_left": places_left(cohort),
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/applications.html", context, status=status)
