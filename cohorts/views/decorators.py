"""How the views apply ``cohorts.access``: every /facilitate/ URL needs a signed-in
facilitator, programme manager or superuser; a cohort's pages need ``access.can_facilitate``;
the programme report is for programme managers. Anyone else gets 404, so ids reveal nothing."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import access
from ..models import Cohort


def facilitator_required(view):
    """Sign-in first (anonymous → sign-in page), then 404 for anyone who runs no cohorts."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.runs_cohorts(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def programme_manager_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.sees_programme_report(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def cohort_view(view):
    """For the URLs of one cohort: the view is called with the cohort in place of its id, once
    ``access.can_facilitate`` allows it (a facilitator of another cohort gets 404)."""

    @wraps(view)
    def wrapped(request, cohort_id, *args, **kwargs):
        cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
        if not access.can_facilitate(request.user, cohort):
            raise Http404
        return view(request, cohort, *args, **kwargs)

    return facilitator_required(wrapped)


def viewable_cohort(user, cohort_id: int) -> Cohort:
    """The cohort, for its members and the people who run it; 404 for anyone else."""
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not access.can_view_cohort(user, cohort):
        raise Http404
    return cohort
