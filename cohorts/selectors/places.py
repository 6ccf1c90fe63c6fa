"""Places on a cohort: one definition of "places taken" — enrolments that make someone a member
(``Enrolment.MEMBER_STATUSES``: active or completed) — used by the pages, the dashboard summary
and the services that admit learners under the cohort's row lock."""

from django.db.models import Count, Q, QuerySet

from courses.models import CoursePage

from ..models import Cohort, Enrolment


def places_taken_count(through: str = "") -> Count:
    """The "places taken" aggregate, over enrolments (``through=""``) or through a relation
    to them (``through="enrolments__"`` from cohorts)."""
    return Count("pk" if not through else through + "pk", filter=_taken(through))


def _taken(through: str) -> Q:
    return Q(**{f"{through}status__in": Enrolment.MEMBER_STATUSES})


def places_taken(cohort: Cohort) -> int:
    """The cohort's ``places_taken`` annotation when it has one, else one count."""
    taken = getattr(cohort, "places_taken", None)
    if taken is None:
        taken = cohort.enrolments.aggregate(n=places_taken_count())["n"]
    return taken


def places_left(cohort: Cohort) -> int:
    return max(0, cohort.capacity - places_taken(cohort))


def with_places_taken(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(places_taken=places_taken_count("enrolments__"))


def upcoming_cohorts(course: CoursePage) -> list[Cohort]:
    """The cohorts of ``course`` still to start, with places left: one query."""
    return list(with_places_taken(Cohort.objects.upcoming().filter(course=course)))
