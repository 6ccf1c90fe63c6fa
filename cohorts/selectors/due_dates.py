"""The due-dates page: each of a cohort's assessments with the course's date, the cohort's own
if its facilitators set one, and how its learners stand. Three queries at most, however many
learners and assessments (the outline is cached)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from courses.models import AssessmentPage

from ..models import AssessmentDueDate, AssessmentResult, Cohort, Enrolment
from ..requirements.assessments import is_required
from .assessments import cohort_assessments

Status = AssessmentResult.Status


@dataclass(frozen=True)
class DueDateRow:
    assessment: AssessmentPage
    required: bool
    default_on: datetime.date  # the course's: days after the cohort starts
    own: AssessmentDueDate | None  # the cohort's, with who set it and when
    submitted: int  # learners who have handed something in
    passed: int
    waiting: int  # learners waiting for feedback

    @property
    def due_on(self) -> datetime.date:
        return self.own.due_on if self.own else self.default_on


def due_date_rows(cohort: Cohort) -> list[DueDateRow]:
    assessments = cohort_assessments(cohort)
    ids = [page.pk for page in assessments]
    own = {
        row.assessment_id: row
        for row in AssessmentDueDate.objects.filter(
            cohort=cohort, assessment_id__in=ids
        ).select_related("set_by")
    }
    figures = {
        row["assessment_id"]: row
        for row in AssessmentResult.objects.filter(
            enrolment__in=Enrolment.objects.members().filter(cohort=cohort).values("pk"),
            assessment_id__in=ids,
        )
        .order_by()
        .values("assessment_id")
        .annotate(
            submitted=Count("pk"),
            passed=Count("pk", filter=Q(status=Status.PASSED)),
            waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        )
    }
    return [
        DueDateRow(
            assessment=page,
            required=is_required(page),
            default_on=AssessmentDueDate.default_for(cohort, page),
            own=own.get(page.pk),
            submitted=figures.get(page.pk, {}).get("submitted", 0),
            passed=figures.get(page.pk, {}).get("passed", 0),
            waiting=figures.get(page.pk, {}).get("waiting", 0),
        )
        for page in assessments
    ]
