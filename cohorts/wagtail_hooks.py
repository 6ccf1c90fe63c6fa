"""Cohorts in Wagtail: the programme managers' cohort editor in the admin, and the panels the
cohorts app adds to course overviews (upcoming cohorts) and lessons ("Mark as complete")."""

from wagtail import hooks

from courses.panels import COURSE_PANELS, LESSON_PANELS

from . import admin_menu, panels
from .viewsets import cohort_viewset


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return cohort_viewset


hooks.register(COURSE_PANELS, panels.course_cohorts_panel)
hooks.register(LESSON_PANELS, panels.lesson_progress_panel)
hooks.register("register_admin_menu_item", admin_menu.programme_report_menu_item)
