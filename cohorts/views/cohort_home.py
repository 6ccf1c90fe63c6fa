"""The cohort home, for its members and the people who run it (``selectors.cohort_home``)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..selectors.cohort_home import cohort_home as read_cohort_home
from ..services.calendars import calendar_feed_for
from .decorators import viewable_cohort


@login_required
@require_http_methods(["GET"])
def cohort_home(request, cohort_id: int):
    cohort = viewable_cohort(request.user, cohort_id)
    home = read_cohort_home(request.user, cohort)
    # Calendar apps carry no session: the calendar links open with the person's own token.
    token = calendar_feed_for(request.user).token
    calendar_path = f"{reverse('cohort_calendar', args=[cohort.pk])}?{urlencode({'token': token})}"
    context = {
        **vars(home),
        "calendar_url": request.build_absolute_uri(calendar_path),
        "webcal_url": f"webcal://{request.get_host()}{calendar_path}",
    }
    return render(request, "cohorts/learning/cohort_home.html", context)
