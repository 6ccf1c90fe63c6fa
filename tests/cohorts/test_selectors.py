"""Progress arithmetic, the at-risk rule, completion by module, My learning and the programme
report, read through the selectors."""

from datetime import timedelta

from django.utils import timezone

import pytest

from academy.models import Sector
from academy.roles import PROGRAMME_MANAGERS
from cohorts.access import lesson_rule
from cohorts.models import Enrolment
from cohorts.progress import percent
from cohorts.selectors.completion import module_completion
from cohorts.selectors.learners import learner_rows
from cohorts.selectors.my_learning import my_learning
from cohorts.selectors.reports import programme_report

from ..factories import UserFactory
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


def test_percent_rounds_down_and_never_divides_by_zero():
    assert percent(1, 3) == 33
    assert percent(2, 3) == 66
    assert percent(3, 3) == 100
    assert percent(0, 0) == 0


def test_elapsed_percent_follows_the_calendar():
    today = timezone.localdate()
    cohort = CohortFactory.build(
        start_date=today - timedelta(days=10), end_date=today + timedelta(days=30)
    )
    assert cohort.elapsed_percent(today) == 25
    assert cohort.elapsed_percent(today - timedelta(days=20)) == 0
    assert cohort.elapsed_percent(today + timedelta(days=60)) == 100


def test_status_is_derived_from_the_dates():
    today = timezone.localdate()
    cohort = CohortFactory.build(start_date=today, end_date=today + timedelta(days=1))
    assert cohort.status_on(today - timedelta(days=1)) == "upcoming"
    assert cohort.status_on(today) == "running"
    assert cohort.status_on(today + timedelta(days=2)) == "finished"
    cohort.cancelled = True
    assert cohort.status_on(today) == "cancelled"


def test_the_at_risk_rule(course_page):
    # Started 30 days ago, ends in 30: half the time has passed, so 25% is the line.
    cohort = CohortFactory(course=course_page)
    lessons = lessons_of(course_page)
    now = timezone.now()
    on_track = EnrolmentFactory(cohort=cohort, user__display_name="On track")
    complete(on_track, lessons[:2])  # 50%
    just_behind = EnrolmentFactory(cohort=cohort, user__display_name="Just behind")
    complete(just_behind, lessons[:1])  # 25%: 25 points behind, not more
    EnrolmentFactory(cohort=cohort, user__display_name="Far behind")  # 0%
    idle = EnrolmentFactory(
        cohort=cohort, user__display_name="Idle", last_activity_at=now - timedelta(days=15)
    )
    complete(idle, lessons[:3])
    EnrolmentFactory(
        cohort=cohort,
        user__display_name="Left",
        status=Status.WITHDRAWN,
        last_activity_at=now - timedelta(days=40),
    )

    flags = {row.name: row.at_risk for row in learner_rows(cohort)}
    assert flags == {
        "On track": False,
        "Just behind": False,
        "Far behind": True,
        "Idle": True,
        "Left": False,
    }


def test_nobody_is_at_risk_in_a_cohort_that_has_not_started(course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    EnrolmentFactory(cohort=cohort, last_activity_at=timezone.now() - timedelta(days=60))
    assert [row.at_risk for row in learner_rows(cohort)] == [False]


def test_learner_rows_sort_by_any_column(course_page):
    cohort = CohortFactory(course=course_page)
    lessons = lessons_of(course_page)
    for name, done in (("Bea", 3), ("Ade", 1), ("Cat", 2)):
        complete(EnrolmentFactory(cohort=cohort, user__display_name=name), lessons[:done])
    assert [r.name for r in learner_rows(cohort)] == ["Ade", "Bea", "Cat"]
    by_progress = learner_rows(cohort, sort="progress", descending=True)
    assert [(r.name, r.progress) for r in by_progress] == [("Bea", 75), ("Cat", 50), ("Ade", 25)]
    assert [r.name for r in learner_rows(cohort, sort="nonsense")] == [
        "Ade",
        "Bea",
        "Cat",
    ]


def test_module_completion_counts_learners_who_finished_each_module(course_page):
    cohort = CohortFactory(course=course_page)
    first_module = lessons_of(course_page)[:2]
    complete(EnrolmentFactory(cohort=cohort), first_module)
    complete(EnrolmentFactory(cohort=cohort), first_module[:1])
    EnrolmentFactory(cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)  # not a learner yet
    rows = module_completion(cohort)
    assert [(r.lessons, r.completed, r.learners, r.percent) for r in rows] == [
        (2, 1, 3, 33),
        (2, 0, 3, 0),
    ]


def test_my_learning_shows_progress_the_next_lesson_and_sessions(course_page):
    learner = UserFactory()
    cohort = CohortFactory(course=course_page)
    enrolment = EnrolmentFactory(cohort=cohort, user=learner)
    lessons = lessons_of(course_page)
    complete(enrolment, [lessons[0], lessons[2]])
    session = LiveSessionFactory(cohort=cohort)
    LiveSessionFactory(cohort=cohort, cancelled=True)
    past = CohortFactory(course=course_with_lessons("Earlier course"), finished=True)
    EnrolmentFactory(cohort=past, user=learner, status=Status.COMPLETED)
    waiting = CohortFactory(
        course=course_with_lessons("Next course"), upcoming=True, by_application=True
    )
    EnrolmentFactory(cohort=waiting, user=learner, status=Status.APPLIED)

    data = my_learning(learner)

    (current,) = data.current
    assert (current.progress.done, current.progress.total, current.progress.percent) == (2, 4, 50)
    assert current.next_lesson.pk == lessons[1].pk
    assert current.sessions == [session]
    assert [e.cohort for e in data.pending] == [waiting]
    assert [e.cohort for e in data.past] == [past]
    assert {c.lesson.pk for c in data.recently_completed} == {lessons[0].pk, lessons[2].pk}


def test_lesson_access_follows_membership_of_a_running_cohort(course_page):
    from courses.access import can_read_lesson

    lesson = lessons_of(course_page)[0]
    running = CohortFactory(course=course_page)
    member = EnrolmentFactory(cohort=running).user
    completed = EnrolmentFactory(cohort=running, status=Status.COMPLETED).user
    applicant = EnrolmentFactory(cohort=running, status=Status.APPLIED).user
    waitlisted = EnrolmentFactory(cohort=running, status=Status.WAITLISTED).user
    withdrawn = EnrolmentFactory(cohort=running, status=Status.WITHDRAWN).user
    finished_member = EnrolmentFactory(cohort=CohortFactory(course=course_page, finished=True)).user
    upcoming_member = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True)).user
    lead = facilitator()
    running.facilitators.add(lead)
    assert can_read_lesson(member, lesson)
    assert can_read_lesson(completed, lesson)
    assert can_read_lesson(lead, lesson)
    for outsider in (applicant, waitlisted, withdrawn, finished_member, upcoming_member):
        assert not can_read_lesson(outsider, lesson)
    assert not can_read_lesson(facilitator(), lesson)


@pytest.mark.parametrize(
    "cohort_fields",
    [{"upcoming": True}, {}, {"finished": True}, {"cancelled": True}],
    ids=["upcoming", "running", "finished", "cancelled"],
)
def test_the_people_who_run_a_cohort_read_its_lessons_whatever_its_status(
    course_page, cohort_fields
):
    from courses.access import can_read_lesson

    lesson = lessons_of(course_page)[0]
    lead = facilitator()
    CohortFactory(course=course_page, facilitators=[lead], **cohort_fields)
    other_lead = facilitator()
    CohortFactory(course=course_with_lessons("Pooled budgets"), facilitators=[other_lead])

    assert can_read_lesson(lead, lesson)
    assert can_read_lesson(UserFactory(groups=[PROGRAMME_MANAGERS]), lesson)
    assert not can_read_lesson(other_lead, lesson)
    assert not can_read_lesson(UserFactory(groups=[PROGRAMME_MANAGERS], is_active=False), lesson)


def test_programme_managers_read_no_lessons_of_a_course_no_cohort_runs(course_page):
    from courses.access import can_read_lesson

    CohortFactory(course=course_with_lessons("Pooled budgets"))

    assert not can_read_lesson(UserFactory(groups=[PROGRAMME_MANAGERS]), lessons_of(course_page)[0])


@pytest.mark.parametrize(
    ("who", "queries"),
    [("learner", 1), ("facilitator", 1), ("programme manager", 3), ("outsider", 2)],
)
def test_the_lesson_rule_takes_few_queries(course_page, django_assert_num_queries, who, queries):
    lesson = lessons_of(course_page)[0]
    cohort = CohortFactory(course=course_page)
    user = {
        "learner": lambda: EnrolmentFactory(cohort=cohort).user,
        "facilitator": lambda: cohort.facilitators.add(lead := facilitator()) or lead,
        "programme manager": lambda: UserFactory(groups=[PROGRAMME_MANAGERS]),
        "outsider": lambda: UserFactory(),
    }[who]()

    with django_assert_num_queries(queries):
        assert lesson_rule(user, lesson) is (who != "outsider")


def test_the_programme_report_counts_each_cohort_and_the_mix_of_sectors(course_page):
    cohort = CohortFactory(course=course_page)
    nhs = Sector.objects.get(slug="nhs-and-health")
    police = Sector.objects.get(slug="police-and-justice")
    EnrolmentFactory.create_batch(2, cohort=cohort, user__sector=nhs)
    EnrolmentFactory(cohort=cohort, user__sector=police, status=Status.COMPLETED)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    EnrolmentFactory(
        cohort=cohort, last_activity_at=timezone.now() - timedelta(days=30), user__sector=police
    )
    CohortFactory(course=course_page, upcoming=True)

    (course_report,) = programme_report(every_cohort=True).courses
    first = course_report.cohorts[0]
    assert (first.applications, first.active, first.completed, first.at_risk) == (1, 3, 1, 3)
    assert first.completion_rate == 25
    assert dict(first.sectors) == {"NHS and health": 2, "Police and justice": 2}
    assert course_report.learners == 4
    assert len(course_report.cohorts) == 2
