"""The cohort home: for its members and the people who run it, 404 for anyone else; its
facilitators, announcements, sessions, lessons with progress and calendar links, in the same
queries however big the cohort."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from academy import roles
from academy.models import Organisation
from cohorts.models import CalendarFeed, Enrolment

from ..factories import UserFactory, sector
from .factories import (
    AnnouncementFactory,
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    facilitator,
    lessons_of,
)
from .helpers import login_url_for

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def cohort_url(cohort) -> str:
    return reverse("cohort_home", args=[cohort.pk])


def test_the_cohort_home_asks_anonymous_visitors_to_sign_in(client, cohort):
    response = client.get(cohort_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(cohort_url(cohort))


@pytest.mark.parametrize(
    "status", [None, Status.APPLIED, Status.WAITLISTED, Status.WITHDRAWN, Status.DECLINED]
)
def test_the_cohort_home_is_not_found_for_people_outside_it(client, cohort, status):
    user = UserFactory()
    if status:
        EnrolmentFactory(user=user, cohort=cohort, status=status)
    client.force_login(user)

    assert client.get(cohort_url(cohort)).status_code == 404


def test_an_unknown_cohort_is_not_found(client, learner):
    client.force_login(learner)

    assert client.get(reverse("cohort_home", args=[999999])).status_code == 404


def test_the_cohort_home_shows_a_member_everything_about_the_cohort(
    client, learner, enrolment, cohort, course_page
):
    organisation = Organisation.objects.create(name="Wigan Council", sector=sector())
    person = facilitator(
        display_name="Asha Patel", job_title="Head of partnerships", organisation=organisation
    )
    cohort.facilitators.add(person)
    AnnouncementFactory(
        cohort=cohort, subject="Older news", created_at=timezone.now() - timedelta(days=3)
    )
    AnnouncementFactory(cohort=cohort, subject="Newest news")
    LiveSessionFactory(cohort=cohort, title="Opening session")
    LiveSessionFactory(cohort=cohort, title="Called-off session", cancelled=True)
    lessons = lessons_of(course_page)
    complete(enrolment, lessons[:1])
    client.force_login(learner)

    response = client.get(cohort_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Autumn 2026" in html and "Leading across boundaries" in html
    assert "Asha Patel" in html and "Head of partnerships" in html and "Wigan Council" in html
    assert html.index("Newest news") < html.index("Older news")
    assert "Opening session" in html
    assert "Called-off session" in html
    assert 'govuk-tag--red">Cancelled' in html
    assert f'href="{lessons[0].url}">Lesson 1.1</a> <strong class="govuk-tag' in html
    assert f'href="{lessons[1].url}">Lesson 1.2</a></li>' in html
    assert "1 of 6 required lessons complete" in html
    token = CalendarFeed.objects.get(user=learner).token
    assert f"http://testserver{reverse('cohort_calendar', args=[cohort.pk])}?token={token}" in html
    assert (
        f"webcal://testserver{reverse('cohort_calendar', args=[cohort.pk])}?token={token}" in html
    )
    assert reverse("cohort_withdraw", args=[cohort.pk]) in html


def test_the_cohort_home_makes_the_same_queries_however_big_the_cohort(
    client, learner, enrolment, cohort, course_page
):
    cohort.facilitators.add(facilitator())
    LiveSessionFactory(cohort=cohort)
    AnnouncementFactory(cohort=cohort)
    client.force_login(learner)
    client.get(cohort_url(cohort))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(cohort_url(cohort)).status_code == 200
        return len(captured)

    before = queries()
    cohort.facilitators.add(*[facilitator() for _ in range(3)])
    LiveSessionFactory.create_batch(5, cohort=cohort)
    AnnouncementFactory.create_batch(5, cohort=cohort)
    for other in EnrolmentFactory.create_batch(10, cohort=cohort):
        complete(other, lessons_of(course_page)[:2])

    assert queries() == before


def test_facilitators_see_the_cohort_home_without_a_withdraw_link(client, cohort):
    person = facilitator()
    cohort.facilitators.add(person)
    client.force_login(person)

    response = client.get(cohort_url(cohort))

    assert response.status_code == 200
    assert reverse("cohort_withdraw", args=[cohort.pk]) not in response.content.decode()


@pytest.mark.parametrize("cohort_fields", [{}, {"upcoming": True}], ids=["running", "upcoming"])
def test_every_lesson_link_on_the_cohort_home_opens_for_the_people_who_run_it(
    client, course_page, cohort_fields
):
    cohort = CohortFactory(course=course_page, **cohort_fields)
    lead = facilitator()
    cohort.facilitators.add(lead)
    lessons = lessons_of(course_page)
    for person in (lead, UserFactory(groups=[roles.PROGRAMME_MANAGERS])):
        client.force_login(person)
        html = client.get(cohort_url(cohort)).content.decode()
        links = [lesson.url for lesson in lessons if f'href="{lesson.url}"' in html]
        assert links == [lesson.url for lesson in lessons]
        assert all(client.get(link).status_code == 200 for link in links)


def test_members_of_a_cohort_that_has_not_started_see_no_lesson_links(client, course_page):
    cohort = CohortFactory(course=course_page, upcoming=True)
    client.force_login(EnrolmentFactory(cohort=cohort).user)

    html = client.get(cohort_url(cohort)).content.decode()

    assert "The lessons open when the cohort starts" in html
    assert all(f'href="{lesson.url}"' not in html for lesson in lessons_of(course_page))


def test_facilitators_of_other_cohorts_do_not_see_it(client, cohort):
    person = facilitator()
    CohortFactory(course=cohort.course, upcoming=True, facilitators=[person])
    client.force_login(person)

    assert client.get(cohort_url(cohort)).status_code == 404
