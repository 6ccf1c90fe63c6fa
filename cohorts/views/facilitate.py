"""The pages of the people who run cohorts (/facilitate/…): the cohorts they facilitate, each
cohort's dashboard with its learner table, the applications queue, live sessions,
announcements, CSV downloads and, for programme managers, the programme report.

Who may see what (docs/facilitators.md): every /facilitate/ URL needs a signed-in facilitator,
programme manager or superuser; a cohort's pages need ``selectors.can_facilitate``; the
programme report is for programme managers. Anyone else gets 404, so ids reveal nothing.

Each page reads through the selectors, whose query counts do not grow with the number of
learners; nothing here looks anything up row by row."""

from datetime import date, datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from academy.pagination import pagination
from academy.roles import is_facilitator, is_programme_manager

from .. import charts, exports, selectors, services
from ..forms.facilitate import AnnouncementForm, DecisionForm, LiveSessionForm
from ..models import Cohort, Enrolment, LiveSession
from ..services import CohortError

Status = Enrolment.Status

# The learner table's columns, in order: (sort key, heading, numeric).
LEARNER_COLUMNS = (
    ("name", "Name", False),
    ("organisation", "Organisation", False),
    ("sector", "Sector", False),
    ("progress", "Progress (%)", True),
    ("activity", "Last activity", False),
    ("status", "Status", False),
)


# --- Access ---------------------------------------------------------------------------------


def runs_cohorts(user) -> bool:
    """Facilitators, programme managers and superusers may use /facilitate/ at all."""
    return is_facilitator(user) or is_programme_manager(user)


def facilitator_required(view):
    """Sign-in first (anonymous → sign-in page), then 404 for anyone who runs no cohorts."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not runs_cohorts(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def programme_manager_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_programme_manager(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def cohort_view(view):
    """For the URLs of one cohort: the view is called with the cohort in place of its id, once
    ``selectors.can_facilitate`` allows it (a facilitator of another cohort gets 404)."""

    @wraps(view)
    def wrapped(request, cohort_id, *args, **kwargs):
        cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
        if not selectors.can_facilitate(request.user, cohort):
            raise Http404
        return view(request, cohort, *args, **kwargs)

    return facilitator_required(wrapped)


def _session_of(cohort: Cohort, session_id: int) -> LiveSession:
    return get_object_or_404(LiveSession, pk=session_id, cohort=cohort)


# --- The cohorts a person runs --------------------------------------------------------------


@facilitator_required
@require_GET
def index(request):
    cohorts = selectors.facilitated_cohorts(request.user).annotate(
        n_learners=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.MEMBER_STATUSES)),
        n_pending=Count("enrolments", filter=Q(enrolments__status=Status.APPLIED)),
        n_waitlisted=Count("enrolments", filter=Q(enrolments__status=Status.WAITLISTED)),
    )
    today = timezone.localdate()
    groups = {status: [] for status in Cohort.Status.values}
    for cohort in cohorts:
        groups[cohort.status_on(today)].append(cohort)
    groups[Cohort.Status.FINISHED].sort(key=lambda c: (c.end_date, c.name), reverse=True)
    sections = [
        {"status": status, "heading": heading, "cohorts": groups[status]}
        for status, heading in (
            (Cohort.Status.RUNNING, "Running now"),
            (Cohort.Status.UPCOMING, "Starting soon"),
            (Cohort.Status.FINISHED, "Finished"),
            (Cohort.Status.CANCELLED, "Cancelled"),
        )
        if groups[status]
    ]
    return render(
        request,
        "cohorts/facilitate/index.html",
        {"sections": sections, "is_programme_manager": is_programme_manager(request.user)},
    )


# --- One cohort's dashboard -----------------------------------------------------------------


def _sort_from(query) -> tuple[str, bool]:
    """``?sort=<key>&dir=asc|desc``; anything unknown falls back to name, ascending."""
    sort = query.get("sort", "name")
    if sort not in selectors.SORT_KEYS:
        sort = "name"
    return sort, query.get("dir") == "desc"


def _columns(sort: str, descending: bool) -> list[dict]:
    columns = []
    for key, label, numeric in LEARNER_COLUMNS:
        current = key == sort
        next_dir = "asc" if not current or descending else "desc"
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                "url": f"?{urlencode({'sort': key, 'dir': next_dir})}#learners",
                "next": "descending" if next_dir == "desc" else "ascending",
            }
        )
    return columns


LEARNERS_PER_PAGE = 50


def _activity(moment: datetime | None, today: date) -> str:
    """How long ago, in days: "Today", "Yesterday", "3 days ago"."""
    if moment is None:
        return "No activity yet"
    days = (today - timezone.localdate(moment)).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    return f"{days} days ago"


@cohort_view
@require_GET
def cohort_dashboard(request, cohort):
    sort, descending = _sort_from(request.GET)
    rows = selectors.learner_rows(cohort, sort=sort, descending=descending)
    today = timezone.localdate()
    members = [row for row in rows if row.status in Enrolment.MEMBER_STATUSES]
    # The summary counts everyone; the table shows one page at a time.
    learner_page = Paginator(rows, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    shown = learner_page.object_list
    modules = selectors.module_completion(cohort)
    waiting = cohort.enrolments.aggregate(
        applied=Count("pk", filter=Q(status=Status.APPLIED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    elapsed = cohort.elapsed_percent(today)
    context = {
        "cohort": cohort,
        "elapsed": elapsed,
        "behind_threshold": max(0, elapsed - selectors.BEHIND_POINTS),
        "inactive_days": selectors.INACTIVE_DAYS,
        "behind_points": selectors.BEHIND_POINTS,
        "places_taken": len(members),
        "places_left": max(0, cohort.capacity - len(members)),
        "summary": {
            "active": sum(1 for row in rows if row.status == Status.ACTIVE),
            "completed": sum(1 for row in rows if row.status == Status.COMPLETED),
            "at_risk": sum(1 for row in rows if row.at_risk),
            "average_progress": (
                round(sum(row.progress for row in members) / len(members)) if members else 0
            ),
        },
        "learners": [(row, _activity(row.last_activity, today)) for row in shown],
        "learner_page": learner_page,
        "learner_pages": pagination(learner_page, request.GET, fragment="learners"),
        "columns": _columns(sort, descending),
        "sort": sort,
        "direction": "desc" if descending else "asc",
        "modules": modules,
        "chart": charts.module_completion_chart(modules) if modules else "",
        "sessions": list(selectors.cohort_sessions(cohort)),
        "announcements": list(selectors.cohort_announcements(cohort)),
        "applied": waiting["applied"],
        "waitlisted": waiting["waitlisted"],
        "now": timezone.now(),
    }
    return render(request, "cohorts/facilitate/dashboard.html", context)


@cohort_view
@require_GET
@never_cache
def learners_csv(request, cohort):
    sort, descending = _sort_from(request.GET)
    rows = selectors.learner_rows(cohort, sort=sort, descending=descending)
    return exports.learners_csv(cohort, rows)


# --- Applications ---------------------------------------------------------------------------


def _decision_message(result: services.DecisionResult) -> str:
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
    pending = list(selectors.pending_applications(cohort))
    form = DecisionForm(request.POST if request.method == "POST" else None, applications=pending)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.applications_decide(
                cohort=cohort,
                enrolment_ids=form.cleaned_data["enrolments"],
                approve=form.approve,
                decided_by=request.user,
                message=form.cleaned_data["message"],
            )
        except CohortError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _decision_message(result))
            return redirect("facilitate_applications", cohort_id=cohort.pk)
    options = form.options()
    context = {
        "cohort": cohort,
        "form": form,
        "applicants": [item for item in options if item[1].status == Status.APPLIED],
        "waiting_list": [item for item in options if item[1].status == Status.WAITLISTED],
        "places_left": selectors.places_left(cohort),
    }
    status = 400 if form.errors else 200
    return render(request, "cohorts/facilitate/applications.html", context, status=status)


# --- Live sessions --------------------------------------------------------------------------


def _session_form(request, cohort: Cohort, session: LiveSession):
    """Add or change ``session`` (new or saved) through ``services.live_session_save``."""
    adding = session.pk is None
    initial = {} if adding else LiveSessionForm.initial_for(session)
    form = LiveSessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.live_session_save(session=form.apply_to(session))
        except ValidationError as error:
            form.add_service_errors(error)
        except CohortError as error:
            form.add_error(None, error.message)
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
            services.live_session_cancel(session=session)
            messages.success(request, f"{session.title} has been cancelled in everyone's calendar")
        return redirect("facilitate_cohort", cohort_id=cohort.pk)
    return render(
        request, "cohorts/facilitate/session_cancel.html", {"cohort": cohort, "session": session}
    )


# --- Announcements --------------------------------------------------------------------------


def _active_learners(cohort: Cohort) -> int:
    """Announcements are emailed to the learners who hold an active place."""
    return cohort.enrolments.filter(status=Status.ACTIVE).count()


@cohort_view
@require_http_methods(["GET", "POST"])
def announcement_add(request, cohort):
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_create(
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


# --- The programme report -------------------------------------------------------------------


@programme_manager_required
@require_GET
def programme_report(request):
    report = selectors.programme_report()
    totals = {
        "cohorts": sum(len(course.cohorts) for course in report),
        "applications": sum(course.applications for course in report),
        "active": sum(course.active for course in report),
        "completed": sum(course.completed for course in report),
        "at_risk": sum(course.at_risk for course in report),
    }
    learners = totals["active"] + totals["completed"]
    totals["completion_rate"] = selectors.percent(totals["completed"], learners)
    return render(
        request, "cohorts/facilitate/programme_report.html", {"report": report, "totals": totals}
    )


@programme_manager_required
@require_GET
@never_cache
def programme_report_csv(request):
    return exports.programme_report_csv(selectors.programme_report())
