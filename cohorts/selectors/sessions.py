"""A cohort's live sessions and announcements, and the sessions of a personal calendar."""

from django.db.models import Q, QuerySet

from ..models import Announcement, Cohort, Enrolment, LiveSession


def cohort_sessions(cohort: Cohort) -> QuerySet[LiveSession]:
    return cohort.sessions.all()


def cohort_announcements(cohort: Cohort) -> QuerySet[Announcement]:
    return cohort.announcements.select_related("author")


def calendar_sessions_for(user) -> QuerySet[LiveSession]:
    """The sessions of every cohort the person belongs to or runs, for the personal feed."""
    member_of = Enrolment.objects.members().filter(user=user).values("cohort_id")
    return (
        LiveSession.objects.filter(Q(cohort__in=member_of) | Q(cohort__facilitators=user))
        .select_related("cohort__course")
        .distinct()
        .order_by("starts_at")
    )
