"""The progress engine (``cohorts.progress``): requirements that register themselves, progress
for one enrolment and in bulk (the same answers, a fixed number of queries), percentages worked
out by the database exactly as in Python, and the one moment an enrolment becomes complete."""

import random

from django.db import connection, transaction
from django.db.models import IntegerField, Value
from django.test.utils import CaptureQueriesContext

import pytest

from cohorts import progress
from cohorts.models import Enrolment, Mark, Submission
from cohorts.services.completion import enrolment_completed
from cohorts.services.lessons import lesson_complete, lesson_uncomplete
from courses.models import AssessmentPage, ModulePage

from ..courses.factories import assessment_in
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    complete,
    course_with_lessons,
    lessons_of,
    modules_of,
    quiz_attempted,
    result_refreshed,
    submitted,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


class TwoThingsRequirement:
    """A requirement of two things per course, of which every enrolment has done ``done``: what
    an assessment will register, reduced to its shape."""

    noun = ("thing", "things")

    def __init__(self, done: int):
        self.done_count = done

    def required(self, course):
        return 2

    def done(self, course):
        return Value(self.done_count, output_field=IntegerField())


@pytest.fixture
def registered():
    """Register requirements for one test; they are taken away afterwards."""
    added = []

    def register(requirement):
        added.append(progress.register_requirement(requirement))
        return requirement

    yield register
    for requirement in added:
        progress.unregister_requirement(requirement)


def test_a_registered_requirement_counts_towards_progress(course_page, registered):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page)[:3])
    assert progress.enrolment_progress(enrolment) == progress.Progress(3, 4)

    registered(TwoThingsRequirement(done=1))

    assert progress.enrolment_progress(enrolment) == progress.Progress(4, 6)
    assert progress.required_total(course_page) == 6
    assert progress.progress_by_enrolment(Enrolment.objects.all(), course_page) == {
        enrolment.pk: progress.Progress(4, 6)
    }


def test_registering_twice_counts_once_and_unregistering_takes_it_away(course_page):
    requirement = TwoThingsRequirement(done=0)
    progress.register_requirement(requirement)
    progress.register_requirement(requirement)
    try:
        assert progress.required_total(course_page) == 6
    finally:
        progress.unregister_requirement(requirement)
    assert progress.required_total(course_page) == 4


def test_the_database_works_out_percentages_as_python_does(course_page):
    """``percent_expression`` against ``percent`` for every done/total up to 13 required."""
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    for total in range(14):
        for done in range(total + 1):
            row = Enrolment.objects.filter(pk=enrolment.pk).annotate(
                p=progress.percent_expression(Value(done, output_field=IntegerField()), total)
            )
            assert row.values_list("p", flat=True).get() == progress.percent(done, total), (
                done,
                total,
            )


def test_progress_in_bulk_equals_progress_one_by_one(course_page):
    cohort = CohortFactory(course=course_page, capacity=40)
    lessons = lessons_of(course_page)
    rng = random.Random(7)
    enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(12)]
    for enrolment in enrolments:
        complete(enrolment, rng.sample(lessons, rng.randint(0, len(lessons))))
    finished = enrolments[0]
    finished.status = Status.COMPLETED
    finished.save()

    one_by_one = {e.pk: progress.enrolment_progress(e) for e in enrolments}
    assert progress.progress_by_enrolment(cohort.enrolments.all(), course_page) == one_by_one
    listed = {e.pk: e for e in cohort.enrolments.select_related("cohort__course")}
    assert progress.progress_of(list(listed.values())) == one_by_one
    shown = dict(
        progress.with_progress(cohort.enrolments.all(), course_page).values_list("pk", "progress")
    )
    # The table shows 100% for a completed enrolment whatever it did; the rest as counted.
    assert shown == {pk: 100 if pk == finished.pk else p.percent for pk, p in one_by_one.items()}


def test_progress_of_several_courses_takes_one_query(course_page):
    other = course_with_lessons("Leading in a crisis", modules=1, lessons=3)
    first = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    second = EnrolmentFactory(user=first.user, cohort=CohortFactory(course=other))
    complete(first, lessons_of(course_page)[:1])
    complete(second, lessons_of(other)[:2])
    enrolments = list(Enrolment.objects.select_related("cohort__course").order_by("pk"))
    progress.progress_of(enrolments)  # the courses' outlines are read once and kept

    with CaptureQueriesContext(connection) as queries:
        found = progress.progress_of(enrolments)

    assert found == {first.pk: progress.Progress(1, 4), second.pk: progress.Progress(2, 3)}
    assert len(queries) == 1


def test_bulk_progress_takes_the_same_queries_for_a_small_and_a_big_cohort(course_page):
    lessons = lessons_of(course_page)

    def queries_for(size: int) -> int:
        cohort = CohortFactory(course=course_page, capacity=size)
        for enrolment in EnrolmentFactory.create_batch(size, cohort=cohort):
            complete(enrolment, lessons[: size % 5])
        progress.progress_by_enrolment(cohort.enrolments.all(), course_page)
        with CaptureQueriesContext(connection) as queries:
            found = progress.progress_by_enrolment(cohort.enrolments.all(), course_page)
        assert len(found) == size
        return len(queries)

    assert queries_for(3) == queries_for(30) == 1


@pytest.fixture
def completions_signalled():
    sent = []

    def receiver(sender, enrolment, **kwargs):
        sent.append(enrolment.pk)

    enrolment_completed.connect(receiver)
    yield sent
    enrolment_completed.disconnect(receiver)


def test_completing_the_last_requirement_completes_the_enrolment_once(
    course_page, completions_signalled, django_capture_on_commit_callbacks
):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons[:3]:
            lesson_complete(user=enrolment.user, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert completions_signalled == []

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=enrolment.user, lesson=lessons[3])
        lesson_complete(user=enrolment.user, lesson=lessons[3])  # twice: nothing more happens
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert enrolment.completed_at is not None
    assert completions_signalled == [enrolment.pk]


def test_an_unfinished_requirement_keeps_the_enrolment_open(
    course_page, registered, completions_signalled, django_capture_on_commit_callbacks
):
    """With an assessment-like requirement half done, every lesson done is not enough."""
    registered(TwoThingsRequirement(done=1))
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(course_page):
            lesson_complete(user=enrolment.user, lesson=lesson)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert completions_signalled == []


def test_no_signal_when_the_completion_is_rolled_back(
    course_page, completions_signalled, django_capture_on_commit_callbacks
):
    """On-commit callbacks run here as they do in production (the test's own transaction never
    commits, so without them a signal wrongly kept after the rollback would never be seen): the
    completion rolled back sends nothing; the same completion committed sends it once."""
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:3])

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lesson_complete(user=enrolment.user, lesson=lessons[3])
        raise RuntimeError("the request failed after the lesson was marked")

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert completions_signalled == []
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=enrolment.user, lesson=lessons[3])

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert completions_signalled == [enrolment.pk]


def test_undoing_a_required_lesson_reopens_a_completed_enrolment(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)
    for lesson in lessons:
        lesson_complete(user=enrolment.user, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED

    lesson_uncomplete(user=enrolment.user, lesson=lessons[0])

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.completed_at is None
    assert progress.enrolment_progress(enrolment) == progress.Progress(3, 4)


# --- Assessments counted with lessons ---------------------------------------------------------


@pytest.fixture
def with_assessments(course_page):
    """The course's 4 required lessons, a required assignment and a required quiz; an optional
    assignment and one in an unpublished module, neither counted."""
    first, second = modules_of(course_page)
    hidden = course_page.add_child(
        instance=ModulePage(title="Still being written", slug="later", live=False)
    )
    return {
        "assignment": assessment_in(first, "Reflect on your place"),
        "quiz": assessment_in(second, "Check your understanding", kind=AssessmentPage.Kind.QUIZ),
        "optional": assessment_in(second, "Go further", required_for_completion=False),
        "hidden": assessment_in(hidden, "In a hidden module"),
    }


def test_a_course_of_lessons_only_counts_required_lessons(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page)[:1])

    found = progress.enrolment_progress(enrolment)

    assert (found.done, found.total) == (1, 4)
    assert found.things == "required lessons"
    assert progress.counted(course_page).none == "required lessons"


def test_required_assessments_count_with_the_lessons(course_page, with_assessments):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page)[:3])
    submitted(enrolment, with_assessments["assignment"], status=Submission.Status.PASSED)
    submitted(enrolment, with_assessments["optional"], status=Submission.Status.PASSED)
    submitted(enrolment, with_assessments["hidden"], status=Submission.Status.PASSED)

    found = progress.enrolment_progress(enrolment)

    assert (found.done, found.total, found.percent) == (4, 6, 66)
    assert found.things == "required lessons and assessments"
    assert progress.Progress(1, 1, found.counted).things == "required lesson and assessment"
    listed = list(Enrolment.objects.select_related("cohort__course"))
    assert progress.progress_of(listed) == {enrolment.pk: progress.Progress(4, 6)}
    assert progress.progress_by_enrolment(Enrolment.objects.all(), course_page) == {
        enrolment.pk: progress.Progress(4, 6)
    }


def test_a_course_of_optional_assessments_counts_only_lessons(course_page):
    (first, _) = modules_of(course_page)
    assessment_in(first, "Go further", required_for_completion=False)

    assert progress.required_total(course_page) == 4
    assert progress.counted(course_page).many == "required lessons"


def test_completion_needs_every_lesson_and_every_required_assessment(
    course_page, with_assessments, completions_signalled, django_capture_on_commit_callbacks
):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(course_page):
            lesson_complete(user=enrolment.user, lesson=lesson)
        submitted(enrolment, with_assessments["assignment"], status=Submission.Status.PASSED)
        quiz_attempted(enrolment, with_assessments["quiz"], percent=50)  # not passed
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert completions_signalled == []

    with django_capture_on_commit_callbacks(execute=True):
        quiz_attempted(enrolment, with_assessments["quiz"], percent=80)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert enrolment.completed_at is not None
    assert completions_signalled == [enrolment.pk]


def test_passing_every_assessment_first_completes_on_the_last_lesson(
    course_page, with_assessments, django_capture_on_commit_callbacks
):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:3])
    submitted(enrolment, with_assessments["assignment"], status=Submission.Status.PASSED)
    quiz_attempted(enrolment, with_assessments["quiz"], percent=100)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=enrolment.user, lesson=lessons[3])

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED


def test_work_waiting_for_feedback_or_held_does_not_complete(course_page, with_assessments):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page))
    quiz_attempted(enrolment, with_assessments["quiz"], percent=100)

    submitted(enrolment, with_assessments["assignment"])
    submitted(enrolment, with_assessments["assignment"], status=Submission.Status.HELD)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert progress.enrolment_progress(enrolment) == progress.Progress(5, 6)


def test_undoing_a_pass_reopens_a_completed_enrolment(course_page, with_assessments):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page))
    quiz_attempted(enrolment, with_assessments["quiz"], percent=100)
    work = submitted(enrolment, with_assessments["assignment"], status=Submission.Status.PASSED)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED

    # The mark is corrected: the work must be resubmitted after all.
    work.status = Submission.Status.RESUBMIT
    work.save()
    Mark.objects.filter(submission=work).update(outcome=Mark.Outcome.RESUBMIT)
    result = result_refreshed(enrolment, with_assessments["assignment"])

    assert result.get_status_display() == "Resubmit"
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.completed_at is None
    assert progress.enrolment_progress(enrolment) == progress.Progress(5, 6)

    submitted(enrolment, with_assessments["assignment"], status=Submission.Status.PASSED)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
