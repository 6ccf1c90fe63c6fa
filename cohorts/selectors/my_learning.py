"""Everything on "My learning": the cohorts a person is taking now (with progress, their next
lesson, the assessment due next and those in progress, and sessions), applications and waiting
lists, places still to start, the past, recent completions, upcoming sessions and certificates. A
fixed number of queries, whatever the cohorts' sizes."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from courses.models import LessonPage
from courses.selectors import course_lessons

from .. import progress
from ..models import Certificate, Cohort, Enrolment, LessonCompletion, LiveSession
from .results import LearnerAssessments, assessments_of_places

Status = Enrolment.Status


@dataclass
class CurrentCohort:
    enrolment: Enrolment
    cohort: Cohort
    progress: progress.Progress
    next_lesson: LessonPage | None
    sessions: list[LiveSession] = field(default_factory=list)
    assessments: LearnerAssessments = field(default_factory=lambda: LearnerAssessments([]))


@dataclass
class MyLearning:
    current: list[CurrentCohort]
    pending: list[Enrolment]  # applications and waiting lists
    upcoming: list[Enrolment]  # places on cohorts still to start
    past: list[Enrolment]
    recently_completed: list[LessonCompletion]
    sessions: list[LiveSession]
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.current
            or self.pending
            or self.upcoming
            or self.past
            or self.recently_completed
            or self.certificates
        )


def my_learning(user, *, recent: int = 5, sessions: int = 5) -> MyLearning:
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status__in=(Status.DECLINED,))
        .select_related("cohort__course")
        .order_by("cohort__start_date", "pk")
    )

    def status_of(enrolment: Enrolment) -> str:
        return enrolment.cohort.status_on(today)

    running = [e for e in enrolments if e.is_member and status_of(e) == Cohort.Status.RUNNING]
    upcoming = [e for e in enrolments if e.is_member and status_of(e) == Cohort.Status.UPCOMING]
    done = defaultdict(set)
    for enrolment_id, lesson_id in LessonCompletion.objects.filter(
        enrolment__in=[e.pk for e in running]
    ).values_list("enrolment_id", "lesson_id"):
        done[enrolment_id].add(lesson_id)
    upcoming_sessions = list(
        LiveSession.objects.filter(
            cohort__in=[e.cohort_id for e in running + upcoming],
            ends_at__gte=timezone.now(),
            cancelled=False,
        ).select_related("cohort")
    )
    sessions_by_cohort = defaultdict(list)
    for session in upcoming_sessions:
        sessions_by_cohort[session.cohort_id].append(session)
    progress_of = progress.progress_of(running)
    assessments_of = assessments_of_places(running)
    current = []
    for enrolment in running:
        lessons = course_lessons(enrolment.cohort.course)
        completed = done[enrolment.pk]
        next_lesson = next((lesson for lesson in lessons if lesson.pk not in completed), None)
        current.append(
            CurrentCohort(
                enrolment=enrolment,
                cohort=enrolment.cohort,
                progress=progress_of[enrolment.pk],
                next_lesson=next_lesson,
                sessions=sessions_by_cohort[enrolment.cohort_id][:sessions],
                assessments=assessments_of[enrolment.pk],
            )
        )
    recently_completed = list(
        LessonCompletion.objects.filter(enrolment__user=user)
        .select_related("lesson", "enrolment__cohort")
        # What the list shows and links: not the lessons' bodies.
        .only(
            "completed_at",
            "lesson__title",
            "lesson__path",
            "lesson__depth",
            "lesson__url_path",
            "enrolment__cohort__name",
        )
        .order_by("-completed_at")[:recent]
    )
    certificates = list(
        Certificate.objects.filter(enrolment__user=user)
        .select_related("enrolment__cohort__course")
        .only(
            "code",
            "status",
            "completed_at",
            "name_hidden",
            "pdf",
            "enrolment__cohort__name",
            "enrolment__cohort__course__title",
        )
        .order_by("-completed_at", "pk")
    )
    open_now = (Cohort.Status.UPCOMING, Cohort.Status.RUNNING)
    closed = (Cohort.Status.FINISHED, Cohort.Status.CANCELLED)
    return MyLearning(
        current=current,
        pending=[
            e
            for e in enrolments
            if e.status in (Status.APPLIED, Status.WAITLISTED) and status_of(e) in open_now
        ],
        upcoming=upcoming,
        past=[e for e in enrolments if status_of(e) in closed]
        + [e for e in enrolments if e.status == Status.WITHDRAWN and status_of(e) in open_now],
        recently_completed=recently_completed,
        sessions=upcoming_sessions[:sessions],
        certificates=certificates,
    )
