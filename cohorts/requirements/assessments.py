"""Required assessments: a learner passes every live assessment marked "required for
completion" in the course's live modules (``courses.selectors.course_assessments``). Passing is
``AssessmentResult.status == passed``, kept by the assessment services; the one place that
reads an assessment's ``required_for_completion``."""

from django.db.models import Count, Expression, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from courses.models import CoursePage
from courses.selectors import course_assessments

from ..models import AssessmentResult


def required_assessment_ids(course: CoursePage | int) -> list[int]:
    """The ids of the assessments a learner must pass, in course order (no query once the
    course's outline is cached)."""
    return [page.pk for page in course_assessments(course) if page.required_for_completion]


def is_required(assessment) -> bool:
    return bool(assessment.required_for_completion)


class RequiredAssessments:
    """The requirement the progress engine counts for assessments."""

    noun = ("assessment", "assessments")

    def required(self, course: CoursePage) -> int:
        return len(required_assessment_ids(course))

    def done(self, course: CoursePage) -> Expression:
        required = required_assessment_ids(course)
        if not required:
            return Value(0, output_field=IntegerField())
        passed = (
            AssessmentResult.objects.filter(
                enrolment=OuterRef("pk"),
                assessment_id__in=required,
                status=AssessmentResult.Status.PASSED,
            )
            .order_by()
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(passed, output_field=IntegerField()), Value(0))


required_assessments = RequiredAssessments()
