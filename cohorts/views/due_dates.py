"""A cohort's due dates: each assessment's date, and setting the cohort's own
(``services.marking.due_date_set``). For the people who run the cohort (``cohort_view``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.marking import DueDateForm
from ..models import AssessmentDueDate
from ..selectors.assessments import cohort_assessment
from ..selectors.due_dates import due_date_rows
from ..services.marking import due_date_set
from .decorators import cohort_view


@cohort_view
@require_GET
def due_dates(request, cohort):
    rows = [
        (row, DueDateForm(assessment=row.assessment, initial={"due_on": row.due_on}))
        for row in due_date_rows(cohort)
    ]
    return render(request, "cohorts/facilitate/due_dates.html", {"cohort": cohort, "rows": rows})


@cohort_view
@require_http_methods(["GET", "POST"])
def due_date_edit(request, cohort, assessment_id: int):
    assessment = cohort_assessment(cohort, assessment_id)
    default_on = AssessmentDueDate.default_for(cohort, assessment)
    own = AssessmentDueDate.objects.filter(cohort=cohort, assessment=assessment).first()
    current = own.due_on if own else default_on
    if request.method == "GET":
        form = DueDateForm(assessment=assessment, initial={"due_on": current})
    else:
        form = DueDateForm(request.POST, assessment=assessment)
        if form.is_valid():
            due_on = None if form.back_to_default else form.cleaned_data["due_on"]
            try:
                due_date_set(cohort=cohort, assessment=assessment, due_on=due_on, by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                when = date_format(due_on or default_on, "j F Y")
                messages.success(
                    request,
                    f"{assessment.title} is now due on {when}"
                    + (" (the course's date)" if due_on is None else ""),
                )
                return redirect(reverse("facilitate_due_dates", args=[cohort.pk]) + "#due-dates")
    context = {
        "cohort": cohort,
        "assessment": assessment,
        "form": form,
        "current": current,
        "own": own is not None,
        "default_on": default_on,
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/due_date_form.html", context, status=status)
