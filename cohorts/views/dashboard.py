"""A cohort's dashboard for the people who run it: the summary, what waits to be marked and
each assessment's figures, the learner table (sorted and paged by the database, with each
learner's outcome on each assessment), completion by module, sessions and announcements; and
the learner table as CSV."""

from datetime import date, datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from academy.pagination import pagination

from .. import charts, exports
from ..selectors.assessments import cohort_assessments
from ..selectors.completion import module_completion
from ..selectors.learners import (
    BEHIND_POINTS,
    INACTIVE_DAYS,
    SORT_KEYS,
    learner_page,
    learner_rows,
    learner_summary,
)
from ..selectors.places import places_left
from ..selectors.results import assessment_figures, marking_waiting
from ..selectors.sessions import cohort_announcements_with_emails, cohort_sessions
from .decorators import cohort_view

# The learner table's columns, in order: (sort key, heading, numeric).
LEARNER_COLUMNS = (
    ("name", "Name", False),
    ("organisation", "Organisation", False),
    ("sector", "Sector", False),
    ("progress", "Progress (%)", True),
    ("activity", "Last activity", False),
    ("status", "Status", False),
)


def _sort_from(query) -> tuple[str, bool]:
    """``?sort=<key>&dir=asc|desc``; anything unknown falls back to name, ascending."""
    sort = query.get("sort", "name")
    if sort not in SORT_KEYS:
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
    today = timezone.localdate()
    summary = learner_summary(cohort)
    learners = learner_page(cohort, sort=sort, descending=descending, page=request.GET.get("page"))
    modules = module_completion(cohort)
    elapsed = cohort.elapsed_percent(today)
    context = {
        "cohort": cohort,
        "elapsed": elapsed,
        "behind_threshold": max(0, elapsed - BEHIND_POINTS),
        "inactive_days": INACTIVE_DAYS,
        "behind_points": BEHIND_POINTS,
        "places_taken": summary.places_taken,
        "places_left": places_left(cohort, summary.places_taken),
        "summary": summary,
        "learners": [(row, _activity(row.last_activity, today)) for row in learners.object_list],
        "learner_page": learners,
        "learner_pages": pagination(learners, request.GET, fragment="learners"),
        "columns": _columns(sort, descending),
        "assessments": assessment_figures(cohort),
        "marking": marking_waiting(cohort),
        "modules": modules,
        "chart": charts.module_completion_chart(modules) if modules else "",
        "sessions": list(cohort_sessions(cohort)),
        "announcements": list(cohort_announcements_with_emails(cohort)),
        "applied": summary.applied,
        "waitlisted": summary.waitlisted,
        "now": timezone.now(),
    }
    return render(request, "cohorts/facilitate/dashboard.html", context)


@cohort_view
@require_GET
@never_cache
def learners_csv(request, cohort):
    sort, descending = _sort_from(request.GET)
    rows = learner_rows(cohort, sort=sort, descending=descending)
    return exports.learners_csv(cohort, rows, cohort_assessments(cohort))
