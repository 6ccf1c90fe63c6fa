"""Places on a cohort: one definition of "places taken" — enrolments that make someone a member
(``Enrolment.MEMBER_STATUSES``: active or completed) — used by the pages, the dashboard summary,
the admin's cohort list and form, the bench, and the services that admit learners or change a
cohort under the cohort's row lock."""

from django.db.models import Count, Q, QuerySet

from courses.models import CoursePage

from ..models import Cohort, Enrolment


def places_taken_count(through: str = "") -> Count:
    """The "places taken" aggregate, over enrolments (``through=""``) or through a relation
    to them (``through="enrolments__"`` from cohorts)."""
    return Count("pk" if not through else through + "pk", filter=holds_a_place(through))


def holds_a_place(through: str = "") -> Q:
    """The condition on an enrolment (or, ``through`` a relation, on enrolments) that it holds
    a place."""
    return Q(**{f"{through}status__in": Enrolment.MEMBER_STATUSES})


def places_taken(cohort: Cohort) -> int:
    """The cohort's ``places_taken`` annotation when it has one, else one count."""
    taken = getattr(cohort, "places_taken", None)
    if taken is None:
        taken = cohort.enrolments.aggregate(n=places_taken_count())["n"]
    return taken


def places_left(cohort: Cohort, taken: int | None = None) -> int:
    """The places still free; ``taken`` when the caller has counted them already."""
    return max(0, cohort.capacity - (places_taken(cohort) if taken is None else taken))


def with_places_taken(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(places_taken=places_taken_count("enrolments__"))


def upcoming_cohorts(course: CoursePage) -> list[Cohort]:
    """The cohorts of ``course`` still to start, with places left: one query."""
    return list(with_places_taken(Cohort.objects.upcoming().filter(course=course)))
