"""The demo cohorts: learners from every sector taking the demo courses together. Who they are
is in ``data/learners.toml``; each cohort is a file in ``data/cohorts/`` (listed in its
``_index.toml``) with its dates, its learners, live sessions, announcements and the work
handed in (``home.demo.work``).

- *Leading across organisational boundaries*, **Cohort 11**: finished about two months ago;
  completed and withdrawn learners, everyone who completed having passed each assessment.
- the same course, **Cohort 12**: running now (five weeks in, five to go), run by
  facilitator@academy.test. Forty learners, learner@academy.test among them, spread across the
  course: a few complete, most in the middle, some at risk (idle for three weeks or far behind).
  Live sessions (one past; two to come, the first tomorrow, so that its reminders go out when
  the outbox's dispatch task runs from 09:00 UK time; one cancelled), two announcements, and
  work in every state: the quiz (due a week ago) passed, failed and taken late; the reflective
  assignment (due in a week) waiting, marked, held, sent back and handed in again; the peer
  review (due in two weeks) passed, waiting and with reviews still owed. Its peer groups are
  published, and the demo learner's set has met once and meets again soon
  (``home.demo.peer_groups``).
- the same course, **Cohort 13**: starts in three weeks, by application, with applications
  waiting for facilitator@academy.test to decide.
- Everyone who completed holds a certificate (``home.demo.certificates``): aisha.rahman@'s for
  Cohort 11 has a fixed code, and another learner's on Cohort 11 has been revoked.
- *Counting and mapping public resources in a place*, **Cohort 3**: open, starts in six weeks,
  places left, so the course overview offers "Enrol".

Every date counts from today (``starts_in_days = -35``, ``last_active_days_ago = 21``), so
the demo is always current; times of day are worked out from the data (``home.demo.times``).
Rows are written directly, not through ``cohorts.services``, and the whole load stays fast; any
email the load writes (a place the progress engine completes on the way) is recorded in the
outbox as sent at the time (``academy.outbox.history``), so nobody is emailed. The data still
keeps the rules: one live enrolment per person per course, capacity respected, timestamps for
every status, completions only for lessons of the enrolment's course. Whether a learner has
completed is the progress engine's answer once their lessons and results are in: a new member's
place is written as active, the work is loaded (``result_refresh`` may complete the place on
the way), then each place is set complete or not as ``cohorts.progress`` says, dated when its
last requirement was met.

Safe to run again: cohorts are found by course and name, enrolments by cohort and person,
sessions and announcements by title and subject; what differs is put back. Enrolments on the
demo cohorts that are not in the demo data (someone joined during a demo) are removed, and a
demo learner's live place on another cohort of the same course is withdrawn, so the demo's own
places always fit the rules."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from academy.models import Place
from cohorts.models import (
    Announcement,
    AssessmentResult,
    Cohort,
    Enrolment,
    LessonCompletion,
    LiveSession,
)
from cohorts.progress import progress_by_enrolment
from cohorts.requirements.assessments import required_assessment_ids
from cohorts.requirements.lessons import required_lesson_ids
from cohorts.services.sessions import live_session_cancel, live_session_save
from courses.cache import purge_public_pages
from courses.models import CoursePage, LessonPage
from courses.selectors import course_lessons

from . import CREATED, UNCHANGED, UPDATED, Summary
from .certificates import load_certificates
from .loader import DATA, INDEX, DemoDataError, Paragraphs, children, read, shown
from .peer_groups import load_peer_groups
from .people import load_users
from .times import at, moment, working_day
from .work import EveryonePassed, QuizWork, ReviewData, SubmissionData, load_work

Status = Enrolment.Status
COHORTS = DATA / "cohorts"

# The demo courses and facilitator the cohort files name, for tests that look them up.
LEADING = "leading-across-organisational-boundaries"
COUNTING = "counting-and-mapping-public-resources"
FACILITATOR = "facilitator@academy.test"

# --- What the files hold -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPlace:
    """Where an organisation's people are counted."""

    name: str
    place: str
    place_kind: Annotated[str, Place.Kind]


@dataclass(frozen=True)
class LearnerPerson:
    email: str
    name: str
    job_title: str
    organisation: str


@dataclass(frozen=True)
class LearnersData:
    """``data/learners.toml``: the people on the demo cohorts. They sign in with the demo
    password like every demo account, but are not listed with the role accounts."""

    organisations: list[OrganisationPlace]
    learners: list[LearnerPerson]


@dataclass(frozen=True)
class LearnerData:
    """A person's place on a cohort. On a cohort by application, someone with an ``answer``
    and no ``approved_days_ago`` is still waiting for a decision; someone who
    ``withdrew_days_ago`` has left; anyone else is a member, whose lessons are the first
    ``lessons`` of the course, done between the day after the cohort starts and the day they
    were last active."""

    email: str
    joined_days_ago: int  # took a place, or applied
    lessons: int = 0  # lessons completed, in course order
    last_active_days_ago: int | None = None  # left out: when they joined (or were approved)
    withdrew_days_ago: int | None = None
    answer: Paragraphs = ""  # to the application question
    approved_days_ago: int | None = None  # by the cohort's first facilitator
    message: Paragraphs = ""  # with the decision


@dataclass(frozen=True)
class SessionData:
    title: str
    in_days: int  # days from today; moved to the Monday after when it falls at a weekend
    starts: time
    ends: time
    description: str
    location: str = ""
    joining_url: str = ""
    cancelled: bool = False
    # On that day even at a weekend: the session tomorrow whose reminders the demo shows.
    keep_day: bool = False


@dataclass(frozen=True)
class AnnouncementData:
    subject: str
    posted_days_ago: int  # by the cohort's first facilitator
    at: time
    body: Paragraphs


@dataclass(frozen=True)
class CohortData:
    """``data/cohorts/<name>.toml``: a cohort of a demo course. Dates count from today."""

    course: str  # the course's slug
    name: str
    starts_in_days: int
    ends_in_days: int
    capacity: int
    facilitators: list[str]  # emails; the first writes the announcements and marks the work
    enrolment_mode: Annotated[str, Cohort.EnrolmentMode] = Cohort.EnrolmentMode.OPEN
    application_question: str = ""
    learners: list[LearnerData] = field(default_factory=list)
    sessions: list[SessionData] = field(default_factory=list)
    announcements: list[AnnouncementData] = field(default_factory=list)
    # The work handed in (home.demo.work)
    quiz_attempts: list[QuizWork] = field(default_factory=list)
    submissions: list[SubmissionData] = field(default_factory=list)
    peer_reviews: list[ReviewData] = field(default_factory=list)
    everyone_passed: list[EveryonePassed] = field(default_factory=list)


@dataclass(frozen=True)
class CohortIndex:
    """``data/cohorts/_index.toml``: the cohort files, in the order they are loaded."""

    cohorts: list[str]


_LEARNERS = read(DATA / "learners.toml", LearnersData)

# Where each demo organisation's people are counted: name: (place name, kind).
ORGANISATION_PLACES = {
    org.name: (org.place, Place.Kind(org.place_kind)) for org in _LEARNERS.organisations
}

# The same shape as ``people.USERS``, for ``load_users``.
COHORT_LEARNERS = {
    person.email: (
        person.name,
        person.job_title,
        person.organisation,
        ORGANISATION_PLACES[person.organisation],
        [],
        {},
    )
    for person in _LEARNERS.learners
}


def read_cohorts() -> list[tuple[CohortData, str]]:
    """Every cohort file, read and checked, with its name for messages."""
    index = read(COHORTS / INDEX, CohortIndex)
    cohorts = []
    for _, path in children(COHORTS, index.cohorts, folders=False):
        spec = read(path, CohortData)
        where = shown(path)
        emails = [learner.email for learner in spec.learners]
        if len(set(emails)) != len(emails):
            raise DemoDataError(f"{where}: learners: someone is listed twice")
        for n, learner in enumerate(spec.learners):
            applied = learner.approved_days_ago is None and learner.answer
            if applied and (learner.lessons or learner.withdrew_days_ago is not None):
                raise DemoDataError(
                    f"{where}: learners[{n}]: someone still waiting for a decision has no "
                    "lessons and has not withdrawn"
                )
        if not spec.facilitators:
            raise DemoDataError(f"{where}: facilitators should name at least one")
        cohorts.append((spec, where))
    return cohorts


# --- Loading -----------------------------------------------------------------------------------


def load_cohorts(summary: Summary, password: str, organisations: dict, places: dict) -> None:
    """The demo cohorts, their learners, sessions, announcements and work. Needs the demo
    courses (``load_courses``) and the demo users (``load_users``); ``organisations`` and
    ``places`` are what ``load_organisations`` and ``load_places`` return."""
    specs = read_cohorts()
    slugs = {spec.course for spec, _ in specs}
    courses = {c.slug: c for c in CoursePage.objects.filter(slug__in=slugs)}
    if set(courses) != slugs:
        summary.warn("The demo courses are missing: load courses before cohorts.")
        return
    load_users(summary, password, organisations, places, people=COHORT_LEARNERS)
    users = _users(specs)
    today = timezone.localdate()
    cohorts = [
        (_cohort(summary, courses[spec.course], spec, today, users), spec, where)
        for spec, where in specs
    ]
    plan = _Plan(today, users)
    for cohort, spec, _ in cohorts:
        _plan_places(plan, cohort, spec, course_lessons(cohort.course))
    demo_cohorts = [cohort for cohort, _, _ in cohorts]
    outcomes = _sync_enrolments(summary, demo_cohorts, plan)
    for cohort, spec, where in cohorts:
        members = {
            row.user.email.lower(): row.enrolment
            for row in plan.enrolments
            if row.cohort == cohort and row.member
        }
        load_work(summary, cohort, spec, where, members, today, users[spec.facilitators[0]])
    _settle_members(demo_cohorts, plan, outcomes)
    for key, row in plan.by_key.items():
        summary.record("enrolments", outcomes[key], f"{row.user.email} on {row.cohort}")
    changed = summary.counts["enrolments"][CREATED] or summary.counts["enrolments"][UPDATED]
    for cohort, spec, _ in cohorts:
        _sync_sessions(summary, cohort, spec.sessions, today)
        author = users[spec.facilitators[0]]
        _sync_announcements(summary, cohort, spec.announcements, today, author)
    load_peer_groups(summary, {Path(where).stem: cohort for cohort, _, where in cohorts}, today)
    load_certificates(summary, demo_cohorts)
    if changed:
        # Enrolments are written in bulk, without the signals that purge the public pages
        # showing places left.
        purge_public_pages()
        transaction.on_commit(purge_public_pages)


def _users(specs: list[tuple[CohortData, str]]) -> dict[str, object]:
    emails = set()
    for spec, _ in specs:
        emails |= {learner.email for learner in spec.learners} | set(spec.facilitators)
    User = get_user_model()
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    missing = emails - users.keys()
    if missing:
        raise LookupError(f"Demo users missing: {', '.join(sorted(missing))}")
    return users


def _cohort(summary: Summary, course, spec: CohortData, today: date, users: dict) -> Cohort:
    wanted = {
        "start_date": today + timedelta(days=spec.starts_in_days),
        "end_date": today + timedelta(days=spec.ends_in_days),
        "capacity": spec.capacity,
        "enrolment_mode": spec.enrolment_mode,
        "application_question": spec.application_question,
        "cancelled": False,
    }
    facilitators = [users[email] for email in spec.facilitators]
    cohort = Cohort.objects.filter(course=course, name=spec.name).first()
    if cohort is None:
        cohort = Cohort(course=course, name=spec.name, **wanted)
        cohort.full_clean()
        cohort.save()
        outcome = CREATED
    else:
        outcome = UNCHANGED
        for name, value in wanted.items():
            if getattr(cohort, name) != value:
                setattr(cohort, name, value)
                outcome = UPDATED
        if outcome == UPDATED:
            cohort.full_clean()
            cohort.save()
    if set(cohort.facilitators.all()) != set(facilitators):
        cohort.facilitators.set(facilitators)
        outcome = UPDATED if outcome == UNCHANGED else outcome
    summary.record("cohorts", outcome, str(cohort))
    return cohort


@dataclass
class _Enrolment:
    """One enrolment as the demo wants it, with the lessons completed and when. A member's
    (``member``) status and completion are the progress engine's, settled after the work is
    loaded; until then the place is active."""

    cohort: Cohort
    user: object
    status: str
    created_at: datetime
    member: bool = False
    activated_at: datetime | None = None
    completed_at: datetime | None = None
    status_changed_at: datetime | None = None
    last_activity_at: datetime | None = None
    application_answer: str = ""
    decided_by: object = None
    decided_at: datetime | None = None
    decision_message: str = ""
    completions: dict[int, datetime] = field(default_factory=dict)
    enrolment: Enrolment | None = None  # once synced

    def fields(self) -> dict:
        return {
            "course_id": self.cohort.course_id,
            "status": self.status,
            "application_answer": self.application_answer,
            "created_at": self.created_at,
            "status_changed_at": self.status_changed_at or self.created_at,
            "waitlisted_at": None,
            "activated_at": self.activated_at,
            "completed_at": self.completed_at,
            "decided_by_id": self.decided_by.pk if self.decided_by else None,
            "decided_at": self.decided_at,
            "decision_message": self.decision_message,
            "last_activity_at": self.last_activity_at,
        }


ENROLMENT_FIELDS = [
    "course_id",
    "status",
    "application_answer",
    "created_at",
    "status_changed_at",
    "waitlisted_at",
    "activated_at",
    "completed_at",
    "decided_by_id",
    "decided_at",
    "decision_message",
    "last_activity_at",
]
# What the progress engine settles for a member.
SETTLED_FIELDS = ["status", "completed_at", "status_changed_at"]


@dataclass
class _Plan:
    today: date
    users: dict
    enrolments: list[_Enrolment] = field(default_factory=list)

    @property
    def by_key(self) -> dict[tuple[int, int], _Enrolment]:
        return {(row.cohort.pk, row.user.pk): row for row in self.enrolments}


def _spread(lessons: list[LessonPage], first: datetime, last: datetime, n: int, seed: int):
    """The first ``n`` lessons completed at times spread from ``first`` to ``last``."""
    done = {}
    lessons = lessons[:n]
    for k, lesson in enumerate(lessons):
        if k == len(lessons) - 1:
            done[lesson.pk] = last
            continue
        share = k / max(len(lessons) - 1, 1)
        day = (first + (last - first) * share).date()
        done[lesson.pk] = at(day, 8 + (seed + 3 * k) % 10, (7 * seed + 13 * k) % 60)
    return done


def _plan_places(plan: _Plan, cohort: Cohort, spec: CohortData, lessons: list) -> None:
    today = plan.today
    first = at(cohort.start_date + timedelta(days=1), 9)
    decider = plan.users[spec.facilitators[0]]
    for i, learner in enumerate(spec.learners):
        user = plan.users[learner.email]
        joined = moment(today, learner.joined_days_ago, f"joined/{learner.email}/{cohort.name}")
        row = _Enrolment(cohort, user, Status.ACTIVE, joined, application_answer=learner.answer)
        if learner.approved_days_ago is None and learner.answer:
            row.status = Status.APPLIED
            plan.enrolments.append(row)
            continue
        activated = joined
        if learner.approved_days_ago is not None:
            activated = moment(
                today, learner.approved_days_ago, f"approved/{learner.email}/{cohort.name}"
            )
            row.decided_by, row.decided_at = decider, activated
            row.decision_message = learner.message
        row.activated_at = row.status_changed_at = activated
        if learner.withdrew_days_ago is not None:
            left = moment(today, learner.withdrew_days_ago, f"left/{learner.email}/{cohort.name}")
            row.status, row.status_changed_at, last = Status.WITHDRAWN, left, left
        elif learner.last_active_days_ago is not None:
            row.member = True
            last = moment(
                today, learner.last_active_days_ago, f"seen/{learner.email}/{cohort.name}"
            )
        else:
            row.member = True
            last = activated
        row.last_activity_at = last
        if learner.lessons:
            row.completions = _spread(lessons, first, last, learner.lessons, i)
        plan.enrolments.append(row)


def _sync_enrolments(summary: Summary, cohorts: list[Cohort], plan: _Plan) -> dict:
    """Bring the demo cohorts' enrolments and completions in line with ``plan``, a member's
    completion left as it is for ``_settle_members``; returns each row's outcome by (cohort,
    user) and fills in each row's ``enrolment``."""
    existing = {(e.cohort_id, e.user_id): e for e in Enrolment.objects.filter(cohort__in=cohorts)}
    wanted = plan.by_key
    stray = [e.pk for key, e in existing.items() if key not in wanted]
    if stray:
        Enrolment.objects.filter(pk__in=stray).delete()
        summary.record("enrolments", UPDATED, f"{len(stray)} not in the demo data removed")

    # One live enrolment per person per course: withdraw a demo learner's live place on any
    # other cohort of the course before the demo's own is put back.
    live = {
        (w.user.pk, w.cohort.course_id)
        for w in plan.enrolments
        if w.status in Enrolment.LIVE_STATUSES
    }
    clashes = [
        e
        for e in Enrolment.objects.live()
        .filter(user_id__in={u for u, _ in live}, course_id__in={c for _, c in live})
        .exclude(cohort__in=cohorts)
        if (e.user_id, e.course_id) in live
    ]
    now = timezone.now()
    for enrolment in clashes:
        enrolment.status = Status.WITHDRAWN
        enrolment.status_changed_at = now
        enrolment.save(update_fields=["status", "status_changed_at"])
        summary.record("enrolments", UPDATED, f"{enrolment} withdrawn for the demo place")

    # Places that are not live first, so no moment holds two live places on one course.
    outcomes = {}
    for live_pass in (False, True):
        to_create, to_update = [], []
        for key, row in wanted.items():
            enrolment = existing.get(key)
            fields = row.fields()
            if row.member and enrolment and enrolment.status == Status.COMPLETED:
                # Settled by the progress engine once the work is in.
                fields |= {name: getattr(enrolment, name) for name in SETTLED_FIELDS}
            if (fields["status"] in Enrolment.LIVE_STATUSES) != live_pass:
                continue
            if enrolment is None:
                to_create.append(Enrolment(cohort=row.cohort, user=row.user, **fields))
                outcomes[key] = CREATED
                continue
            outcomes[key] = UNCHANGED
            for name, value in fields.items():
                if getattr(enrolment, name) != value:
                    setattr(enrolment, name, value)
                    outcomes[key] = UPDATED
            if outcomes[key] == UPDATED:
                to_update.append(enrolment)
        Enrolment.objects.bulk_update(to_update, ENROLMENT_FIELDS, batch_size=200)
        Enrolment.objects.bulk_create(to_create, batch_size=200)

    enrolments = {(e.cohort_id, e.user_id): e for e in Enrolment.objects.filter(cohort__in=cohorts)}
    for key, row in wanted.items():
        row.enrolment = enrolments[key]
    current: dict[int, set] = {e.pk: set() for e in enrolments.values()}
    for enrolment_id, lesson_id, completed_at in LessonCompletion.objects.filter(
        enrolment__cohort__in=cohorts
    ).values_list("enrolment_id", "lesson_id", "completed_at"):
        current[enrolment_id].add((lesson_id, completed_at))
    redo = []
    for key, row in wanted.items():
        if current[row.enrolment.pk] != set(row.completions.items()):
            redo.append(row.enrolment.pk)
            if outcomes[key] == UNCHANGED:
                outcomes[key] = UPDATED
    if redo:
        LessonCompletion.objects.filter(enrolment_id__in=redo).delete()
        LessonCompletion.objects.bulk_create(
            [
                LessonCompletion(enrolment=row.enrolment, lesson_id=lesson_id, completed_at=when)
                for row in wanted.values()
                if row.enrolment.pk in redo
                for lesson_id, when in row.completions.items()
            ],
            batch_size=500,
        )
    return outcomes


def _settle_members(cohorts: list[Cohort], plan: _Plan, outcomes: dict) -> None:
    """Each member complete or not, as the progress engine says now that their lessons and
    results are in: complete when the last required lesson or assessment was done."""
    for cohort in cohorts:
        rows = {row.enrolment.pk: row for row in plan.enrolments if row.cohort == cohort}
        members = [pk for pk, row in rows.items() if row.member]
        if not members:
            continue
        course = cohort.course
        progress = progress_by_enrolment(Enrolment.objects.filter(pk__in=members), course)
        required_lessons = set(required_lesson_ids(course))
        passed: dict[int, list[datetime]] = {}
        for enrolment_id, passed_at in AssessmentResult.objects.filter(
            enrolment_id__in=members,
            assessment_id__in=required_assessment_ids(course),
            status=AssessmentResult.Status.PASSED,
        ).values_list("enrolment_id", "passed_at"):
            passed.setdefault(enrolment_id, []).append(passed_at)
        to_update = []
        for pk in members:
            row = rows[pk]
            wanted = {"status": Status.ACTIVE, "completed_at": None}
            if progress[pk].is_complete:
                done = [t for lesson, t in row.completions.items() if lesson in required_lessons]
                finished = max(done + passed.get(pk, []))
                wanted = {"status": Status.COMPLETED, "completed_at": finished}
            wanted["status_changed_at"] = wanted["completed_at"] or row.activated_at
            enrolment = row.enrolment
            if any(getattr(enrolment, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(enrolment, name, value)
                to_update.append(enrolment)
                key = (cohort.pk, row.user.pk)
                outcomes[key] = UPDATED if outcomes[key] == UNCHANGED else outcomes[key]
        Enrolment.objects.bulk_update(to_update, SETTLED_FIELDS, batch_size=200)


def _sync_sessions(summary: Summary, cohort: Cohort, specs: list[SessionData], today) -> None:
    existing = {session.title: session for session in cohort.sessions.all()}
    for spec in specs:
        day = today + timedelta(days=spec.in_days)
        if not spec.keep_day:
            day = working_day(day)
        wanted = {
            "starts_at": at(day, spec.starts.hour, spec.starts.minute),
            "ends_at": at(day, spec.ends.hour, spec.ends.minute),
            "location": spec.location,
            "joining_url": spec.joining_url,
            "description": spec.description,
        }
        session = existing.get(spec.title)
        if session is None:
            session = live_session_save(
                session=LiveSession(cohort=cohort, title=spec.title, **wanted)
            )
            if spec.cancelled:
                live_session_cancel(session=session)
            summary.record("live sessions", CREATED, f"{spec.title} ({cohort})")
            continue
        differs = session.cancelled != spec.cancelled or any(
            getattr(session, name) != value for name, value in wanted.items()
        )
        if differs:
            for name, value in wanted.items():
                setattr(session, name, value)
            session.cancelled = spec.cancelled
            live_session_save(session=session)
        summary.record(
            "live sessions", UPDATED if differs else UNCHANGED, f"{spec.title} ({cohort})"
        )


def _sync_announcements(
    summary: Summary, cohort: Cohort, specs: list[AnnouncementData], today, author
) -> None:
    existing = {a.subject: a for a in cohort.announcements.all()}
    for spec in specs:
        created_at = at(today - timedelta(days=spec.posted_days_ago), spec.at.hour, spec.at.minute)
        wanted = {
            "body": spec.body,
            "author_id": author.pk,
            "created_at": created_at,
        }
        announcement = existing.get(spec.subject)
        if announcement is None:
            Announcement.objects.create(cohort=cohort, subject=spec.subject, **wanted)
            outcome = CREATED
        else:
            outcome = UNCHANGED
            for name, value in wanted.items():
                if getattr(announcement, name) != value:
                    setattr(announcement, name, value)
                    outcome = UPDATED
            if outcome == UPDATED:
                announcement.save()
        summary.record("announcements", outcome, f"{spec.subject} ({cohort})")
