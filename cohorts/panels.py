"""What the cohorts app adds to course pages (registered in ``wagtail_hooks.py``, rendered by
``courses.panels``): the upcoming cohorts on a course overview, and the learner's progress with
"Mark as complete" on a lesson.

A course overview is served to anonymous visitors from the public page cache, so its panel is
the same for every anonymous visitor: no CSRF token (the join link leads to a page with the
form), nothing personal. Signed-in people, whose pages are never cached, also see their own
place. Each panel makes a small, fixed number of queries, and only reads: opening a lesson is
recorded when the lesson is served (``wagtail_hooks.record_lesson_visit``)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from courses.models import CoursePage, LessonPage

from . import access
from .models import Cohort, Enrolment, LessonCompletion
from .progress import Counted
from .requirements.lessons import module_required_lesson_ids, required_lessons
from .selectors.places import places_left, upcoming_cohorts


def _own_enrolment(user, course: CoursePage) -> Enrolment | None:
    """The person's place or application on a cohort of ``course`` that has not finished."""
    not_over = ~Cohort.status_condition(
        Cohort.Status.FINISHED, through="cohort__"
    ) & ~Cohort.status_condition(Cohort.Status.CANCELLED, through="cohort__")
    return (
        Enrolment.objects.filter(
            not_over,
            user=user,
            course=course,
            status__in=(*Enrolment.LIVE_STATUSES, Enrolment.Status.COMPLETED),
        )
        .select_related("cohort")
        .order_by("-created_at")
        .first()
    )


def course_cohorts_panel(request, page) -> str:
    if not isinstance(page, CoursePage):
        return ""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    cohorts = upcoming_cohorts(page)
    context = {
        "course": page,
        "rows": [(cohort, places_left(cohort)) for cohort in cohorts],
        "enrolment": _own_enrolment(user, page) if signed_in else None,
    }
    # Rendered without the request: no context processor, no CSRF token, nothing per visitor.
    return render_to_string("cohorts/panels/course_cohorts.html", context)


def lesson_progress_panel(request, page) -> str:
    """For a learner with a place on a running cohort of the lesson's course
    (``access.running_places``): the module's progress over its required lessons (as the
    dashboard's completion by module counts them) and a form to mark the lesson complete or
    undo it. Staff reading without a place see nothing. One query, the module's lessons coming
    from the course's cached outline; rendered without the request's context processors."""
    user = getattr(request, "user", None)
    if (
        not isinstance(page, LessonPage)
        or user is None
        or not user.is_authenticated
        or getattr(request, "is_preview", False)
    ):
        return ""
    course_pk, module_lessons = module_required_lesson_ids(page)
    if course_pk is None:
        return ""
    completions = LessonCompletion.objects.filter(enrolment=OuterRef("pk"))
    module_done = (
        Count("completions", filter=Q(completions__lesson_id__in=module_lessons))
        if module_lessons
        else Value(0, output_field=IntegerField())
    )
    enrolment = (
        access.running_places(user, course_pk)
        .annotate(module_done=module_done, is_complete=Exists(completions.filter(lesson=page.pk)))
        .first()
    )
    if enrolment is None:
        return ""
    context = {
        "lesson": page,
        "enrolment": enrolment,
        "is_complete": enrolment.is_complete,
        "module_done": enrolment.module_done,
        "module_total": len(module_lessons),
        "module_counted": Counted((required_lessons.noun,)).of(len(module_lessons)),
        "csrf_token": get_token(request),
    }
    return render_to_string("cohorts/panels/lesson_progress.html", context)
