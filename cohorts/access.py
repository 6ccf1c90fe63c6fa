"""Who may do what with cohorts: the one place these decisions are made.

- Facilitators, programme managers and superusers use /facilitate/ at all (``runs_cohorts``);
  programme managers and superusers run every cohort (``runs_every_cohort``, the one place
  they are granted it); a cohort's own pages are for its facilitators and them
  (``can_facilitate``, ``facilitated_cohorts``). Who may be chosen to facilitate:
  ``facilitator_choices``. The programme report: ``sees_programme_report``.
- A cohort's home and calendar are for its members (a place, active or completed) and the
  people who run it (``can_view_cohort``); the personal calendar shows the cohorts a person
  belongs to or facilitates (``own_cohorts``).
- A learner's place on a running cohort of a course (``running_places``) opens its lessons and
  lets them mark lessons complete; ``lesson_rule`` is registered with ``courses.access`` (the
  one lesson decision).
- An assessment is taken, and seen by the people who run cohorts, inside a cohort: served at
  its own address, it sends a member or a person who runs a cohort of its course to the cohort
  ``assessment_cohort`` names (``cohorts.wagtail_hooks``).

Views answer 404 whenever one of these says no, so ids reveal nothing (docs/facilitators.md).
"""

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from academy.roles import FACILITATORS, is_facilitator, is_programme_manager
from courses.models import AssessmentPage, CoursePage, LessonPage

from .models import Cohort, Enrolment


def runs_every_cohort(user) -> bool:
    """Programme managers and superusers (who hold every role) run every cohort."""
    return is_programme_manager(user)


def runs_cohorts(user) -> bool:
    """Facilitators, programme managers and superusers may use /facilitate/ at all."""
    return is_facilitator(user) or runs_every_cohort(user)


def sees_programme_report(user) -> bool:
    """The programme report (and its place in the admin menu): programme managers and
    superusers."""
    return is_programme_manager(user)


def facilitator_choices() -> QuerySet:
    """Everyone who may be chosen to run a cohort: active members of the Facilitators group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=FACILITATORS)
        .distinct()
        .order_by("display_name", "email")
    )


def can_facilitate(user, cohort: Cohort) -> bool:
    """Facilitators of the cohort, programme managers and superusers run a cohort."""
    if not user.is_authenticated or not user.is_active:
        return False
    if runs_every_cohort(user):
        return True
    return cohort.facilitators.filter(pk=user.pk).exists()


def is_member(user, cohort: Cohort) -> bool:
    return user.is_authenticated and cohort.enrolments.members().filter(user=user).exists()


def can_view_cohort(user, cohort: Cohort) -> bool:
    """The cohort home and its calendar: members and the people who run it."""
    return is_member(user, cohort) or can_facilitate(user, cohort)


def own_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` belongs to (a place, active or completed) or facilitates: their
    personal calendar. Not every cohort a programme manager may open, only those they are part
    of."""
    member_of = Enrolment.objects.members().filter(user=user).values("cohort_id")
    return Cohort.objects.filter(Q(pk__in=member_of) | Q(facilitators=user))


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
    if runs_every_cohort(user):
        return cohorts.all()
    return cohorts.filter(facilitators=user)


def running_places(user, course) -> QuerySet[Enrolment]:
    """``user``'s place (active or completed) on a running cohort of ``course`` (a course page,
    or a queryset of course ids): what lets a learner read the course's lessons, mark them
    complete and see their progress on a lesson."""
    by_course = {"course__in": course} if isinstance(course, QuerySet) else {"course": course}
    # A subquery, not a join: an UPDATE of these rows stays one plain statement.
    running = Cohort.objects.running().values("pk")
    return Enrolment.objects.members().filter(user=user, cohort__in=running, **by_course)


def lesson_rule(user, lesson: LessonPage) -> bool:
    """Registered with ``courses.access``. The people who run a cohort of the lesson's course
    (its facilitators; programme managers, who run every cohort) read its lessons whatever the
    cohort's status: they prepare before it starts and look back after it ends. A learner
    reads them only while they hold a place on a running cohort of the course
    (``running_places``). One query decides for facilitators and learners; a programme manager
    takes two more (their groups, read once per request, and whether the course has a cohort).
    Superusers, editors and moderators are let in by ``courses.access`` itself."""
    course = CoursePage.objects.ancestor_of(lesson).values("pk")
    cohorts = Cohort.objects.filter(course__in=course)
    places = running_places(user, course).values("cohort_id")
    if cohorts.filter(Q(facilitators=user) | Q(pk__in=places)).exists():
        return True
    return runs_every_cohort(user) and cohorts.exists()


def assessment_cohort(user, assessment: AssessmentPage) -> Cohort | None:
    """The cohort in which ``user`` meets ``assessment``: the cohort of the course they hold a
    place on (active or completed, whatever the cohort's status), else one they run (its
    facilitators; programme managers run every cohort). Where there are several, the most
    recent running cohort, else the one that starts last. None for anyone else. Two queries
    at most (and a programme manager's groups, read once per request)."""
    if not user.is_authenticated or not user.is_active:
        return None
    course = CoursePage.objects.ancestor_of(assessment).values("pk")
    cohorts = Cohort.objects.filter(course__in=course)
    running_first = (
        Case(
            When(Cohort.status_condition(Cohort.Status.RUNNING), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-start_date",
        "-pk",
    )
    places = Enrolment.objects.members().filter(user=user).values("cohort_id")
    cohort = cohorts.filter(pk__in=places).order_by(*running_first).first()
    if cohort is None:
        run = facilitated_cohorts(user).filter(course__in=course)
        cohort = run.order_by(*running_first).first()
    return cohort
