"""What the cohort home shows a person: their place, the course outline with what they have
completed, their progress, the assessments with their due dates and where they stand, sessions
to come and past, facilitators and announcements."""

from dataclasses import dataclass

from django.utils import timezone

from courses.models import LessonPage, ModulePage
from courses.selectors import course_outline

from .. import access, progress
from ..models import Announcement, Cohort, Enrolment, LiveSession, PeerSet
from ..requirements.lessons import required_lesson_ids
from .results import LearnerAssessments, learner_assessments
from .sessions import cohort_announcements, cohort_sessions


@dataclass
class CohortHome:
    cohort: Cohort
    enrolment: Enrolment | None
    is_member: bool
    can_withdraw: bool
    lessons_open: bool
    outline: list[tuple[ModulePage, list[LessonPage]]]
    completed: set[int]  # ids of the lessons the person has completed
    required: set[int]  # ids of the lessons that count towards completion
    progress: progress.Progress
    assessments: LearnerAssessments
    upcoming_sessions: list[LiveSession]
    past_sessions: list[LiveSession]
    facilitators: list
    announcements: list[Announcement]
    peer_set: PeerSet | None  # the person's own published peer group
    advises_peer_sets: bool  # whether they advise one of the cohort's published peer groups


def cohort_home(user, cohort: Cohort) -> CohortHome:
    enrolment = Enrolment.objects.filter(user=user, cohort=cohort).first()
    is_member = enrolment is not None and enrolment.is_member
    completed = (
        set(enrolment.completions.values_list("lesson_id", flat=True)) if is_member else set()
    )
    if is_member:
        learner_progress = progress.enrolment_progress(enrolment, cohort.course)
    else:
        learner_progress = progress.nothing_done(cohort.course)
    now = timezone.now()
    sessions = list(cohort_sessions(cohort))
    return CohortHome(
        cohort=cohort,
        enrolment=enrolment,
        is_member=is_member,
        can_withdraw=access.can_withdraw(enrolment, cohort),
        lessons_open=access.lessons_open(user, cohort),
        outline=course_outline(cohort.course),
        completed=completed,
        required=set(required_lesson_ids(cohort.course)),
        progress=learner_progress,
        assessments=learner_assessments(enrolment if is_member else None, cohort),
        upcoming_sessions=[s for s in sessions if s.ends_at >= now],
        past_sessions=[s for s in sessions if s.ends_at < now],
        facilitators=list(
            cohort.facilitators.select_related("organisation").order_by("display_name", "email")
        ),
        announcements=list(cohort_announcements(cohort)),
        peer_set=access.own_peer_set(user, cohort) if is_member else None,
        advises_peer_sets=not is_member and access.advised_peer_sets(user, cohort).exists(),
    )
