"""A cohort's live sessions: add, change, cancel (``services.sessions``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from ..forms.facilitate import LiveSessionForm
from ..models import Cohort, LiveSession
from ..services.sessions import live_session_cancel, live_session_save
from .decorators import cohort_view


def _session_of(cohort: Cohort, session_id: int) -> LiveSession:
    return get_object_or_404(LiveSession, pk=session_id, cohort=cohort)


def _session_form(request, cohort: Cohort, session: LiveSession):
    """Add or change ``session`` (new or saved) through ``live_session_save``."""
    adding = session.pk is None
    initial = {} if adding else LiveSessionForm.initial_for(session)
    form = LiveSessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = live_session_save(session=form.apply_to(session))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            when = date_format(timezone.localtime(saved.starts_at), "l j F Y, H:i")
            verb = "added" if adding else "changed"
            messages.success(request, f"{saved.title} on {when} has been {verb}")
            return redirect("facilitate_cohort", cohort_id=cohort.pk)
    context = {"cohort": cohort, "session": None if adding else session, "form": form}
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/session_form.html", context, status=status)


@cohort_view
@require_http_methods(["GET", "POST"])
def session_add(request, cohort):
    return _session_form(request, cohort, LiveSession(cohort=cohort))


@cohort_view
@require_http_methods(["GET", "POST"])
def session_edit(request, cohort, session_id):
    return _session_form(request, cohort, _session_of(cohort, session_id))


@cohort_view
@require_http_methods(["GET", "POST"])
def session_cancel(request, cohort, session_id):
    session = _session_of(cohort, session_id)
    if request.method == "POST":
        if session.cancelled:
            messages.info(request, f"{session.title} was already cancelled")
        else:
            live_session_cancel(session=session)
            messages.success(request, f"{session.title} has been cancelled in everyone's calendar")
        return redirect("facilitate_cohort", cohort_id=cohort.pk)
    return render(
        request, "cohorts/facilitate/session_cancel.html", {"cohort": cohort, "session": session}
    )
