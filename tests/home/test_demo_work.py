"""The work on the demo cohorts (``home/demo/work.py``): every state a learner's work can be in
is on the running cohort, the demo learner and facilitator each have something to do, the rows
keep the rules the assessment services keep, and a second run changes nothing."""

import datetime
import shutil
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from cohorts import progress
from cohorts.models import (
    AssessmentResult,
    Cohort,
    Enrolment,
    Mark,
    PeerReview,
    QuizAttempt,
    Submission,
)
from cohorts.rubrics import score
from cohorts.selectors.assessments import due_dates
from cohorts.services.assessment_results import lock_enrolment, result_refresh
from courses.models import AssessmentPage
from home.demo import Summary
from home.demo import cohorts as demo_cohorts
from home.demo.cohorts import load_cohorts
from home.demo.loader import DATA, DemoDataError
from home.demo.people import load_organisations, load_places
from home.management.commands.load_demo import DEMO_PASSWORD

Result = AssessmentResult.Status
Waiting = Submission.Status
LEARNER = "learner@academy.test"
FACILITATOR = "facilitator@academy.test"
QUIZ = "quiz-what-total-place-found"
REFLECTIVE = "reflective-assignment-leading-without-authority"
PEER_REVIEW = "peer-review-your-collaboration-plan"


@pytest.fixture
def academy(full_demo, db):
    return Cohort.objects.select_related("course").get(name="Cohort 12")


def assessment(slug: str) -> AssessmentPage:
    return AssessmentPage.objects.select_related("rubric").get(slug=slug)


def results(cohort, slug: str, status: str):
    return AssessmentResult.objects.filter(
        enrolment__cohort=cohort, assessment__slug=slug, status=status
    )


def latest(submissions):
    """The latest version of each learner's work among ``submissions``."""
    by_work = {}
    for submission in submissions.order_by("version"):
        by_work[(submission.enrolment_id, submission.assessment_id)] = submission
    return list(by_work.values())


def test_the_course_has_a_quiz_a_reflective_assignment_and_a_peer_review_in_its_modules(academy):
    pages = AssessmentPage.objects.descendant_of(academy.course).live().order_by("path")
    quiz, reflective, peer_review = pages.select_related("rubric")

    assert [page.kind for page in pages] == ["quiz", "reflective", "peer_review"]
    assert len({page.get_parent().pk for page in pages}) == 3  # one in each module
    assert 5 <= len(quiz.questions) <= 6 and quiz.pass_mark == 70 and quiz.max_attempts == 3
    multiple = [question.value["multiple"] for question in quiz.questions]
    assert True in multiple and False in multiple
    for question in quiz.questions:
        assert all(option["feedback"] for option in question.value["options"])
    assert (reflective.min_words, reflective.max_words, reflective.max_files) == (150, 600, 2)
    assert reflective.rubric.name == "Reflective practice"
    assert peer_review.rubric.name == "Collaboration plan" and peer_review.reviews_required == 2
    assert all(page.required_for_completion for page in pages)


def test_due_dates_put_the_quiz_past_the_assignment_next_and_the_peer_review_after(academy):
    today = timezone.localdate()
    due = due_dates(academy, [assessment(QUIZ), assessment(REFLECTIVE), assessment(PEER_REVIEW)])

    days = [(date - today).days for date in due.values()]

    assert days == [-7, 7, 14]
    assert assessment(QUIZ).late_work == AssessmentPage.Late.ACCEPT


def test_the_running_cohort_has_work_in_every_state(academy):
    work = Submission.objects.filter(enrolment__cohort=academy)
    reflective = work.filter(assessment__slug=REFLECTIVE)
    newest = latest(reflective)

    # Not started: someone who has done the lessons before it and not handed it in.
    assert Enrolment.objects.filter(cohort=academy, status=Enrolment.Status.ACTIVE).exclude(
        submissions__assessment__slug=REFLECTIVE
    )
    # Submitted and waiting for marking, with no mark yet.
    waiting = [s for s in newest if s.status == Waiting.WAITING and s.version == 1]
    assert waiting and not Mark.objects.filter(submission__in=waiting).exists()
    # Marked as a pass and released.
    passed = [s for s in newest if s.status == Waiting.PASSED]
    assert passed and all(s.marks.get().released for s in passed)
    assert results(academy, REFLECTIVE, Result.PASSED).count() == len(passed)
    # Asked to resubmit, with the facilitator's comments, released.
    (resubmit,) = [s for s in newest if s.status == Waiting.RESUBMIT]
    mark = resubmit.marks.get()
    assert mark.outcome == Mark.Outcome.RESUBMIT and mark.released
    assert len(mark.comments.split()) >= 80 and "\n\n" in mark.comments
    assert results(academy, REFLECTIVE, Result.RESUBMIT).get().enrolment_id == resubmit.enrolment_id
    # Resubmitted: version 2 waiting after a version 1 sent back.
    resubmitted = [s for s in newest if s.version == 2 and s.status == Waiting.WAITING]
    assert resubmitted
    assert work.get(
        enrolment=resubmitted[0].enrolment, assessment=resubmitted[0].assessment, version=1
    ).status == (Waiting.RESUBMIT)
    # A held mark: marked, not released, so the learner still sees it as waiting.
    held = [s for s in newest if s.status == Waiting.HELD]
    assert held and all(not s.marks.get().released for s in held)
    for submission in held:
        result = AssessmentResult.objects.get(
            enrolment=submission.enrolment, assessment=submission.assessment
        )
        assert result.status == Result.SUBMITTED

    # The quiz, passed and failed, with answers.
    assert results(academy, QUIZ, Result.PASSED).count() >= 20
    failed = results(academy, QUIZ, Result.NOT_PASSED)
    assert failed.filter(attempts=3).exists() and failed.filter(attempts__lt=3).exists()
    assert all(attempt.answers for attempt in QuizAttempt.objects.filter(enrolment__cohort=academy))
    # Work handed in late (the quiz was due a week ago and accepts late work).
    late = QuizAttempt.objects.filter(enrolment__cohort=academy, late=True)
    assert late.filter(passed=True).exists() and late.filter(passed=False).exists()
    assert results(academy, QUIZ, Result.PASSED).filter(late=True).exists()

    # Peer reviews done and owed.
    reviews = PeerReview.objects.filter(reviewer__cohort=academy)
    assert reviews.filter(submitted_at__isnull=False).count() >= 6
    assert reviews.filter(submitted_at__isnull=True).count() >= 2
    assert results(academy, PEER_REVIEW, Result.REVIEWS_OWED).exists()
    assert results(academy, PEER_REVIEW, Result.PASSED).count() >= 2
    assert results(academy, PEER_REVIEW, Result.SUBMITTED).exists()


def test_the_demo_learner_passed_the_quiz_and_has_the_assignment_due_next(academy):
    place = Enrolment.objects.get(cohort=academy, user__email=LEARNER)
    mine = {r.assessment.slug: r for r in place.assessment_results.select_related("assessment")}

    assert set(mine) == {QUIZ}
    assert mine[QUIZ].passed and mine[QUIZ].attempts == 2 and not mine[QUIZ].late
    assert not place.submissions.exists()
    assert place.status == Enrolment.Status.ACTIVE


def test_the_demo_facilitator_has_work_waiting_to_be_marked(academy):
    waiting = Submission.objects.filter(
        status=Waiting.WAITING, enrolment__cohort__facilitators__email=FACILITATOR
    )

    assert 8 <= waiting.count() <= 12
    assert {s.assessment.slug for s in waiting} == {REFLECTIVE, PEER_REVIEW}


def test_the_work_keeps_the_rules_of_the_assessment_services(academy):
    cohorts = list(Cohort.objects.select_related("course"))
    due = {
        c.pk: due_dates(c, list(AssessmentPage.objects.descendant_of(c.course))) for c in cohorts
    }
    submissions = Submission.objects.select_related("enrolment", "assessment__rubric")
    groups: dict = {}
    for submission in submissions.order_by("version"):
        groups.setdefault((submission.enrolment_id, submission.assessment_id), []).append(
            submission
        )

    for versions in groups.values():
        assert [s.version for s in versions] == list(range(1, len(versions) + 1))
        for earlier in versions[:-1]:
            assert earlier.status == Waiting.RESUBMIT
        for submission in versions:
            marks = list(submission.marks.all())
            assert len(marks) <= 1
            expected = Waiting.WAITING
            if marks:
                mark = marks[0]
                if not mark.released:
                    expected = Waiting.HELD
                elif mark.outcome == Mark.Outcome.PASS:
                    expected = Waiting.PASSED
                else:
                    expected = Waiting.RESUBMIT
                chosen = {row["criterion"]: row["level"] for row in mark.criteria}
                scored = score(submission.assessment.rubric, chosen)
                assert (scored.criteria, scored.total) == (mark.criteria, mark.total)
                assert mark.created_at > submission.submitted_at
            assert submission.status == expected
            assert submission.word_count == len(submission.text.split())
            cohort_due = due[submission.enrolment.cohort_id][submission.assessment_id]
            assert submission.late == (timezone.localdate(submission.submitted_at) > cohort_due)
    for attempt in QuizAttempt.objects.select_related("assessment", "enrolment"):
        questions = {q.id: q for q in attempt.assessment.questions}
        right = sum(
            set(answer)
            == {o.id for o in questions[qid].value["options"].bound_blocks if o.value["correct"]}
            for qid, answer in attempt.answers.items()
        )
        assert set(attempt.answers) == set(questions)
        assert (attempt.score, attempt.max_score) == (right, len(questions))
        assert attempt.passed == (attempt.percent >= attempt.assessment.pass_mark)
    for review in PeerReview.objects.select_related("submission", "reviewer"):
        assert review.reviewer.cohort_id == review.submission.enrolment.cohort_id
        assert review.reviewer_id != review.submission.enrolment_id
        assert review.assigned_at > review.submission.submitted_at


def test_results_and_completion_are_what_the_services_would_work_out(academy):
    before = {
        (r.enrolment_id, r.assessment_id): (r.status, r.passed_at, r.attempts, r.late)
        for r in AssessmentResult.objects.all()
    }
    pairs = set(before)
    pairs |= set(Submission.objects.values_list("enrolment_id", "assessment_id"))
    pairs |= set(QuizAttempt.objects.values_list("enrolment_id", "assessment_id"))
    pages = AssessmentPage.objects.in_bulk({assessment for _, assessment in pairs})

    after = {}
    with transaction.atomic():
        for enrolment_id, assessment_id in sorted(pairs):
            enrolment = lock_enrolment(enrolment_id)
            status = enrolment.status
            result = result_refresh(enrolment=enrolment, assessment=pages[assessment_id])
            assert enrolment.status == status
            key = (enrolment_id, assessment_id)
            after[key] = (result.status, result.passed_at, result.attempts, result.late)
        transaction.set_rollback(True)

    assert after == before
    for enrolment in Enrolment.objects.filter(status=Enrolment.Status.COMPLETED):
        assert progress.is_complete(enrolment, enrolment.cohort.course)
        assert enrolment.completed_at <= timezone.now()
        assert enrolment.completed_at.date() <= enrolment.cohort.end_date
    for enrolment in Enrolment.objects.filter(status=Enrolment.Status.ACTIVE):
        assert not progress.is_complete(enrolment, enrolment.cohort.course)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Submission, Mark, QuizAttempt, PeerReview, AssessmentResult, Enrolment)
    }


def load_demo() -> str:
    stdout = StringIO()
    call_command("load_demo", verbosity=1, stdout=stdout)
    return stdout.getvalue()


def test_a_second_run_changes_no_work(academy):
    before = counts()
    results_before = set(AssessmentResult.objects.values_list("pk", "status", "updated_at"))

    output = load_demo()

    assert counts() == before
    assert set(AssessmentResult.objects.values_list("pk", "status", "updated_at")) == results_before
    for kind in ("Submissions", "Marks", "Quiz attempts", "Peer reviews", "Enrolments"):
        assert f"{kind}: 0 created, 0 updated" in output
    assert "Demo academy already up to date." in output


def test_a_run_puts_back_work_changed_during_a_demo(academy):
    before = counts()
    place = Enrolment.objects.get(cohort=academy, user__email=LEARNER)
    Submission.objects.create(
        enrolment=place, assessment=assessment(REFLECTIVE), version=1, text="A draft."
    )
    owen = Submission.objects.get(
        enrolment__cohort=academy, enrolment__user__email="owen.price@academy.test"
    )
    owen.marks.all().delete()
    owen.status = Waiting.WAITING
    owen.save()
    QuizAttempt.objects.filter(enrolment__user__email="paul.green@academy.test").delete()
    with transaction.atomic():
        for slug in (REFLECTIVE, QUIZ):
            for enrolment in Enrolment.objects.filter(cohort=academy):
                result_refresh(enrolment=lock_enrolment(enrolment.pk), assessment=assessment(slug))

    load_demo()

    assert counts() == before
    assert not place.submissions.exists()
    owen.refresh_from_db()
    assert owen.status == Waiting.RESUBMIT and owen.marks.get().released
    paul = AssessmentResult.objects.get(
        enrolment__user__email="paul.green@academy.test", assessment__slug=QUIZ
    )
    assert (paul.status, paul.attempts) == (Result.NOT_PASSED, 3)


# --- Work that breaks the rules is refused, naming the file and the entry -------------------------


@pytest.fixture
def cohort_files(tmp_path, monkeypatch):
    folder = shutil.copytree(DATA / "cohorts", tmp_path / "cohorts")
    monkeypatch.setattr(demo_cohorts, "COHORTS", folder)
    return folder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # A pass needs the rubric's points to pass (7).
        ("points = [3, 2, 3, 2]", "points = [1, 1, 1, 1]", r"submissions\[0\]: mark: 4 points"),
        (
            "points = [3, 2, 3, 2]",
            "points = [3, 2, 5, 2]",
            r"submissions\[0\]: mark: “Use of the course” has no level worth 5",
        ),
        # A second version after a first that was passed rather than sent back.
        (
            'outcome = "resubmit"\npoints = [1, 1, 1, 1]',
            'outcome = "pass"\npoints = [2, 2, 2, 2]',
            r"submissions\[2\]: version 1 is followed by another",
        ),
        (
            'email = "learner@academy.test", submitted_days_ago = 24',
            'email = "learner@academy.test", submitted_days_ago = 0',
            r"quiz_attempts\[0\]: attempts\[0\]: learner@academy\.test was last active",
        ),
        (
            'quiz = "quiz-what-total-place-found"',
            'quiz = "quiz-on-something-else"',
            r"quiz_attempts\[0\]: 'quiz-on-something-else' should be one of",
        ),
        (
            'reviewer = "rajesh.patel@academy.test"\nauthor = "beth.morgan@academy.test"',
            'reviewer = "rajesh.patel@academy.test"\nauthor = "amy.chen@academy.test"',
            r"peer_reviews\[7\]: amy\.chen@academy\.test has no work",
        ),
        (
            "text = '''\nLast spring I needed",
            "text = '''\nToo short.\n'''\nfirst_draft = '''\nLast spring I needed",
            r"submissions\[0\]: unknown key 'first_draft'",
        ),
    ],
)
def test_work_that_breaks_the_rules_is_refused(academy, cohort_files, old, new, message):
    path = cohort_files / "cohort-12.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    summary = Summary()

    with pytest.raises(DemoDataError, match=r"cohort-12\.toml: " + message):
        load_cohorts(summary, DEMO_PASSWORD, load_organisations(summary), load_places(summary))


def test_too_few_words_are_refused(academy, cohort_files):
    path = cohort_files / "cohort-12.toml"
    text = path.read_text()
    start = text.index("text = '''\nLast spring I needed")
    end = text.index("'''", start + len("text = '''")) + 3
    path.write_text(text[:start] + 'text = "Too short to pass muster."' + text[end:])
    summary = Summary()

    with pytest.raises(DemoDataError, match=r"submissions\[0\]: 5 words; .* takes 150 to 600"):
        load_cohorts(summary, DEMO_PASSWORD, load_organisations(summary), load_places(summary))


def test_demo_dates_are_relative_to_today(academy):
    today = timezone.localdate()

    assert academy.start_date == today - datetime.timedelta(days=35)
    assert academy.end_date == today + datetime.timedelta(days=35)
