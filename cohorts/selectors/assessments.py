"""Reads about a cohort's assessments shared by the learner's and the facilitator's pages:
which assessments a cohort has and when each is due."""

import datetime
from collections import defaultdict

from django.http import Http404

from courses.models import AssessmentPage
from courses.selectors import course_assessments

from ..models import AssessmentDueDate, Cohort


def cohort_assessments(cohort: Cohort) -> list[AssessmentPage]:
    """The assessments a cohort's learners can reach, in course order (from the cached course
    outline: no query once cached)."""
    return course_assessments(cohort.course_id)


def cohort_assessment(cohort: Cohort, assessment_id: int) -> AssessmentPage:
    """One of the cohort's assessments, read in full (one query); 404 when it is not one of
    them (another course's, a draft, in an unpublished module)."""
    if assessment_id not in {page.pk for page in cohort_assessments(cohort)}:
        raise Http404
    return AssessmentPage.objects.select_related("rubric").get(pk=assessment_id)


def due_dates(cohort: Cohort, assessments=None) -> dict[int, datetime.date]:
    """Each assessment's due date for ``cohort``: its own where its facilitators set one,
    else the offset from its start. One query."""
    assessments = cohort_assessments(cohort) if assessments is None else assessments
    own = dict(
        AssessmentDueDate.objects.filter(
            cohort=cohort, assessment_id__in=[page.pk for page in assessments]
        ).values_list("assessment_id", "due_on")
    )
    return {page.pk: _due_on(cohort, page, own) for page in assessments}


def _due_on(cohort: Cohort, assessment, own: dict[int, datetime.date]) -> datetime.date:
    """The cohort's own date for ``assessment`` (in ``own``), else its default."""
    return own.get(assessment.pk) or AssessmentDueDate.default_for(cohort, assessment)


def due_date(cohort: Cohort, assessment: AssessmentPage) -> datetime.date:
    return due_dates(cohort, [assessment])[assessment.pk]


def due_dates_of(cohorts: list[Cohort]) -> dict[int, dict[int, datetime.date]]:
    """``due_dates`` of each of ``cohorts`` (of any courses), by cohort: one query whatever
    their number, none when their courses have no assessments."""
    assessments = {cohort.pk: cohort_assessments(cohort) for cohort in cohorts}
    ids = {page.pk for pages in assessments.values() for page in pages}
    own: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    if ids:
        rows = AssessmentDueDate.objects.filter(
            cohort_id__in=list(assessments), assessment_id__in=ids
        ).values_list("cohort_id", "assessment_id", "due_on")
        for cohort_id, assessment_id, due_on in rows:
            own[cohort_id][assessment_id] = due_on
    return {
        cohort.pk: {
            page.pk: _due_on(cohort, page, own[cohort.pk]) for page in assessments[cohort.pk]
        }
        for cohort in cohorts
    }
