"""Required lessons: a learner completes every live lesson marked "required for completion"
in the course's live modules (``courses.selectors.course_lessons``)."""

from django.db.models import Count, Expression, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from courses.models import CoursePage
from courses.selectors import course_lessons

from ..models import LessonCompletion


def required_lesson_ids(course: CoursePage) -> list[int]:
    return [lesson.pk for lesson in course_lessons(course) if lesson.required_for_completion]


class RequiredLessons:
    """The requirement the progress engine counts for lessons."""

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
