"""A cohort's live sessions and announcements, and the sessions of a personal calendar."""

from django.db.models import QuerySet

from .. import access
from ..models import Announcement, Cohort, LiveSession


def cohort_sessions(cohort: Cohort) -> QuerySet[LiveSession]:
    return cohort.sessions.all()


def cohort_announcements(cohort: Cohort) -> QuerySet[Announcement]:
    return cohort.announcements.select_related("author")


def calendar_sessions_for(user) -> QuerySet[LiveSession]:
    """The sessions of every cohort the person belongs to or facilitates
    (``access.own_cohorts``), for the personal feed."""
    return (
        LiveSession.objects.filter(cohort__in=access.own_cohorts(user))
        .select_related("cohort__course")
        .distinct()
        .order_by("starts_at")
    )
