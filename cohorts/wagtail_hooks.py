"""Cohorts in Wagtail: the programme managers' cohort editor in the admin, the panels the
cohorts app adds to course overviews (upcoming cohorts) and lessons ("Mark as complete"), the
learner's activity recorded when a lesson is served (before it renders; the panels only read),
and an assessment's own address sending its learners and the people who run it to their
cohort's page for it."""

from django.shortcuts import redirect

from wagtail import hooks

from courses.access import can_read_assessment
from courses.models import AssessmentPage, LessonPage
from courses.panels import COURSE_PANELS, LESSON_PANELS

from . import access, admin_menu, panels
from .services.lessons import lesson_visited
from .viewsets import cohort_viewset


@hooks.register("before_serve_page")
def record_lesson_visit(page, request, serve_args, serve_kwargs):
    """A signed-in learner opening a lesson of a course they are taking counts as activity
    (``services.lessons.lesson_visited``: one UPDATE, at most every 15 minutes)."""
    user = getattr(request, "user", None)
    if isinstance(page, LessonPage) and user is not None and user.is_authenticated:
        lesson_visited(user=user, lesson=page)


@hooks.register("before_serve_page")
def send_to_cohort_assessment(page, request, serve_args, serve_kwargs):
    """An assessment is taken inside a cohort: a member of a cohort of its course, or a person
    who runs one, opening the assessment's own address is sent to the cohort's page for it
    (``access.assessment_cohort`` says which cohort). Content staff read the definition there
    (``courses.access.can_read_assessment``); anyone else is asked to sign in or gets a 404
    from the page itself."""
    user = getattr(request, "user", None)
    if not isinstance(page, AssessmentPage) or user is None or not user.is_authenticated:
        return None
    if can_read_assessment(user, page):
        return None
    cohort = access.assessment_cohort(user, page)
    if cohort is None:
        return None
    return redirect("cohort_assessment", cohort_id=cohort.pk, assessment_id=page.pk)


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return cohort_viewset


hooks.register(COURSE_PANELS, panels.course_cohorts_panel)
hooks.register(LESSON_PANELS, panels.lesson_progress_panel)
hooks.register("register_admin_menu_item", admin_menu.programme_report_menu_item)
