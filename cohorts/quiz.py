"""Marking a quiz (``courses.AssessmentPage`` of kind quiz): its questions as plain data, each
attempt's order of options, a post's answers checked against the questions, and the score.
Pure: no queries. Attempts are kept by ``cohorts.services.quizzes``.

A question is right only when exactly its right options are chosen: all or nothing, for
single- and multiple-answer questions alike. The percent is rounded down, so a learner never
passes on rounding. Errors are keyed by the question's form field (``question-<id>``), as
``cohorts.rubrics`` keys them by criterion."""

import datetime
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import date_format


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    multiple: bool
    options: list[Option] = field(default_factory=list)

    @property
    def right(self) -> frozenset[str]:
        """The ids of the options a right answer chooses."""
        return frozenset(option.id for option in self.options if option.correct)

    @property
    def field_name(self) -> str:
        return field_name(self.id)


@dataclass(frozen=True)
class Score:
    right: int
    out_of: int

    @property
    def percent(self) -> int:
        return self.right * 100 // self.out_of if self.out_of else 0


def field_name(question_id: str) -> str:
    """The form field a question's answers are posted in."""
    return f"question-{question_id}"


def questions_of(page) -> list[Question]:
    """The questions of a quiz page, in the editor's order. An option stored without an id (in
    the format Wagtail used before list items had ids) is named by its question and position,
    so that it is the same on every read."""
    questions = []
    for block in page.questions:
        if block.block_type != "question":
            continue
        options = [
            Option(
                id=child.original_id or f"{block.id}-{position}",
                text=child.value["text"],
                correct=bool(child.value["correct"]),
                feedback=child.value["feedback"] or "",
            )
            for position, child in enumerate(block.value["options"].bound_blocks, start=1)
        ]
        questions.append(
            Question(
                id=block.id,
                text=block.value["question"],
                multiple=bool(block.value["multiple"]),
                options=options,
            )
        )
    return questions


def attempt_seed(enrolment_id: int, assessment_id: int, number: int) -> str:
    """The seed of one attempt's order of options: the same on every read of the attempt, and
    different for another learner, quiz or attempt."""
    return f"quiz:{enrolment_id}:{assessment_id}:{number}"


def shuffled(questions: list[Question], seed) -> list[Question]:
    """The questions in their order, each with its options in an order fixed by ``seed``."""
    rng = random.Random(seed)
    result = []
    for question in questions:
        options = list(question.options)
        rng.shuffle(options)
        result.append(replace(question, options=options))
    return result


def score(questions: list[Question], answers: Mapping[str, Iterable[str]]) -> Score:
    """How many questions ``answers`` (question id → chosen option ids) gets right."""
    right = sum(1 for question in questions if set(answers.get(question.id, ())) == question.right)
    return Score(right=right, out_of=len(questions))


def passes(result: Score, pass_mark: int) -> bool:
    return result.percent >= pass_mark


def check_answers(
    questions: list[Question], posted: Mapping[str, Iterable[str] | str]
) -> dict[str, set[str]]:
    """The chosen option ids of each question from ``posted`` (question id → option ids as
    sent). Every question must be answered, a single-answer question with one option, each
    with options of its own (not another question's or another quiz's), none twice; a question
    not in the quiz is refused. ``ValidationError`` keyed by each question's field."""
    errors: dict[str, str] = {}
    answers: dict[str, set[str]] = {}
    for number, question in enumerate(questions, start=1):
        sent = posted.get(question.id, ())
        chosen = [sent] if isinstance(sent, str) else list(sent)
        own = {option.id for option in question.options}
        if not chosen:
            message = f"Answer question {number}"
        elif len(set(chosen)) != len(chosen):
            message = f"You answered question {number} twice: choose each answer once"
        elif not set(chosen) <= own:
            message = f"Choose from the answers given for question {number}"
        elif not question.multiple and len(chosen) != 1:
            message = f"Choose one answer for question {number}"
        else:
            answers[question.id] = set(chosen)
            continue
        errors[question.field_name] = message
    if set(posted) - {question.id for question in questions}:
        errors[NON_FIELD_ERRORS] = "The answers name a question that is not in this quiz"
    if errors:
        raise ValidationError(errors)
    return answers


@dataclass(frozen=True)
class Answered:
    """A question as an attempt answered it: whether it was right, and the options chosen (in
    the question's order), each with its feedback. The right options of a question answered
    wrongly are not here: the learner may try again."""

    number: int
    question: Question
    right: bool
    chosen: list[Option]


def answered(questions: list[Question], answers: Mapping[str, Iterable[str]]) -> list[Answered]:
    """Each question an attempt's ``answers`` answered, in the quiz's order. A question added
    since the attempt, or an option removed since, is left out."""
    rows = []
    for number, question in enumerate(questions, start=1):
        if question.id not in answers:
            continue
        chosen_ids = set(answers[question.id])
        rows.append(
            Answered(
                number=number,
                question=question,
                right=chosen_ids == question.right,
                chosen=[option for option in question.options if option.id in chosen_ids],
            )
        )
    return rows


def closed_because(
    *,
    attempts: int,
    passed: bool,
    max_attempts: int,
    late: bool,
    refuses_late: bool,
    due_on: datetime.date,
) -> str | None:
    """Why a learner with ``attempts`` made may not make another; None when they may. Once
    passed, the quiz is done: the best attempt counts, and it has passed."""
    if passed:
        return "You have passed this quiz"
    if attempts >= max_attempts:
        noun = "attempt" if max_attempts == 1 else "attempts"
        every = "your" if max_attempts == 1 else "all"
        return f"You have used {every} {max_attempts} {noun}"
    if late and refuses_late:
        return f"This quiz was due on {date_format(due_on, 'j F Y')} and is now closed"
    return None
