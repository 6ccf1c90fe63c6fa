"""The emails cohorts send when something happens: a decision about a place, a course completed,
an announcement, a peer-group set, a mark returned, a certificate issued. Each is a kind of the
academy's outbox (``academy.outbox``): the service that makes the change writes the email's row
in the same transaction (the ``*_notify`` functions here), and the kind writes its message when
the worker sends it — or says it is no longer worth sending (the decision was changed since, the
member moved set again). Registered from ``CohortsConfig.ready``; the reminders are in
``cohorts.reminders``."""

from collections.abc import Sequence

from django.urls import reverse

from academy.models import OutboxEmail
from academy.outbox import LEARNERS, Kind, Notice, absolute, enqueue, register_kind

from . import progress
from .models import Announcement, Certificate, Enrolment, Mark, PeerSetMember, Submission

ENROLMENT = "enrolment"
COMPLETION = "completion"
ANNOUNCEMENT = "announcement"
PEER_SET = "peer_set"
MARK_RETURNED = "mark_returned"
CERTIFICATE = "certificate_issued"

Status = Enrolment.Status


# --- Places: applied, admitted, waitlisted, declined; completed ------------------------------

SUBJECTS = {
    Status.ACTIVE: "You have a place on {cohort}",
    Status.WAITLISTED: "You are on the waiting list for {cohort}",
    Status.DECLINED: "Your application to {cohort}",
    Status.APPLIED: "We have your application to {cohort}",
    Status.COMPLETED: "You have completed {course}",
}


def enrolment_notify(enrolment: Enrolment) -> None:
    """Write the email telling the learner their enrolment is now in its current status (in
    the caller's transaction). Each change of status is its own occurrence, so a learner
    admitted, withdrawn and admitted again hears both times."""
    if enrolment.status not in SUBJECTS:
        return
    kind = COMPLETION if enrolment.status == Status.COMPLETED else ENROLMENT
    changed = enrolment.status_changed_at
    enqueue(
        kind,
        [
            Notice(
                user_id=enrolment.user_id,
                ref=f"enrolment:{enrolment.pk}:{enrolment.status}:"
                f"{changed.timestamp() if changed else 0:.6f}",
                params={"enrolment_id": enrolment.pk, "status": enrolment.status},
            )
        ],
    )


def _enrolment_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    enrolments = Enrolment.objects.select_related("cohort__course").in_bulk(
        {row.params["enrolment_id"] for row in rows}
    )
    made: list[dict | None] = []
    for row in rows:
        enrolment = enrolments.get(row.params["enrolment_id"])
        status = row.params["status"]
        # Superseded: a later email says where the learner stands now.
        if enrolment is None or enrolment.status != status:
            made.append(None)
            continue
        cohort = enrolment.cohort
        cohort_url = absolute(reverse("cohort_home", args=[cohort.pk]))
        made.append(
            {
                "subject": SUBJECTS[status].format(cohort=cohort, course=cohort.course.title),
                "summary": f"{cohort.name} of {cohort.course.title}",
                "url": cohort_url,
                "template": f"cohorts/email/enrolment_{status}",
                "enrolment": enrolment,
                "cohort": cohort,
                "course": cohort.course,
                "my_learning_url": absolute(reverse("my_learning")),
                "cohort_url": cohort_url,
                "course_url": absolute(cohort.course.url or "/courses/"),
                "counted": progress.counted(cohort.course),
            }
        )
    return made


# --- Announcements ----------------------------------------------------------------------------


def announcement_notify(announcement: Announcement) -> int:
    """Write the announcement's email to every current member of its cohort (in the caller's
    transaction): one row each, so a failure for one member is retried for that member
    alone."""
    members = Enrolment.objects.filter(
        cohort_id=announcement.cohort_id, status=Status.ACTIVE
    ).values_list("user_id", flat=True)
    return enqueue(
        ANNOUNCEMENT,
        [
            Notice(
                user_id=user_id,
                ref=f"announcement:{announcement.pk}",
                params={"announcement_id": announcement.pk},
                about=f"announcement:{announcement.pk}",
            )
            for user_id in members
        ],
    )


def _announcement_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    announcements = Announcement.objects.select_related("cohort__course", "author").in_bulk(
        {row.params["announcement_id"] for row in rows}
    )
    made: list[dict | None] = []
    for row in rows:
        announcement = announcements.get(row.params["announcement_id"])
        if announcement is None:
            made.append(None)
            continue
        cohort = announcement.cohort
        cohort_url = absolute(reverse("cohort_home", args=[cohort.pk]))
        made.append(
            {
                "subject": f"{cohort.name}: {announcement.subject}",
                "summary": announcement.body[:200],
                "url": cohort_url,
                "announcement": announcement,
                "cohort": cohort,
                "cohort_url": cohort_url,
                "author": announcement.author.get_full_name()
                if announcement.author
                else "Your facilitators",
            }
        )
    return made


# --- Peer groups ------------------------------------------------------------------------------


def peer_set_notify(memberships: Sequence[PeerSetMember]) -> int:
    """Write, for each membership of a published set, the email telling the member their set
    (in the caller's transaction). A member moved to another set hears of the new one; told of
    a set once, they hear nothing more about it."""
    return enqueue(
        PEER_SET,
        [
            Notice(
                user_id=membership.enrolment.user_id,
                ref=f"peer-set-member:{membership.pk}:set:{membership.peer_set_id}:"
                f"from:{membership.notified_number or 0}",
                params={
                    "membership_id": membership.pk,
                    "peer_set_id": membership.peer_set_id,
                    "number": membership.peer_set.number,
                    "moved_from": membership.notified_number,
                },
            )
            for membership in memberships
        ],
    )


def _peer_set_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    memberships = (
        PeerSetMember.objects.published()
        .filter(enrolment__in=Enrolment.objects.members())
        .select_related("peer_set__adviser", "enrolment__user", "cohort__course")
        .in_bulk({row.params["membership_id"] for row in rows})
    )
    set_ids = {membership.peer_set_id for membership in memberships.values()}
    others: dict[int, list[tuple[int, str]]] = {}
    for membership in PeerSetMember.objects.filter(
        peer_set_id__in=set_ids, enrolment__in=Enrolment.objects.members()
    ).select_related("enrolment__user"):
        others.setdefault(membership.peer_set_id, []).append(
            (membership.enrolment_id, membership.enrolment.user.get_full_name())
        )
    made: list[dict | None] = []
    for row in rows:
        membership = memberships.get(row.params["membership_id"])
        # Moved again, taken out, or no longer in a published set: a later email (or none) says so.
        if membership is None or membership.peer_set_id != row.params["peer_set_id"]:
            made.append(None)
            continue
        cohort, number = membership.cohort, membership.peer_set.number
        moved_from = row.params.get("moved_from")
        adviser = membership.peer_set.adviser
        url = absolute(reverse("own_peer_set", args=[cohort.pk]))
        made.append(
            {
                "subject": f"You are now in set {number} of {cohort.name}"
                if moved_from
                else f"Your peer group on {cohort.name}: set {number}",
                "summary": f"Set {number} of {cohort.name}",
                "url": url,
                "cohort": cohort,
                "number": number,
                "moved_from": moved_from,
                "others": sorted(
                    name
                    for enrolment_id, name in others.get(membership.peer_set_id, [])
                    if enrolment_id != membership.enrolment_id
                ),
                "adviser": adviser.get_full_name() if adviser else "",
                "peer_group_url": url,
            }
        )
    return made


# --- Marks returned ---------------------------------------------------------------------------


def mark_returned_notify(marks: Sequence[Mark]) -> int:
    """Write, for each mark just released to its learner (marked and released at once, a held
    mark released with the others, a revised mark), the email saying their work is back (in
    the caller's transaction). One query for their learners."""
    learners = dict(
        Submission.objects.filter(pk__in={mark.submission_id for mark in marks}).values_list(
            "pk", "enrolment__user_id"
        )
    )
    return enqueue(
        MARK_RETURNED,
        [
            Notice(
                user_id=learners[mark.submission_id],
                ref=f"mark:{mark.pk}",
                params={"mark_id": mark.pk},
            )
            for mark in marks
        ],
    )


def _mark_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    marks = Mark.objects.select_related(
        "submission__assessment", "submission__enrolment__cohort__course"
    ).in_bulk({row.params["mark_id"] for row in rows})
    submission_ids = {mark.submission_id for mark in marks.values()}
    released: dict[int, list[int]] = {}
    for submission_id, pk in (
        Mark.objects.filter(submission_id__in=submission_ids, released_at__isnull=False)
        .order_by("created_at", "pk")
        .values_list("submission_id", "pk")
    ):
        released.setdefault(submission_id, []).append(pk)
    made: list[dict | None] = []
    for row in rows:
        mark = marks.get(row.params["mark_id"])
        # Revised since (the later mark's email says so), or the learner left the cohort.
        if (
            mark is None
            or not mark.released
            or released[mark.submission_id][-1] != mark.pk
            or not mark.submission.enrolment.is_member
        ):
            made.append(None)
            continue
        submission = mark.submission
        assessment, cohort = submission.assessment, submission.enrolment.cohort
        revised = len(released[mark.submission_id]) > 1
        url = absolute(reverse("cohort_assessment", args=[cohort.pk, assessment.pk]))
        passed = mark.outcome == Mark.Outcome.PASS
        made.append(
            {
                "subject": f"Your mark on {assessment.title} has been revised"
                if revised
                else f"Your work on {assessment.title} has been marked",
                "summary": f"{'Passed' if passed else 'Please resubmit'}: "
                f"{mark.total} of {mark.max_total} points",
                "url": url,
                "mark": mark,
                "assessment": assessment,
                "cohort": cohort,
                "version": submission.version,
                "passed": passed,
                "revised": revised,
                "assessment_url": url,
            }
        )
    return made


# --- Certificates ------------------------------------------------------------------------------


def certificate_issued_notify(certificate: Certificate) -> None:
    """Write the email telling the holder their certificate is ready (in the issuing
    transaction): once for each issue, so a certificate reinstated after a suspension is
    announced again. The email links to it; the PDF stays behind the academy's pages."""
    enqueue(
        CERTIFICATE,
        [
            Notice(
                user_id=certificate.enrolment.user_id,
                ref=f"certificate:{certificate.pk}:{certificate.issue_number}",
                params={"certificate_id": certificate.pk, "issue": certificate.issue_number},
                about=f"certificate:{certificate.pk}",
            )
        ],
    )


def _certificate_context(rows: Sequence[OutboxEmail]) -> list[dict | None]:
    certificates = Certificate.objects.select_related("enrolment__cohort__course").in_bulk(
        {row.params["certificate_id"] for row in rows}
    )
    made: list[dict | None] = []
    for row in rows:
        certificate = certificates.get(row.params["certificate_id"])
        # Suspended, revoked or issued again since: that issue is no longer worth announcing.
        if (
            certificate is None
            or certificate.status != Certificate.Status.ISSUED
            or certificate.issue_number != row.params["issue"]
        ):
            made.append(None)
            continue
        cohort = certificate.enrolment.cohort
        verify_url = absolute(reverse("certificate_verify", args=[certificate.code]))
        made.append(
            {
                "subject": f"Your certificate for {cohort.course.title}",
                "summary": f"{cohort.course.title}, {cohort.name}",
                "url": verify_url,
                "certificate": certificate,
                "cohort": cohort,
                "course": cohort.course,
                "reinstated": certificate.issue_number > 1,
                "verify_url": verify_url,
                "pdf_url": absolute(reverse("certificate_pdf", args=[certificate.code])),
                "my_learning_url": absolute(reverse("my_learning")),
            }
        )
    return made


KINDS = [
    Kind(
        name=ENROLMENT,
        label="Applications and places",
        description="When you apply to a cohort, are given a place, are put on a waiting list "
        "or are not offered a place.",
        template="cohorts/email/enrolment",
        context=_enrolment_context,
        audience=LEARNERS,
        order=10,
    ),
    Kind(
        name=COMPLETION,
        label="Completing a course",
        description="When you have done everything a course asks.",
        template="cohorts/email/enrolment_completed",
        context=_enrolment_context,
        audience=LEARNERS,
        order=11,
    ),
    Kind(
        name=CERTIFICATE,
        label="Your certificate",
        description="When the certificate for a course you completed is ready, or reinstated.",
        template="cohorts/email/certificate_issued",
        context=_certificate_context,
        audience=LEARNERS,
        order=12,
    ),
    Kind(
        name=ANNOUNCEMENT,
        label="Announcements",
        description="News your facilitators post to your cohort.",
        template="cohorts/email/announcement",
        context=_announcement_context,
        audience=LEARNERS,
        order=20,
    ),
    Kind(
        name=PEER_SET,
        label="Your peer group",
        description="Which action learning set you are in, and when you are moved.",
        template="cohorts/email/peer_group_set",
        context=_peer_set_context,
        audience=LEARNERS,
        order=30,
    ),
    Kind(
        name=MARK_RETURNED,
        label="Marked work",
        description="When a facilitator has marked your work and you can read their feedback.",
        template="cohorts/email/mark_returned",
        context=_mark_context,
        audience=LEARNERS,
        order=35,
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
