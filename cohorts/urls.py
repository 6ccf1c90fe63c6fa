"""The cohorts app's pages: the learner's side (/learning/, /cohorts/…) and the facilitator's
(/facilitate/…). Included from ``academy/urls.py`` before Wagtail's catch-all. Ids in paths are
``<id:…>`` (``academy.converters``): out of range, they answer 404."""

from django.urls import path

from .views import facilitate, learning

urlpatterns = [
    # Learners
    path("learning/", learning.my_learning, name="my_learning"),
    path("learning/calendar.ics", learning.personal_calendar, name="personal_calendar"),
    path(
        "learning/lessons/<id:lesson_id>/complete/",
        learning.lesson_complete,
        name="lesson_complete",
    ),
    path("profile/calendar/", learning.calendar_feed, name="calendar_feed"),
    path("cohorts/<id:cohort_id>/", learning.cohort_home, name="cohort_home"),
    path("cohorts/<id:cohort_id>/calendar.ics", learning.cohort_calendar, name="cohort_calendar"),
    path("cohorts/<id:cohort_id>/join/", learning.join, name="cohort_join"),
    path("cohorts/<id:cohort_id>/withdraw/", learning.withdraw, name="cohort_withdraw"),
    # Facilitators and programme managers
    path("facilitate/", facilitate.index, name="facilitate"),
    path("facilitate/programme/", facilitate.programme_report, name="programme_report"),
    path(
        "facilitate/programme/report.csv",
        facilitate.programme_report_csv,
        name="programme_report_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/",
        facilitate.cohort_dashboard,
        name="facilitate_cohort",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/learners.csv",
        facilitate.learners_csv,
        name="facilitate_learners_csv",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/applications/",
        facilitate.applications,
        name="facilitate_applications",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/new/",
        facilitate.session_add,
        name="facilitate_session_add",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/edit/",
        facilitate.session_edit,
        name="facilitate_session_edit",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/sessions/<id:session_id>/cancel/",
        facilitate.session_cancel,
        name="facilitate_session_cancel",
    ),
    path(
        "facilitate/cohorts/<id:cohort_id>/announcements/new/",
        facilitate.announcement_add,
        name="facilitate_announcement_add",
    ),
]
