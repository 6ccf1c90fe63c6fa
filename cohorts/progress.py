"""The progress engine: what must a learner do to complete a course, and how much have they
done? Answered here and nowhere else.

What counts is made of *requirements* that register themselves, as lesson-access rules do in
``courses.access``: the required lessons register in ``cohorts/requirements/lessons.py`` (from
``CohortsConfig.ready``), and assessments will register theirs the same way, without this
module importing them. A requirement answers two questions about a course:

- ``required(course)``: how many things a learner must do (say, 12 required lessons);
- ``done(course)``: a database expression, evaluated on an ``Enrolment`` row, counting how many
  of them that enrolment has done;

and says what it counts in words (``noun``: ``("lesson", "lessons")``), so every page and email
that shows progress says "required lessons", or "required lessons and assessments" once
assessments count too (``Counted``).

Because "done" is an expression, progress is worked out by the database: for one enrolment
(``enrolment_progress``), for a whole cohort in one query (``with_progress`` on any queryset of
enrolments: the learner table sorts and pages by it), and inside aggregates (the dashboard's
average). The number of queries never grows with the number of learners.

The moment an enrolment becomes complete belongs to ``cohorts.services.completion``, which asks
``is_complete`` here; certificates will hook into that one service."""

from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import (
    Case,
    Expression,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Least

from courses.models import CoursePage

from .models import Enrolment


class Requirement(Protocol):
    """Something a learner must do to complete a course."""

    noun: tuple[str, str]  # what it counts, one and many: ("lesson", "lessons")

    def required(self, course: CoursePage) -> int:
        """How many of these the learner must do on ``course``."""

    def done(self, course: CoursePage) -> Expression:
        """An integer expression over an ``Enrolment`` row: how many of them it has done."""


_requirements: list[Requirement] = []


def register_requirement(requirement: Requirement) -> Requirement:
    if requirement not in _requirements:
        _requirements.append(requirement)
    return requirement


def unregister_requirement(requirement: Requirement) -> None:
    """Remove a requirement added with ``register_requirement`` (tests use it to clean up)."""
    if requirement in _requirements:
        _requirements.remove(requirement)


def percent(done: int, total: int) -> int:
    """Progress as a whole percentage, rounded down; a course with nothing required counts as
    0% until the learner is marked complete."""
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)


@dataclass(frozen=True)
class Counted:
    """What a course's progress counts, in words: the nouns of its requirements (those the
    course requires any of; all of them when it requires nothing yet)."""

    nouns: tuple[tuple[str, str], ...] = (("lesson", "lessons"),)

    @property
    def one(self) -> str:
        """ "required lesson", "required lesson and assessment" (every ..., 1 of 1 ...)."""
        return "required " + " and ".join(one for one, _ in self.nouns)

    @property
    def many(self) -> str:
        """ "required lessons", "required lessons and assessments"."""
        return "required " + " and ".join(many for _, many in self.nouns)

    @property
    def none(self) -> str:
        """ "required lessons", "required lessons or assessments" (no ... yet)."""
        return "required " + " or ".join(many for _, many in self.nouns)

    def of(self, total: int) -> str:
        return self.one if total == 1 else self.many


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    counted: Counted = field(default=Counted(), compare=False)

    @property
    def things(self) -> str:
        """What is counted, for "3 of 12 required lessons complete"."""
        return self.counted.of(self.total)

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def required_total(course: CoursePage) -> int:
    """How many things, of every requirement, a learner must do to complete ``course``."""
    return sum(requirement.required(course) for requirement in _requirements)


def requirements_of(course: CoursePage) -> tuple[int, Counted]:
    """How many things ``course`` requires, and what they are in words."""
    counts = [(requirement, requirement.required(course)) for requirement in _requirements]
    nouns = tuple(requirement.noun for requirement, n in counts if n) or tuple(
        requirement.noun for requirement, _ in counts
    )
    return sum(n for _, n in counts), Counted(nouns) if nouns else Counted()


def counted(course: CoursePage) -> Counted:
    """What progress on ``course`` counts, in words (for pages and emails)."""
    return requirements_of(course)[1]


def nothing_done(course: CoursePage) -> Progress:
    """Progress before anything is done (someone without a place, looking at the course)."""
    return Progress(0, *requirements_of(course))


def done_expression(course: CoursePage) -> Expression:
    """How many required things an ``Enrolment`` row has done, as one database expression."""
    parts = [requirement.done(course) for requirement in _requirements]
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def percent_expression(done: Expression, total: int) -> Expression:
    """``percent`` in SQL: whole numbers, rounded down, at most 100; 0 when nothing is
    required. Both operands are integers, so every database divides as Python's ``//``."""
    if total <= 0:
        return Value(0, output_field=IntegerField())
    return Least(
        Value(100),
        (Value(100) * done) / Value(total),
        output_field=IntegerField(),
    )


def with_progress(enrolments: QuerySet[Enrolment], course: CoursePage) -> QuerySet[Enrolment]:
    """``enrolments`` (all of ``course``) annotated with ``progress_done``, ``progress_total``
    and ``progress``: the percentage, 100 for a completed enrolment whatever it did (the course
    may have grown since), as shown in the learner table and counted in averages."""
    total = required_total(course)
    annotated = enrolments.annotate(
        progress_done=done_expression(course),
        progress_total=Value(total, output_field=IntegerField()),
    )
    return annotated.annotate(
        progress=Case(
            When(status=Enrolment.Status.COMPLETED, then=Value(100)),
            default=percent_expression(F("progress_done"), total),
            output_field=IntegerField(),
        )
    )


def enrolment_progress(enrolment: Enrolment, course: CoursePage | None = None) -> Progress:
    """How much of its course ``enrolment`` has done: one query."""
    course = course or enrolment.course
    total, words = requirements_of(course)
    if total <= 0:
        return Progress(0, 0, words)
    done = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .annotate(progress_done=done_expression(course))
        .values_list("progress_done", flat=True)
        .get()
    )
    return Progress(done, total, words)


def progress_by_enrolment(
    enrolments: QuerySet[Enrolment], course: CoursePage
) -> dict[int, Progress]:
    """Progress of every enrolment in ``enrolments`` (all of ``course``): one query."""
    total, words = requirements_of(course)
    rows = enrolments.annotate(progress_done=done_expression(course)).values_list(
        "pk", "progress_done"
    )
    return {pk: Progress(done, total, words) for pk, done in rows}


def progress_of(enrolments: list[Enrolment]) -> dict[int, Progress]:
    """Progress of each of ``enrolments``, of any courses (say, a learner's running cohorts):
    one query, each row counted by its own course's requirements. The enrolments need their
    ``cohort.course`` loaded."""
    if not enrolments:
        return {}
    courses = {enrolment.course_id: enrolment.cohort.course for enrolment in enrolments}
    totals = {pk: requirements_of(course) for pk, course in courses.items()}
    done = Case(
        *(When(course_id=pk, then=done_expression(course)) for pk, course in courses.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in enrolments])
        .annotate(progress_done=done)
        .values_list("pk", "course_id", "progress_done")
    )
    return {pk: Progress(n, *totals[course_id]) for pk, course_id, n in rows}


def is_complete(enrolment: Enrolment, course: CoursePage | None = None) -> bool:
    return enrolment_progress(enrolment, course).is_complete
