"""The cohorts app's pages: the learner's side (/learning/, /cohorts/…) and the facilitator's
(/facilitate/…). Included from ``academy/urls.py`` before Wagtail's catch-all. Ids in paths are
``<id:…>`` (``academy.converters``): out of range, they answer 404."""

from django.urls import path

from .views import (
    announcements,
    applications,
    calendars,
    cohort_home,
    dashboard,
    enrolment,
    facilitation,
    lessons,
    my_learning,
    reports,
    sessions,
)

urlpatterns = [
    # Learners
    path("learning/", my_learning.my_learning, name="my_learning"),
    path("learning/calendar.ics", calendars.personal_calendar, name="personal_calendar"),
    path(
        "learning/lessons/<id:lesson_id>/complete/",
        lessons.lesson_complete,
        name="lesson_complete",
    ),
    path("profile/calendar/", calendars.calendar_feed, name="calendar_feed"),
    path("cohorts/<id:cohort_id>/", cohort_home.cohort_home, name="cohort_home"),
    path("cohorts/<id:cohort_id>/calendar.ics", calendars.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<id:cohort_id>/join/", enrolment.join, name="cohort_join"),
    path("cohorts/<id:cohort_id>/withdraw/", enrolment.withdraw, name="cohort_withdraw"),
    # Facilitators and programme managers
    path("facilitate/", facilitation.index, name="facilitate"),
    path("facilitate/programme/", reports.programme_report, name="programme_report"),
    path(
        "facilitate/programme/report.csv",
        reports.programme_report_csv,
        name="programme_report_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/",
        dashboard.cohort_dashboard,
        name="facilitate_cohort",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/learners.csv",
        dashboard.learners_csv,
        name="facilitate_learners_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/applications/",
        applications.applications,
        name="facilitate_applications",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/new/",
        sessions.session_add,
        name="facilitate_session_add",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit/",
        sessions.session_edit,
        name="facilitate_session_edit",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/cancel/",
        sessions.session_cancel,
        name="facilitate_session_cancel",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/announcements/new/",
        announcements.announcement_add,
        name="facilitate_announcement_add",
    ),
]
