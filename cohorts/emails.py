"""The emails a learner receives about a cohort. Each is claimed in the database before it is
sent (``notified_status`` on the enrolment, ``emailed_at`` on the announcement), and the claim
is released if sending fails, so the tasks that call these can run twice without sending twice.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import progress
from .models import Announcement, Enrolment

logger = logging.getLogger(__name__)

SUBJECTS = {
    Enrolment.Status.ACTIVE: "You have a place on {cohort}",
    Enrolment.Status.WAITLISTED: "You are on the waiting list for {cohort}",
    Enrolment.Status.DECLINED: "Your application to {cohort}",
    Enrolment.Status.APPLIED: "We have your application to {cohort}",
    Enrolment.Status.COMPLETED: "You have completed {course}",
}


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _subject(text: str) -> str:
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"


def send_enrolment_email(enrolment_id: int, status: str) -> bool:
    """Email the learner that their enrolment is now ``status``. Sends nothing if the status
    has changed since (a later email will say so) or this email was already sent."""
    if status not in SUBJECTS:
        return False
    with transaction.atomic():
        claimed = (
            Enrolment.objects.filter(pk=enrolment_id, status=status)
            .exclude(notified_status=status)
            .update(notified_status=status)
        )
    if not claimed:
        return False
    enrolment = Enrolment.objects.select_related("user", "cohort__course").get(pk=enrolment_id)
    cohort = enrolment.cohort
    context = {
        "enrolment": enrolment,
        "cohort": cohort,
        "course": cohort.course,
        "name": enrolment.user.display_name or enrolment.user.email,
        "my_learning_url": _absolute(reverse("my_learning")),
        "cohort_url": _absolute(reverse("cohort_home", args=[cohort.pk])),
        "course_url": _absolute(cohort.course.url or "/courses/"),
        # What completing the course meant, in the progress engine's words.
        "counted": progress.counted(cohort.course),
    }
    message = EmailMessage(
        subject=_subject(SUBJECTS[status].format(cohort=cohort, course=cohort.course.title)),
        body=render_to_string(f"cohorts/email/enrolment_{status}.txt", context),
        to=[enrolment.user.email],
    )
    try:
        message.send()
    except Exception:
        Enrolment.objects.filter(pk=enrolment_id).update(notified_status="")
        raise
    return True


def send_announcement(announcement_id: int) -> int:
    """Email the announcement to the cohort's current members, once."""
    with transaction.atomic():
        claimed = Announcement.objects.filter(pk=announcement_id, emailed_at=None).update(
            emailed_at=timezone.now()
        )
    if not claimed:
        return 0
    announcement = Announcement.objects.select_related("cohort__course", "author").get(
        pk=announcement_id
    )
    cohort = announcement.cohort
    recipients = list(
        cohort.enrolments.filter(status=Enrolment.Status.ACTIVE)
        .select_related("user")
        .values_list("user__email", "user__display_name")
    )
    context = {
        "announcement": announcement,
        "cohort": cohort,
        "cohort_url": _absolute(reverse("cohort_home", args=[cohort.pk])),
        "author": (announcement.author.display_name or announcement.author.email)
        if announcement.author
        else "Your facilitators",
    }
    messages = [
        EmailMessage(
            subject=_subject(f"{cohort.name}: {announcement.subject}"),
            body=render_to_string(
                "cohorts/email/announcement.txt", {**context, "name": name or email}
            ),
            to=[email],
        )
        for email, name in recipients
    ]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:
        Announcement.objects.filter(pk=announcement_id).update(emailed_at=None)
        raise
    logger.info("Announcement %s emailed to %d members", announcement_id, len(messages))
    return len(messages)


def _peer_name(user) -> str:
    return user.display_name or user.email


def send_peer_set_emails(membership_ids: list[int]) -> int:
    """Tell each of these members of a published set which set they are in: its number, the
    other members, its adviser and the address of its space. Each email is claimed first
    (``notified_number`` becomes the set's number), so a member already told of this set hears
    nothing more, and one moved since hears of their new set. Returns how many were sent."""
    from .models import PeerSetMember

    rows = list(
        PeerSetMember.objects.filter(
            pk__in=membership_ids,
            enrolment__in=Enrolment.objects.members(),
            cohort__peer_group_plan__published_at__isnull=False,
        ).select_related("peer_set__adviser", "enrolment__user", "cohort__course")
    )
    if not rows:
        return 0
    set_ids = {row.peer_set_id for row in rows}
    others: dict[int, list[tuple[int, str]]] = {}
    for set_id, enrolment_id, user in (
        (m.peer_set_id, m.enrolment_id, m.enrolment.user)
        for m in PeerSetMember.objects.filter(
            peer_set_id__in=set_ids, enrolment__in=Enrolment.objects.members()
        ).select_related("enrolment__user")
    ):
        others.setdefault(set_id, []).append((enrolment_id, _peer_name(user)))
    sent = 0
    with get_connection() as connection:
        for row in rows:
            number = row.peer_set.number
            with transaction.atomic():
                claimed = (
                    PeerSetMember.objects.filter(pk=row.pk, peer_set__number=number)
                    .exclude(notified_number=number)
                    .update(notified_at=timezone.now(), notified_number=number)
                )
            if not claimed:
                continue
            cohort, user = row.cohort, row.enrolment.user
            adviser = row.peer_set.adviser
            context = {
                "name": _peer_name(user),
                "cohort": cohort,
                "number": number,
                "moved_from": row.notified_number,
                "others": sorted(
                    name
                    for enrolment_id, name in others.get(row.peer_set_id, [])
                    if enrolment_id != row.enrolment_id
                ),
                "adviser": _peer_name(adviser) if adviser else "",
                "peer_group_url": _absolute(reverse("own_peer_set", args=[cohort.pk])),
            }
            subject = (
                f"You are now in set {number} of {cohort.name}"
                if row.notified_number
                else f"Your peer group on {cohort.name}: set {number}"
            )
            message = EmailMessage(
                subject=_subject(subject),
                body=render_to_string("cohorts/email/peer_group_set.txt", context),
                to=[user.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception:
                PeerSetMember.objects.filter(pk=row.pk, notified_number=number).update(
                    notified_at=row.notified_at, notified_number=row.notified_number
                )
                raise
            sent += 1
    logger.info("Peer group emails: %d of %d sent", sent, len(rows))
    return sent
