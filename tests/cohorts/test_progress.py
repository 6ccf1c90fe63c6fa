"""Progress: percentages rounded down, an enrolment's progress over the required lessons of its
course, and the moment an enrolment becomes complete (and stops being complete)."""

from django.core import mail

import pytest

from cohorts.models import Enrolment
from cohorts.progress import enrolment_progress, percent
from cohorts.services.lessons import lesson_complete, lesson_uncomplete

from .factories import CohortFactory, EnrolmentFactory, complete, lessons_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def test_percent_rounds_down_and_never_divides_by_zero():
    assert percent(1, 3) == 33
    assert percent(2, 3) == 66
    assert percent(3, 3) == 100
    assert percent(0, 0) == 0


def test_progress_is_required_lessons_completed_over_required_lessons(course_page):
    lessons = lessons_of(course_page)  # 6 required lessons
    optional = lessons[-1]
    optional.required_for_completion = False
    optional.save_revision().publish()
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    for lesson in [*lessons[:2], optional]:
        lesson_complete(user=enrolment.user, lesson=lesson)
    progress = enrolment_progress(enrolment)
    assert (progress.done, progress.total, progress.percent) == (2, 5, 40)


def test_completing_every_required_lesson_completes_the_enrolment(course_page, send_on_commit):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    *first, last = lessons_of(course_page)
    complete(enrolment, first)
    send_on_commit(lesson_complete, user=enrolment.user, lesson=last)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert enrolment.completed_at is not None
    # The completion email, beside the certificate's (the outbox sends them in either order).
    assert any("You have completed" in message.subject for message in mail.outbox)

    lesson_uncomplete(user=enrolment.user, lesson=last)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.completed_at is None


class Assessments:
    """Two assessments per course, none of them done: the shape an assessment requirement will
    have, with the words for what it counts."""

    noun = ("assessment", "assessments")

    def required(self, course):
        return 2

    def done(self, course):
        from django.db.models import IntegerField, Value

        return Value(0, output_field=IntegerField())


@pytest.fixture
def assessments_counted():
    from cohorts import progress

    requirement = progress.register_requirement(Assessments())
    yield requirement
    progress.unregister_requirement(requirement)


def test_progress_is_worded_by_what_the_engine_counts(client, course_page, assessments_counted):
    """My learning, the cohort home and the completion email say what is counted: required
    lessons today, required lessons and assessments once assessments count too."""
    from django.urls import reverse

    from academy import outbox
    from academy.models import OutboxEmail
    from cohorts.notifications import enrolment_notify

    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page)[:3])
    client.force_login(enrolment.user)

    my_learning = client.get(reverse("my_learning")).content.decode()
    home = client.get(reverse("cohort_home", args=[enrolment.cohort_id])).content.decode()
    enrolment.status = Status.COMPLETED
    enrolment.save(update_fields=["status"])
    enrolment_notify(enrolment)
    outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True)))

    assert "3 of 8 required lessons and assessments complete (37%)" in my_learning
    assert "3 of 8 required lessons and assessments complete" in home
    assert "you have completed every required lesson and assessment of" in mail.outbox[-1].body


def test_progress_of_lessons_alone_speaks_of_required_lessons(client, course_page):
    from django.urls import reverse

    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons_of(course_page)[:1])
    client.force_login(enrolment.user)

    assert (
        "1 of 6 required lessons complete (16%)"
        in client.get(reverse("my_learning")).content.decode()
    )
