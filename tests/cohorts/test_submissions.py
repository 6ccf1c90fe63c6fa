"""Handing in written work (``services.submissions``): only a member of a running cohort, only
words in the assessment's range and no more files than it takes, not while the last version
waits to be marked or once it has passed, not after a due date that refuses late work; a second
post of the same form writes nothing. Every version is kept."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

import pytest

from cohorts.models import (
    AssessmentDueDate,
    AssessmentResult,
    Enrolment,
    Submission,
    SubmissionFile,
)
from cohorts.services import submissions
from cohorts.services.submissions import already_handed_in, submission_create, word_count
from courses.models import AssessmentPage

from .. import files
from ..factories import UserFactory
from ..files import upload
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    mark,
    reflective_assignment,
    submission,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
ANSWER = "We pooled two budgets across the council and the health board and counted what it saved."


@pytest.fixture
def assignment(course_page):
    """Due 30 days from now (the cohort started 30 days ago)."""
    return reflective_assignment(course_page, due_offset_days=60)


def hand_in(enrolment, assessment, text=ANSWER, **kwargs):
    """Hand in the next version, as the learner's form would post it."""
    if "version_expected" not in kwargs:
        done = Submission.objects.filter(enrolment=enrolment, assessment=assessment).count()
        kwargs["version_expected"] = done + 1
    return submission_create(
        user=enrolment.user, cohort=enrolment.cohort, assessment=assessment, text=text, **kwargs
    )


def refusal(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def versions(enrolment, assessment) -> list[int]:
    return list(
        Submission.objects.filter(enrolment=enrolment, assessment=assessment)
        .order_by("version")
        .values_list("version", flat=True)
    )


# --- A first version --------------------------------------------------------------------------


def test_a_first_version_is_kept_with_its_words_and_waits_to_be_marked(enrolment, assignment):
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=None)
    work = hand_in(enrolment, assignment, text=f"  {ANSWER}\n\n")
    assert (work.version, work.text, work.word_count) == (1, ANSWER, 16)
    assert work.status == Submission.Status.WAITING
    assert not work.late
    result = AssessmentResult.objects.get(enrolment=enrolment, assessment=assignment)
    assert (result.status, result.attempts) == (AssessmentResult.Status.SUBMITTED, 1)
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at == work.submitted_at


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("one", 1),
        ("one  two\nthree\tfour", 4),
        ("Well-being, not cost: that's what matters.", 6),
        ("  \n\t ", 0),
        ("Lines\r\nand\u00a0spaces", 3),
    ],
)
def test_words_are_counted_as_a_person_counts_them(text, words):
    assert word_count(text) == words


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_submission_is_refused_and_nothing_is_written(enrolment, assignment, text):
    errors = refusal(hand_in, enrolment, assignment, text=text)
    assert errors == {"text": ["Write your answer"]}
    assert not Submission.objects.exists()
    assert not AssessmentResult.objects.exists()


def test_an_empty_submission_may_be_answered_with_a_file_where_files_are_taken(
    enrolment, course_page
):
    takes_files = reflective_assignment(course_page, due_offset_days=60, max_files=2)
    errors = refusal(hand_in, enrolment, takes_files, text="")
    assert errors == {"text": ["Write your answer or attach a file"]}


def test_too_many_words_are_refused_with_the_count(enrolment, course_page):
    essay = reflective_assignment(course_page, due_offset_days=60, min_words=0, max_words=1000)
    errors = refusal(hand_in, enrolment, essay, text="word " * 1204)
    assert errors == {"text": ["Your answer has 1,204 words; the most is 1,000"]}
    assert hand_in(enrolment, essay, text="word " * 1000).word_count == 1000


def test_too_few_words_are_refused_with_the_count(enrolment, assignment):
    errors = refusal(hand_in, enrolment, assignment, text="Too short by far")
    assert errors == {"text": ["Your answer has 4 words; the fewest is 10"]}
    assert hand_in(enrolment, assignment, text="word " * 10).word_count == 10


@pytest.mark.parametrize(
    ("max_files", "files", "message"),
    [
        (0, ["notes.pdf"], "This assessment does not take files"),
        (1, ["one.pdf", "two.pdf"], "Attach up to 1 file"),
        (2, ["a.pdf", "b.pdf", "c.pdf"], "Attach up to 2 files"),
    ],
)
def test_more_files_than_the_assessment_takes_are_refused(
    enrolment, course_page, max_files, files, message
):
    page = reflective_assignment(course_page, due_offset_days=60, max_files=max_files)
    assert refusal(hand_in, enrolment, page, files=files) == {"files": [message]}
    assert not Submission.objects.exists()


# --- Versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("released", [True, False])
def test_work_waiting_to_be_marked_cannot_be_handed_in_again(enrolment, assignment, released):
    first = hand_in(enrolment, assignment)
    if not released:
        mark(first, outcome="resubmit", released=False)  # held: still waiting, for the learner
    errors = refusal(hand_in, enrolment, assignment)
    assert errors == {"__all__": ["Your work is waiting to be marked"]}
    assert versions(enrolment, assignment) == [1]


def test_passed_work_cannot_be_handed_in_again(enrolment, assignment):
    mark(hand_in(enrolment, assignment), outcome="pass")
    errors = refusal(hand_in, enrolment, assignment)
    assert errors == {"__all__": ["You have passed this assessment"]}
    assert versions(enrolment, assignment) == [1]


def test_a_resubmit_mark_lets_the_learner_hand_in_again_and_every_version_is_kept(
    enrolment, assignment
):
    first = hand_in(enrolment, assignment)
    mark(first, outcome="resubmit")
    assert AssessmentResult.objects.get(enrolment=enrolment).status == "resubmit"
    second = hand_in(enrolment, assignment, text=ANSWER + " And what it cost to count it.")
    assert second.version == 2
    assert versions(enrolment, assignment) == [1, 2]
    first.refresh_from_db()
    assert (first.text, first.status) == (ANSWER, Submission.Status.RESUBMIT)
    assert first.marks.count() == 1
    result = AssessmentResult.objects.get(enrolment=enrolment)
    assert (result.status, result.attempts) == (AssessmentResult.Status.SUBMITTED, 2)
    mark(second, outcome="pass")
    assert AssessmentResult.objects.get(enrolment=enrolment).status == "passed"


# --- Due dates, at the end of the due day in Europe/London ------------------------------------

DUE = datetime.date(2026, 7, 1)  # summer time: London is an hour ahead of UTC
LAST_MOMENT = datetime.datetime(2026, 7, 1, 23, 59, 59, tzinfo=LONDON)
FIRST_LATE_MOMENT = datetime.datetime(2026, 7, 2, 0, 0, 0, tzinfo=LONDON)  # 23:00 UTC on the 1st


def due_on(cohort, assessment, day=DUE):
    AssessmentDueDate.objects.create(cohort=cohort, assessment=assessment, due_on=day)


@pytest.mark.parametrize(("now", "late"), [(LAST_MOMENT, False), (FIRST_LATE_MOMENT, True)])
def test_late_work_is_accepted_and_flagged_where_the_assessment_accepts_it(
    enrolment, assignment, now, late
):
    due_on(enrolment.cohort, assignment)
    work = hand_in(enrolment, assignment, now=now)
    assert work.late is late
    assert AssessmentResult.objects.get(enrolment=enrolment).late is late


def test_late_work_is_refused_from_the_first_moment_after_the_due_day(enrolment, course_page):
    strict = reflective_assignment(
        course_page, due_offset_days=60, late_work=AssessmentPage.Late.REFUSE
    )
    due_on(enrolment.cohort, strict)
    errors = refusal(hand_in, enrolment, strict, now=FIRST_LATE_MOMENT)
    assert errors == {
        "__all__": [
            "The due date, 1 July 2026, has passed: this assessment does not accept late work"
        ]
    }
    assert not Submission.objects.exists()
    work = hand_in(enrolment, strict, now=LAST_MOMENT)
    assert (work.version, work.late) == (1, False)


def test_a_resubmission_asked_for_after_a_refusing_due_date_is_taken_and_not_late(
    enrolment, course_page
):
    strict = reflective_assignment(
        course_page, due_offset_days=60, late_work=AssessmentPage.Late.REFUSE
    )
    due_on(enrolment.cohort, strict)
    mark(hand_in(enrolment, strict, now=LAST_MOMENT), outcome="resubmit")
    second = hand_in(enrolment, strict, now=FIRST_LATE_MOMENT + datetime.timedelta(days=5))
    assert (second.version, second.late) == (2, False)


# --- A form posted twice ----------------------------------------------------------------------


def test_a_second_post_of_the_same_form_writes_nothing(enrolment, assignment):
    hand_in(enrolment, assignment, version_expected=1)
    with pytest.raises(ValidationError) as caught:
        hand_in(enrolment, assignment, version_expected=1)
    assert already_handed_in(caught.value)
    assert caught.value.message_dict == {"__all__": ["This version was already handed in"]}
    assert versions(enrolment, assignment) == [1]
    assert AssessmentResult.objects.get(enrolment=enrolment).attempts == 1


def test_the_database_refuses_a_version_twice_when_a_post_did_not_see_the_other(
    enrolment, assignment, monkeypatch
):
    """The unique constraint is the backstop: a post that read the versions before another
    post of the same form committed gets the same refusal, and the transaction goes on."""
    submission(enrolment, assignment, version=1)
    monkeypatch.setattr(submissions, "_latest", lambda enrolment, assessment: None)
    with pytest.raises(ValidationError) as caught:
        hand_in(enrolment, assignment, version_expected=1)
    assert already_handed_in(caught.value)
    assert versions(enrolment, assignment) == [1]


def test_a_form_from_the_future_is_refused(enrolment, assignment):
    errors = refusal(hand_in, enrolment, assignment, version_expected=3)
    assert errors == {"__all__": ["This page was out of date: check your work and hand it in"]}
    assert not Submission.objects.exists()


# --- Who may hand in --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "traits"),
    [
        (Enrolment.Status.APPLIED, {}),
        (Enrolment.Status.WAITLISTED, {}),
        (Enrolment.Status.WITHDRAWN, {}),
        (Enrolment.Status.ACTIVE, {"finished": True}),
        (Enrolment.Status.ACTIVE, {"upcoming": True}),
    ],
)
def test_only_a_member_of_a_running_cohort_hands_in_work(course_page, assignment, status, traits):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, **traits), status=status)
    errors = refusal(hand_in, enrolment, assignment)
    assert errors == {"__all__": [submissions.NO_PLACE]}
    assert not Submission.objects.exists()


def test_someone_without_a_place_cannot_hand_in_work(cohort, assignment):
    errors = refusal(
        submission_create,
        user=UserFactory(),
        cohort=cohort,
        assessment=assignment,
        text=ANSWER,
        version_expected=1,
    )
    assert errors == {"__all__": [submissions.NO_PLACE]}


def test_a_completed_learner_on_a_running_cohort_may_still_hand_in(cohort, assignment):
    enrolment = EnrolmentFactory(cohort=cohort, status=Enrolment.Status.COMPLETED)
    assert hand_in(enrolment, assignment).version == 1


def test_work_for_another_course_or_a_quiz_is_refused(enrolment, course_page):
    elsewhere = reflective_assignment(course_with_lessons("Another course"))
    question = {
        "question": "Who holds the budget?",
        "multiple": False,
        "options": [
            {"text": "The council", "correct": True, "feedback": ""},
            {"text": "Nobody", "correct": False, "feedback": ""},
        ],
    }
    quiz = reflective_assignment(
        course_page, kind=AssessmentPage.Kind.QUIZ, questions=[("question", question)]
    )
    for page in (elsewhere, quiz):
        errors = refusal(hand_in, enrolment, page)
        assert errors == {"__all__": ["This assessment does not take written work"]}
    assert not Submission.objects.exists()


# --- Files ------------------------------------------------------------------------------------


@pytest.fixture
def takes_files(course_page):
    return reflective_assignment(course_page, due_offset_days=60, min_words=0, max_files=2)


def test_files_are_kept_with_the_version_as_what_their_content_is(enrolment, takes_files):
    work = hand_in(
        enrolment,
        takes_files,
        text="",
        files=[upload("plan.pdf", files.pdf()), upload("map.pdf", files.png(), "image/png")],
    )
    kept = list(work.files.order_by("pk").values_list("name", "content_type"))
    assert kept == [("plan.pdf", "application/pdf"), ("map.pdf.png", "image/png")]
    assert work.word_count == 0
    assert work.files.first().file.read().startswith(b"%PDF")


def test_a_disguised_file_refuses_the_whole_version_and_keeps_nothing(enrolment, takes_files):
    errors = refusal(
        hand_in,
        enrolment,
        takes_files,
        files=[upload("plan.pdf", files.pdf()), upload("essay.pdf", files.windows_exe())],
    )
    assert list(errors) == ["files"]
    assert "“essay.pdf” is not a PDF" in errors["files"][0]
    assert not Submission.objects.exists()
    assert not SubmissionFile.objects.exists()


def test_an_assessment_of_files_only_takes_a_file_and_no_words(enrolment, course_page):
    files_only = reflective_assignment(
        course_page, due_offset_days=60, min_words=0, max_words=0, max_files=1
    )
    assert refusal(hand_in, enrolment, files_only, text="Some words") == {
        "text": ["This assessment takes files only: attach your work as a file"]
    }
    work = hand_in(enrolment, files_only, text="", files=[upload("plan.docx", files.docx())])
    assert work.files.get().name == "plan.docx"
