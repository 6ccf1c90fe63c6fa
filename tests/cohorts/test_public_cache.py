"""The public page cache survives learners learning: a course overview shows its upcoming
cohorts with the places left, so it is refreshed when one of those figures changes, and only
that course's overview is; a lesson marked complete, an application or a place on a running
cohort leaves every public page served from the cache with no database query
(``cohorts/public_cache.py``, ``courses/cache.py``)."""

from datetime import timedelta
from types import SimpleNamespace

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail import hooks

import pytest

from academy.roles import PROGRAMME_MANAGERS
from academy.services import account_erase
from cohorts.models import Cohort, Enrolment
from cohorts.services.enrolment import enrolment_request
from cohorts.viewsets import cohort_viewset
from courses.panels import COURSE_PANELS
from tests.factories import UserFactory

from .factories import CohortFactory, EnrolmentFactory, course_with_lessons, lessons_of, today

pytestmark = pytest.mark.django_db

FULL = "Full \N{EN DASH} waiting list open"


@pytest.fixture
def academy():
    """Two courses in the catalogue. Leading across boundaries has Spring 2027 still to start,
    one of its two places taken, and Autumn 2026 running with Ada on it; Pooling budgets has
    Summer 2027 still to start, with five places."""
    leading = course_with_lessons("Leading across boundaries", modules=1, lessons=2)
    budgets = course_with_lessons("Pooling budgets", modules=1, lessons=2)
    spring = CohortFactory(course=leading, upcoming=True, name="Spring 2027", capacity=2)
    holder = EnrolmentFactory(cohort=spring).user
    summer = CohortFactory(course=budgets, upcoming=True, name="Summer 2027", capacity=5)
    autumn = CohortFactory(course=leading, name="Autumn 2026")
    ada = EnrolmentFactory(cohort=autumn).user
    return SimpleNamespace(
        leading=leading,
        budgets=budgets,
        spring=spring,
        holder=holder,
        summer=summer,
        autumn=autumn,
        ada=ada,
        paths=["/", "/courses/", leading.url, budgets.url],
    )


def visit(client, path: str) -> tuple[str, int]:
    """The page an anonymous visitor gets, and the database queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def warm(client, paths) -> dict[str, str]:
    """Visit each page twice: the second visit is answered from the cache."""
    pages = {}
    for path in paths:
        pages[path], _ = visit(client, path)
        assert visit(client, path) == (pages[path], 0), f"{path} was not cached"
    return pages


def assert_served_from_cache(client, pages: dict[str, str]) -> None:
    """Each page is answered from the cache, with no database query, as it was."""
    for path, html in pages.items():
        again, queries = visit(client, path)
        assert queries == 0, f"{path} was rendered again ({queries} queries)"
        assert again == html, path


def signed_in(user) -> Client:
    person = Client()
    person.force_login(user)
    return person


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Do something as a request would: its transaction commits and whatever waits on the
    commit runs."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


# --- Learning changes no public page --------------------------------------------------------


def test_marking_lessons_complete_leaves_every_public_page_cached(client, academy, act):
    pages = warm(client, academy.paths)
    ada = signed_in(academy.ada)
    first, last = lessons_of(academy.leading)

    for lesson, action in [(first, "complete"), (first, "undo"), (first, "complete")]:
        url = reverse("lesson_complete", args=[lesson.pk])
        assert act(ada.post, url, {"action": action}).status_code == 302
        assert_served_from_cache(client, pages)

    # The last lesson completes the enrolment: still a place taken, nothing public changes.
    act(ada.post, reverse("lesson_complete", args=[last.pk]), {"action": "complete"})
    assert Enrolment.objects.get(user=academy.ada).status == Enrolment.Status.COMPLETED
    assert_served_from_cache(client, pages)


def test_opening_a_lesson_leaves_every_public_page_cached(client, academy, act):
    pages = warm(client, academy.paths)

    response = act(signed_in(academy.ada).get, lessons_of(academy.leading)[0].url)

    assert response.status_code == 200
    assert_served_from_cache(client, pages)


# --- Places taken and given up --------------------------------------------------------------


def test_taking_the_last_place_refreshes_that_course_page_and_no_other(client, academy, act):
    pages = warm(client, academy.paths)
    assert "1 place left" in pages[academy.leading.url]

    joined = act(signed_in(UserFactory()).post, reverse("cohort_join", args=[academy.spring.pk]))

    assert joined.status_code == 302
    overview, queries = visit(client, academy.leading.url)
    assert queries > 0
    assert FULL in overview and "1 place left" not in overview
    del pages[academy.leading.url]
    assert_served_from_cache(client, pages)

    # The cohort is full: the next person joins the waiting list, which no public page shows.
    pages[academy.leading.url] = visit(client, academy.leading.url)[0]
    act(signed_in(UserFactory()).post, reverse("cohort_join", args=[academy.spring.pk]))
    assert Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).count() == 1
    assert_served_from_cache(client, pages)


def test_giving_up_a_place_refreshes_that_course_page_and_no_other(client, academy, act):
    pages = warm(client, academy.paths)

    left = act(signed_in(academy.holder).post, reverse("cohort_withdraw", args=[academy.spring.pk]))

    assert left.status_code == 302
    overview, queries = visit(client, academy.leading.url)
    assert queries > 0
    assert "2 places left" in overview
    del pages[academy.leading.url]
    assert_served_from_cache(client, pages)


def test_giving_up_a_place_on_a_running_cohort_changes_no_public_page(client, academy, act):
    pages = warm(client, academy.paths)

    left = act(signed_in(academy.ada).post, reverse("cohort_withdraw", args=[academy.autumn.pk]))

    assert left.status_code == 302
    assert Enrolment.objects.get(user=academy.ada).status == Enrolment.Status.WITHDRAWN
    assert_served_from_cache(client, pages)


def test_an_application_changes_no_public_page_until_it_is_approved(client, academy, act):
    academy.summer.enrolment_mode = Cohort.EnrolmentMode.APPLICATION
    academy.summer.application_question = "What would you like to change in your place?"
    academy.summer.save()
    pages = warm(client, academy.paths)
    applicant = UserFactory()

    act(enrolment_request, user=applicant, cohort=academy.summer, answer="Our hospital discharges")

    assert_served_from_cache(client, pages)

    runner = UserFactory(groups=[PROGRAMME_MANAGERS])
    approved = act(
        signed_in(runner).post,
        reverse("facilitate_applications", args=[academy.summer.pk]),
        {"enrolments": [Enrolment.objects.get(user=applicant).pk], "decision": "approve"},
    )
    assert approved.status_code == 302
    overview, queries = visit(client, academy.budgets.url)
    assert queries > 0
    assert "4 places left" in overview
    del pages[academy.budgets.url]
    assert_served_from_cache(client, pages)


def test_erasing_an_account_frees_its_place_on_the_course_page(client, academy, act):
    pages = warm(client, academy.paths)

    act(account_erase, user=academy.holder)

    overview, queries = visit(client, academy.leading.url)
    assert queries > 0
    assert "2 places left" in overview
    del pages[academy.leading.url]
    assert_served_from_cache(client, pages)


# --- Programme managers change cohorts in the admin -----------------------------------------


def edit_data(cohort: Cohort, **changes) -> dict:
    data = {
        "course": cohort.course_id,
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "capacity": str(cohort.capacity),
        "enrolment_mode": cohort.enrolment_mode,
        "application_question": cohort.application_question,
        "facilitators": [],
    }
    data.update(changes)
    return data


@pytest.fixture
def manager():
    return signed_in(UserFactory(groups=[PROGRAMME_MANAGERS]))


def edit(manager, act, cohort: Cohort, **changes):
    url = reverse(cohort_viewset.get_url_name("edit"), args=[cohort.pk])
    response = act(manager.post, url, edit_data(cohort, **changes))
    assert response.status_code == 302, response.content.decode()


def test_more_places_refresh_that_course_page_and_no_other(client, academy, act, manager):
    pages = warm(client, academy.paths)

    edit(manager, act, academy.spring, capacity="4")

    overview, queries = visit(client, academy.leading.url)
    assert queries > 0
    assert "3 places left" in overview
    del pages[academy.leading.url]
    assert_served_from_cache(client, pages)


def test_a_cancelled_cohort_leaves_that_course_page_and_no_other(client, academy, act, manager):
    pages = warm(client, academy.paths)
    assert "Spring 2027" in pages[academy.leading.url]

    edit(manager, act, academy.spring, cancelled="on")

    overview, queries = visit(client, academy.leading.url)
    assert queries > 0
    assert "Spring 2027" not in overview
    del pages[academy.leading.url]
    assert_served_from_cache(client, pages)


def test_a_cohort_moved_to_another_course_refreshes_both(client, academy, act, manager):
    pages = warm(client, academy.paths)

    edit(manager, act, academy.summer, course=academy.leading.pk, name="Summer 2027 (moved)")

    leading, _ = visit(client, academy.leading.url)
    budgets, _ = visit(client, academy.budgets.url)
    assert "Summer 2027 (moved)" in leading
    assert "Summer 2027" not in budgets
    assert_served_from_cache(client, {path: pages[path] for path in ("/", "/courses/")})


def test_a_new_cohort_appears_on_its_course_page_only(client, academy, act, manager):
    pages = warm(client, academy.paths)
    start = today() + timedelta(days=40)
    winter = Cohort(
        course=academy.budgets,
        name="Winter 2027",
        capacity=12,
        start_date=start,
        end_date=start + timedelta(days=60),
    )

    added = act(manager.post, reverse(cohort_viewset.get_url_name("add")), edit_data(winter))

    assert added.status_code == 302, added.content.decode()
    overview, queries = visit(client, academy.budgets.url)
    assert queries > 0
    assert "Winter 2027" in overview and "12 places left" in overview
    del pages[academy.budgets.url]
    assert_served_from_cache(client, pages)


def test_a_running_cohort_changed_in_the_admin_changes_no_public_page(
    client, academy, act, manager
):
    pages = warm(client, academy.paths)

    edit(manager, act, academy.autumn, capacity="30", name="Autumn 2026 (Leeds)")

    assert_served_from_cache(client, pages)


# --- Races ----------------------------------------------------------------------------------


def test_a_page_rendered_while_a_place_is_taken_is_not_served_afterwards(
    client, academy, django_capture_on_commit_callbacks
):
    """Someone takes the last place (their transaction commits) after the overview has read
    the places but before it is stored: the copy it stores shows a place that is gone, so it
    must never be served."""
    taken = []

    def take_the_last_place(request, page):
        if not taken:
            with django_capture_on_commit_callbacks(execute=True):
                taken.append(enrolment_request(user=UserFactory(), cohort=academy.spring))
        return ""

    with hooks.register_temporarily(COURSE_PANELS, take_the_last_place):
        during, _ = visit(client, academy.leading.url)
    assert taken and "1 place left" in during

    after, queries = visit(client, academy.leading.url)

    assert queries > 0
    assert FULL in after and "1 place left" not in after
    assert visit(client, academy.leading.url) == (after, 0)
