"""Required lessons: a learner completes every live lesson marked "required for completion"
in the course's live modules (``courses.selectors.course_lessons``). The one place that reads
``required_for_completion``: the progress engine, completion by module, the lesson page's
module figure and the cohort home's "(optional)" ask here."""

from django.db.models import Count, Expression, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from courses.selectors import course_lessons, lesson_outline

from ..models import LessonCompletion


def required_lesson_ids(course: CoursePage) -> list[int]:
    """The ids of the lessons a learner must complete, in course order."""
    return [lesson.pk for lesson in course_lessons(course) if lesson.required_for_completion]


def required_lessons_by_module(course: CoursePage) -> dict[str, list[int]]:
    """The ids of the required lessons of each live module, by the module's path."""
    by_module: dict[str, list[int]] = {}
    for lesson in course_lessons(course):
        if lesson.required_for_completion:
            by_module.setdefault(lesson.path[: -Page.steplen], []).append(lesson.pk)
    return by_module


def module_required_lesson_ids(lesson: LessonPage) -> tuple[int | None, list[int]]:
    """The pk of the course ``lesson`` belongs to, and the ids of the required lessons of its
    module: from the course's cached outline, no query once cached."""
    outline = lesson_outline(lesson)
    if outline is None:
        return None, []
    module = lesson.path[: -Page.steplen]
    return outline.course_pk, [
        other.pk
        for other in outline.reachable_lessons()
        if other.required_for_completion and other.path[: -Page.steplen] == module
    ]


class RequiredLessons:
    """The requirement the progress engine counts for lessons."""

    noun = ("lesson", "lessons")

    def required(self, course: CoursePage) -> int:
        return len(required_lesson_ids(course))

    def done(self, course: CoursePage) -> Expression:
        required = required_lesson_ids(course)
        if not required:
            return Value(0, output_field=IntegerField())
        completed = (
            LessonCompletion.objects.filter(enrolment=OuterRef("pk"), lesson_id__in=required)
            .order_by()
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(completed, output_field=IntegerField()), Value(0))


required_lessons = RequiredLessons()
