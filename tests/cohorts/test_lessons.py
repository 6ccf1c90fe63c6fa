"""Marking lessons complete and undoing it: only a member of a running cohort, only a lesson of
their course, once however often, with activity recorded; on the page, a 400 with a way back to
the lesson whenever nothing was saved."""

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from academy import roles
from cohorts.models import Enrolment, LessonCompletion
from cohorts.services.lessons import lesson_complete

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory, complete, course_with_lessons, lessons_of
from .helpers import messages_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


# --- The service ----------------------------------------------------------------------------------


def test_completing_is_idempotent_and_records_activity(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page), last_activity_at=None)
    lesson = lessons_of(course_page)[0]
    lesson_complete(user=enrolment.user, lesson=lesson)
    lesson_complete(user=enrolment.user, lesson=lesson)
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at is not None


def test_a_lesson_of_another_course_cannot_be_completed(course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    other_lesson = lessons_of(course_with_lessons("Another course"))[0]
    with pytest.raises(ValidationError, match="course you are taking now"):
        lesson_complete(user=enrolment.user, lesson=other_lesson)
    assert not LessonCompletion.objects.exists()


@pytest.mark.parametrize(
    ("status", "traits"),
    [
        (Status.APPLIED, {}),
        (Status.WAITLISTED, {}),
        (Status.WITHDRAWN, {}),
        (Status.ACTIVE, {"finished": True}),
        (Status.ACTIVE, {"upcoming": True}),
    ],
)
def test_only_a_member_of_a_running_cohort_completes_lessons(course_page, status, traits):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, **traits), status=status)
    with pytest.raises(ValidationError):
        lesson_complete(user=enrolment.user, lesson=lessons_of(course_page)[0])
    assert not LessonCompletion.objects.exists()


# --- Mark as complete on the lesson page ----------------------------------------------------------


def complete_url(lesson) -> str:
    return reverse("lesson_complete", args=[lesson.pk])


def test_completing_and_undoing_a_lesson_moves_progress(client, learner, enrolment, course_page):
    lessons = lessons_of(course_page)
    client.force_login(learner)

    response = client.post(complete_url(lessons[0]), {"action": "complete"})

    assert response.status_code == 302
    assert response["Location"] == lessons[0].url
    assert messages_of(response) == ["Lesson marked as complete"]
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=lessons[0]).exists()
    html = client.get(reverse("my_learning")).content.decode()
    assert "1 of 6 required lessons complete (16%)" in html
    assert "Continue: Lesson 1.2" in html

    response = client.post(complete_url(lessons[0]), {"action": "undo"})

    assert response.status_code == 302
    assert not LessonCompletion.objects.filter(enrolment=enrolment).exists()
    html = client.get(reverse("my_learning")).content.decode()
    assert "0 of 6 required lessons complete (0%)" in html
    assert "Continue: Lesson 1.1" in html


def test_completing_every_required_lesson_completes_the_enrolment(
    client, learner, enrolment, course_page
):
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:-1])
    client.force_login(learner)

    client.post(complete_url(lessons[-1]), {"action": "complete"})

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert (
        "6 of 6 required lessons complete (100%)"
        in client.get(reverse("my_learning")).content.decode()
    )


def test_marking_complete_needs_a_post(client, learner, course_page):
    client.force_login(learner)

    response = client.get(complete_url(lessons_of(course_page)[0]))

    assert response.status_code == 405


def test_anonymous_visitors_cannot_mark_lessons_complete(client, course_page):
    lesson = lessons_of(course_page)[0]

    response = client.post(complete_url(lesson))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not LessonCompletion.objects.exists()


def test_a_lesson_of_another_course_cannot_be_marked_complete(client, learner):
    other = course_with_lessons("Pooling budgets", modules=1, lessons=2)
    CohortFactory(course=other)  # running, but the learner has no place on it

    client.force_login(learner)
    response = client.post(complete_url(lessons_of(other)[0]))

    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_an_unknown_lesson_is_not_found(client, learner):
    client.force_login(learner)

    assert client.post(reverse("lesson_complete", args=[999999])).status_code == 404


@pytest.mark.parametrize("lesson_id", ["99999999999999999999999", str(2**63), "0"])
def test_a_lesson_id_no_database_could_hold_is_not_found(client, learner, lesson_id):
    """A 23-digit id here once overflowed SQLite's integer and gave a 500."""
    client.force_login(learner)

    response = client.post(f"/learning/lessons/{lesson_id}/complete/", {"action": "complete"})

    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def assert_refused_with_a_way_back(response, lesson, message):
    """Refused: 400, the reason, and a link back to the lesson; nothing recorded."""
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your progress was not changed" in html
    assert message in html
    assert f'<a class="govuk-link" href="{lesson.url}">Go back to {lesson.title}</a>' in html
    assert not LessonCompletion.objects.exists()


def test_an_editor_without_a_place_is_refused_and_nothing_is_saved(client, course_page):
    CohortFactory(course=course_page)
    lesson = lessons_of(course_page)[0]
    client.force_login(UserFactory(groups=[roles.EDITORS]))

    response = client.post(complete_url(lesson), {"action": "complete"})

    assert_refused_with_a_way_back(
        response, lesson, "You can only complete lessons of a course you are taking now"
    )


@pytest.mark.parametrize(
    "data", [{"action": "delete"}, {"action": "delete-all"}, {"action": ""}, {}], ids=repr
)
def test_an_unknown_or_missing_action_is_a_400_and_changes_nothing(
    client, learner, enrolment, course_page, data
):
    """``action=delete`` once answered 302 with a message, as if all were well."""
    lesson = lessons_of(course_page)[0]
    complete(enrolment, [lessons_of(course_page)[1]])
    completions = list(LessonCompletion.objects.values_list("pk", "lesson_id"))
    client.force_login(learner)

    response = client.post(complete_url(lesson), data)

    assert response.status_code == 400
    assert "Choose Mark as complete or Undo on the lesson page" in response.content.decode()
    assert f'href="{lesson.url}"' in response.content.decode()
    assert list(LessonCompletion.objects.values_list("pk", "lesson_id")) == completions
