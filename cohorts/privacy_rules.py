"""Personal data held by cohorts (see ``academy/privacy.py``)."""

from django.db.models import QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.text import slugify

from academy import privacy

from .models import (
    Announcement,
    AssessmentDueDate,
    AssessmentResult,
    CalendarFeed,
    Certificate,
    CertificateIssue,
    Cohort,
    Commitment,
    Enrolment,
    KeepApart,
    LessonCompletion,
    Mark,
    MeetingAttendance,
    PeerGroupChange,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerReview,
    PeerSet,
    PeerSetMember,
    QuizAttempt,
    Submission,
    SubmissionFile,
    WorkingRelationship,
)


def peer_posts_erase(authors) -> None:
    """Erase the posts and replies written through ``authors`` (enrolments). A post of theirs
    that others replied to stays as an empty stub with no author, so the replies keep their
    thread ("a former member"); the rest go."""
    theirs = PeerPost.objects.filter(author__in=authors)
    others_replies = PeerPost.objects.filter(parent__isnull=False).exclude(author__in=authors)
    stubs = theirs.filter(parent=None, replies__in=others_replies).values_list("pk", flat=True)
    PeerPost.objects.filter(pk__in=list(stubs)).update(author=None, body="")
    theirs.delete()


def _erase_peer_posts(user, rows) -> None:
    peer_posts_erase(Enrolment.objects.filter(user=user))


_erase_peer_posts.unlinks = ("author__user",)


@receiver(pre_delete, sender=Enrolment, dispatch_uid="peer-posts-erased-with-their-author")
def _enrolment_deleted(sender, instance, **kwargs) -> None:
    """However an enrolment goes (an erasure, an administrator deleting the account), its
    author's words go first."""
    peer_posts_erase([instance.pk])


privacy.register(
    PeerPost,
    user_fields=("author__user",),
    export=privacy.export_values(
        "peer_set__cohort__name", "peer_set__number", "parent_id", "body", "created_at"
    ),
    erase=privacy.ANONYMISE,
    anonymise=_erase_peer_posts,
    description=(
        "Your posts and replies in your peer group (on erasure a post others replied to stays "
        "as an empty stub, so that their replies keep their place)."
    ),
)


def _export_enrolments(rows, user) -> list[dict]:
    """A person's own enrolments in full; of the enrolments they decided on as a facilitator,
    only that they decided, never the other learner's answers."""
    own = list(
        rows.filter(user=user).values(
            "cohort__name",
            "course__title",
            "status",
            "application_answer",
            "created_at",
            "activated_at",
            "completed_at",
            "decided_at",
            "decision_message",
            "last_activity_at",
        )
    )
    decided = list(
        rows.filter(decided_by=user)
        .exclude(user=user)
        .values("cohort__name", "status", "decided_at")
    )
    return [*own, *({"decision_you_made": row} for row in decided)]


def _erase_enrolments(user, rows) -> None:
    """Delete the person's own enrolments; keep the decisions they made, without their name."""
    Enrolment.objects.filter(decided_by=user).exclude(user=user).update(decided_by=None)
    Enrolment.objects.filter(user=user).delete()


def _leave_cohorts(user, rows) -> None:
    """A facilitator's cohorts stay; the person is taken off them."""
    user.facilitated_cohorts.clear()


privacy.register(
    Enrolment,
    user_fields=("user", "decided_by"),
    export=_export_enrolments,
    export_needs_user=True,
    erase=privacy.ANONYMISE,
    anonymise=_erase_enrolments,
    unlinks=("decided_by",),
    description="Your places and applications on cohorts, and decisions you made on others'.",
)
privacy.register(
    Cohort,
    user_fields=("facilitators",),
    export=privacy.export_values("course__title", "name", "start_date", "end_date"),
    erase=privacy.ANONYMISE,
    anonymise=_leave_cohorts,
    unlinks=("facilitators",),
    description="Cohorts you facilitate.",
)
privacy.register(
    Announcement,
    user_fields=("author",),
    export=privacy.export_values("cohort__name", "subject", "body", "created_at"),
    erase=privacy.ANONYMISE,
    anonymise=privacy.clear_user_fields("author"),
    description="Announcements you posted to cohorts.",
)
privacy.register(
    CalendarFeed,
    user_fields=("user",),
    export=privacy.export_values("created_at"),
    erase=privacy.DELETE,
    description="Your personal calendar feed (the secret link itself is not exported).",
)

privacy.register(
    LessonCompletion,
    user_fields=("enrolment__user",),
    export=privacy.export_values("lesson__title", "enrolment__cohort__name", "completed_at"),
    erase=privacy.DELETE,
    description="The lessons you have marked complete.",
)

privacy.register(
    AssessmentDueDate,
    user_fields=("set_by",),
    export=privacy.export_values("cohort__name", "assessment__title", "due_on", "set_at"),
    erase=privacy.ANONYMISE,
    anonymise=privacy.clear_user_fields("set_by"),
    description="Due dates you set for a cohort.",
)
privacy.register(
    AssessmentResult,
    user_fields=("enrolment__user",),
    export=privacy.export_values(
        "assessment__title", "enrolment__cohort__name", "status", "passed_at", "best_score"
    ),
    erase=privacy.DELETE,
    description="Where you stand on each assessment.",
)
privacy.register(
    Submission,
    user_fields=("enrolment__user",),
    export=privacy.export_values(
        "assessment__title",
        "enrolment__cohort__name",
        "version",
        "text",
        "submitted_at",
        "late",
        "status",
    ),
    erase=privacy.DELETE,
    description="The work you handed in for assessments, every version.",
)


def _in_download(row: SubmissionFile) -> str:
    """Where a file attached to work sits in the person's download: a folder per assessment
    and version, the file under the name they gave it (after its number, so two files of the
    same name do not collide)."""
    folder = slugify(row.submission.assessment.title) or "assessment"
    return f"files/{folder}/version-{row.submission.version}/{row.pk}-{row.name}"


def _submission_files(rows) -> QuerySet:
    return rows.select_related("submission__assessment").order_by("pk")


def _export_submission_files(rows) -> list[dict]:
    return [
        {
            "assessment": row.submission.assessment.title,
            "version": row.submission.version,
            "name": row.name,
            "content_type": row.content_type,
            "size": row.size,
            "uploaded_at": row.created_at,
            "in_download": _in_download(row),
        }
        for row in _submission_files(rows)
    ]


privacy.register(
    SubmissionFile,
    user_fields=("submission__enrolment__user",),
    export=_export_submission_files,
    files=lambda rows: [(_in_download(row), row.file) for row in _submission_files(rows)],
    erase=privacy.DELETE,
    description="The files you attached to your work: in your download, under files/.",
)


def _export_marks(rows, user) -> list[dict]:
    """The marks on a person's own work in full (once released); of the marks they gave as a
    facilitator, only what and when, never the other learner's work."""
    own = list(
        rows.filter(submission__enrolment__user=user)
        .exclude(released_at=None)
        .values(
            "submission__assessment__title",
            "submission__version",
            "outcome",
            "criteria",
            "total",
            "max_total",
            "comments",
            "released_at",
        )
    )
    given = list(
        rows.filter(marker=user)
        .exclude(submission__enrolment__user=user)
        .values("submission__assessment__title", "outcome", "created_at")
    )
    return [*own, *({"mark_you_gave": row} for row in given)]


def _erase_marks(user, rows) -> None:
    """Marks on the person's own work go with it; marks they gave stay, without their name."""
    Mark.objects.filter(marker=user).exclude(submission__enrolment__user=user).update(marker=None)
    Mark.objects.filter(submission__enrolment__user=user).delete()


privacy.register(
    Mark,
    user_fields=("submission__enrolment__user", "marker"),
    export=_export_marks,
    export_needs_user=True,
    erase=privacy.ANONYMISE,
    anonymise=_erase_marks,
    unlinks=("marker",),
    description="Feedback on your work, and marks you gave as a facilitator.",
)
privacy.register(
    PeerReview,
    user_fields=("reviewer__user", "submission__enrolment__user"),
    export=privacy.export_values(
        "submission__assessment__title", "assigned_at", "submitted_at", "criteria", "comments"
    ),
    erase=privacy.DELETE,
    description="Peer reviews you gave, and those of your work (without the reviewer's name).",
)
privacy.register(
    QuizAttempt,
    user_fields=("enrolment__user",),
    export=privacy.export_values(
        "assessment__title", "number", "answers", "percent", "passed", "submitted_at"
    ),
    erase=privacy.DELETE,
    description="Your quiz attempts and their marks.",
)


privacy.register(
    PeerSetMember,
    user_fields=("enrolment__user",),
    export=privacy.export_values("peer_set__cohort__name", "peer_set__number", "joined_at"),
    erase=privacy.DELETE,
    description="The peer groups you belong to.",
)
privacy.register(
    PeerGroupPlan,
    user_fields=("composed_by", "published_by"),
    export=privacy.export_values("cohort__name", "composed_at", "published_at"),
    erase=privacy.ANONYMISE,
    anonymise=privacy.clear_user_fields("composed_by", "published_by"),
    description="Peer groups you composed or published as a facilitator.",
)
privacy.register(
    PeerSet,
    user_fields=("adviser",),
    export=privacy.export_values("cohort__name", "number"),
    erase=privacy.ANONYMISE,
    anonymise=privacy.clear_user_fields("adviser"),
    description="Peer groups you advise.",
)


def _erase_peer_group_changes(user, rows) -> None:
    """Lines about the person's own place go; changes they made, or that named them adviser,
    stay without their name."""
    PeerGroupChange.objects.filter(enrolment__user=user).delete()
    PeerGroupChange.objects.filter(actor=user).update(actor=None)
    PeerGroupChange.objects.filter(adviser=user).update(adviser=None)


_erase_peer_group_changes.unlinks = ("actor", "adviser")

privacy.register(
    PeerGroupChange,
    user_fields=("enrolment__user", "actor", "adviser"),
    export=privacy.export_values("cohort__name", "kind", "from_number", "to_number", "created_at"),
    erase=privacy.ANONYMISE,
    anonymise=_erase_peer_group_changes,
    description="Changes to peer groups that moved you, or that you made as a facilitator.",
)


def _erase_keep_apart(user, rows) -> None:
    """Pairs the person is one of go; pairs they declared as a facilitator stay."""
    KeepApart.objects.filter(first__user=user).delete()
    KeepApart.objects.filter(second__user=user).delete()
    KeepApart.objects.filter(declared_by=user).update(declared_by=None)


_erase_keep_apart.unlinks = ("declared_by",)

privacy.register(
    KeepApart,
    user_fields=("first__user", "second__user", "declared_by"),
    export=privacy.export_values("cohort__name", "created_at"),
    erase=privacy.ANONYMISE,
    anonymise=_erase_keep_apart,
    description=(
        "Pairs a facilitator keeps apart in peer groups that include you (not who the other "
        "person is), and pairs you declared."
    ),
)
privacy.register(
    WorkingRelationship,
    user_fields=("user",),
    export=privacy.export_values("email", "created_at"),
    erase=privacy.DELETE,
    description="People you asked not to share a peer group with.",
)


def _erase_meetings(user, rows) -> None:
    """Meetings stay with their set; the person is no longer their scheduler or problem
    holder."""
    PeerMeeting.objects.filter(created_by=user).update(created_by=None)
    PeerMeeting.objects.filter(problem_holder__user=user).update(problem_holder=None)


_erase_meetings.unlinks = ("created_by", "problem_holder__user")

privacy.register(
    PeerMeeting,
    user_fields=("created_by", "problem_holder__user"),
    export=privacy.export_values(
        "peer_set__cohort__name", "peer_set__number", "starts_at", "ends_at", "location"
    ),
    erase=privacy.ANONYMISE,
    anonymise=_erase_meetings,
    description="Peer-group meetings you scheduled or brought a problem to.",
)
privacy.register(
    MeetingAttendance,
    user_fields=("enrolment__user",),
    export=privacy.export_values("meeting__starts_at", "present"),
    erase=privacy.DELETE,
    description="Whether you came to your peer group's meetings.",
)
privacy.register(
    Commitment,
    user_fields=("enrolment__user",),
    export=privacy.export_values(
        "meeting__starts_at", "text", "created_at", "outcome", "outcome_note", "reviewed_at"
    ),
    erase=privacy.DELETE,
    description="What you committed to act on at your peer group's meetings, and how it went.",
)


def _export_certificates(rows, user) -> list[dict]:
    """A person's own certificates in full; of those they revoked as staff, only which cohort
    and when, never whose."""
    own = list(
        rows.filter(enrolment__user=user).values(
            "code",
            "status",
            "enrolment__cohort__name",
            "completed_at",
            "issued_at",
            "name_hidden",
            "suspended_at",
            "revoked_at",
            "revocation_reason",
        )
    )
    revoked = list(
        rows.filter(revoked_by=user)
        .exclude(enrolment__user=user)
        .values("enrolment__cohort__name", "revoked_at")
    )
    return [*own, *({"certificate_you_revoked": row} for row in revoked)]


def _erase_certificates(user, rows) -> None:
    """The person's own certificates go with their enrolments (and their PDFs with them); the
    revocations they made stay, without their name."""
    Certificate.objects.filter(revoked_by=user).update(revoked_by=None)
    Certificate.objects.filter(enrolment__user=user).delete()


_erase_certificates.unlinks = ("revoked_by",)

privacy.register(
    Certificate,
    user_fields=("enrolment__user", "revoked_by"),
    export=_export_certificates,
    export_needs_user=True,
    erase=privacy.ANONYMISE,
    anonymise=_erase_certificates,
    description=(
        "Your certificates (download each from My learning), and certificates you revoked."
    ),
)


def _unlink_certificate_issues(user, rows) -> None:
    """An erased person's certificate issues keep only their place in the public revocation
    list, marked: a copy of the credential kept elsewhere then fails its check."""
    rows.update(certificate=None)


_unlink_certificate_issues.unlinks = ("certificate__enrolment__user",)

privacy.register(
    CertificateIssue,
    user_fields=("certificate__enrolment__user",),
    export=privacy.export_values("certificate__code", "number", "completed_at", "created_at"),
    erase=privacy.ANONYMISE,
    anonymise=_unlink_certificate_issues,
    description="Each time your certificates were issued.",
)
