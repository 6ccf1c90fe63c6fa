"""The learner table is sorted, paged and summed by the database. These tests hold it to the
rules the table has always had, written here in plain Python as the specification: the order
of every column both ways, the at-risk rule at its edges, the page boundaries and the summary."""

import random
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from academy.models import Organisation, Sector
from cohorts.models import Enrolment
from cohorts.progress import percent
from cohorts.selectors.learners import (
    BEHIND_POINTS,
    INACTIVE_DAYS,
    PER_PAGE,
    SORT_KEYS,
    learner_page,
    learner_rows,
    learner_summary,
)

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, complete, course_with_lessons, lessons_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status

# The table's order, as a Python key per column (the name breaks ties, then the order in
# which places were asked for).
SPECIFICATION = {
    "name": lambda row: row.name.casefold(),
    "organisation": lambda row: row.organisation.casefold(),
    "sector": lambda row: row.sector.casefold(),
    "progress": lambda row: row.progress,
    "activity": lambda row: row.last_activity or datetime.min.replace(tzinfo=UTC),
    "status": lambda row: (not row.at_risk, row.status_label),
}


def specified_order(rows, sort: str, descending: bool) -> list[int]:
    key = SPECIFICATION[sort]
    ordered = sorted(rows, key=lambda row: (key(row), row.name.casefold()), reverse=descending)
    return [row.enrolment_id for row in ordered]


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


@pytest.fixture
def varied_cohort(course_page):
    """A cohort of 40 with everything the table must order: names in mixed case, learners
    known only by their email, no organisation or sector, no activity yet, ties, completed
    and withdrawn places, people at risk and people on track. Applications are not rows."""
    cohort = CohortFactory(course=course_page, capacity=60)
    lessons = lessons_of(course_page)
    sectors = list(Sector.objects.all()[:3])
    organisations = [
        Organisation.objects.create(name=name, sector=sectors[n % len(sectors)])
        for n, name in enumerate(("acorn council", "Birch NHS Trust", "Cedar Police"))
    ]
    rng = random.Random(3)
    now = timezone.now()
    names = ["ada", "Ada", "Bo", "bo", "Cy", "", "", "Dee", "eve", "Eve"]
    for n in range(40):
        organisation = rng.choice([*organisations, None])
        user = UserFactory(
            display_name=names[n % len(names)] if n % 3 else f"Person {n % 7}",
            email=f"learner{n:02d}@example.org",
            organisation=organisation,
            sector=organisation.sector if organisation else None,
        )
        status = rng.choice([Status.ACTIVE] * 6 + [Status.COMPLETED, Status.WITHDRAWN])
        enrolment = EnrolmentFactory(
            cohort=cohort,
            user=user,
            status=status,
            last_activity_at=rng.choice(
                [None, now - timedelta(days=rng.randint(0, 30)), now - timedelta(days=3)]
            ),
        )
        complete(enrolment, lessons[: rng.randint(0, len(lessons))])
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    EnrolmentFactory(cohort=cohort, status=Status.WAITLISTED)
    return cohort


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORT_KEYS)
def test_every_column_sorts_as_specified(varied_cohort, sort, descending):
    rows = learner_rows(varied_cohort, sort=sort, descending=descending)
    assert len(rows) == 40
    assert [row.enrolment_id for row in rows] == specified_order(rows, sort, descending)


def test_the_rows_show_what_each_learner_did(varied_cohort, course_page):
    required = 4
    for row in learner_rows(varied_cohort):
        enrolment = Enrolment.objects.select_related("user").get(pk=row.enrolment_id)
        done = enrolment.completions.count()
        expected = 100 if enrolment.status == Status.COMPLETED else percent(done, required)
        assert row.progress == expected
        assert row.name == (enrolment.user.display_name or enrolment.user.email)
        assert row.status == enrolment.status


def test_pages_of_the_table_follow_the_same_order(course_page):
    cohort = CohortFactory(course=course_page, capacity=200)
    EnrolmentFactory.create_batch(PER_PAGE * 2 + 7, cohort=cohort)
    everyone = [row.enrolment_id for row in learner_rows(cohort, sort="name")]

    pages = [learner_page(cohort, sort="name", page=number) for number in (1, 2, 3)]

    assert [len(page.object_list) for page in pages] == [PER_PAGE, PER_PAGE, 7]
    assert [row.enrolment_id for page in pages for row in page.object_list] == everyone
    assert pages[2].paginator.count == PER_PAGE * 2 + 7
    beyond = learner_page(cohort, sort="name", page=99)
    assert beyond.number == 3
    assert learner_page(cohort, sort="name", page="nonsense").number == 1


def test_a_page_of_the_table_takes_the_same_queries_for_any_cohort(course_page):
    lessons = lessons_of(course_page)

    def queries_for(size: int) -> int:
        cohort = CohortFactory(course=course_page, capacity=size)
        for enrolment in EnrolmentFactory.create_batch(size, cohort=cohort):
            complete(enrolment, lessons[: size % 4])
        learner_page(cohort, sort="progress", page=1)
        with CaptureQueriesContext(connection) as queries:
            page = learner_page(cohort, sort="progress", page=1)
            summary = learner_summary(cohort)
        assert len(page.object_list) == min(size, PER_PAGE)
        assert summary.active == size
        return len(queries)

    assert queries_for(5) == queries_for(120)


def test_the_summary_is_the_sum_of_the_table(varied_cohort):
    rows = learner_rows(varied_cohort)
    members = [row for row in rows if row.status in Enrolment.MEMBER_STATUSES]

    with CaptureQueriesContext(connection) as queries:
        summary = learner_summary(varied_cohort)

    assert len(queries) == 1
    assert summary.places_taken == len(members)
    assert summary.active == sum(1 for row in rows if row.status == Status.ACTIVE)
    assert summary.completed == sum(1 for row in rows if row.status == Status.COMPLETED)
    assert summary.at_risk == sum(1 for row in rows if row.at_risk) > 0
    assert summary.average_progress == round(sum(row.progress for row in members) / len(members))
    assert (summary.applied, summary.waitlisted) == (1, 1)


def test_the_at_risk_rule_at_its_edges(course_page):
    # Started 30 days ago, ends in 30: half the time has passed, so below 25% is behind.
    cohort = CohortFactory(course=course_page)
    lessons = lessons_of(course_page)
    now = timezone.now()
    threshold = cohort.elapsed_percent() - BEHIND_POINTS
    assert threshold == 25

    def learner(name, done, *, idle_for=timedelta(0), status=Status.ACTIVE):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            user__display_name=name,
            status=status,
            last_activity_at=now - idle_for,
        )
        complete(enrolment, lessons[:done])

    learner("On the line", 1)  # 25%: not more than 25 points behind
    learner("Below the line", 0)
    limit = timedelta(days=INACTIVE_DAYS)
    learner("Idle almost too long", 4, idle_for=limit - timedelta(minutes=1))
    learner("Idle too long", 4, idle_for=limit + timedelta(minutes=1))
    learner("Completed and idle", 4, idle_for=limit * 3, status=Status.COMPLETED)
    learner("Withdrawn and behind", 0, status=Status.WITHDRAWN)
    never = EnrolmentFactory(
        cohort=cohort, user__display_name="Never active", last_activity_at=None
    )
    complete(never, lessons)
    Enrolment.objects.filter(pk=never.pk).update(
        activated_at=now - limit * 2, created_at=now - limit * 3
    )

    flags = {row.name: row.at_risk for row in learner_rows(cohort)}

    assert flags == {
        "On the line": False,
        "Below the line": True,
        "Idle almost too long": False,
        "Idle too long": True,
        "Completed and idle": False,
        "Withdrawn and behind": False,
        "Never active": True,  # admitted 28 days ago and never seen since
    }
    assert learner_summary(cohort).at_risk == 3


@pytest.mark.parametrize("descending", [False, True])
def test_a_cohort_not_running_sorts_by_status_alone(course_page, descending):
    cohort = CohortFactory(course=course_page, upcoming=True)
    for name, status in (("Cy", Status.WITHDRAWN), ("Ab", Status.ACTIVE), ("Bo", Status.ACTIVE)):
        EnrolmentFactory(cohort=cohort, user__display_name=name, status=status)
    rows = learner_rows(cohort, sort="status", descending=descending)
    assert not any(row.at_risk for row in rows)
    assert [row.enrolment_id for row in rows] == specified_order(rows, "status", descending)
    assert [row.name for row in rows] == (["Cy", "Bo", "Ab"] if descending else ["Ab", "Bo", "Cy"])
