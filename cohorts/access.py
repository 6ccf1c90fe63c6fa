"""Who may do what with cohorts: the one place these decisions are made.

- Facilitators, programme managers and superusers use /facilitate/ at all (``runs_cohorts``);
  a cohort's own pages are for its facilitators, programme managers and superusers
  (``can_facilitate``).
- A cohort's home and calendar are for its members (a place, active or completed) and the
  people who run it (``can_view_cohort``).
- Lessons: ``lesson_rule`` is registered with ``courses.access`` (the one lesson decision).

Views answer 404 whenever one of these says no, so ids reveal nothing (docs/facilitators.md).
"""

from django.db.models import Q, QuerySet

from academy.roles import is_facilitator, is_programme_manager
from courses.models import CoursePage, LessonPage

from .models import Cohort, Enrolment


def runs_cohorts(user) -> bool:
    """Facilitators, programme managers and superusers may use /facilitate/ at all."""
    return is_facilitator(user) or is_programme_manager(user)


def can_facilitate(user, cohort: Cohort) -> bool:
    """Facilitators of the cohort, programme managers and superusers run a cohort."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or is_programme_manager(user):
        return True
    return cohort.facilitators.filter(pk=user.pk).exists()


def is_member(user, cohort: Cohort) -> bool:
    return user.is_authenticated and cohort.enrolments.members().filter(user=user).exists()


def can_view_cohort(user, cohort: Cohort) -> bool:
    """The cohort home and its calendar: members and the people who run it."""
    return is_member(user, cohort) or can_facilitate(user, cohort)


def can_withdraw(enrolment: Enrolment | None, cohort: Cohort) -> bool:
    """A learner may give up an active place until the cohort finishes."""
    return (
        enrolment is not None
        and enrolment.status == Enrolment.Status.ACTIVE
        and cohort.status != Cohort.Status.FINISHED
    )


def lessons_open(user, cohort: Cohort) -> bool:
    """From the cohort home: learners read the lessons while the cohort runs; the people who
    run it, always (``lesson_rule`` decides each lesson the same way)."""
    return cohort.is_running or can_facilitate(user, cohort)


def facilitated_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` runs: every cohort for programme managers and superusers."""
    cohorts = Cohort.objects.select_related("course")
    if user.is_superuser or is_programme_manager(user):
        return cohorts.all()
    return cohorts.filter(facilitators=user)


def lesson_rule(user, lesson: LessonPage) -> bool:
    """Registered with ``courses.access``. The people who run a cohort of the lesson's course
    (its facilitators; programme managers, who run every cohort) read its lessons whatever the
    cohort's status: they prepare before it starts and look back after it ends. A learner
    reads them only while they hold a place (active or completed) on a running cohort of the
    course. One query decides for facilitators and learners; a programme manager takes two more
    (their groups, read once per request, and whether the course has a cohort). Superusers,
    editors and moderators are let in by ``courses.access`` itself."""
    cohorts = Cohort.objects.filter(course__in=CoursePage.objects.ancestor_of(lesson).values("pk"))
    running_places = (
        Enrolment.objects.members()
        .filter(user=user, cohort__in=Cohort.objects.running())
        .values("cohort_id")
    )
    if cohorts.filter(Q(facilitators=user) | Q(pk__in=running_places)).exists():
        return True
    return is_programme_manager(user) and cohorts.exists()
