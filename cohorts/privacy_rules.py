"""Personal data held by cohorts (see ``academy/privacy.py``)."""

from academy import privacy

from .models import Announcement, CalendarFeed, Cohort, Enrolment, LessonCompletion


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
