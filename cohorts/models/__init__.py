"""The cohorts app's models: cohorts, their people and sessions (``cohorts.py``), and the
work learners hand in and the marks it gets (``assessments.py``)."""

from .assessments import (
    AssessmentDueDate,
    AssessmentResult,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
    SubmissionFile,
)
from .cohorts import (
    Announcement,
    CalendarFeed,
    Cohort,
    CohortQuerySet,
    Enrolment,
    EnrolmentQuerySet,
    LessonCompletion,
    LiveSession,
    new_calendar_token,
)

__all__ = [
    "Announcement",
    "AssessmentDueDate",
    "AssessmentResult",
    "CalendarFeed",
    "Cohort",
    "CohortQuerySet",
    "Enrolment",
    "EnrolmentQuerySet",
    "LessonCompletion",
    "LiveSession",
    "Mark",
    "PeerReview",
    "QuizAttempt",
    "Submission",
    "SubmissionFile",
    "new_calendar_token",
]
