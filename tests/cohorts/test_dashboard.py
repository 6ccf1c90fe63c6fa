"""A cohort's dashboard: its learner table (sorted, paged, at risk tagged), its sessions and
announcements and the way to its applications, in the same queries however many learners."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from cohorts.models import Enrolment, Submission
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from ..factories import OrganisationFactory, UserFactory, sector
from .factories import (
    AnnouncementFactory,
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    lessons_of,
    modules_of,
    quiz_attempted,
    submitted,
)
from .helpers import html_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


def names_in_table(html: str) -> list[str]:
    body = html[html.index('<tbody class="govuk-table__body">') :]
    body = body[: body.index("</tbody>")]
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)<span', body)


@pytest.fixture
def three_learners(cohort, course_page):
    lessons = lessons_of(course_page)
    ada = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Ada Ahmed"))
    ben = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Ben Brown"))
    cai = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Cai Cole"))
    complete(ben, lessons[:6])  # 100%
    complete(cai, lessons[:3])  # 50%
    complete(ada, lessons[:2])  # 33%
    return ada, ben, cai


def test_the_dashboard_shows_the_cohort_and_its_learners(runner_client, cohort, three_learners):
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert "Spring 2027" in html and cohort.course.title in html
    assert "3 of 20 (17 left)" in html
    assert f"{cohort.elapsed_percent()}% of the cohort" in html
    assert names_in_table(html) == ["Ada Ahmed", "Ben Brown", "Cai Cole"]
    assert three_learners[0].user.email in html
    assert "33%" in html and "100%" in html and "50%" in html
    assert 'aria-sort="ascending"' in html
    assert "Download the learner table (CSV)" in html
    assert f"/facilitate/cohorts/{cohort.pk}/learners.csv" in html
    assert "Add a live session" in html and "Post an announcement" in html


def test_sorting_by_progress_descending_changes_the_order(runner_client, cohort, three_learners):
    url = f"/facilitate/cohorts/{cohort.pk}/"
    html = html_of(runner_client.get(url, {"sort": "progress", "dir": "desc"}))
    assert names_in_table(html) == ["Ben Brown", "Cai Cole", "Ada Ahmed"]
    header = re.search(r'<th[^>]*aria-sort="descending"[^>]*>.*?</th>', html, re.S).group(0)
    assert "Progress (%)" in header
    assert html.count("aria-sort=") == 1
    # The heading now offers the other direction; the others start ascending.
    assert 'href="?sort=progress&amp;dir=asc#learners"' in html
    assert 'href="?sort=name&amp;dir=asc#learners"' in html
    ascending = html_of(runner_client.get(url, {"sort": "progress", "dir": "asc"}))
    assert names_in_table(ascending) == ["Ada Ahmed", "Cai Cole", "Ben Brown"]


def test_an_unknown_sort_key_falls_back_to_name(runner_client, cohort, three_learners):
    url = f"/facilitate/cohorts/{cohort.pk}/"
    response = runner_client.get(url, {"sort": "__class__", "dir": "sideways"})
    assert response.status_code == 200
    html = html_of(response)
    assert names_in_table(html) == ["Ada Ahmed", "Ben Brown", "Cai Cole"]
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>.*?</th>', html, re.S).group(0)
    assert ">Name<" in header


def test_an_inactive_learner_is_tagged_at_risk(runner_client, cohort, three_learners):
    quiet = three_learners[1]  # Ben has finished every lesson but is still active here
    Enrolment.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - timedelta(days=20)
    )
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/", {"sort": "status"}))
    assert names_in_table(html)[0] == "Ben Brown"
    row = html[html.index("Ben Brown") :]
    row = row[: row.index("</tr>")]
    assert '<strong class="govuk-tag govuk-tag--red">At risk</strong>' in row
    assert html.count('govuk-tag--red">At risk') == 1
    assert 'What "at risk" means' in html
    assert "more than 14 days" in html


def test_the_dashboard_lists_sessions_and_announcements(runner_client, cohort):
    session = LiveSessionFactory(cohort=cohort, title="Set meeting 1")
    AnnouncementFactory(cohort=cohort, subject="Reading for Thursday")
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert "Set meeting 1" in html
    assert f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/edit/" in html
    assert f"/facilitate/cohorts/{cohort.pk}/sessions/{session.pk}/cancel/" in html
    assert "Reading for Thursday" in html


def test_the_dashboard_links_to_the_applications_queue_with_the_count(runner_client, cohort):
    EnrolmentFactory.create_batch(2, cohort=cohort, status=Status.APPLIED)
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))
    assert f'href="/facilitate/cohorts/{cohort.pk}/applications/">Applications: 2 to decide' in html


def test_the_learner_table_shows_fifty_at_a_time_and_keeps_its_sort(runner_client, cohort):
    for n in range(53):
        EnrolmentFactory(cohort=cohort, user__display_name=f"Learner {n:02d}")
    url = f"/facilitate/cohorts/{cohort.pk}/"

    def names(html):
        return re.findall(r'<th scope="row" class="govuk-table__header">(Learner \d\d)<', html)

    first = html_of(runner_client.get(url, {"sort": "name", "dir": "desc"}))
    assert len(names(first)) == 50
    assert "Learner 52" in first and "Learner 02" not in first
    assert "Everyone who holds or held a place (53)" in first
    assert "?sort=name&amp;dir=desc&amp;page=2#learners" in first

    last = html_of(runner_client.get(url, {"sort": "name", "dir": "desc", "page": "2"}))
    assert names(last) == ["Learner 02", "Learner 01", "Learner 00"]
    assert 'aria-current="page"' in last
    # A page past the end, or not a number, shows a real page rather than an error.
    assert runner_client.get(url, {"page": "99"}).status_code == 200
    assert runner_client.get(url, {"page": "abc"}).status_code == 200


def add_learners(cohort, lessons, n):
    for i in range(n):
        enrolment = EnrolmentFactory(
            cohort=cohort,
            user=UserFactory(
                organisation=OrganisationFactory(name=f"Council {i % 3}"),
                sector=sector("nhs-and-health"),
            ),
        )
        complete(enrolment, lessons[: i % 4])
        EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    LiveSessionFactory(cohort=cohort)
    AnnouncementFactory(cohort=cohort)


@pytest.mark.parametrize(
    "path", ["", "learners.csv", "applications/", "?sort=status&dir=desc"], ids=str
)
def test_query_counts_do_not_grow_with_learners(runner_client, cohort, course_page, path):
    url = f"/facilitate/cohorts/{cohort.pk}/{path}"
    lessons = lessons_of(course_page)
    runner_client.get(url)  # the first request loads the session and Wagtail's caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert runner_client.get(url).status_code == 200
        return len(queries)

    add_learners(cohort, lessons, 5)
    few = count()
    add_learners(cohort, lessons, 45)
    assert count() == few


# --- Assessments ------------------------------------------------------------------------------


@pytest.fixture
def two_assessments(course_page):
    first, second = modules_of(course_page)
    return (
        assessment_in(first, "Reflect on your place", due_offset_days=21),
        assessment_in(
            second, "Check your understanding", kind=AssessmentPage.Kind.QUIZ, due_offset_days=40
        ),
    )


def test_the_dashboard_shows_what_waits_to_be_marked_and_each_assessment(
    runner_client, cohort, three_learners, two_assessments
):
    ada, ben, cai = three_learners
    reflection, quiz = two_assessments
    submitted(ada, reflection)
    submitted(ben, reflection, status=Submission.Status.PASSED)
    submitted(cai, reflection, status=Submission.Status.HELD)
    quiz_attempted(ben, quiz, percent=90)
    gone = EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    submitted(gone, reflection, status=Submission.Status.PASSED)

    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))

    assert '<span class="academy-figure">1</span> submission waiting to be marked' in html
    assert '<span class="academy-figure">1</span> mark held, not yet released' in html
    marking = reverse("facilitate_marking", args=[cohort.pk])
    assert f'<a class="govuk-link" href="{marking}">Mark the work waiting' in html
    start = html.index('id="assessments-caption"')
    table = html[start : html.index("</table>", start)]
    assert "Learners who hold a place (3)" in table
    cells = re.findall(r'govuk-table__cell--numeric">(\d+)</td>', table)
    assert cells == ["3", "2", "1", "1", "0", "1"]  # handed in, waiting, passed; per assessment
    assert table.index("Reflect on your place") < table.index("Check your understanding")
    assert "Reflective assignment, required" in table and "Quiz, required" in table
    due = cohort.start_date + timedelta(days=21)
    assert f'<time datetime="{due:%Y-%m-%d}">' in table


def test_a_dashboard_with_nothing_to_mark_still_links_to_the_queue(
    runner_client, cohort, two_assessments
):
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))

    assert '<span class="academy-figure">0</span> submissions waiting to be marked' in html
    assert (
        f'href="{reverse("facilitate_marking", args=[cohort.pk])}">Go to the marking queue</a>'
        in html
    )


def test_a_course_without_assessments_shows_no_assessment_figures(runner_client, cohort):
    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))

    assert 'id="assessments"' not in html
    assert "waiting to be marked" not in html


def test_the_learner_table_shows_each_learners_outcome_on_each_assessment(
    runner_client, cohort, three_learners, two_assessments
):
    ada, ben, _cai = three_learners
    reflection, quiz = two_assessments
    submitted(ada, reflection, status=Submission.Status.RESUBMIT)
    quiz_attempted(ben, quiz, percent=40)
    quiz_attempted(ben, quiz, percent=85)

    html = html_of(runner_client.get(f"/facilitate/cohorts/{cohort.pk}/"))

    start = html.index('id="learners-caption"')
    table = html[start : html.index("</table>", start)]
    header = table[: table.index("</thead>")]
    assert '<th scope="col" class="govuk-table__header">Reflect on your place</th>' in header
    assert '<th scope="col" class="govuk-table__header">Check your understanding</th>' in header
    rows = table.split('<tr class="govuk-table__row">')[2:]
    by_name = {
        name: row for name in ("Ada Ahmed", "Ben Brown", "Cai Cole") for row in rows if name in row
    }
    tags = re.compile(r'govuk-tag--(\w+)">([^<]+)</strong>')
    assert tags.findall(by_name["Ada Ahmed"])[-2:] == [
        ("orange", "Resubmit"),
        ("grey", "Not started"),
    ]
    assert tags.findall(by_name["Ben Brown"])[-2:] == [
        ("grey", "Not started"),
        ("green", "Passed (85%)"),
    ]
    assert tags.findall(by_name["Cai Cole"])[-2:] == [
        ("grey", "Not started"),
        ("grey", "Not started"),
    ]
