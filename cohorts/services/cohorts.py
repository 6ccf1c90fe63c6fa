"""Changing a cohort (the programme managers' editor in the Wagtail admin). The rules that keep
a cohort consistent with the people already on it are checked here, under the cohort's row
lock, where places are counted (docs/decisions.md §21):

- capacity never drops below the places taken;
- the course is fixed once anyone has enrolled or applied.

A learner taking the last place at the same moment holds the same lock, so the count the
capacity is checked against cannot change between the check and the save."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Cohort, Enrolment
from ..selectors.places import places_taken
from .enrolment import cohort_places_changed, locked_cohort


def _capacity_error(taken: int) -> str:
    learners = (
        "1 learner already holds a place" if taken == 1 else f"{taken} learners already hold places"
    )
    return f"{learners}; capacity cannot be less than {taken}"


COURSE_FIXED = (
    "People have already enrolled on or applied to this cohort, so its course cannot change. "
    "Create a new cohort for the other course instead"
)


@transaction.atomic
def cohort_update(*, cohort: Cohort) -> list[Enrolment]:
    """Save ``cohort`` (a saved cohort with changed fields, not yet written) once the rules
    above hold, then give any places it adds to the waiting list (``cohort_places_changed``),
    all in one transaction. Returns the people admitted from the waiting list. Raises
    ``ValidationError`` keyed by field (``capacity``, ``course``) and writes nothing when a rule
    is broken."""
    cohort.clean()
    before = locked_cohort(cohort.pk)
    errors = {}
    taken = places_taken(before)
    if cohort.capacity < taken:
        errors["capacity"] = _capacity_error(taken)
    if cohort.course_id != before.course_id and before.enrolments.exists():
        errors["course"] = COURSE_FIXED
    if errors:
        raise ValidationError(errors)
    cohort.save()
    return cohort_places_changed(cohort=cohort)
