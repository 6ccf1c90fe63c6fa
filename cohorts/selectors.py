"""Reads about cohorts that several pages share: who may see a cohort, progress, the learner
table and its "at risk" rule, completion by module, the applications queue, "My learning" and
the programme report.

Each list is read in a fixed number of queries, however many learners a cohort has: progress
is counted by the database (one aggregate per list), never lesson by lesson or learner by
learner. ``tests/cohorts/test_query_counts.py`` holds them to it at 10, 100 and 1,000."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wagtail.models import Page

from academy.roles import is_programme_manager
from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors import course_lessons

from .models import Announcement, Cohort, Enrolment, LessonCompletion, LiveSession

Status = Enrolment.Status

# The "at risk" rule (docs/facilitators.md): an active learner in a running cohort is at risk
# when they have done nothing for INACTIVE_DAYS, or their progress trails the share of the
# cohort's time that has passed by more than BEHIND_POINTS percentage points.
INACTIVE_DAYS = 14
BEHIND_POINTS = 25


# --- Who may see what -----------------------------------------------------------------------


def can_facilitate(user, cohort: Cohort) -> bool:
    """Facilitators of the cohort, programme managers and superusers run a cohort."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or is_programme_manager(user):
        return True
    return cohort.facilitators.filter(pk=user.pk).exists()


def is_member(user, cohort: Cohort) -> bool:
    return user.is_authenticated and cohort.enrolments.members().filter(user=user).exists()


def can_view_cohort(user, cohort: Cohort) -> bool:
    """The cohort home and its calendar: members and the people who run it."""
    return is_member(user, cohort) or can_facilitate(user, cohort)


def facilitated_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` runs: every cohort for programme managers and superusers."""
    cohorts = Cohort.objects.select_related("course")
    if user.is_superuser or is_programme_manager(user):
        return cohorts.all()
    return cohorts.filter(facilitators=user)


def lesson_rule(user, lesson: LessonPage) -> bool:
    """Registered with ``courses.access``. The people who run a cohort of the lesson's course
    (its facilitators; programme managers, who run every cohort) read its lessons whatever the
    cohort's status: they prepare before it starts and look back after it ends. A learner
    reads them only while they hold a place (active or completed) on a running cohort of the
    course. One query decides for facilitators and learners; a programme manager takes two more
    (their groups, read once per request, and whether the course has a cohort). Superusers,
    editors and moderators are let in by ``courses.access`` itself."""
    cohorts = Cohort.objects.filter(course__in=CoursePage.objects.ancestor_of(lesson).values("pk"))
    running_places = (
        Enrolment.objects.members()
        .filter(user=user, cohort__in=Cohort.objects.running())
        .values("cohort_id")
    )
    if cohorts.filter(Q(facilitators=user) | Q(pk__in=running_places)).exists():
        return True
    return is_programme_manager(user) and cohorts.exists()


# --- Lessons and progress -------------------------------------------------------------------


def required_lesson_ids(course: CoursePage) -> list[int]:
    return [lesson.pk for lesson in course_lessons(course) if lesson.required_for_completion]


def percent(done: int, total: int) -> int:
    """Progress as a whole percentage; a course with no required lessons counts as 0% until
    the learner is marked complete."""
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def enrolment_progress(enrolment: Enrolment) -> Progress:
    required = required_lesson_ids(enrolment.course)
    done = enrolment.completions.filter(lesson_id__in=required).count()
    return Progress(done, len(required))


def is_at_risk(
    status: str, last_seen: datetime, progress_percent: int, cohort: Cohort, now: datetime
) -> bool:
    """The at-risk rule, for an enrolment with ``status`` last active at ``last_seen``."""
    if status != Status.ACTIVE:
        return False
    if cohort.status_on(timezone.localdate(now)) != Cohort.Status.RUNNING:
        return False
    if now - last_seen > timedelta(days=INACTIVE_DAYS):
        return True
    return progress_percent < cohort.elapsed_percent(timezone.localdate(now)) - BEHIND_POINTS


def _completed_counts(enrolments: QuerySet, lesson_ids: list[int]) -> dict[int, int]:
    """How many of ``lesson_ids`` each enrolment has completed: one grouped query."""
    return dict(
        LessonCompletion.objects.filter(
            enrolment__in=enrolments.values("pk"), lesson_id__in=lesson_ids
        )
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )


# --- The learner table ----------------------------------------------------------------------


@dataclass
class LearnerRow:
    enrolment_id: int
    name: str
    email: str
    organisation: str
    sector: str
    progress: int
    last_activity: datetime | None
    status: str
    status_label: str
    at_risk: bool


SORT_KEYS = {
    "name": lambda row: row.name.casefold(),
    "organisation": lambda row: row.organisation.casefold(),
    "sector": lambda row: row.sector.casefold(),
    "progress": lambda row: row.progress,
    "activity": lambda row: row.last_activity or datetime.min.replace(tzinfo=UTC),
    "status": lambda row: (not row.at_risk, row.status_label),
}

_LEARNER_FIELDS = (
    "pk",
    "status",
    "created_at",
    "activated_at",
    "last_activity_at",
    "user__display_name",
    "user__email",
    "user__organisation__name",
    "user__sector__name",
)


def learner_rows(
    cohort: Cohort, *, sort: str = "name", descending: bool = False
) -> list[LearnerRow]:
    """Everyone who holds or held a place on the cohort (active, completed, withdrawn), with
    progress and the at-risk flag. A fixed number of queries whatever the cohort's size, and
    only the fields shown are read: a cohort of 1,000 is a table of 1,000 small rows."""
    required = required_lesson_ids(cohort.course)
    enrolments = cohort.enrolments.filter(
        status__in=(Status.ACTIVE, Status.COMPLETED, Status.WITHDRAWN)
    )
    done = _completed_counts(enrolments, required)
    labels = dict(Status.choices)
    now = timezone.now()
    rows = []
    for values in enrolments.values(*_LEARNER_FIELDS):
        status = values["status"]
        progress = (
            100 if status == Status.COMPLETED else percent(done.get(values["pk"], 0), len(required))
        )
        last_seen = values["last_activity_at"] or values["activated_at"] or values["created_at"]
        rows.append(
            LearnerRow(
                enrolment_id=values["pk"],
                name=values["user__display_name"] or values["user__email"],
                email=values["user__email"],
                organisation=values["user__organisation__name"] or "",
                sector=values["user__sector__name"] or "",
                progress=progress,
                last_activity=values["last_activity_at"],
                status=status,
                status_label=labels[status],
                at_risk=is_at_risk(status, last_seen, progress, cohort, now),
            )
        )
    key = SORT_KEYS.get(sort, SORT_KEYS["name"])
    rows.sort(key=lambda row: (key(row), row.name.casefold()), reverse=descending)
    return rows


@dataclass
class ModuleCompletion:
    module: ModulePage
    lessons: int
    completed: int  # learners who have completed every required lesson of the module
    learners: int

    @property
    def percent(self) -> int:
        return percent(self.completed, self.learners)


def module_completion(cohort: Cohort) -> list[ModuleCompletion]:
    """For each live module: how many of the cohort's active and completed learners have
    completed all of its required lessons. The database counts, per learner and module, how
    many required lessons are done: one query per module, none per learner."""
    modules = list(ModulePage.objects.child_of(cohort.course).live().order_by("path"))
    lessons = [lesson for lesson in course_lessons(cohort.course) if lesson.required_for_completion]
    module_of = {lesson.pk: lesson.path[: -Page.steplen] for lesson in lessons}
    required_per_module = Counter(module_of.values())
    learners = cohort.enrolments.members()
    total = learners.count()
    completed: Counter = Counter()
    if module_of:
        lesson_ids_by_module = defaultdict(list)
        for lesson_id, path in module_of.items():
            lesson_ids_by_module[path].append(lesson_id)
        for module in modules:
            ids = lesson_ids_by_module.get(module.path)
            if not ids:
                continue
            completed[module.path] = (
                LessonCompletion.objects.filter(enrolment__in=learners, lesson_id__in=ids)
                .values("enrolment_id")
                .annotate(n=Count("pk"))
                .filter(n__gte=len(ids))
                .count()
            )
    return [
        ModuleCompletion(
            module, required_per_module.get(module.path, 0), completed[module.path], total
        )
        for module in modules
    ]


def pending_applications(cohort: Cohort) -> QuerySet[Enrolment]:
    """Applications waiting for a decision, oldest first; then the waiting list."""
    return (
        cohort.enrolments.filter(status__in=(Status.APPLIED, Status.WAITLISTED))
        .select_related("user__organisation", "user__sector")
        .order_by("status", "created_at", "pk")
    )


def places_left(cohort: Cohort) -> int:
    taken = getattr(cohort, "places_taken", None)
    if taken is None:
        taken = cohort.enrolments.members().count()
    return max(0, cohort.capacity - taken)


def with_places_taken(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(
        places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.MEMBER_STATUSES))
    )


def upcoming_cohorts(course: CoursePage) -> list[Cohort]:
    """The cohorts of ``course`` still to start, with places left: one query."""
    return list(with_places_taken(Cohort.objects.upcoming().filter(course=course)))


# --- My learning ----------------------------------------------------------------------------


@dataclass
class CurrentCohort:
    enrolment: Enrolment
    cohort: Cohort
    progress: Progress
    next_lesson: LessonPage | None
    sessions: list[LiveSession] = field(default_factory=list)


@dataclass
class MyLearning:
    current: list[CurrentCohort]
    pending: list[Enrolment]  # applications and waiting lists
    upcoming: list[Enrolment]  # places on cohorts still to start
    past: list[Enrolment]
    recently_completed: list[LessonCompletion]
    sessions: list[LiveSession]


def my_learning(user, *, recent: int = 5, sessions: int = 5) -> MyLearning:
    """Everything on "My learning" in a fixed number of queries: the enrolments, the lessons
    of their courses (one query for all courses), completions, sessions."""
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status__in=(Status.DECLINED,))
        .select_related("cohort__course")
        .order_by("cohort__start_date", "pk")
    )
    running = [
        e for e in enrolments if e.is_member and e.cohort.status_on(today) == Cohort.Status.RUNNING
    ]
    course_ids = {e.course_id for e in running}
    lessons_by_course: dict[int, list[LessonPage]] = defaultdict(list)
    if course_ids:
        courses = list(CoursePage.objects.filter(pk__in=course_ids).only("path", "depth"))
        live_modules = set(
            ModulePage.objects.live()
            .filter(depth=courses[0].depth + 1)
            .filter(_path_prefixes(c.path for c in courses))
            .values_list("path", flat=True)
        )
        lessons = (
            LessonPage.objects.live()
            .filter(_path_prefixes(c.path for c in courses))
            .only("title", "path", "depth", "url_path", "required_for_completion")
            .order_by("path")
        )
        course_by_prefix = {c.path: c.pk for c in courses}
        for lesson in lessons:
            if lesson.path[: -Page.steplen] in live_modules:
                course_pk = course_by_prefix[lesson.path[: courses[0].depth * Page.steplen]]
                lessons_by_course[course_pk].append(lesson)
    done = defaultdict(set)
    for enrolment_id, lesson_id in LessonCompletion.objects.filter(
        enrolment__in=[e.pk for e in running]
    ).values_list("enrolment_id", "lesson_id"):
        done[enrolment_id].add(lesson_id)
    upcoming_sessions = list(
        LiveSession.objects.filter(
            cohort__in=[e.cohort_id for e in running]
            + [
                e.cohort_id
                for e in enrolments
                if e.is_member and e.cohort.status_on(today) == Cohort.Status.UPCOMING
            ],
            ends_at__gte=timezone.now(),
            cancelled=False,
        ).select_related("cohort")
    )
    sessions_by_cohort = defaultdict(list)
    for session in upcoming_sessions:
        sessions_by_cohort[session.cohort_id].append(session)
    current = []
    for enrolment in running:
        lessons = lessons_by_course[enrolment.course_id]
        required = [lesson.pk for lesson in lessons if lesson.required_for_completion]
        completed = done[enrolment.pk]
        next_lesson = next((lesson for lesson in lessons if lesson.pk not in completed), None)
        current.append(
            CurrentCohort(
                enrolment=enrolment,
                cohort=enrolment.cohort,
                progress=Progress(len(completed.intersection(required)), len(required)),
                next_lesson=next_lesson,
                sessions=sessions_by_cohort[enrolment.cohort_id][:sessions],
            )
        )
    recently_completed = list(
        LessonCompletion.objects.filter(enrolment__user=user)
        .select_related("lesson", "enrolment__cohort")
        .order_by("-completed_at")[:recent]
    )
    return MyLearning(
        current=current,
        pending=[
            e
            for e in enrolments
            if e.status in (Status.APPLIED, Status.WAITLISTED)
            and e.cohort.status_on(today) in (Cohort.Status.UPCOMING, Cohort.Status.RUNNING)
        ],
        upcoming=[
            e
            for e in enrolments
            if e.is_member and e.cohort.status_on(today) == Cohort.Status.UPCOMING
        ],
        past=[
            e
            for e in enrolments
            if e.cohort.status_on(today) in (Cohort.Status.FINISHED, Cohort.Status.CANCELLED)
        ]
        + [
            e
            for e in enrolments
            if e.status == Status.WITHDRAWN
            and e.cohort.status_on(today) in (Cohort.Status.UPCOMING, Cohort.Status.RUNNING)
        ],
        recently_completed=recently_completed,
        sessions=upcoming_sessions[:sessions],
    )


def _path_prefixes(paths) -> Q:
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return query


# --- Cohort home and calendars --------------------------------------------------------------


def cohort_sessions(cohort: Cohort) -> QuerySet[LiveSession]:
    return cohort.sessions.all()


def cohort_announcements(cohort: Cohort) -> QuerySet[Announcement]:
    return cohort.announcements.select_related("author")


def calendar_sessions_for(user) -> QuerySet[LiveSession]:
    """The sessions of every cohort the person belongs to or runs, for the personal feed."""
    member_of = Enrolment.objects.members().filter(user=user).values("cohort_id")
    return (
        LiveSession.objects.filter(Q(cohort__in=member_of) | Q(cohort__facilitators=user))
        .select_related("cohort__course")
        .distinct()
        .order_by("starts_at")
    )


# --- The programme report -------------------------------------------------------------------


@dataclass
class CohortReport:
    cohort: Cohort
    applications: int
    active: int
    completed: int
    withdrawn: int
    at_risk: int
    sectors: list[tuple[str, int]]

    @property
    def learners(self) -> int:
        return self.active + self.completed

    @property
    def completion_rate(self) -> int:
        return percent(self.completed, self.learners)


@dataclass
class CourseReport:
    course: CoursePage
    cohorts: list[CohortReport]

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.cohorts)

    @property
    def applications(self) -> int:
        return self._sum("applications")

    @property
    def active(self) -> int:
        return self._sum("active")

    @property
    def completed(self) -> int:
        return self._sum("completed")

    @property
    def at_risk(self) -> int:
        return self._sum("at_risk")

    @property
    def learners(self) -> int:
        return self.active + self.completed

    @property
    def completion_rate(self) -> int:
        return percent(self.completed, self.learners)

    @property
    def sectors(self) -> list[tuple[str, int]]:
        total = Counter()
        for row in self.cohorts:
            total.update(dict(row.sectors))
        return total.most_common()


def programme_report(today: date | None = None) -> list[CourseReport]:
    """Per course and per cohort: applications, learners, completion, at risk and the mix of
    sectors. A fixed number of queries however many cohorts and learners there are."""
    now = timezone.now()
    cohorts = list(
        Cohort.objects.select_related("course")
        .annotate(
            n_applications=Count("enrolments", filter=Q(enrolments__status=Status.APPLIED)),
            n_active=Count("enrolments", filter=Q(enrolments__status=Status.ACTIVE)),
            n_completed=Count("enrolments", filter=Q(enrolments__status=Status.COMPLETED)),
            n_withdrawn=Count("enrolments", filter=Q(enrolments__status=Status.WITHDRAWN)),
        )
        .order_by("course__title", "start_date")
    )
    sector_rows = (
        Enrolment.objects.members()
        .values("cohort_id", "user__sector__name")
        .annotate(n=Count("pk"))
    )
    sectors: dict[int, Counter] = defaultdict(Counter)
    for row in sector_rows:
        sectors[row["cohort_id"]][row["user__sector__name"] or "Not given"] += row["n"]
    at_risk = _at_risk_counts([c for c in cohorts if c.status == Cohort.Status.RUNNING], now)
    by_course: dict[int, CourseReport] = {}
    for cohort in cohorts:
        report = by_course.setdefault(cohort.course_id, CourseReport(cohort.course, []))
        report.cohorts.append(
            CohortReport(
                cohort=cohort,
                applications=cohort.n_applications,
                active=cohort.n_active,
                completed=cohort.n_completed,
                withdrawn=cohort.n_withdrawn,
                at_risk=at_risk.get(cohort.pk, 0),
                sectors=sectors[cohort.pk].most_common(),
            )
        )
    return list(by_course.values())


def _at_risk_counts(cohorts: list[Cohort], now: datetime) -> dict[int, int]:
    """How many learners are at risk in each running cohort: the lessons of each course, one
    grouped count of completions and one read of the active enrolments' dates."""
    if not cohorts:
        return {}
    required_by_course = {}
    for cohort in cohorts:
        if cohort.course_id not in required_by_course:
            required_by_course[cohort.course_id] = required_lesson_ids(cohort.course)
    all_required = sorted({pk for ids in required_by_course.values() for pk in ids})
    by_id = {c.pk: c for c in cohorts}
    enrolments = Enrolment.objects.filter(cohort__in=cohorts, status=Status.ACTIVE)
    done = _completed_counts(enrolments, all_required)
    counts: Counter = Counter()
    rows = enrolments.values_list(
        "pk", "cohort_id", "last_activity_at", "activated_at", "created_at"
    )
    for pk, cohort_id, last_activity, activated, created in rows:
        cohort = by_id[cohort_id]
        progress = percent(done.get(pk, 0), len(required_by_course[cohort.course_id]))
        last_seen = last_activity or activated or created
        if is_at_risk(Status.ACTIVE, last_seen, progress, cohort, now):
            counts[cohort_id] += 1
    return counts
