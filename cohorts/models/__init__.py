"""The cohorts app's models: cohorts, their people and sessions (``cohorts.py``), the work
learners hand in and the marks it gets (``assessments.py``), peer groups (``peer_groups.py``) and
certificates (``certificates.py``)."""

from .assessments import (
    AssessmentDueDate,
    AssessmentResult,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
    SubmissionFile,
)
from .certificates import Certificate, CertificateIssue
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
from .peer_groups import (
    Commitment,
    KeepApart,
    MeetingAttendance,
    PeerGroupChange,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerSet,
    PeerSetMember,
    WorkingRelationship,
)

__all__ = [
    "Announcement",
    "AssessmentDueDate",
    "AssessmentResult",
    "CalendarFeed",
    "Certificate",
    "CertificateIssue",
    "Cohort",
    "CohortQuerySet",
    "Commitment",
    "Enrolment",
    "EnrolmentQuerySet",
    "KeepApart",
    "LessonCompletion",
    "LiveSession",
    "Mark",
    "MeetingAttendance",
    "PeerGroupChange",
    "PeerGroupPlan",
    "PeerMeeting",
    "PeerPost",
    "PeerReview",
    "PeerSet",
    "PeerSetMember",
    "QuizAttempt",
    "Submission",
    "SubmissionFile",
    "WorkingRelationship",
    "new_calendar_token",
]
