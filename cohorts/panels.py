"""What the cohorts app adds to course pages (registered in ``wagtail_hooks.py``, rendered by
``courses.panels``): the upcoming cohorts on a course overview, and the learner's progress with
"Mark as complete" on a lesson.

A course overview is served to anonymous visitors from the public page cache, so its panel is
the same for every anonymous visitor: no CSRF token (the join link leads to a page with the
form), nothing personal. Signed-in people, whose pages are never cached, also see their own
place. Each panel makes a small, fixed number of queries."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.models import Page

from courses.models import CoursePage, LessonPage

from .models import Cohort, Enrolment, LessonCompletion
from .selectors.places import places_left, upcoming_cohorts
from .services.lessons import lesson_visited


def _own_enrolment(user, course: CoursePage) -> Enrolment | None:
    """The person's place or application on a cohort of ``course`` that has not finished."""
    return (
        Enrolment.objects.filter(
            user=user,
            course=course,
            status__in=(*Enrolment.LIVE_STATUSES, Enrolment.Status.COMPLETED),
            cohort__cancelled=False,
            cohort__end_date__gte=timezone.localdate(),
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
    """For a member of a running cohort of the lesson's course: the module's progress and a
    form to mark the lesson complete or undo it. Staff reading without a place see nothing."""
    user = getattr(request, "user", None)
    if (
        not isinstance(page, LessonPage)
        or user is None
        or not user.is_authenticated
        or getattr(request, "is_preview", False)
    ):
        return ""
    enrolment = (
        Enrolment.objects.members()
        .filter(
            user=user,
            course__in=CoursePage.objects.ancestor_of(page).values("pk"),
            cohort__in=Cohort.objects.running(),
        )
        .select_related("cohort")
        .first()
    )
    if enrolment is None:
        return ""
    lesson_visited(user=user, lesson=page)
    module_lessons = list(
        LessonPage.objects.live()
        .filter(path__startswith=page.path[: -Page.steplen], depth=page.depth)
        .annotate(
            done=Exists(LessonCompletion.objects.filter(enrolment=enrolment, lesson=OuterRef("pk")))
        )
        .values_list("pk", "done")
    )
    done = {pk for pk, is_done in module_lessons if is_done}
    context = {
        "lesson": page,
        "enrolment": enrolment,
        "is_complete": page.pk in done,
        "module_done": len(done),
        "module_total": len(module_lessons),
    }
    return render_to_string("cohorts/panels/lesson_progress.html", context, request=request)
