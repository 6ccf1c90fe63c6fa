"""Posting an announcement to a cohort: shown on its home and emailed to its active learners."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.facilitate import AnnouncementForm
from ..models import Cohort, Enrolment
from ..services.announcements import announcement_create
from .decorators import cohort_view

Status = Enrolment.Status


def _active_learners(cohort: Cohort) -> int:
    """Announcements are emailed to the learners who hold an active place."""
    return cohort.enrolments.filter(status=Status.ACTIVE).count()


@cohort_view
@require_http_methods(["GET", "POST"])
def announcement_add(request, cohort):
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement_create(
                cohort=cohort,
                author=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            count = _active_learners(cohort)
            if count:
                noun = "learner" if count == 1 else "learners"
                text = f"Announcement posted and emailed to {count} {noun}"
            else:
                text = (
                    "Announcement posted. Nobody holds an active place yet, so it was not emailed"
                )
            messages.success(request, text)
            return redirect("facilitate_cohort", cohort_id=cohort.pk)
    context = {"cohort": cohort, "form": form, "recipients": _active_learners(cohort)}
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/announcement_form.html", context, status=status)
