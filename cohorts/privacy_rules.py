"""Personal data held by cohorts (see ``academy/privacy.py``)."""

from django.db.models import QuerySet
from django.utils.text import slugify

from academy import privacy

from .models import (
    Announcement,
    AssessmentDueDate,
    AssessmentResult,
    CalendarFeed,
    Cohort,
    Enrolment,
    LessonCompletion,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
    SubmissionFile,
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
