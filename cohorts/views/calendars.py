"""Calendar feeds. Calendar apps carry no session: the personal feed (and a cohort's
calendar, for its members) opens with the secret token of the person's ``CalendarFeed``."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ical
from ..models import CalendarFeed
from ..selectors.sessions import calendar_meetings_for, calendar_sessions_for, cohort_sessions
from ..services.calendars import calendar_feed_for, calendar_token_reset
from .decorators import viewable_cohort

TOKEN = re.compile(r"[A-Za-z0-9_-]+")  # what secrets.token_urlsafe makes


def _feed_user(token: str):
    """The person whose calendar token this is; 404 for a missing, wrong or reset token (one
    that is not made of a token's characters is never looked up: PostgreSQL refuses NUL)."""
    if not token or len(token) > 64 or not TOKEN.fullmatch(token):
        raise Http404
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


@require_http_methods(["GET", "HEAD"])
def cohort_calendar(request, cohort_id: int):
    """The cohort's sessions, and the meetings of its peer groups the person belongs to or
    advises, for its members and the people who run it: signed in, or from a calendar app with
    the person's calendar token."""
    token = request.GET.get("token")
    if token is not None:
        user = _feed_user(token)
    elif request.user.is_authenticated:
        user = request.user
    else:
        return redirect_to_login(request.get_full_path())
    cohort = viewable_cohort(user, cohort_id)
    calendar = ical.cohort_calendar(
        cohort, cohort_sessions(cohort), calendar_meetings_for(user, cohort)
    )
    return ical.calendar_response(calendar, filename=f"cohort-{cohort.pk}.ics")


@require_http_methods(["GET", "HEAD"])
def personal_calendar(request):
    """The personal feed (sessions and peer-group meetings): opened by its token alone, never
    by a session (no cookie is read or set), so that a calendar app can fetch it."""
    user = _feed_user(request.GET.get("token", ""))
    calendar = ical.personal_calendar(calendar_sessions_for(user), calendar_meetings_for(user))
    return ical.calendar_response(calendar, filename="academy-sessions.ics")


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def calendar_feed(request):
    if request.method == "POST":
        calendar_token_reset(user=request.user)
        messages.success(
            request,
            "Your calendar link has been reset. Links you shared before no longer work.",
        )
        return redirect("calendar_feed")
    feed = calendar_feed_for(request.user)
    path = f"{reverse('personal_calendar')}?{urlencode({'token': feed.token})}"
    context = {
        "feed_url": request.build_absolute_uri(path),
        "webcal_url": f"webcal://{request.get_host()}{path}",
    }
    return render(request, "cohorts/learning/calendar_feed.html", context)
