"""Taking a quiz: attempts marked and kept, the best counting, a pass completing the course;
refused when used up, passed, late past a refusing due date, submitted twice or naming options
that are not the question's. On the pages: the quiz in the attempt's order, a refused post shown
again (400) with its answers, the result with feedback on the answers chosen only, a preview
for the people who run the cohort, 404 for anyone else."""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts import quiz
from cohorts.models import AssessmentResult, Enrolment, QuizAttempt
from cohorts.services.quizzes import quiz_attempt_submit
from courses.models import AssessmentPage, ModulePage

from ..courses import factories as pages
from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, course_with_lessons, facilitator
from .helpers import html_of, login_url_for, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_page():
    """A course whose only requirement is its quiz: one module, no lessons."""
    return course_with_lessons("Leading across boundaries", modules=1, lessons=0)


@pytest.fixture
def assessment(course_page):
    """Three questions, the third with two right options of four; pass mark 70%, 3 attempts;
    due 60 days after the cohort starts (the cohort started 30 days ago)."""
    module = ModulePage.objects.child_of(course_page).get()
    return pages.quiz(module, questions=3, multiple=(3,), due_offset_days=60)


def due_16_days_ago(assessment, late_work: str) -> None:
    AssessmentPage.objects.filter(pk=assessment.pk).update(due_offset_days=14, late_work=late_work)
    assessment.refresh_from_db()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def questions(assessment) -> list[quiz.Question]:
    return quiz.questions_of(assessment)


def answers(assessment, right: int) -> dict[str, list[str]]:
    """The first ``right`` questions answered right, the others wrong."""
    posted = {}
    for position, question in enumerate(questions(assessment)):
        if position < right:
            posted[question.id] = sorted(question.right)
        else:
            posted[question.id] = [next(o.id for o in question.options if not o.correct)]
    return posted


def submit(enrolment, assessment, posted, number=None) -> QuizAttempt:
    if number is None:
        number = QuizAttempt.objects.filter(enrolment=enrolment).count() + 1
    return quiz_attempt_submit(
        user=enrolment.user,
        cohort=enrolment.cohort,
        assessment=assessment,
        number=number,
        posted=posted,
    )


def form_data(posted, number=1) -> dict:
    return {"number": number, **{quiz.field_name(q): ids for q, ids in posted.items()}}


def result_of(enrolment, assessment) -> AssessmentResult:
    return AssessmentResult.objects.get(enrolment=enrolment, assessment=assessment)


def quiz_url(cohort, assessment) -> str:
    return reverse("cohort_assessment", args=[cohort.pk, assessment.pk])


def submit_url(cohort, assessment) -> str:
    return reverse("quiz_submit", args=[cohort.pk, assessment.pk])


def attempt_url(cohort, assessment, number=1) -> str:
    return reverse("quiz_attempt", args=[cohort.pk, assessment.pk, number])


# --- The service ---------------------------------------------------------------------------------


def test_an_attempt_is_marked_and_kept_with_the_learners_activity(enrolment, assessment):
    enrolment.last_activity_at = timezone.now() - timedelta(days=5)
    enrolment.save()
    posted = answers(assessment, right=2)

    attempt = submit(enrolment, assessment, posted)

    assert (attempt.number, attempt.score, attempt.max_score, attempt.percent) == (1, 2, 3, 66)
    assert not attempt.passed and not attempt.late
    assert attempt.answers == {q: sorted(ids) for q, ids in posted.items()}
    result = result_of(enrolment, assessment)
    assert (result.status, result.attempts, result.best_score) == ("not_passed", 1, 66)
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at > timezone.now() - timedelta(minutes=1)


def test_the_best_attempt_counts(enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=2))
    submit(enrolment, assessment, answers(assessment, right=1))
    result = result_of(enrolment, assessment)
    assert (result.status, result.attempts, result.best_score) == ("not_passed", 2, 66)

    submit(enrolment, assessment, answers(assessment, right=3))

    result = result_of(enrolment, assessment)
    assert (result.status, result.attempts, result.best_score) == ("passed", 3, 100)
    assert result.passed_at is not None


def test_passing_the_only_requirement_completes_the_course(enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE

    submit(enrolment, assessment, answers(assessment, right=3))

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at is not None


def test_a_second_post_of_the_same_attempt_writes_nothing(enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1), number=1)
    with pytest.raises(ValidationError, match="This attempt was already submitted"):
        submit(enrolment, assessment, answers(assessment, right=3), number=1)
    assert QuizAttempt.objects.get().percent == 33
    assert result_of(enrolment, assessment).status == "not_passed"


def test_an_attempt_out_of_turn_is_refused(enrolment, assessment):
    with pytest.raises(ValidationError, match="not the next one"):
        submit(enrolment, assessment, answers(assessment, right=3), number=2)
    assert not QuizAttempt.objects.exists()


def test_no_attempt_once_all_are_used(enrolment, assessment):
    for _ in range(3):
        submit(enrolment, assessment, answers(assessment, right=0))
    with pytest.raises(ValidationError, match="You have used all 3 attempts"):
        submit(enrolment, assessment, answers(assessment, right=3))
    assert QuizAttempt.objects.count() == 3
    assert result_of(enrolment, assessment).status == "not_passed"


def test_no_attempt_once_passed(enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=3))
    with pytest.raises(ValidationError, match="You have passed this quiz"):
        submit(enrolment, assessment, answers(assessment, right=0))
    assert QuizAttempt.objects.count() == 1


def test_an_attempt_after_a_refusing_due_date_is_refused(enrolment, assessment):
    due_16_days_ago(assessment, "refuse")
    due = (enrolment.cohort.start_date + timedelta(days=14)).strftime("%-d %B %Y")
    with pytest.raises(ValidationError, match=f"This quiz was due on {due} and is now closed"):
        submit(enrolment, assessment, answers(assessment, right=3))
    assert not QuizAttempt.objects.exists()
    assert not AssessmentResult.objects.exists()


def test_a_late_attempt_is_accepted_and_flagged_when_the_quiz_takes_late_work(
    enrolment, assessment
):
    due_16_days_ago(assessment, "accept")
    attempt = submit(enrolment, assessment, answers(assessment, right=3))
    assert attempt.late
    assert result_of(enrolment, assessment).late


def test_an_attempt_on_time_is_not_late_even_when_the_quiz_refuses_late_work(enrolment, assessment):
    AssessmentPage.objects.filter(pk=assessment.pk).update(late_work="refuse")
    assessment.refresh_from_db()
    assert not submit(enrolment, assessment, answers(assessment, right=3)).late


def test_an_option_of_another_question_is_refused(enrolment, assessment):
    first, second, _ = questions(assessment)
    posted = answers(assessment, right=3)
    posted[first.id] = [second.options[0].id]
    with pytest.raises(ValidationError) as refused:
        submit(enrolment, assessment, posted)
    assert refused.value.message_dict == {
        first.field_name: ["Choose from the answers given for question 1"]
    }
    assert not QuizAttempt.objects.exists()


def test_an_option_of_another_quiz_is_refused(enrolment, assessment, course_page):
    module = ModulePage.objects.child_of(course_page).get()
    other = pages.quiz(module, "Another quiz", questions=3, multiple=(3,))
    posted = answers(assessment, right=3)
    third = questions(assessment)[2]
    posted[third.id] = [*posted[third.id][:1], questions(other)[2].options[1].id]
    with pytest.raises(ValidationError) as refused:
        submit(enrolment, assessment, posted)
    assert refused.value.message_dict == {
        third.field_name: ["Choose from the answers given for question 3"]
    }
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("status", "traits"),
    [
        (Enrolment.Status.WITHDRAWN, {}),
        (Enrolment.Status.APPLIED, {}),
        (Enrolment.Status.ACTIVE, {"finished": True}),
        (Enrolment.Status.ACTIVE, {"upcoming": True}),
    ],
)
def test_only_a_member_of_a_running_cohort_takes_the_quiz(course_page, assessment, status, traits):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, **traits), status=status)
    with pytest.raises(ValidationError, match="while your cohort is running"):
        submit(enrolment, assessment, answers(assessment, right=3))
    assert not QuizAttempt.objects.exists()


# --- The quiz page --------------------------------------------------------------------------------


def option_order(html: str, question: quiz.Question) -> list[str]:
    return re.findall(rf'name="{question.field_name}" type="\w+" value="([^"]+)"', html)


def test_a_learner_sees_the_quiz_in_the_order_of_their_attempt(
    learner_client, cohort, enrolment, assessment
):
    response = learner_client.get(quiz_url(cohort, assessment))

    html = html_of(response)
    assert response.status_code == 200
    assert "Answer each question; the best of your attempts counts." in html
    assert "0 of 3 used" in html and "Not started" in html and "70%" in html
    assert 'name="number" value="1"' in html
    seed = quiz.attempt_seed(enrolment.pk, assessment.pk, 1)
    single, _, multiple = quiz.shuffled(questions(assessment), seed)
    assert option_order(html, single) == [option.id for option in single.options]
    assert 'type="radio"' in html and 'type="checkbox"' in html
    assert "<legend" in html and "Choose all the answers that apply." in html
    # A reload shows the same order.
    assert option_order(html_of(learner_client.get(quiz_url(cohort, assessment))), multiple) == [
        option.id for option in multiple.options
    ]


def test_the_next_attempt_is_offered_in_its_own_order(
    learner_client, cohort, enrolment, assessment
):
    submit(enrolment, assessment, answers(assessment, right=0))
    html = html_of(learner_client.get(quiz_url(cohort, assessment)))
    assert 'name="number" value="2"' in html
    assert "1 of 3 used" in html and "Not passed yet" in html
    assert "Attempt 2 of 3" in html
    assert attempt_url(cohort, assessment, 1) in html
    seed = quiz.attempt_seed(enrolment.pk, assessment.pk, 2)
    for question in quiz.shuffled(questions(assessment), seed):
        assert option_order(html, question) == [option.id for option in question.options]


def test_after_passing_the_quiz_shows_no_form(learner_client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=3))
    html = html_of(learner_client.get(quiz_url(cohort, assessment)))
    assert "You have passed this quiz. Your best attempt counts" in html
    assert "Passed" in html and "100%" in html
    assert 'name="number"' not in html


def test_with_every_attempt_used_the_quiz_says_so(learner_client, cohort, enrolment, assessment):
    for _ in range(3):
        submit(enrolment, assessment, answers(assessment, right=0))
    html = html_of(learner_client.get(quiz_url(cohort, assessment)))
    assert "You have used all 3 attempts." in html
    assert 'name="number"' not in html


def test_past_a_refusing_due_date_the_quiz_is_closed(learner_client, cohort, assessment):
    due_16_days_ago(assessment, "refuse")
    html = html_of(learner_client.get(quiz_url(cohort, assessment)))
    assert "and is now closed" in html
    assert 'name="number"' not in html


def test_past_an_accepting_due_date_the_learner_is_warned(learner_client, cohort, assessment):
    assert "will be marked late" not in html_of(learner_client.get(quiz_url(cohort, assessment)))
    due_16_days_ago(assessment, "accept")
    html = html_of(learner_client.get(quiz_url(cohort, assessment)))
    assert "this attempt will be marked late" in html
    assert 'name="number" value="1"' in html


def test_before_the_cohort_starts_the_quiz_is_not_open(client, course_page, assessment):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, upcoming=True))
    client.force_login(enrolment.user)
    html = html_of(client.get(quiz_url(enrolment.cohort, assessment)))
    assert "The quiz opens when the cohort starts on" in html
    assert 'name="number"' not in html


def test_a_post_to_the_quiz_page_itself_is_not_allowed(learner_client, cohort, assessment):
    response = learner_client.post(quiz_url(cohort, assessment), {})
    assert response.status_code == 405
    assert not QuizAttempt.objects.exists()


def test_the_people_who_run_the_cohort_see_the_answers_without_a_form(client, cohort, assessment):
    runner = facilitator()
    cohort.facilitators.add(runner)
    client.force_login(runner)

    html = html_of(client.get(quiz_url(cohort, assessment)))

    assert html.count("Right answer") == 1 + 1 + 2
    assert "Feedback: Not quite: the biggest partner." in html
    assert 'name="number"' not in html and "Submit your answers" not in html


def test_the_quiz_page_reads_as_few_rows_for_20_attempts_as_for_1(
    client, cohort, enrolment, assessment
):
    AssessmentPage.objects.filter(pk=assessment.pk).update(max_attempts=20)
    client.force_login(enrolment.user)

    def queries(attempts: int) -> int:
        QuizAttempt.objects.all().delete()
        now = timezone.now()
        QuizAttempt.objects.bulk_create(
            [
                QuizAttempt(
                    enrolment=enrolment,
                    assessment=assessment,
                    number=n,
                    answers={},
                    score=0,
                    max_score=3,
                    percent=0,
                    passed=False,
                    submitted_at=now,
                )
                for n in range(1, attempts + 1)
            ]
        )
        client.get(quiz_url(cohort, assessment))  # the course outline, now cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get(quiz_url(cohort, assessment))
        assert html_of(response).count("Attempt ") >= attempts
        return len(captured)

    assert queries(1) == queries(20)


# --- Submitting ---------------------------------------------------------------------------------


def test_submitting_shows_the_result_with_feedback_on_the_answers_chosen(
    learner_client, cohort, enrolment, assessment
):
    posted = answers(assessment, right=0)

    response = learner_client.post(submit_url(cohort, assessment), form_data(posted))

    assert response.status_code == 302
    assert response["Location"] == attempt_url(cohort, assessment, 1)
    assert messages_of(response) == ["Attempt 1 has been marked"]
    html = html_of(learner_client.get(response["Location"]))
    assert "0 of 3 questions right (0%)" in html
    assert html.count("Not right") == 3
    assert "Not quite: the biggest partner." in html
    assert "Not quite: wait for the next review." in html
    # The right answers of questions answered wrongly are not given away.
    assert "One board for all the partners" not in html and "Right:" not in html
    assert "Try again" in html and "1 of 3 attempts used" in html


def test_a_passing_result_says_so_and_offers_no_further_attempt(
    learner_client, cohort, enrolment, assessment
):
    learner_client.post(submit_url(cohort, assessment), form_data(answers(assessment, right=3)))
    html = html_of(learner_client.get(attempt_url(cohort, assessment, 1)))
    assert "Attempt 1: passed" in html and "3 of 3 questions right (100%)" in html
    assert html.count(">Right<") == 3
    assert "Right: share the data." in html
    assert "Try again" not in html and "You have passed this quiz" in html


def test_a_refused_post_shows_the_quiz_again_with_its_answers(
    learner_client, cohort, enrolment, assessment
):
    first, second, third = questions(assessment)
    posted = answers(assessment, right=3)
    del posted[second.id]
    posted[third.id] = [*posted[third.id], first.options[0].id]

    response = learner_client.post(submit_url(cohort, assessment), form_data(posted))

    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html and "<title>Error: " in html
    assert f'<a href="#id_{second.field_name}_0">Answer question 2</a>' in html
    assert "Choose from the answers given for question 3" in html
    chosen = next(iter(first.right))
    assert re.search(rf'value="{chosen}" checked', html)
    assert 'name="number" value="1"' in html
    assert not QuizAttempt.objects.exists()


def test_a_double_click_writes_one_attempt(learner_client, cohort, enrolment, assessment):
    data = form_data(answers(assessment, right=1))
    assert learner_client.post(submit_url(cohort, assessment), data).status_code == 302

    again = learner_client.post(submit_url(cohort, assessment), data)

    assert again.status_code == 400
    html = html_of(again)
    assert "This attempt was already submitted" in html
    assert 'name="number" value="2"' in html  # the next attempt, if the learner wants it
    assert QuizAttempt.objects.count() == 1


@pytest.mark.parametrize("number", ["", "one", "0", "-1", "1.5", "99999999999999999999"])
def test_a_post_without_a_proper_attempt_number_is_refused(
    learner_client, cohort, assessment, number
):
    data = {**form_data(answers(assessment, right=3)), "number": number}
    response = learner_client.post(submit_url(cohort, assessment), data)
    assert response.status_code == 400
    assert "Open the quiz again and answer it" in html_of(response)
    assert not QuizAttempt.objects.exists()


def test_a_post_naming_a_question_of_another_quiz_is_refused(
    learner_client, cohort, assessment, course_page
):
    module = ModulePage.objects.child_of(course_page).get()
    other = questions(pages.quiz(module, "Another quiz"))[0]
    posted = {**answers(assessment, right=3), other.id: [other.options[0].id]}
    response = learner_client.post(submit_url(cohort, assessment), form_data(posted))
    assert response.status_code == 400
    assert "The answers name a question that is not in this quiz" in html_of(response)
    assert not QuizAttempt.objects.exists()


def test_the_people_who_run_the_cohort_cannot_submit(client, cohort, assessment):
    runner = facilitator()
    cohort.facilitators.add(runner)
    client.force_login(runner)
    response = client.post(submit_url(cohort, assessment), form_data(answers(assessment, 3)))
    assert response.status_code == 400
    assert "while your cohort is running and you have a place" in html_of(response)
    assert not QuizAttempt.objects.exists()


# --- Who sees what ------------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in(client, cohort, assessment):
    for url in (quiz_url(cohort, assessment), attempt_url(cohort, assessment)):
        assert client.get(url)["Location"] == login_url_for(url)


def test_people_without_a_place_get_404(client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    client.force_login(UserFactory())
    assert client.get(quiz_url(cohort, assessment)).status_code == 404
    assert client.get(attempt_url(cohort, assessment)).status_code == 404
    response = client.post(submit_url(cohort, assessment), form_data(answers(assessment, 3)))
    assert response.status_code == 404
    assert QuizAttempt.objects.count() == 1


def test_another_learner_cannot_open_an_attempt(client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    other = EnrolmentFactory(cohort=cohort)
    client.force_login(other.user)
    assert client.get(attempt_url(cohort, assessment)).status_code == 404
    url = f"{attempt_url(cohort, assessment)}?enrolment={enrolment.pk}"
    assert client.get(url).status_code == 404


def test_the_cohorts_facilitators_open_a_learners_attempt(client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    runner = facilitator()
    cohort.facilitators.add(runner)
    client.force_login(runner)

    response = client.get(f"{attempt_url(cohort, assessment)}?enrolment={enrolment.pk}")

    assert response.status_code == 200
    html = html_of(response)
    assert str(enrolment.user) in html and "1 of 3 questions right (33%)" in html
    assert "Try again" not in html
    for bad in ("", "x", "0", str(enrolment.pk + 1000), "9" * 30):
        assert client.get(f"{attempt_url(cohort, assessment)}?enrolment={bad}").status_code == 404


def test_a_facilitator_of_another_cohort_gets_404(client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    elsewhere = facilitator()
    CohortFactory(course=cohort.course, facilitators=[elsewhere])
    client.force_login(elsewhere)
    assert client.get(quiz_url(cohort, assessment)).status_code == 404
    url = f"{attempt_url(cohort, assessment)}?enrolment={enrolment.pk}"
    assert client.get(url).status_code == 404


def test_an_attempt_that_was_not_made_is_404(learner_client, cohort, enrolment, assessment):
    submit(enrolment, assessment, answers(assessment, right=1))
    assert learner_client.get(attempt_url(cohort, assessment, 2)).status_code == 404


def test_the_quiz_urls_of_an_assessment_that_is_no_quiz_are_404(
    learner_client, cohort, course_page
):
    module = ModulePage.objects.child_of(course_page).get()
    written = pages.quiz(module, "Written")
    AssessmentPage.objects.filter(pk=written.pk).update(kind=AssessmentPage.Kind.REFLECTIVE)
    assert learner_client.get(attempt_url(cohort, written)).status_code == 404
    assert learner_client.post(submit_url(cohort, written), {"number": 1}).status_code == 404


def test_a_quiz_that_does_not_count_says_so(learner_client, cohort, assessment):
    phrase = "this quiz does not count towards completing the course"
    assert phrase not in html_of(learner_client.get(quiz_url(cohort, assessment)))
    AssessmentPage.objects.filter(pk=assessment.pk).update(required_for_completion=False)
    assert phrase in html_of(learner_client.get(quiz_url(cohort, assessment)))
