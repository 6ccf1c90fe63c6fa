"""docs/quality.md, P3: My learning, the facilitator dashboard, the applications queue and the CSV
export make the same number of queries whether a cohort has 10, 100 or 1,000 learners; the
dashboard (with its learner table) and the CSV, whether its learners handed in 10 or 500
pieces of work."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

import pytest

from academy.models import Organisation, Sector
from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import AssessmentResult, Cohort, Enrolment, LessonCompletion, Mark, Submission
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    lessons_of,
    modules_of,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
Status = Enrolment.Status
SIZES = (10, 100, 1000)


def grow(cohort, applications_cohort, lessons, total: int) -> None:
    """Bring the cohort to ``total`` learners (and as many applications), with organisations,
    sectors, progress and activity spread as in life. Bulk inserts keep it quick."""
    have = cohort.enrolments.count()
    sectors = list(Sector.objects.all())
    rng = random.Random(total)
    now = timezone.now()
    new = range(have, total)
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisation {n}", sector=sectors[n % len(sectors)]) for n in new]
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"learner{n}@example.org",
                display_name=f"Learner {n}",
                organisation=organisation,
                sector=organisation.sector,
            )
            for n, organisation in zip(new, organisations, strict=True)
        ]
        + [User(email=f"applicant{n}@example.org", display_name=f"Applicant {n}") for n in new]
    )
    learners, applicants = people[: len(new)], people[len(new) :]
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=person,
                cohort=cohort,
                course=cohort.course,
                status=Status.ACTIVE,
                activated_at=now,
                last_activity_at=now - timedelta(days=rng.randint(0, 30)),
            )
            for person in learners
        ]
        + [
            Enrolment(
                user=person,
                cohort=applications_cohort,
                course=applications_cohort.course,
                status=Status.APPLIED,
                application_answer="To join up our services.",
            )
            for person in applicants
        ]
    )
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(enrolment=enrolment, lesson=lesson)
            for enrolment in enrolments[: len(new)]
            for lesson in lessons[: rng.randint(0, len(lessons))]
        ]
    )
    # Where each learner stands on the course's assessments, as the services leave it.
    statuses = [*AssessmentResult.Status.values, None]
    assessment_ids = assessment_ids_of(cohort)
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                enrolment=enrolment, assessment_id=assessment_id, status=status, attempts=1
            )
            for enrolment in enrolments[: len(new)]
            for assessment_id in assessment_ids
            if (status := rng.choice(statuses)) is not None
        ]
    )


def assessment_ids_of(cohort) -> list[int]:
    return list(AssessmentPage.objects.descendant_of(cohort.course).values_list("pk", flat=True))


def with_assessments(course) -> list[AssessmentPage]:
    """A reflective assignment and a quiz in the course's first module."""
    (module, *_) = modules_of(course)
    return [
        assessment_in(module, "Reflect on your place"),
        assessment_in(module, "Check your understanding", kind=AssessmentPage.Kind.QUIZ),
    ]


@pytest.fixture
def setting():
    course = course_with_lessons(modules=3, lessons=3)
    with_assessments(course)
    lead = facilitator()
    cohort = CohortFactory(course=course, capacity=2000, facilitators=[lead])
    applications_cohort = CohortFactory(
        course=course_with_lessons("Second course", modules=1, lessons=1),
        upcoming=True,
        by_application=True,
        capacity=2000,
        facilitators=[lead],
    )
    learner = EnrolmentFactory(cohort=cohort).user
    return cohort, applications_cohort, lessons_of(course), lead, learner


def counts_as_the_cohort_grows(client, setting, user_key, url_for) -> dict[int, int]:
    cohort, applications_cohort, lessons, lead, learner = setting
    client.force_login(lead if user_key == "facilitator" else learner)
    counts = {}
    for size in SIZES:
        grow(cohort, applications_cohort, lessons, size)
        url = url_for(cohort, applications_cohort)
        client.get(url)  # warm: session, site and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(queries)
    return counts


@pytest.mark.parametrize(
    ("view", "user_key", "url_for"),
    [
        ("my learning", "learner", lambda c, a: reverse("my_learning")),
        (
            "facilitator dashboard",
            "facilitator",
            lambda c, a: reverse("facilitate_cohort", args=[c.pk]),
        ),
        (
            "facilitator dashboard sorted by progress",
            "facilitator",
            lambda c, a: reverse("facilitate_cohort", args=[c.pk]) + "?sort=progress&dir=desc",
        ),
        (
            "applications queue",
            "facilitator",
            lambda c, a: reverse("facilitate_applications", args=[a.pk]),
        ),
        (
            "learner CSV",
            "facilitator",
            lambda c, a: reverse("facilitate_learners_csv", args=[c.pk]),
        ),
        ("facilitator's cohorts", "facilitator", lambda c, a: reverse("facilitate")),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_queries_do_not_grow_with_learners(client, setting, view, user_key, url_for):
    counts = counts_as_the_cohort_grows(client, setting, user_key, url_for)
    assert len(set(counts.values())) == 1, f"{view}: queries by cohort size {counts}"


def grow_cohorts(courses, runner, total: int) -> None:
    """Bring the academy to ``total`` cohorts, spread over the courses and over time (running,
    upcoming, finished, cancelled), each with a few learners and an application. Bulk inserts
    keep it quick."""
    have = Cohort.objects.count()
    today = timezone.localdate()
    starts = (-30, 20, -120, -10)  # running, upcoming, finished, cancelled
    cohorts = Cohort.objects.bulk_create(
        [
            Cohort(
                course=courses[n % len(courses)],
                name=f"Cohort {n:04d}",
                start_date=today + timedelta(days=starts[n % 4]),
                end_date=today + timedelta(days=starts[n % 4] + 60),
                capacity=30,
                cancelled=n % 4 == 3,
            )
            for n in range(have, total)
        ]
    )
    Cohort.facilitators.through.objects.bulk_create(
        [Cohort.facilitators.through(cohort_id=c.pk, user_id=runner.pk) for c in cohorts]
    )
    people = User.objects.bulk_create(
        [User(email=f"person{c.pk}-{k}@example.org") for c in cohorts for k in range(3)]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=person,
                cohort=cohort,
                course_id=cohort.course_id,
                status=Status.APPLIED if k == 2 else Status.ACTIVE,
                last_activity_at=timezone.now(),
            )
            for cohort, trio in zip(cohorts, zip(*[iter(people)] * 3, strict=True), strict=True)
            for k, person in enumerate(trio)
        ]
    )


@pytest.mark.parametrize(
    "url", [reverse_lazy("programme_report"), reverse_lazy("facilitate")], ids=str
)
def test_queries_do_not_grow_with_cohorts(client, url):
    """The programme report and a programme manager's Facilitate home (every cohort) make the
    same queries with 10, 100 or 1,000 cohorts."""
    courses = [course_with_lessons(f"Course {n}", modules=1, lessons=2) for n in range(3)]
    manager = UserFactory(groups=[PROGRAMME_MANAGERS])
    client.force_login(manager)
    counts = {}
    for size in SIZES:
        grow_cohorts(courses, manager, size)
        client.get(url)  # warm: session, site and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(queries)
    assert len(set(counts.values())) == 1, f"{url}: queries by number of cohorts {counts}"


# --- As the work handed in grows ---------------------------------------------------------------

SUBMISSION_SIZES = (10, 500)
_MARKED = (Submission.Status.PASSED, Submission.Status.RESUBMIT, Submission.Status.HELD)
_RESULT_OF = {
    Submission.Status.WAITING: AssessmentResult.Status.SUBMITTED,
    Submission.Status.HELD: AssessmentResult.Status.SUBMITTED,
    Submission.Status.PASSED: AssessmentResult.Status.PASSED,
    Submission.Status.RESUBMIT: AssessmentResult.Status.RESUBMIT,
}


def grow_submissions(cohort, assessment, total: int) -> None:
    """Bring the cohort's work on ``assessment`` to ``total`` submissions: two versions from
    each new learner, every status, marks on the marked ones and each learner's result as the
    services leave it. Bulk inserts keep it quick."""
    have = Submission.objects.filter(enrolment__cohort=cohort).count()
    now = timezone.now()
    learners = (total - have + 1) // 2
    people = User.objects.bulk_create(
        [User(email=f"writer{have + n}@example.org") for n in range(learners)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(user=person, cohort=cohort, course=cohort.course, status=Status.ACTIVE)
            for person in people
        ]
    )
    statuses = list(Submission.Status.values)
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                enrolment=enrolment,
                assessment=assessment,
                version=version,
                text="We pooled two budgets.",
                word_count=4,
                late=n % 3 == 0,
                status=Submission.Status.RESUBMIT if version == 1 else statuses[n % 4],
            )
            for n, enrolment in enumerate(enrolments)
            for version in (1, 2)
        ][: total - have]
    )
    Mark.objects.bulk_create(
        [
            Mark(
                submission=submission,
                outcome=Mark.Outcome.RESUBMIT
                if submission.status == Submission.Status.RESUBMIT
                else Mark.Outcome.PASS,
                total=4,
                max_total=6,
                released_at=None if submission.status == Submission.Status.HELD else now,
            )
            for submission in submissions
            if submission.status in _MARKED
        ]
    )
    latest = {submission.enrolment_id: submission for submission in submissions}
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                enrolment_id=enrolment_id,
                assessment=assessment,
                status=_RESULT_OF[submission.status],
                passed_at=now if submission.status == Submission.Status.PASSED else None,
                attempts=submission.version,
                last_submitted_at=submission.submitted_at,
                late=submission.late,
            )
            for enrolment_id, submission in latest.items()
        ]
    )


@pytest.mark.parametrize(
    "url_for",
    [
        lambda cohort: reverse("facilitate_cohort", args=[cohort.pk]),
        lambda cohort: reverse("facilitate_cohort", args=[cohort.pk]) + "?sort=status&page=2",
        lambda cohort: reverse("facilitate_learners_csv", args=[cohort.pk]),
        lambda cohort: reverse("facilitate_marking", args=[cohort.pk]),
        lambda cohort: reverse("cohort_assessment", args=[cohort.pk, assessment_ids_of(cohort)[0]]),
    ],
    ids=[
        "facilitator dashboard",
        "learner table, sorted, page 2",
        "learner CSV",
        "marking queue",
        "assessment page, for a facilitator",
    ],
)
def test_queries_do_not_grow_with_submissions(client, url_for):
    course = course_with_lessons(modules=2, lessons=2)
    assessment, _quiz = with_assessments(course)
    lead = facilitator()
    cohort = CohortFactory(course=course, capacity=2000, facilitators=[lead])
    EnrolmentFactory.create_batch(60, cohort=cohort)  # two pages of learners from the start
    client.force_login(lead)
    url = url_for(cohort)
    counts = {}
    for size in SUBMISSION_SIZES:
        grow_submissions(cohort, assessment, size)
        client.get(url)  # warm: session, site and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(queries)
    assert Submission.objects.filter(enrolment__cohort=cohort).count() == 500
    assert len(set(counts.values())) == 1, f"{url}: queries by submissions handed in {counts}"


def test_the_assessment_page_does_not_grow_with_the_cohorts_submissions(client):
    """A learner's assessment page reads their own work only, however much the cohort hands in."""
    course = course_with_lessons(modules=2, lessons=2)
    assessment, _quiz = with_assessments(course)
    cohort = CohortFactory(course=course, capacity=2000)
    learner = EnrolmentFactory(cohort=cohort).user
    client.force_login(learner)
    url = reverse("cohort_assessment", args=[cohort.pk, assessment.pk])
    counts = {}
    for size in SUBMISSION_SIZES:
        grow_submissions(cohort, assessment, size)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(queries)
    assert len(set(counts.values())) == 1, f"{url}: queries by submissions handed in {counts}"
