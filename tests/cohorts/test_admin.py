"""The programme managers' cohort editor in the Wagtail admin: who reaches it, what the form
accepts and refuses, and deleting a cohort that people are on."""

from datetime import timedelta

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

import pytest

from academy.roles import EDITORS, MODERATORS, PROGRAMME_MANAGERS
from cohorts.admin_menu import programme_report_menu_item
from cohorts.models import Cohort, Enrolment
from cohorts.viewsets import cohort_viewset
from tests.cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    facilitator,
    today,
)
from tests.factories import UserFactory

INDEX = cohort_viewset.get_url_name("index")
ADD = cohort_viewset.get_url_name("add")
EDIT = cohort_viewset.get_url_name("edit")
DELETE = cohort_viewset.get_url_name("delete")


@pytest.fixture
def manager(db):
    return UserFactory(groups=[PROGRAMME_MANAGERS], display_name="Martin Kowalski")


@pytest.fixture
def pm_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def course(db):
    return course_with_lessons("Leading across boundaries")


def form_data(course_page, **changes) -> dict:
    start = today() + timedelta(days=21)
    data = {
        "course": course_page.pk,
        "name": "Cohort 13",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=70)).isoformat(),
        "capacity": "24",
        "enrolment_mode": Cohort.EnrolmentMode.OPEN,
        "application_question": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(cohort: Cohort, **changes) -> dict:
    data = {
        "course": cohort.course_id,
        "name": cohort.name,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "capacity": str(cohort.capacity),
        "enrolment_mode": cohort.enrolment_mode,
        "application_question": cohort.application_question,
        "facilitators": [person.pk for person in cohort.facilitators.all()],
    }
    data.update(changes)
    return data


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- Listing ------------------------------------------------------------------------------------


def test_programme_manager_sees_every_cohort_with_places_status_and_facilitators(pm_client, course):
    helen = facilitator(display_name="Helen Okafor")
    running = CohortFactory(course=course, name="Cohort 12", capacity=30, facilitators=[helen])
    EnrolmentFactory.create_batch(3, cohort=running)
    EnrolmentFactory(cohort=running, status=Enrolment.Status.WITHDRAWN)
    CohortFactory(course=course, name="Cohort 13", upcoming=True)

    response = pm_client.get(reverse(INDEX))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Cohort 12" in content and "Cohort 13" in content
    assert "Helen Okafor" in content
    assert "Running" in content and "Upcoming" in content
    assert date_format(running.start_date) in content
    row = next(c for c in response.context["object_list"] if c.name == "Cohort 12")
    assert row.places_taken == 3


def test_listing_searches_by_course_and_filters_by_status(pm_client, course):
    other = course_with_lessons("Pooled budgets")
    CohortFactory(course=course, name="Cohort 12")
    CohortFactory(course=other, name="Budgets 3", upcoming=True)

    searched = pm_client.get(reverse(INDEX), {"q": "pooled"})
    filtered = pm_client.get(reverse(INDEX), {"status": "running"})

    assert [c.name for c in searched.context["object_list"]] == ["Budgets 3"]
    assert [c.name for c in filtered.context["object_list"]] == ["Cohort 12"]


@pytest.mark.parametrize(
    "query",
    [{"status": "bogus"}, {"course": "abc"}, {"course": "999999"}, {"ordering": "password"}],
)
def test_listing_ignores_bad_filters_and_orderings(pm_client, course, query):
    CohortFactory(course=course, name="Cohort 12")

    response = pm_client.get(reverse(INDEX), query)

    assert response.status_code == 200
    assert "Cohort 12" in response.content.decode()


def test_listing_makes_the_same_number_of_queries_however_many_cohorts(pm_client, course):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_client.get(reverse(INDEX)).status_code == 200
        return len(queries)

    helen = facilitator()
    CohortFactory(course=course, facilitators=[helen])
    one = count_queries()
    for _ in range(5):
        cohort = CohortFactory(course=course, facilitators=[helen, facilitator()])
        EnrolmentFactory.create_batch(2, cohort=cohort)

    assert count_queries() == one


# --- Creating and editing -----------------------------------------------------------------------


def test_programme_manager_creates_a_cohort_with_facilitators(pm_client, course):
    helen = facilitator(display_name="Helen Okafor", email="helen@example.org")

    form = pm_client.get(reverse(ADD))
    response = pm_client.post(reverse(ADD), form_data(course, facilitators=[helen.pk]))

    assert form.status_code == 200
    assert "Helen Okafor (helen@example.org)" in form.content.decode()
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Cohort 13")
    assert cohort.course_id == course.pk
    assert cohort.capacity == 24
    assert list(cohort.facilitators.all()) == [helen]
    assert cohort.status == Cohort.Status.UPCOMING


def test_programme_manager_edits_a_cohort(pm_client, course):
    cohort = CohortFactory(course=course, upcoming=True, capacity=20)

    response = pm_client.post(
        reverse(EDIT, args=[cohort.pk]), edit_data(cohort, name="Cohort 13 (Leeds)", capacity=28)
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity) == ("Cohort 13 (Leeds)", 28)


def test_only_live_courses_are_offered(pm_client, course):
    draft = course_with_lessons("Draft course")
    draft.unpublish()

    response = pm_client.get(reverse(ADD))

    offered = list(response.context["form"].fields["course"].queryset)
    assert course in offered and draft not in offered


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_date": (today() + timedelta(days=10)).isoformat()},
            "end_date",
            "The end date must be after the start date",
        ),
        ({"capacity": "0"}, "capacity", "Capacity must be at least 1"),
        ({"capacity": "many"}, "capacity", "Capacity must be a whole number, like 24"),
        (
            {"enrolment_mode": Cohort.EnrolmentMode.APPLICATION, "application_question": " "},
            "application_question",
            "Enter the question applicants answer, or make enrolment open",
        ),
        ({"course": ""}, "course", "Choose the course this cohort takes"),
        ({"name": " "}, "name", "Enter a name for the cohort"),
        ({"name": "\u200b"}, "name", "The name must include at least one letter or number"),
        ({"name": "Cohort\x0013"}, "name", "The name must not include control characters"),
    ],
)
def test_invalid_cohorts_are_refused_with_a_message_on_the_field(
    pm_client, course, changes, field, message
):
    response = pm_client.post(reverse(ADD), form_data(course, **changes))

    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_crafted_facilitator_who_is_not_in_the_group_is_refused(pm_client, course):
    outsider = UserFactory(display_name="Not a facilitator")
    retired = facilitator(is_active=False)

    for person in (outsider, retired):
        response = pm_client.post(reverse(ADD), form_data(course, facilitators=[person.pk]))

        assert response.status_code == 200
        assert errors_of(response, "facilitators") == [
            "Choose facilitators from the list: only active members of the Facilitators group "
            "can run a cohort"
        ]
    assert "Not a facilitator" not in pm_client.get(reverse(ADD)).content.decode()
    assert not Cohort.objects.exists()


def test_capacity_cannot_drop_below_the_places_taken(pm_client, course):
    cohort = CohortFactory(course=course, capacity=20)
    EnrolmentFactory.create_batch(12, cohort=cohort)
    EnrolmentFactory.create_batch(3, cohort=cohort, status=Enrolment.Status.WITHDRAWN)

    refused = pm_client.post(reverse(EDIT, args=[cohort.pk]), edit_data(cohort, capacity=11))
    allowed = pm_client.post(reverse(EDIT, args=[cohort.pk]), edit_data(cohort, capacity=12))

    assert refused.status_code == 200
    assert errors_of(refused, "capacity") == [
        "12 learners already hold places; capacity cannot be less than 12"
    ]
    assert allowed.status_code == 302
    cohort.refresh_from_db()
    assert cohort.capacity == 12


def test_course_cannot_change_once_anyone_has_enrolled(pm_client, course):
    other = course_with_lessons("Pooled budgets")
    cohort = CohortFactory(course=course, upcoming=True, by_application=True)
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.APPLIED)

    response = pm_client.post(reverse(EDIT, args=[cohort.pk]), edit_data(cohort, course=other.pk))

    assert response.status_code == 200
    assert errors_of(response, "course") == [
        "People have already enrolled on or applied to this cohort, so its course cannot "
        "change. Create a new cohort for the other course instead"
    ]
    cohort.refresh_from_db()
    assert cohort.course_id == course.pk


def test_course_can_change_while_nobody_has_enrolled(pm_client, course):
    other = course_with_lessons("Pooled budgets")
    cohort = CohortFactory(course=course, upcoming=True)

    response = pm_client.post(reverse(EDIT, args=[cohort.pk]), edit_data(cohort, course=other.pk))

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.course_id == other.pk


# --- Deleting -----------------------------------------------------------------------------------


def test_a_cohort_nobody_joined_can_be_deleted(pm_client, course):
    cohort = CohortFactory(course=course, upcoming=True)

    response = pm_client.post(reverse(DELETE, args=[cohort.pk]))

    assert response.status_code == 302
    assert not Cohort.objects.exists()


def test_a_cohort_with_enrolments_cannot_be_deleted(pm_client, course):
    cohort = CohortFactory(course=course, name="Cohort 12")
    EnrolmentFactory.create_batch(2, cohort=cohort)

    edit_page = pm_client.get(reverse(EDIT, args=[cohort.pk]))
    asked = pm_client.get(reverse(DELETE, args=[cohort.pk]))
    response = pm_client.post(reverse(DELETE, args=[cohort.pk]), follow=True)

    assert reverse(DELETE, args=[cohort.pk]) not in edit_page.content.decode()
    assert asked.status_code == 302
    assert asked["Location"] == reverse(EDIT, args=[cohort.pk])
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    assert "Cohort 12 cannot be deleted: 2 people have enrolled on it or applied to it" in (
        response.content.decode()
    )


# --- Who may use it -----------------------------------------------------------------------------


@pytest.mark.parametrize("group", [EDITORS, MODERATORS])
def test_editors_and_moderators_cannot_reach_cohorts(client, course, group):
    client.force_login(UserFactory(groups=[group]))
    cohort = CohortFactory(course=course, name="Cohort 12")

    listing = client.get(reverse(INDEX))
    edit = client.get(reverse(EDIT, args=[cohort.pk]))
    create = client.post(reverse(ADD), form_data(course, name="Sneaked in"))
    delete = client.post(reverse(DELETE, args=[cohort.pk]))
    dashboard = client.get(reverse("wagtailadmin_home"))

    for response in (listing, edit, create, delete):
        assert response.status_code in (302, 403, 404)
        assert b"Cohort 12" not in response.content
    assert not Cohort.objects.filter(name="Sneaked in").exists()
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    assert dashboard.status_code == 200
    assert reverse(INDEX) not in dashboard.content.decode()


def test_the_cohorts_menu_item_shows_for_programme_managers(pm_client):
    dashboard = pm_client.get(reverse("wagtailadmin_home"))

    assert dashboard.status_code == 200
    assert reverse(INDEX) in dashboard.content.decode()


@pytest.mark.parametrize(
    ("groups", "superuser", "shown"),
    [
        ([PROGRAMME_MANAGERS], False, True),
        ([], True, True),
        ([EDITORS], False, False),
        ([MODERATORS], False, False),
        ([], False, False),
    ],
)
def test_programme_report_menu_item_is_for_programme_managers_only(db, groups, superuser, shown):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(groups=groups, is_superuser=superuser)

    item = programme_report_menu_item()

    assert item.is_shown(request) is shown
    assert str(item.url) == reverse("programme_report") == "/facilitate/programme/"


def test_the_admin_menu_links_programme_managers_to_the_programme_report(client, manager):
    editor = UserFactory(groups=[EDITORS])

    client.force_login(manager)
    for_manager = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    for_editor = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("programme_report") in for_manager
    assert reverse("programme_report") not in for_editor
