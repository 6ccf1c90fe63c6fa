"""Cohorts for tests: a course with modules and lessons, cohorts running now, still to come or
finished, enrolments at any stage, live sessions and announcements. Dates are relative to
today, so a "running" cohort is running whenever the test runs."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

import factory

from academy.roles import FACILITATORS
from cohorts.models import (
    Announcement,
    AssessmentResult,
    Cohort,
    Enrolment,
    LessonCompletion,
    LiveSession,
    Mark,
    QuizAttempt,
    Submission,
)
from cohorts.services.assessment_results import lock_enrolment, result_refresh
from courses.models import AssessmentPage, CoursePage, LessonPage, ModulePage

from ..courses.factories import course_fields, course_index, sectors
from ..factories import UserFactory


def course_with_lessons(
    title: str = "Leading across boundaries", *, modules: int = 2, lessons: int = 3, **fields
) -> CoursePage:
    """A published course with ``modules`` modules of ``lessons`` required lessons each."""
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.first() or course_index()
    # The course, its modules and lessons are added live without revisions: cohort tests build
    # many courses, and what they test does not depend on a page's history.
    page = CoursePage(**course_fields(title, **fields))
    page.sectors = sectors("local-government")
    index.add_child(instance=page)
    for m in range(1, modules + 1):
        module_page = page.add_child(
            instance=ModulePage(title=f"Module {m} of {title}", slug=f"module-{m}")
        )
        for n in range(1, lessons + 1):
            module_page.add_child(
                instance=LessonPage(
                    title=f"Lesson {m}.{n}",
                    slug=f"lesson-{m}-{n}",
                    body=[("paragraph", "<p>One pilot found fifty different benefits.</p>")],
                )
            )
    return page


def lessons_of(course_page: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course_page).live().order_by("path"))


def facilitator(**fields):
    return UserFactory(groups=[FACILITATORS], **fields)


def today():
    return timezone.localdate()


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort running now (started 30 days ago, ends in 30 days) with 20 places."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.LazyFunction(lambda: CoursePage.objects.first() or course_with_lessons())
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: today() + timedelta(days=30))
    capacity = 20
    enrolment_mode = Cohort.EnrolmentMode.OPEN

    class Params:
        upcoming = factory.Trait(
            start_date=factory.LazyFunction(lambda: today() + timedelta(days=14)),
            end_date=factory.LazyFunction(lambda: today() + timedelta(days=74)),
        )
        finished = factory.Trait(
            start_date=factory.LazyFunction(lambda: today() - timedelta(days=120)),
            end_date=factory.LazyFunction(lambda: today() - timedelta(days=60)),
        )
        by_application = factory.Trait(
            enrolment_mode=Cohort.EnrolmentMode.APPLICATION,
            application_question="What would you like to change in your place?",
        )

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.add(*extracted)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment; pass ``status`` for any other stage."""

    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    course = factory.LazyAttribute(lambda enrolment: enrolment.cohort.course)
    status = Enrolment.Status.ACTIVE
    activated_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)


def complete(enrolment: Enrolment, lessons: list[LessonPage], when=None) -> None:
    """Mark ``lessons`` complete for ``enrolment`` directly (no rules checked)."""
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(enrolment=enrolment, lesson=item, completed_at=when or timezone.now())
            for item in lessons
        ]
    )


class LiveSessionFactory(factory.django.DjangoModelFactory):
    """A one-hour online session a week from now."""

    class Meta:
        model = LiveSession

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Action learning set {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=1))
    joining_url = "https://meet.example.org/academy-set"
    description = "Bring one problem your partnership is stuck on."


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    cohort = factory.SubFactory(CohortFactory)
    author = None
    subject = factory.Sequence(lambda n: f"Week {n}: reading for the next session")
    body = "Please read the case study on shared budgets before Thursday."


# --- lists ---


def modules_of(course_page: CoursePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course_page).order_by("path"))


def result_refreshed(enrolment: Enrolment, assessment: AssessmentPage) -> AssessmentResult | None:
    """Work out ``enrolment``'s result on ``assessment`` as the assessment services do: under
    the enrolment's row lock, in one transaction."""
    with transaction.atomic():
        return result_refresh(enrolment=lock_enrolment(enrolment.pk), assessment=assessment)


# The outcome of the released mark a submission of each status carries.
_OUTCOMES = {
    Submission.Status.PASSED: Mark.Outcome.PASS,
    Submission.Status.RESUBMIT: Mark.Outcome.RESUBMIT,
    Submission.Status.HELD: Mark.Outcome.PASS,
}


def submitted(
    enrolment: Enrolment,
    assessment: AssessmentPage,
    *,
    status: str = Submission.Status.WAITING,
    when=None,
    late: bool = False,
    refresh: bool = True,
) -> Submission:
    """The next version of ``enrolment``'s work on ``assessment``, with the mark its status
    implies (released for passed and resubmit, held for held), and the learner's result worked
    out again unless ``refresh`` is false."""
    when = when or timezone.now()
    version = Submission.objects.filter(enrolment=enrolment, assessment=assessment).count() + 1
    submission = Submission.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        version=version,
        text="We mapped every budget spent on older people in the borough.",
        word_count=10,
        submitted_at=when,
        late=late,
        status=status,
    )
    if status in _OUTCOMES:
        Mark.objects.create(
            submission=submission,
            outcome=_OUTCOMES[status],
            total=4,
            max_total=6,
            comments="A clear account of the partnership.",
            created_at=when,
            released_at=None if status == Submission.Status.HELD else when,
        )
    if refresh:
        result_refreshed(enrolment, assessment)
    return submission


def quiz_attempted(
    enrolment: Enrolment,
    assessment: AssessmentPage,
    *,
    percent: int,
    pass_mark: int = 70,
    when=None,
    refresh: bool = True,
) -> QuizAttempt:
    """The next attempt at a quiz of ten questions, scoring ``percent``."""
    number = QuizAttempt.objects.filter(enrolment=enrolment, assessment=assessment).count() + 1
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        assessment=assessment,
        number=number,
        score=percent // 10,
        max_score=10,
        percent=percent,
        passed=percent >= pass_mark,
        submitted_at=when or timezone.now(),
    )
    if refresh:
        result_refreshed(enrolment, assessment)
    return attempt
