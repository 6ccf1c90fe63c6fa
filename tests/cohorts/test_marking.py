"""Marking written work against its rubric (``cohorts.services.marking``): totals and outcomes,
what is refused, holding and releasing marks together, and a revised mark flowing to the
learner's result and completion."""

from django.core.exceptions import ValidationError

import pytest

from cohorts.models import AssessmentResult, Enrolment, Mark, Submission
from cohorts.rubrics import criteria_of
from cohorts.services.marking import mark_save, marks_release

from ..courses.factories import rubric
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    SubmissionFactory,
    course_with_lessons,
    facilitator,
    written_assessment,
)

pytestmark = pytest.mark.django_db
Status = Submission.Status
Result = AssessmentResult.Status


def levels(rubric_page, *points: int) -> dict[str, str]:
    """The level of each criterion, in order, worth ``points``."""
    chosen = {}
    for criterion, wanted in zip(criteria_of(rubric_page), points, strict=True):
        level = next(level for level in criterion["levels"] if level["points"] == wanted)
        chosen[criterion["id"]] = level["id"]
    return chosen


@pytest.fixture
def marker():
    return facilitator(display_name="Mo Marker")


@pytest.fixture
def assessment(course_page):
    return written_assessment(course_page)


@pytest.fixture
def work(enrolment, assessment):
    return SubmissionFactory(enrolment=enrolment, assessment=assessment)


def mark(work, marker, *points, outcome="pass", comments="", release=True):
    return mark_save(
        submission=work,
        by=marker,
        levels=levels(work.assessment.rubric, *points),
        comments=comments,
        outcome=outcome,
        release=release,
    )


def result_of(work) -> AssessmentResult:
    return AssessmentResult.objects.get(enrolment=work.enrolment, assessment=work.assessment)


def test_a_mark_adds_up_the_levels_and_released_it_passes_the_learner(work, marker):
    saved = mark(work, marker, 4, 2, 2, comments="Clear lessons drawn.")
    assert (saved.total, saved.max_total) == (8, 12)
    assert [row["points"] for row in saved.criteria] == [4, 2, 2]
    assert saved.criteria[0]["name"] == "Reflection on practice"
    assert saved.criteria[0]["descriptor"] == "Draws lessons"
    assert saved.released and saved.marker == marker
    work.refresh_from_db()
    assert work.status == Status.PASSED
    assert result_of(work).status == Result.PASSED


def test_resubmit_is_an_outcome_at_any_total(work, marker):
    mark(work, marker, 4, 4, 4, outcome="resubmit", comments="Name the partners you mean.")
    work.refresh_from_db()
    assert work.status == Status.RESUBMIT
    assert result_of(work).status == Result.RESUBMIT


def test_a_pass_below_the_points_to_pass_is_refused(work, marker):
    with pytest.raises(ValidationError) as refused:
        mark(work, marker, 0, 2, 2)
    assert refused.value.message_dict["outcome"] == [
        "The total, 4 of 12, is below the 6 points needed to pass: choose Resubmit or change"
        " the levels"
    ]
    assert not Mark.objects.exists()
    work.refresh_from_db()
    assert work.status == Status.WAITING


def test_a_pass_at_exactly_the_points_to_pass_is_allowed(work, marker):
    assert mark(work, marker, 2, 2, 2).total == 6


def test_asking_for_a_resubmission_needs_comments(work, marker):
    with pytest.raises(ValidationError) as refused:
        mark(work, marker, 0, 0, 2, outcome="resubmit", comments="   ")
    assert refused.value.message_dict["comments"] == [
        "Tell the learner what to change before they resubmit"
    ]
    assert not Mark.objects.exists()


def test_an_outcome_that_is_neither_is_refused(work, marker):
    with pytest.raises(ValidationError) as refused:
        mark(work, marker, 4, 4, 4, outcome="distinction")
    assert "outcome" in refused.value.message_dict


def test_a_level_of_another_rubric_is_refused_on_its_criterion(work, marker):
    chosen = levels(work.assessment.rubric, 4, 4, 4)
    first = next(iter(chosen))
    other = criteria_of(rubric("Another rubric"))[0]["levels"][2]["id"]
    with pytest.raises(ValidationError) as refused:
        mark_save(
            submission=work,
            by=marker,
            levels={**chosen, first: other},
            comments="",
            outcome="pass",
            release=True,
        )
    assert list(refused.value.message_dict) == [f"criterion-{first}"]
    assert not Mark.objects.exists()


def test_a_level_of_another_criterion_is_refused(work, marker):
    chosen = levels(work.assessment.rubric, 4, 4, 4)
    first, second = list(chosen)[:2]
    with pytest.raises(ValidationError) as refused:
        mark_save(
            submission=work,
            by=marker,
            levels={**chosen, first: chosen[second]},
            comments="",
            outcome="pass",
            release=True,
        )
    assert f"criterion-{first}" in refused.value.message_dict


def test_a_criterion_left_out_is_refused(work, marker):
    chosen = levels(work.assessment.rubric, 4, 4, 4)
    chosen.pop(next(iter(chosen)))
    with pytest.raises(ValidationError) as refused:
        mark_save(
            submission=work, by=marker, levels=chosen, comments="", outcome="pass", release=True
        )
    assert "Choose a level for “Reflection on practice”" in str(refused.value)


def test_only_the_newest_version_can_be_marked(work, marker):
    mark(work, marker, 0, 2, 2, outcome="resubmit", comments="Say what you changed.")
    SubmissionFactory(enrolment=work.enrolment, assessment=work.assessment, version=2)
    with pytest.raises(ValidationError) as refused:
        mark(work, marker, 4, 4, 4)
    assert "newer version (version 2)" in str(refused.value)
    assert Mark.objects.count() == 1


def test_held_marks_wait_and_are_released_together(cohort, assessment, marker):
    works = [
        SubmissionFactory(enrolment=EnrolmentFactory(cohort=cohort), assessment=assessment)
        for _ in range(2)
    ]
    mark(works[0], marker, 4, 4, 4, release=False)
    mark(works[1], marker, 0, 0, 2, outcome="resubmit", comments="Add evidence.", release=False)
    for work in works:
        work.refresh_from_db()
        assert work.status == Status.HELD
        # Held: the learner still waits for feedback, and has not passed.
        assert result_of(work).status == Result.SUBMITTED
    assert not Mark.objects.exclude(released_at=None).exists()

    assert marks_release(cohort=cohort, by=marker) == 2

    statuses = [Submission.objects.get(pk=work.pk).status for work in works]
    assert statuses == [Status.PASSED, Status.RESUBMIT]
    assert [result_of(work).status for work in works] == [Result.PASSED, Result.RESUBMIT]
    assert not Mark.objects.filter(released_at=None).exists()
    # Again: nothing left to release, nothing changes.
    released_at = list(Mark.objects.values_list("released_at", flat=True))
    assert marks_release(cohort=cohort, by=marker) == 0
    assert list(Mark.objects.values_list("released_at", flat=True)) == released_at


def test_releasing_one_assessment_leaves_the_others_held(course_page, cohort, marker):
    first = written_assessment(course_page, "First reflection")
    second = written_assessment(course_page, "Second reflection")
    enrolment = EnrolmentFactory(cohort=cohort)
    works = [SubmissionFactory(enrolment=enrolment, assessment=page) for page in (first, second)]
    for work in works:
        mark(work, marker, 4, 4, 4, release=False)
    assert marks_release(cohort=cohort, by=marker, assessment=first) == 1
    assert [Submission.objects.get(pk=work.pk).status for work in works] == [
        Status.PASSED,
        Status.HELD,
    ]


def test_marking_held_work_again_releases_only_the_newest_mark(work, marker):
    mark(work, marker, 2, 2, 2, release=False)
    newest = mark(work, marker, 4, 4, 4, release=False)
    assert marks_release(cohort=work.enrolment.cohort, by=marker) == 1
    assert list(Mark.objects.exclude(released_at=None)) == [newest]
    assert Mark.objects.count() == 2  # every mark is kept


def test_another_cohorts_held_marks_stay_held(work, marker, course_page, assessment):
    other = CohortFactory(course=course_page)
    theirs = SubmissionFactory(enrolment=EnrolmentFactory(cohort=other), assessment=assessment)
    mark(theirs, marker, 4, 4, 4, release=False)
    assert marks_release(cohort=work.enrolment.cohort, by=marker) == 0
    theirs.refresh_from_db()
    assert theirs.status == Status.HELD


def test_a_revision_of_a_mark_the_learner_has_seen_cannot_be_held(work, marker):
    mark(work, marker, 4, 4, 4)
    with pytest.raises(ValidationError) as refused:
        mark(work, marker, 2, 2, 2, release=False)
    assert "choose Save and release" in str(refused.value)
    work.refresh_from_db()
    assert work.status == Status.PASSED


def test_a_withdrawn_learners_work_cannot_be_marked(work, marker):
    Enrolment.objects.filter(pk=work.enrolment_id).update(status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="no longer holds a place"):
        mark(work, marker, 4, 4, 4)


def test_revising_a_released_pass_to_resubmit_undoes_completion(marker):
    """A course whose one requirement is this assignment: passing completes the learner's
    place; a revised mark asking for a resubmission makes it active again."""
    course = course_with_lessons("Marked course", modules=1, lessons=0)
    only = written_assessment(course, "The only assignment")
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course))
    work = SubmissionFactory(enrolment=enrolment, assessment=only)

    mark(work, marker, 4, 4, 4)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED

    mark(work, marker, 2, 2, 0, outcome="resubmit", comments="On second reading: evidence?")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.completed_at is None
    assert result_of(work).status == Result.RESUBMIT
    assert Mark.objects.filter(submission=work).count() == 2


def test_releasing_a_held_pass_completes_the_course(marker):
    course = course_with_lessons("Held course", modules=1, lessons=0)
    only = written_assessment(course, "The only assignment")
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course))
    work = SubmissionFactory(enrolment=enrolment, assessment=only)
    mark(work, marker, 4, 4, 4, release=False)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    marks_release(cohort=enrolment.cohort, by=marker)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_the_same_mark_saved_twice_is_kept_once(work, marker):
    """A double-clicked "Save and release"."""
    first = mark(work, marker, 4, 2, 2, comments="Clear.")
    again = mark(work, marker, 4, 2, 2, comments="Clear.")
    assert again == first
    assert Mark.objects.count() == 1
    changed = mark(work, marker, 4, 4, 2, comments="Clear.")
    assert changed != first and Mark.objects.count() == 2


def test_a_withdrawn_learners_held_mark_is_not_released_with_the_cohorts(work, marker):
    mark(work, marker, 4, 4, 4, release=False)
    Enrolment.objects.filter(pk=work.enrolment_id).update(status=Enrolment.Status.WITHDRAWN)
    assert marks_release(cohort=work.enrolment.cohort, by=marker) == 0
