"""A cohort's live sessions and announcements, and what the calendar feeds hold: sessions, and
the meetings of the peer groups a person belongs to or advises."""

from django.db.models import CharField, Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from academy.models import OutboxEmail

from .. import access
from ..models import Announcement, Cohort, LiveSession, PeerMeeting


def cohort_sessions(cohort: Cohort) -> QuerySet[LiveSession]:
    return cohort.sessions.all()


def cohort_announcements(cohort: Cohort) -> QuerySet[Announcement]:
    return cohort.announcements.select_related("author")


def _announcement_emails(status: str) -> Coalesce:
    counted = (
        OutboxEmail.objects.filter(
            about=Concat(Value("announcement:"), Cast(OuterRef("pk"), CharField())),
            status=status,
        )
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cohort_announcements_with_emails(cohort: Cohort) -> QuerySet[Announcement]:
    """The cohort's announcements, each with how many of its emails the outbox has sent
    (``emails_sent``) and how many wait to be sent (``emails_waiting``)."""
    return cohort_announcements(cohort).annotate(
        emails_sent=_announcement_emails(OutboxEmail.Status.SENT),
        emails_waiting=_announcement_emails(OutboxEmail.Status.PENDING),
    )


def calendar_sessions_for(user) -> QuerySet[LiveSession]:
    """The sessions of every cohort the person belongs to or facilitates
    (``access.own_cohorts``), for the personal feed."""
    return (
        LiveSession.objects.filter(cohort__in=access.own_cohorts(user))
        .select_related("cohort__course")
        .distinct()
        .order_by("starts_at")
    )


def calendar_meetings_for(user, cohort: Cohort | None = None) -> QuerySet[PeerMeeting]:
    """The meetings, cancelled ones included, of the peer groups whose meetings go in the
    person's calendars (``access.calendar_peer_sets``): of every cohort for the personal feed,
    of ``cohort`` for its calendar. One query, with each meeting's set and cohort."""
    sets = access.calendar_peer_sets(user)
    if cohort is not None:
        sets = sets.filter(cohort=cohort)
    return (
        PeerMeeting.objects.filter(peer_set__in=sets.values("pk"))
        .select_related("peer_set__cohort")
        .order_by("starts_at", "pk")
    )
