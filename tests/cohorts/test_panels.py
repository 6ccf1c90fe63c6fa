"""The panels the cohorts app adds to course pages: upcoming cohorts on a course overview (the
same for every anonymous visitor, so it can be cached) and progress with "Mark as complete" on a
lesson (only for learners with a place on a running cohort)."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from academy import roles
from cohorts.panels import course_cohorts_panel, lesson_progress_panel
from tests.factories import UserFactory

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db

FULL = "Full \N{EN DASH} waiting list open"


@pytest.fixture
def course_page():
    return course_with_lessons("Leading across boundaries")


def anonymous_request(path: str = "/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


# --- Upcoming cohorts on a course overview --------------------------------------------------


def test_a_course_overview_lists_its_upcoming_cohorts_with_places_left(client, course_page):
    spring = CohortFactory(course=course_page, upcoming=True, name="Spring 2027", capacity=5)
    EnrolmentFactory.create_batch(2, cohort=spring)
    summer = CohortFactory(course=course_page, upcoming=True, name="Summer 2027", capacity=1)
    EnrolmentFactory(cohort=summer)
    autumn = CohortFactory(
        course=course_page, upcoming=True, by_application=True, name="Autumn 2027"
    )
    CohortFactory(course=course_page, name="Running now")
    CohortFactory(course=course_page, upcoming=True, cancelled=True, name="Called off")

    response = client.get(course_page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Upcoming cohorts" in html
    assert "3 places left" in html
    assert FULL in html
    assert (
        f'href="{reverse("cohort_join", args=[spring.pk])}">Enrol'
        '<span class="govuk-visually-hidden"> for Spring 2027</span>'
    ) in html
    assert (
        f'href="{reverse("cohort_join", args=[autumn.pk])}">Apply'
        '<span class="govuk-visually-hidden"> for Autumn 2027</span>'
    ) in html
    assert "By application" in html
    assert "Running now" not in html
    assert "Called off" not in html


def test_a_course_without_upcoming_cohorts_says_so(client, course_page):
    CohortFactory(course=course_page, finished=True)

    html = client.get(course_page.url).content.decode()

    assert "No cohorts are open for enrolment at the moment" in html


def test_the_anonymous_panel_has_no_csrf_token_and_the_page_is_cached(
    client, course_page, django_assert_num_queries
):
    CohortFactory(course=course_page, upcoming=True, name="Spring 2027")

    response = client.get(course_page.url)

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    with django_assert_num_queries(0):
        assert "Spring 2027" in client.get(course_page.url).content.decode()


def test_the_anonymous_panel_is_the_same_for_every_visitor(course_page):
    CohortFactory(course=course_page, upcoming=True, name="Spring 2027")

    first = course_cohorts_panel(anonymous_request(), course_page)
    second = course_cohorts_panel(anonymous_request("/?utm=x"), course_page)

    assert first == second
    assert "Spring 2027" in first
    assert "csrf" not in first


def test_places_left_change_for_anonymous_visitors_when_someone_takes_a_place(
    client, course_page, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(course=course_page, upcoming=True, capacity=3)
    assert "3 places left" in client.get(course_page.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the cached page is purged on commit
        EnrolmentFactory(cohort=cohort)

    assert "2 places left" in client.get(course_page.url).content.decode()


def test_a_signed_in_learner_is_pointed_to_their_own_cohort(client, course_page):
    cohort = CohortFactory(course=course_page, name="Autumn 2026")
    enrolment = EnrolmentFactory(cohort=cohort)
    CohortFactory(course=course_page, upcoming=True, name="Spring 2027")
    client.force_login(enrolment.user)

    html = client.get(course_page.url).content.decode()

    assert "You have a place on Autumn 2026" in html
    assert reverse("cohort_home", args=[cohort.pk]) in html
    assert "Spring 2027" in html


def test_the_panel_shows_nothing_personal_to_other_signed_in_people(client, course_page):
    EnrolmentFactory(cohort=CohortFactory(course=course_page, name="Autumn 2026"))
    client.force_login(UserFactory())

    html = client.get(course_page.url).content.decode()

    assert "You have a place" not in html


# --- Progress and "Mark as complete" on a lesson --------------------------------------------


def test_a_learner_sees_module_progress_and_can_mark_the_lesson_complete(client, course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)
    client.force_login(enrolment.user)

    html = client.get(lessons[0].url).content.decode()

    assert "Module progress: 0 of 3 required lessons complete" in html
    assert f'action="{reverse("lesson_complete", args=[lessons[0].pk])}"' in html
    assert "csrfmiddlewaretoken" in html
    assert ">Mark as complete</button>" in html

    client.post(reverse("lesson_complete", args=[lessons[0].pk]), {"action": "complete"})
    html = client.get(lessons[0].url).content.decode()

    assert "Module progress: 1 of 3 required lessons complete" in html
    assert 'govuk-tag--green">Completed</strong>' in html
    assert 'name="action" value="undo"' in html
    assert ">Mark as complete</button>" not in html


def test_module_progress_counts_only_the_lessons_of_this_module(client, course_page):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    lessons = lessons_of(course_page)
    complete(enrolment, [lessons[0], lessons[3], lessons[4]])  # one in module 1, two in 2
    client.force_login(enrolment.user)

    assert "Module progress: 1 of 3 required lessons" in client.get(lessons[1].url).content.decode()
    assert "Module progress: 2 of 3 required lessons" in client.get(lessons[5].url).content.decode()


def test_module_progress_counts_required_lessons_as_the_dashboard_does(client, course_page):
    """An optional lesson is not part of a module's figure, on the lesson page as on the
    dashboard's completion by module: a learner who did every required lesson of a module has
    completed it in both places."""
    from cohorts.selectors.completion import module_completion

    lessons = lessons_of(course_page)
    optional = lessons[2]
    optional.required_for_completion = False
    optional.save_revision().publish()
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page))
    complete(enrolment, lessons[:2])  # both required lessons of module 1, not the optional one
    client.force_login(enrolment.user)

    html = client.get(lessons[0].url).content.decode()
    first_module = module_completion(enrolment.cohort)[0]

    assert (first_module.lessons, first_module.completed) == (2, 1)
    assert "Module progress: 2 of 2 required lessons complete" in html


def test_rendering_the_lesson_panel_writes_nothing(course_page):
    """The panel only reads; opening the lesson (the page's serve path) records activity."""
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(course=course_page),
        last_activity_at=timezone.now() - timedelta(days=20),
    )
    request = RequestFactory().get("/")
    request.user = enrolment.user

    with CaptureQueriesContext(connection) as captured:
        html = lesson_progress_panel(request, lessons_of(course_page)[0])

    assert "Module progress" in html
    writes = [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


@pytest.mark.parametrize("who", ["editor", "facilitator"])
def test_people_reading_without_a_place_see_no_form(client, course_page, who):
    cohort = CohortFactory(course=course_page)
    if who == "editor":
        user = UserFactory(groups=[roles.EDITORS])
    else:
        user = facilitator()
        cohort.facilitators.add(user)
    client.force_login(user)

    response = client.get(lessons_of(course_page)[0].url)

    assert response.status_code == 200
    assert "Mark as complete" not in response.content.decode()
    assert "Module progress" not in response.content.decode()


def test_the_lesson_panel_is_empty_for_anonymous_and_unenrolled_people(course_page):
    CohortFactory(course=course_page)
    lesson = lessons_of(course_page)[0]
    request = anonymous_request()

    assert lesson_progress_panel(request, lesson) == ""
    request.user = UserFactory()
    assert lesson_progress_panel(request, lesson) == ""


def test_opening_a_lesson_records_activity(client, course_page):
    long_ago = timezone.now() - timedelta(days=20)
    enrolment = EnrolmentFactory(
        cohort=CohortFactory(course=course_page), last_activity_at=long_ago
    )
    client.force_login(enrolment.user)

    client.get(lessons_of(course_page)[0].url)

    enrolment.refresh_from_db()
    assert enrolment.last_activity_at > long_ago + timedelta(days=19)


def test_the_lesson_page_makes_the_same_queries_however_big_the_cohort(client, course_page):
    cohort = CohortFactory(course=course_page)
    enrolment = EnrolmentFactory(cohort=cohort)
    lessons = lessons_of(course_page)
    client.force_login(enrolment.user)
    client.get(lessons[1].url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(lessons[1].url).status_code == 200
        return len(captured)

    before = queries()
    for other in EnrolmentFactory.create_batch(25, cohort=cohort):
        complete(other, lessons[:3])
    complete(enrolment, lessons[:1])

    assert queries() == before
