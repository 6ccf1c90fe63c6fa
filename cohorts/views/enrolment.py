"""Taking a place on a cohort (or applying, or joining its waiting list) and giving it up.
Only a live enrolment of the signed-in person is found by withdraw: anyone else's answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.learning import JoinForm
from ..models import Cohort, Enrolment
from ..selectors.places import places_left, with_places_taken
from ..services.enrolment import enrolment_request, enrolment_withdraw

Status = Enrolment.Status


def _joined_message(enrolment: Enrolment) -> str:
    name = enrolment.cohort.name
    if enrolment.status == Status.ACTIVE:
        return f"You have a place on {name}. We have emailed you the details"
    if enrolment.status == Status.WAITLISTED:
        return (
            f"{name} is full, so you are on the waiting list. We will email you if a place"
            " becomes free"
        )
    return f"Your application to {name} has been sent. We will email you the decision"


@login_required
@require_http_methods(["GET", "POST"])
def join(request, cohort_id: int):
    cohort = get_object_or_404(
        with_places_taken(Cohort.objects.select_related("course")), pk=cohort_id
    )
    form = JoinForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = enrolment_request(user=request.user, cohort=cohort, answer=form.answer)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _joined_message(enrolment))
            return redirect("my_learning")
    context = {
        "cohort": cohort,
        "form": form,
        "places_left": places_left(cohort),
        "joinable": cohort.status == Cohort.Status.UPCOMING,
        "enrolment": Enrolment.objects.filter(user=request.user, cohort=cohort).first(),
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/learning/join.html", context, status=status)


def _withdrawn_message(enrolment: Enrolment, status_before: str) -> str:
    name = enrolment.cohort.name
    if status_before == Status.APPLIED:
        return f"Your application to {name} has been withdrawn"
    if status_before == Status.WAITLISTED:
        return f"You have left the waiting list for {name}"
    return f"You have given up your place on {name}"


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, cohort_id: int):
    """Give up one's own place, application or spot on the waiting list. Only a live
    enrolment of the signed-in person is found here: anyone else's answers 404."""
    enrolment = get_object_or_404(
        Enrolment.objects.live().select_related("cohort__course"),
        user=request.user,
        cohort_id=cohort_id,
    )
    if request.method == "POST":
        status_before = enrolment.status
        try:
            enrolment_withdraw(user=request.user, enrolment=enrolment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _withdrawn_message(enrolment, status_before))
        return redirect("my_learning")
    return render(request, "cohorts/learning/withdraw.html", {"enrolment": enrolment})
