"""Marking a quiz (``cohorts.quiz``): the score as properties that hold for any quiz and any
answers, the order of options fixed by the attempt, and every way a post can be refused."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohorts import quiz
from cohorts.quiz import Option, Question, Score

from ..courses import factories as pages
from .factories import course_with_lessons

# The same examples on every run, whatever the machine has seen before.
PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=200)


@st.composite
def questions(draw, prefix: str = "q") -> list[Question]:
    """A quiz of 1 to 8 questions, each of 2 to 8 options; a single-answer question has one
    right option, a multiple-answer one at least one."""
    made = []
    for q in range(draw(st.integers(min_value=1, max_value=8))):
        count = draw(st.integers(min_value=2, max_value=8))
        multiple = draw(st.booleans())
        if multiple:
            right = draw(st.sets(st.integers(0, count - 1), min_size=1))
        else:
            right = {draw(st.integers(0, count - 1))}
        options = [
            Option(id=f"{prefix}{q}-o{o}", text=f"Option {o}", correct=o in right, feedback="")
            for o in range(count)
        ]
        made.append(
            Question(id=f"{prefix}{q}", text=f"Question {q}", multiple=multiple, options=options)
        )
    return made


@st.composite
def quiz_and_answers(draw):
    """A quiz and any answers to it: each question given any of its own options, or none."""
    made = draw(questions())
    answers = {}
    for question in made:
        chosen = draw(st.sets(st.sampled_from([option.id for option in question.options])))
        if chosen:
            answers[question.id] = chosen
    return made, answers


def perfect(made: list[Question]) -> dict[str, set[str]]:
    return {question.id: set(question.right) for question in made}


# --- Properties ------------------------------------------------------------------------------


@PROPERTIES
@given(quiz_and_answers())
def test_the_score_stays_within_bounds(case):
    made, answers = case
    result = quiz.score(made, answers)
    assert 0 <= result.right <= result.out_of == len(made)
    assert 0 <= result.percent <= 100


@PROPERTIES
@given(quiz_and_answers(), st.integers(), st.integers())
def test_the_order_of_options_never_changes_the_score(case, seed, other_seed):
    made, answers = case
    assert quiz.score(quiz.shuffled(made, seed), answers) == quiz.score(made, answers)
    assert quiz.score(quiz.shuffled(made, other_seed), answers) == quiz.score(made, answers)


@PROPERTIES
@given(questions(), st.integers(min_value=1, max_value=100), st.integers())
def test_a_perfect_answer_always_passes(made, pass_mark, seed):
    answers = quiz.check_answers(quiz.shuffled(made, seed), perfect(made))
    result = quiz.score(made, answers)
    assert result.percent == 100
    assert quiz.passes(result, pass_mark)


@PROPERTIES
@given(questions(), st.integers(min_value=1, max_value=100))
def test_an_empty_answer_never_passes(made, pass_mark):
    result = quiz.score(made, {})
    assert result.right == 0
    assert not quiz.passes(result, pass_mark)


@PROPERTIES
@given(questions(), st.text())
def test_shuffling_keeps_each_questions_options_and_is_fixed_by_the_seed(made, seed):
    once, again = quiz.shuffled(made, seed), quiz.shuffled(made, seed)
    assert once == again
    for question, shown in zip(made, once, strict=True):
        assert shown.id == question.id
        assert sorted(shown.options, key=lambda o: o.id) == sorted(
            question.options, key=lambda o: o.id
        )


def test_each_attempt_gets_its_own_order():
    made = [
        Question(
            id=f"q{q}",
            text="?",
            multiple=False,
            options=[Option(f"q{q}-{o}", str(o), o == 0, "") for o in range(8)],
        )
        for q in range(4)
    ]

    def order(enrolment, number):
        shown = quiz.shuffled(made, quiz.attempt_seed(enrolment, 7, number))
        return [[option.id for option in question.options] for question in shown]

    assert order(1, 1) == order(1, 1)  # a reload shows the same order
    assert order(1, 1) != order(1, 2)  # the next attempt another
    assert order(1, 1) != order(2, 1)  # and another learner another


def test_the_percent_is_rounded_down():
    assert Score(right=2, out_of=3).percent == 66
    assert not quiz.passes(Score(right=2, out_of=3), 67)
    assert quiz.passes(Score(right=2, out_of=3), 66)


def test_a_multiple_answer_question_is_right_only_with_exactly_its_right_options():
    question = Question(
        id="q",
        text="What helps?",
        multiple=True,
        options=[
            Option("a", "Pool", True, ""),
            Option("b", "Share", True, ""),
            Option("c", "Wait", False, ""),
        ],
    )
    assert quiz.score([question], {"q": {"a", "b"}}).right == 1
    assert quiz.score([question], {"q": {"a"}}).right == 0
    assert quiz.score([question], {"q": {"a", "b", "c"}}).right == 0


# --- Checking a post -------------------------------------------------------------------------

ONE = Question(
    id="one",
    text="Who owns it?",
    multiple=False,
    options=[Option("one-a", "Board", True, ""), Option("one-b", "Nobody", False, "")],
)
MANY = Question(
    id="many",
    text="What helps?",
    multiple=True,
    options=[
        Option("many-a", "Pool", True, ""),
        Option("many-b", "Share", True, ""),
        Option("many-c", "Wait", False, ""),
    ],
)
QUIZ = [ONE, MANY]


def refusal(posted) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        quiz.check_answers(QUIZ, posted)
    return refused.value.message_dict


def test_a_complete_post_gives_the_answers():
    answers = quiz.check_answers(QUIZ, {"one": ["one-b"], "many": ["many-a", "many-c"]})
    assert answers == {"one": {"one-b"}, "many": {"many-a", "many-c"}}


def test_every_question_must_be_answered():
    assert refusal({"one": ["one-a"]}) == {"question-many": ["Answer question 2"]}
    assert refusal({"one": [], "many": ["many-a"]}) == {"question-one": ["Answer question 1"]}


def test_a_single_answer_question_takes_one_option():
    assert refusal({"one": ["one-a", "one-b"], "many": ["many-a"]}) == {
        "question-one": ["Choose one answer for question 1"]
    }


def test_an_option_of_another_question_is_refused():
    assert refusal({"one": ["many-a"], "many": ["many-a"]}) == {
        "question-one": ["Choose from the answers given for question 1"]
    }


def test_an_option_of_another_quiz_is_refused():
    assert refusal({"one": ["one-a"], "many": ["many-a", "elsewhere-a"]}) == {
        "question-many": ["Choose from the answers given for question 2"]
    }


def test_a_question_not_in_the_quiz_is_refused():
    errors = refusal({"one": ["one-a"], "many": ["many-a"], "elsewhere": ["elsewhere-a"]})
    assert errors == {NON_FIELD_ERRORS: ["The answers name a question that is not in this quiz"]}


def test_answering_twice_is_refused():
    assert refusal({"one": ["one-a", "one-a"], "many": ["many-a"]}) == {
        "question-one": ["You answered question 1 twice: choose each answer once"]
    }
    assert refusal({"one": ["one-a"], "many": ["many-b", "many-a", "many-b"]}) == {
        "question-many": ["You answered question 2 twice: choose each answer once"]
    }


def test_every_question_with_a_problem_is_named_at_once():
    errors = refusal({"many": ["one-a"]})
    assert errors == {
        "question-one": ["Answer question 1"],
        "question-many": ["Choose from the answers given for question 2"],
    }


# --- Questions from the page -----------------------------------------------------------------


@pytest.mark.django_db
def test_questions_are_read_from_the_page_with_ids_that_last():
    module = course_with_lessons(modules=1, lessons=0).get_children().first().specific
    page = pages.quiz(module, questions=2, multiple=(2,))
    read = quiz.questions_of(page)
    assert [(q.text, q.multiple, len(q.options), len(q.right)) for q in read] == [
        ("Question 1: who should own a shared budget?", False, 3, 1),
        ("Question 2: what helps?", True, 4, 2),
    ]
    assert read[0].options[0].feedback == "Right: one board for all the partners."
    page.refresh_from_db()
    assert quiz.questions_of(page) == read  # the same ids on every read
