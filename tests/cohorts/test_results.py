"""Where learners stand on a cohort's assessments (``cohorts.selectors.results``): what is due
next and in progress for one learner, what waits to be marked and each assessment's figures for
the people who run the cohort, and each learner's outcome for the learner table, each in a fixed
number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from cohorts.models import AssessmentDueDate, Enrolment, Submission
from cohorts.selectors import marking, results
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    modules_of,
    quiz_attempted,
    submitted,
)

pytestmark = pytest.mark.django_db
Kind = AssessmentPage.Kind
Waiting = Submission.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=1)


@pytest.fixture
def assessments(course_page):
    """In course order: a quiz due on day 7, an assignment due on day 21, an optional
    assignment due on day 14 and a peer review due on day 50."""
    first, second = modules_of(course_page)
    return [
        assessment_in(first, "Check your understanding", kind=Kind.QUIZ, due_offset_days=7),
        assessment_in(first, "Reflect on your place", due_offset_days=21),
        assessment_in(second, "Go further", required_for_completion=False, due_offset_days=14),
        assessment_in(second, "Review a partner's plan", kind=Kind.PEER_REVIEW, due_offset_days=50),
    ]


@pytest.fixture
def cohort(course_page):
    """Started 30 days ago: the first three assessments are past their default dates."""
    return CohortFactory(course=course_page)


def by_title(standings) -> dict[str, results.Standing]:
    return {standing.assessment.title: standing for standing in standings}


def test_a_learner_who_has_done_nothing_has_everything_to_do(cohort, assessments):
    enrolment = EnrolmentFactory(cohort=cohort)

    mine = results.learner_assessments(enrolment, cohort)

    assert [s.assessment.title for s in mine.standings] == [a.title for a in assessments]
    assert [s.label for s in mine.standings] == ["Not started"] * 4
    assert [s.required for s in mine.standings] == [True, True, False, True]
    assert mine.standings[0].due_on == cohort.start_date + timedelta(days=7)
    assert mine.due_next.assessment.title == "Check your understanding"
    assert mine.due_next.late
    assert mine.in_progress == []


def test_due_next_is_the_nearest_work_still_to_do(cohort, assessments):
    quiz, assignment, optional, _ = assessments
    enrolment = EnrolmentFactory(cohort=cohort)
    quiz_attempted(enrolment, quiz, percent=90)
    submitted(enrolment, optional)  # waiting for feedback, handed in on time
    AssessmentDueDate.objects.create(
        cohort=cohort, assessment=assignment, due_on=timezone.localdate() + timedelta(days=3)
    )

    mine = results.learner_assessments(enrolment, cohort)

    standings = by_title(mine.standings)
    assert standings["Check your understanding"].label == "Passed"
    assert mine.due_next.assessment == assignment
    assert mine.due_next.due_on == timezone.localdate() + timedelta(days=3)
    assert not mine.due_next.late
    assert [(s.assessment.title, s.label, s.late) for s in mine.in_progress] == [
        ("Go further", "Waiting for feedback", False)
    ]


def test_work_to_resubmit_is_due_and_late_work_is_flagged(cohort, assessments):
    quiz, assignment, optional, _ = assessments
    enrolment = EnrolmentFactory(cohort=cohort)
    quiz_attempted(enrolment, quiz, percent=30)
    submitted(enrolment, assignment, status=Waiting.RESUBMIT)
    submitted(enrolment, optional, late=True)

    mine = results.learner_assessments(enrolment, cohort)

    standings = by_title(mine.standings)
    assert (
        standings["Check your understanding"].label,
        standings["Check your understanding"].late,
    ) == (
        "Not passed",
        True,
    )
    assert mine.due_next.assessment == quiz  # due first, and not passed: another attempt
    assert [(s.assessment.title, s.label, s.late) for s in mine.in_progress] == [
        ("Go further", "Waiting for feedback", True),  # handed in after its due date
        ("Reflect on your place", "Resubmit", True),  # asked to resubmit, now past due
    ]


def test_people_without_a_place_see_every_assessment_not_started(cohort, assessments):
    withdrawn = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    submitted(withdrawn, assessments[1], status=Waiting.PASSED)

    for enrolment in (None, withdrawn):
        mine = results.learner_assessments(enrolment, cohort)
        assert [s.label for s in mine.standings] == ["Not started"] * 4


def test_a_course_without_assessments_costs_no_query(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    results.learner_assessments(enrolment, cohort)  # the outline, cached

    with CaptureQueriesContext(connection) as queries:
        mine = results.learner_assessments(enrolment, cohort)
        figures = results.assessment_figures(cohort)
        waiting = results.marking_waiting(cohort)

    assert not mine and mine.due_next is None
    assert figures == [] and not waiting
    assert len(queries) == 0


def test_places_on_several_courses_take_two_queries(cohort, assessments):
    other = course_with_lessons("Leading in a crisis", modules=1, lessons=1)
    (module,) = modules_of(other)
    crisis = assessment_in(module, "Plan for the first day", due_offset_days=40)
    first = EnrolmentFactory(cohort=cohort)
    second = EnrolmentFactory(user=first.user, cohort=CohortFactory(course=other))
    submitted(second, crisis)
    places = list(Enrolment.objects.select_related("cohort__course").order_by("pk"))
    results.assessments_of_places(places)  # the outlines, cached

    with CaptureQueriesContext(connection) as queries:
        found = results.assessments_of_places(places)

    assert len(queries) == 2
    assert found[first.pk].due_next.assessment.title == "Check your understanding"
    assert found[second.pk].due_next is None
    assert [s.label for s in found[second.pk].in_progress] == ["Waiting for feedback"]
    assert found[second.pk].standings[0].due_on == second.cohort.start_date + timedelta(days=40)


def test_what_waits_to_be_marked(cohort, assessments):
    quiz, assignment, *_ = assessments
    for status in (Waiting.WAITING, Waiting.WAITING, Waiting.HELD, Waiting.PASSED):
        submitted(EnrolmentFactory(cohort=cohort), assignment, status=status)
    quiz_attempted(EnrolmentFactory(cohort=cohort), quiz, percent=80)
    elsewhere = CohortFactory(course=cohort.course)
    submitted(EnrolmentFactory(cohort=elsewhere), assignment)

    assert results.marking_waiting(cohort) == results.MarkingWaiting(waiting=2, held=1)
    assert results.marking_waiting(elsewhere) == results.MarkingWaiting(waiting=1, held=0)


def test_what_waits_to_be_marked_is_what_the_marking_queue_holds(cohort, assessments):
    """The dashboard's figure is the queue's: a learner who gave up their place has work in
    neither."""
    _quiz, assignment, *_ = assessments
    submitted(EnrolmentFactory(cohort=cohort), assignment)
    gone = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    submitted(gone, assignment)

    queue = marking.queue_counts(cohort, marking.marked_assessments(cohort))
    assert results.marking_waiting(cohort) == results.MarkingWaiting(waiting=1, held=0)
    assert (queue.waiting, queue.held) == (1, 0)


def test_each_assessments_figures_count_the_learners_with_a_place(cohort, assessments):
    quiz, assignment, *_ = assessments
    for status in (Waiting.WAITING, Waiting.HELD, Waiting.PASSED, Waiting.RESUBMIT):
        submitted(EnrolmentFactory(cohort=cohort), assignment, status=status)
    quiz_attempted(EnrolmentFactory(cohort=cohort), quiz, percent=80)
    quiz_attempted(EnrolmentFactory(cohort=cohort), quiz, percent=20)
    gone = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    submitted(gone, assignment, status=Waiting.PASSED)
    results.assessment_figures(cohort)

    with CaptureQueriesContext(connection) as queries:
        figures = results.assessment_figures(cohort)

    assert len(queries) == 2
    assert [
        (row.assessment.title, row.required, row.handed_in, row.waiting, row.passed)
        for row in figures
    ] == [
        ("Check your understanding", True, 2, 0, 1),
        ("Reflect on your place", True, 4, 2, 1),  # waiting and held: no feedback yet
        ("Go further", False, 0, 0, 0),
        ("Review a partner's plan", True, 0, 0, 0),
    ]
    assert figures[0].due_on == cohort.start_date + timedelta(days=7)


def test_outcomes_of_a_page_of_learners_take_one_query(cohort, assessments):
    quiz, assignment, *_ = assessments
    ada, ben, cai = EnrolmentFactory.create_batch(3, cohort=cohort)
    quiz_attempted(ada, quiz, percent=40)
    quiz_attempted(ada, quiz, percent=60)
    submitted(ada, assignment, status=Waiting.RESUBMIT)
    quiz_attempted(ben, quiz, percent=90)

    with CaptureQueriesContext(connection) as queries:
        found = results.outcomes(assessments, enrolment_ids=[ada.pk, ben.pk, cai.pk])
    everyone = results.outcomes(assessments, cohort=cohort)

    assert len(queries) == 1
    assert found == everyone
    assert [outcome.text for outcome in found[ada.pk]] == [
        "Not passed (60%)",
        "Resubmit",
        "Not started",
        "Not started",
    ]
    assert [outcome.text for outcome in found[ben.pk]][:2] == ["Passed (90%)", "Not started"]
    assert cai.pk not in found
    assert [o.text for o in results.not_started(assessments)] == ["Not started"] * 4
