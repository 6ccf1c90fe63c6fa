"""The list of cohorts a person runs (/facilitate/): grouped as running, starting soon and
finished, with learners and applications counted, in the same queries however many cohorts."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import Enrolment

from ..factories import UserFactory
from .factories import CohortFactory, EnrolmentFactory
from .helpers import html_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


def test_the_index_groups_cohorts_and_counts_learners_and_applications(
    runner_client, runner, cohort
):
    EnrolmentFactory.create_batch(3, cohort=cohort)
    upcoming = CohortFactory(
        course=cohort.course, name="Autumn 2027", upcoming=True, by_application=True
    )
    upcoming.facilitators.add(runner)
    EnrolmentFactory.create_batch(2, cohort=upcoming, status=Status.APPLIED)
    finished = CohortFactory(course=cohort.course, name="Winter 2025", finished=True)
    finished.facilitators.add(runner)
    CohortFactory(course=cohort.course, name="Not mine")
    html = html_of(runner_client.get("/facilitate/"))
    running_at = html.index("Running now")
    upcoming_at = html.index("Starting soon")
    finished_at = html.index("Finished")
    assert running_at < html.index("Spring 2027") < upcoming_at
    assert upcoming_at < html.index("Autumn 2027") < finished_at < html.index("Winter 2025")
    assert "Not mine" not in html
    assert "3 of 20" in html
    assert f'href="/facilitate/cohorts/{upcoming.pk}/applications/">2 to decide' in html
    assert f'href="/facilitate/cohorts/{cohort.pk}/"' in html


def test_programme_managers_see_a_link_to_the_report(client, cohort):
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    html = html_of(client.get("/facilitate/"))
    assert 'href="/facilitate/programme/"' in html
    assert "Spring 2027" in html


def test_the_index_query_count_does_not_grow_with_cohorts(runner_client, runner, cohort):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert runner_client.get("/facilitate/").status_code == 200
        return len(queries)

    # One cohort in each section the test grows: a section with cohorts costs the same
    # queries with one cohort as with many.
    first = CohortFactory(course=cohort.course, upcoming=True, by_application=True)
    first.facilitators.add(runner)
    few = count()
    for _ in range(4):
        more = CohortFactory(course=cohort.course, upcoming=True, by_application=True)
        more.facilitators.add(runner)
        EnrolmentFactory.create_batch(2, cohort=more, status=Status.APPLIED)
    assert count() == few


def test_each_section_is_paged_on_its_own(client, course_page):
    """A programme manager runs every cohort: 53 finished ones page by themselves, latest
    first, while the running cohort stays on every page."""
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    CohortFactory(course=course_page, name="Running one")
    for n in range(53):
        cohort = CohortFactory(course=course_page, name=f"Past {n:02d}", finished=True)
        cohort.end_date = cohort.end_date - timedelta(days=n)
        cohort.save()

    first = html_of(client.get("/facilitate/"))
    second = html_of(client.get("/facilitate/?finished_page=2"))

    assert "Running one" in first and "Running one" in second
    assert first.count('">Past ') == 50 and second.count('">Past ') == 3
    assert first.index("Past 00") < first.index("Past 49")
    assert "Past 50" in second and "Past 52" in second
    assert 'href="?finished_page=2#finished"' in first
    assert 'id="finished"' in first
