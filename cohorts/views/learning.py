"""The learner's side of cohorts: My learning, the cohort home, taking and giving up a place,
marking lessons complete, and the calendar feeds.

A cohort or enrolment the person may not see answers 404, never 403. The calendar feeds are
read by calendar apps, which carry no session: the personal feed (and a cohort's calendar, for
its members) opens with the secret token of the person's ``CalendarFeed`` instead."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses.access import can_read_lesson
from courses.models import LessonPage
from courses.selectors import course_outline

from .. import ical, selectors, services
from ..forms.learning import JoinForm, LessonCompleteForm
from ..models import CalendarFeed, Cohort, Enrolment
from ..services import CohortError

Status = Enrolment.Status


@login_required
@require_http_methods(["GET"])
def my_learning(request):
    learning = selectors.my_learning(request.user)
    is_empty = not (
        learning.current
        or learning.pending
        or learning.upcoming
        or learning.past
        or learning.recently_completed
    )
    return render(
        request, "cohorts/learning/my_learning.html", {"learning": learning, "is_empty": is_empty}
    )


@login_required
@require_http_methods(["POST"])
def lesson_complete(request, lesson_id: int):
    """Mark a lesson complete (or take the mark back): a plain form post, no JavaScript. A
    refused post answers 400 with the reason and a link back to the lesson."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not can_read_lesson(request.user, lesson):
        raise Http404
    lesson_url = lesson.get_url(request) or reverse("my_learning")

    def refused(message: str):
        context = {"lesson": lesson, "lesson_url": lesson_url, "message": message}
        return render(request, "cohorts/learning/lesson_complete_refused.html", context, status=400)

    form = LessonCompleteForm(request.POST)
    if not form.is_valid():
        return refused(form.errors["action"][0])
    undo = form.cleaned_data["action"] == LessonCompleteForm.UNDO
    try:
        if undo:
            services.lesson_uncomplete(user=request.user, lesson=lesson)
        else:
            services.lesson_complete(user=request.user, lesson=lesson)
    except CohortError as error:
        return refused(error.message)
    messages.success(
        request, "Lesson marked as not complete" if undo else "Lesson marked as complete"
    )
    return redirect(lesson_url)


def _viewable_cohort(user, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not selectors.can_view_cohort(user, cohort):
        raise Http404
    return cohort


@login_required
@require_http_methods(["GET"])
def cohort_home(request, cohort_id: int):
    cohort = _viewable_cohort(request.user, cohort_id)
    enrolment = Enrolment.objects.filter(user=request.user, cohort=cohort).first()
    is_member = enrolment is not None and enrolment.is_member
    completed = (
        set(enrolment.completions.values_list("lesson_id", flat=True)) if is_member else set()
    )
    outline = course_outline(cohort.course)
    required = [
        lesson.pk for _, lessons in outline for lesson in lessons if lesson.required_for_completion
    ]
    now = timezone.now()
    sessions = list(selectors.cohort_sessions(cohort))
    # Calendar apps carry no session: the calendar links open with the person's own token.
    token = services.calendar_feed_for(request.user).token
    calendar_path = f"{reverse('cohort_calendar', args=[cohort.pk])}?{urlencode({'token': token})}"
    context = {
        "cohort": cohort,
        "enrolment": enrolment,
        "is_member": is_member,
        "can_withdraw": enrolment is not None
        and enrolment.status == Status.ACTIVE
        and cohort.status != Cohort.Status.FINISHED,
        # Learners read the lessons while the cohort runs; the people who run it, always.
        "lessons_open": cohort.is_running or selectors.can_facilitate(request.user, cohort),
        "outline": outline,
        "completed": completed,
        "progress": selectors.Progress(len(completed.intersection(required)), len(required)),
        "upcoming_sessions": [s for s in sessions if s.ends_at >= now],
        "past_sessions": [s for s in sessions if s.ends_at < now],
        "facilitators": cohort.facilitators.select_related("organisation").order_by(
            "display_name", "email"
        ),
        "announcements": selectors.cohort_announcements(cohort),
        "calendar_url": request.build_absolute_uri(calendar_path),
        "webcal_url": f"webcal://{request.get_host()}{calendar_path}",
    }
    return render(request, "cohorts/learning/cohort_home.html", context)


def _feed_user(token: str):
    """The person whose calendar token this is; 404 for a missing, wrong or reset token."""
    if not token or len(token) > 64:
        raise Http404
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user


@require_http_methods(["GET", "HEAD"])
def cohort_calendar(request, cohort_id: int):
    """The cohort's sessions, for its members and the people who run it: signed in, or from a
    calendar app with the person's calendar token."""
    token = request.GET.get("token")
    if token is not None:
        user = _feed_user(token)
    elif request.user.is_authenticated:
        user = request.user
    else:
        return redirect_to_login(request.get_full_path())
    cohort = _viewable_cohort(user, cohort_id)
    calendar = ical.cohort_calendar(cohort, selectors.cohort_sessions(cohort))
    return ical.calendar_response(calendar, filename=f"cohort-{cohort.pk}.ics")


@require_http_methods(["GET", "HEAD"])
def personal_calendar(request):
    """The personal feed: opened by its token alone, never by a session (no cookie is read or
    set), so that a calendar app can fetch it."""
    user = _feed_user(request.GET.get("token", ""))
    calendar = ical.personal_calendar(selectors.calendar_sessions_for(user))
    return ical.calendar_response(calendar, filename="academy-sessions.ics")


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def calendar_feed(request):
    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(
            request,
            "Your calendar link has been reset. Links you shared before no longer work.",
        )
        return redirect("calendar_feed")
    feed = services.calendar_feed_for(request.user)
    path = f"{reverse('personal_calendar')}?{urlencode({'token': feed.token})}"
    context = {
        "feed_url": request.build_absolute_uri(path),
        "webcal_url": f"webcal://{request.get_host()}{path}",
    }
    return render(request, "cohorts/learning/calendar_feed.html", context)


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
        selectors.with_places_taken(Cohort.objects.select_related("course")), pk=cohort_id
    )
    form = JoinForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_request(
                user=request.user, cohort=cohort, answer=form.answer
            )
        except CohortError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _joined_message(enrolment))
            return redirect("my_learning")
    context = {
        "cohort": cohort,
        "form": form,
        "places_left": selectors.places_left(cohort),
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
            services.enrolment_withdraw(user=request.user, enrolment=enrolment)
        except CohortError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _withdrawn_message(enrolment, status_before))
        return redirect("my_learning")
    return render(request, "cohorts/learning/withdraw.html", {"enrolment": enrolment})
