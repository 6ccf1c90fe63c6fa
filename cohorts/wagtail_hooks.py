"""Cohorts in Wagtail: the programme managers' cohort editor in the admin, the panels the
cohorts app adds to course overviews (upcoming cohorts) and lessons ("Mark as complete"), and
the learner's activity recorded when a lesson is served (before it renders; the panels only
read)."""

from wagtail import hooks

from courses.models import LessonPage
from courses.panels import COURSE_PANELS, LESSON_PANELS

from . import admin_menu, panels
from .services.lessons import lesson_visited
from .viewsets import cohort_viewset


@hooks.register("before_serve_page")
def record_lesson_visit(page, request, serve_args, serve_kwargs):
    """A signed-in learner opening a lesson of a course they are taking counts as activity
    (``services.lessons.lesson_visited``: one UPDATE, at most every 15 minutes)."""
    user = getattr(request, "user", None)
    if isinstance(page, LessonPage) and user is not None and user.is_authenticated:
        lesson_visited(user=user, lesson=page)


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return cohort_viewset


hooks.register(COURSE_PANELS, panels.course_cohorts_panel)
hooks.register(LESSON_PANELS, panels.lesson_progress_panel)
hooks.register("register_admin_menu_item", admin_menu.programme_report_menu_item)
