"""The people and objects the access matrix and the fuzz test use: one of each role, built once
per test module inside a transaction that is rolled back at the end.

Each role is signed in once; a request as that role carries its session cookie and nothing
else, and runs in a savepoint that is rolled back, so no request sees another's changes."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from http.cookies import SimpleCookie

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from academy import outbox
from academy.models import OutboxEmail
from academy.roles import EDITORS, MODERATORS, PROGRAMME_MANAGERS
from cohorts.models import (
    Commitment,
    Enrolment,
    KeepApart,
    PeerGroupPlan,
    PeerMeeting,
    PeerPost,
    PeerSet,
    PeerSetMember,
    WorkingRelationship,
)
from cohorts.notifications import enrolment_notify
from cohorts.times import LONDON
from home.models import StandardPage

from .. import files
from ..cohorts.factories import (
    AnnouncementFactory,
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    course_with_lessons,
    facilitator,
    handed_in,
    handed_to,
    lessons_of,
    mark,
)
from ..courses import factories as pages
from ..courses.factories import ThemeFactory
from ..factories import OrganisationFactory, PlaceFactory, UserFactory, sector

Status = Enrolment.Status

ROLES = (
    "anonymous",
    "learner_in_cohort",  # an active place on the cohort (running), in its peer group set 1
    "member_of_other_set",  # an active place on the cohort too, in its set 2
    "learner_in_other_cohort",  # an active place on a running cohort of another course
    "withdrawn_learner",  # gave up their place on the cohort
    "waitlisted_learner",  # on the cohort's waiting list
    "member_of_upcoming_cohort",  # a place on a cohort of the same course that has not started
    "facilitator_of_cohort",  # runs the cohort, and a cohort of another course not yet started
    "facilitator_of_other_cohort",
    "editor",
    "moderator",
    "programme_manager",
    "superuser",
)

# The people who run the cohort: its facilitator, programme managers and superusers.
RUNNERS = ("facilitator_of_cohort", "programme_manager", "superuser")


@dataclass
class World:
    users: dict
    cohort: object  # running, course "Leading across boundaries"
    upcoming_cohort: object  # the same course, not started yet
    other_cohort: object  # running, another course
    open_cohort: object  # not started, open for places; its facilitator is facilitator_of_cohort
    session: object
    lesson: object  # a lesson of the cohort's course
    lesson_of_unstarted_course: object  # its course's only cohort is ``open_cohort``
    lesson_of_course_without_cohorts: object
    draft_lesson: object
    home: object
    catalogue: object
    course: object
    module: object
    case_study_index: object
    case_study: object
    standard_page: object
    draft_page: object
    document: object
    editors: object  # the Editors group
    token: str
    organisation: object  # an organisation no one works for
    place: object
    sector: object  # a sector with organisations in it (so it cannot be deleted)
    theme: object
    assessment: object  # a reflective assignment taking files; the learner's work waits on it
    essay: object  # a reflective assignment taking files that the learner has not started
    quiz: object  # the learner has made one attempt
    peer_review: object  # a peer review: a classmate's work is handed to the learner
    submission: object  # the learner's work on ``assessment``, with a file
    submission_file: object
    review: object  # the classmate's peer-review work, handed to the learner to review
    learner_enrolment: object
    rubric: object
    # The cohort's published peer groups: the learner and a classmate in set 1, advised by the
    # cohort's facilitator; member_of_other_set and another learner in set 2, with no adviser.
    peer_set: object
    other_peer_set: object
    peer_post: object  # the learner's post in set 1, with a classmate's reply
    peer_meeting: object  # set 1's meeting two days ago: the learner's commitment is on it
    commitment: object
    keep_apart: object  # the classmate and set 2's other learner, kept apart
    working_relationship: object  # the learner's own declaration
    outbox_email: object  # the learner's email about their place, sent
    # Issued to learner_in_other_cohort on other_cohort, its PDF drawn and stored privately.
    certificate: object
    sessions: dict = field(default_factory=dict)  # role -> session cookie value
    # What a browser would hold from earlier pages, kept for the module: (role, URL) -> the
    # CSRF cookie and page a GET of that URL gave (for the pages in ``form_pages``, those that
    # show a form the matrix posts); role -> a CSRF cookie the site gave it.
    form_pages: set = field(default_factory=set)
    pages_seen: dict = field(default_factory=dict)
    csrf_cookies: dict = field(default_factory=dict)


def build_world() -> World:
    course = course_with_lessons("Leading across boundaries", modules=1, lessons=2)
    theme = ThemeFactory(slug="systems-leadership", name="Systems leadership")
    other_course = course_with_lessons("Pooled budgets", modules=1, lessons=1)
    join_course = course_with_lessons("Systems leadership", modules=1, lessons=1)
    quiet_course = course_with_lessons("Commissioning together", modules=1, lessons=1)
    users = {
        "anonymous": None,
        "learner_in_cohort": UserFactory(),
        "member_of_other_set": UserFactory(),
        "learner_in_other_cohort": UserFactory(),
        "withdrawn_learner": UserFactory(),
        "waitlisted_learner": UserFactory(),
        "member_of_upcoming_cohort": UserFactory(),
        "facilitator_of_cohort": facilitator(),
        "facilitator_of_other_cohort": facilitator(),
        "editor": UserFactory(groups=[EDITORS]),
        "moderator": UserFactory(groups=[MODERATORS]),
        "programme_manager": UserFactory(groups=[PROGRAMME_MANAGERS]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    cohort = CohortFactory(course=course, facilitators=[users["facilitator_of_cohort"]])
    upcoming_cohort = CohortFactory(course=course, upcoming=True)
    other_cohort = CohortFactory(
        course=other_course, facilitators=[users["facilitator_of_other_cohort"]]
    )
    open_cohort = CohortFactory(
        course=join_course, upcoming=True, facilitators=[users["facilitator_of_cohort"]]
    )
    EnrolmentFactory(cohort=cohort, user=users["learner_in_cohort"])
    other_set_enrolment = EnrolmentFactory(cohort=cohort, user=users["member_of_other_set"])
    EnrolmentFactory(cohort=other_cohort, user=users["learner_in_other_cohort"])
    EnrolmentFactory(cohort=cohort, user=users["withdrawn_learner"], status=Status.WITHDRAWN)
    EnrolmentFactory(cohort=cohort, user=users["waitlisted_learner"], status=Status.WAITLISTED)
    EnrolmentFactory(cohort=upcoming_cohort, user=users["member_of_upcoming_cohort"])
    AnnouncementFactory(cohort=cohort, author=users["facilitator_of_cohort"])
    draft_lesson = lessons_of(course)[1]
    draft_lesson.unpublish()
    home = pages.home_page()
    case_study_index = pages.case_study_index()
    standard_page = home.add_child(
        instance=StandardPage(title="Accessibility statement", slug="accessibility")
    )
    draft_page = home.add_child(
        instance=StandardPage(title="Privacy notice (draft)", slug="privacy", live=False)
    )
    from cohorts.models import QuizAttempt
    from cohorts.services.calendars import calendar_feed_for
    from cohorts.services.submission_files import submission_files_attach

    module = course.get_children().first().specific
    assessment = pages.assessment(module, "Reflect on a partnership", max_files=2)
    essay = pages.assessment(
        module, "Write about your place", rubric=assessment.rubric, max_files=2
    )
    quiz = pages.quiz(module, questions=2)
    peer_review = pages.peer_review_assessment(course, rubric=assessment.rubric)
    learner_enrolment = Enrolment.objects.get(cohort=cohort, user=users["learner_in_cohort"])
    classmate = EnrolmentFactory(cohort=cohort)
    submission = handed_in(learner_enrolment, assessment)
    (submission_file,) = submission_files_attach(
        submission=submission, files=[files.upload("reflection.pdf", files.pdf())]
    )
    handed_in(learner_enrolment, peer_review)
    mark(handed_in(classmate, assessment), released=False)  # a held mark, to release
    review = handed_to(handed_in(classmate, peer_review), learner_enrolment)
    QuizAttempt.objects.create(
        enrolment=learner_enrolment,
        assessment=quiz,
        number=1,
        answers={},
        score=0,
        max_score=2,
        percent=0,
        passed=False,
    )

    peers = _peer_groups(cohort, users, learner_enrolment, classmate, other_set_enrolment)
    enrolment_notify(learner_enrolment)
    outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True)))
    certificate = _certificate(Enrolment.objects.get(user=users["learner_in_other_cohort"]))

    return World(
        users=users,
        cohort=cohort,
        upcoming_cohort=upcoming_cohort,
        other_cohort=other_cohort,
        open_cohort=open_cohort,
        session=LiveSessionFactory(cohort=cohort),
        lesson=lessons_of(course)[0],
        lesson_of_unstarted_course=lessons_of(join_course)[0],
        lesson_of_course_without_cohorts=lessons_of(quiet_course)[0],
        draft_lesson=draft_lesson,
        home=home,
        catalogue=course.get_parent().specific,
        course=course,
        module=module,
        case_study_index=case_study_index,
        case_study=pages.case_study(case_study_index),
        standard_page=standard_page,
        draft_page=draft_page,
        document=pages.document(),
        editors=Group.objects.get(name=EDITORS),
        token=calendar_feed_for(users["learner_in_cohort"]).token,
        organisation=OrganisationFactory(name="Northshire Fire and Rescue"),
        place=PlaceFactory(name="Northshire"),
        sector=sector(),
        theme=theme,
        assessment=assessment,
        essay=essay,
        quiz=quiz,
        peer_review=peer_review,
        submission=submission,
        submission_file=submission_file,
        review=review,
        learner_enrolment=learner_enrolment,
        rubric=assessment.rubric,
        outbox_email=OutboxEmail.objects.get(user=users["learner_in_cohort"]),
        certificate=certificate,
        **peers,
    )


def _certificate(enrolment):
    """A certificate issued as the worker issues one: written, then drawn and stored."""
    from cohorts.services.certificates import certificate_create, certificate_issue

    certificate = certificate_create(enrolment=enrolment)
    certificate_issue(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def _peer_groups(cohort, users, learner_enrolment, classmate, other_set_enrolment) -> dict:
    now = timezone.now()
    facilitator_ = users["facilitator_of_cohort"]
    PeerGroupPlan.objects.create(
        cohort=cohort, size=2, min_size=2, max_size=3, published_at=now, published_by=facilitator_
    )
    peer_set = PeerSet.objects.create(cohort=cohort, number=1, adviser=facilitator_)
    other_peer_set = PeerSet.objects.create(cohort=cohort, number=2)
    set_mate = EnrolmentFactory(cohort=cohort)
    for members, in_set in (
        ((learner_enrolment, classmate), peer_set),
        ((other_set_enrolment, set_mate), other_peer_set),
    ):
        for enrolment in members:
            PeerSetMember.objects.create(peer_set=in_set, cohort=cohort, enrolment=enrolment)
    post = PeerPost.objects.create(
        peer_set=peer_set, author=learner_enrolment, body="How do we pool a budget?"
    )
    PeerPost.objects.create(
        peer_set=peer_set, author=classmate, parent=post, body="Start with one service."
    )
    # At 10:00 UK time two days ago: the edit form takes a day and two times of day, so an hour
    # that crossed midnight would be refused as ending before it starts.
    two_days_ago = timezone.localtime(now, LONDON).date() - timedelta(days=2)
    starts_at = datetime.combine(two_days_ago, time(10), tzinfo=LONDON)
    meeting = PeerMeeting.objects.create(
        peer_set=peer_set,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        joining_url="https://meet.example.org/set-1",
        problem_holder=learner_enrolment,
        created_by=users["learner_in_cohort"],
    )
    commitment = Commitment.objects.create(
        meeting=meeting, enrolment=learner_enrolment, text="Ask the ICB for a joint budget."
    )
    first, second = sorted((classmate, set_mate), key=lambda e: e.pk)
    keep_apart = KeepApart.objects.create(
        cohort=cohort, first=first, second=second, declared_by=facilitator_
    )
    working_relationship = WorkingRelationship.objects.create(
        user=users["learner_in_cohort"], email="line.manager@example.org"
    )
    return {
        "peer_set": peer_set,
        "other_peer_set": other_peer_set,
        "peer_post": post,
        "peer_meeting": meeting,
        "commitment": commitment,
        "keep_apart": keep_apart,
        "working_relationship": working_relationship,
    }


def sign_in_everyone(world: World) -> None:
    """One session per role, kept for the whole module."""
    for role, user in world.users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value


class Rollback(Exception):
    """Raised to undo a request's writes once its answer has been read."""


def as_role(client: Client, world: World, role: str, cookies: dict | None = None) -> Client:
    """``client`` carrying ``role``'s session cookie and no other cookie but ``cookies``."""
    client.cookies = SimpleCookie()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client


def request(
    client: Client,
    world: World,
    role: str,
    method: str,
    url: str,
    data=None,
    *,
    cookies: dict | None = None,
    headers: dict | None = None,
):
    """``method`` ``url`` as ``role``, its writes rolled back; returns the response."""
    as_role(client, world, role, cookies)
    response = None
    try:
        with transaction.atomic():
            if data is None:
                response = getattr(client, method)(url, headers=headers)
            else:
                response = getattr(client, method)(url, data, headers=headers)
            if response.streaming:
                # Read to the end, as a server would: the test client then closes it safely.
                b"".join(response.streaming_content)
            raise Rollback
    except Rollback:
        pass
    return response
