"""The programme report for programme managers: per course and per cohort, on the page and as
CSV, and for nobody else."""

import csv
import io
import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from academy.models import Sector
from academy.roles import PROGRAMME_MANAGERS
from cohorts.models import Enrolment
from cohorts.selectors.reports import programme_report

from ..factories import UserFactory, sector
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def course_page():
    return course_with_lessons(modules=2, lessons=2)  # 4 required lessons


@pytest.fixture
def manager_client(client):
    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    return client


def learner(sector_slug):
    return UserFactory(sector=sector(sector_slug))


@pytest.fixture
def programme():
    """Two courses. Leading across boundaries has a running cohort (3 council learners and 2
    from the NHS, one completed, one idle for 20 days, two applications) and a finished one
    (one completion); Budgets together has a cohort still to start."""
    leading = course_with_lessons("Leading across boundaries", modules=1, lessons=2)
    budgets = course_with_lessons("Budgets together", modules=1, lessons=1)
    spring = CohortFactory(course=leading, name="Spring 2027", by_application=True)
    for _ in range(3):  # half way through, as the cohort is: not at risk
        on_track = EnrolmentFactory(cohort=spring, user=learner("local-government"))
        complete(on_track, lessons_of(leading)[:1])
    EnrolmentFactory(cohort=spring, user=learner("nhs-and-health"), status=Status.COMPLETED)
    EnrolmentFactory(
        cohort=spring,
        user=learner("nhs-and-health"),
        last_activity_at=timezone.now() - timedelta(days=20),
    )
    EnrolmentFactory.create_batch(2, cohort=spring, status=Status.APPLIED)
    EnrolmentFactory(cohort=spring, status=Status.WITHDRAWN)
    winter = CohortFactory(course=leading, name="Winter 2025", finished=True)
    EnrolmentFactory(cohort=winter, user=learner("housing"), status=Status.COMPLETED)
    autumn = CohortFactory(course=budgets, name="Autumn 2027", upcoming=True)
    EnrolmentFactory(cohort=autumn, user=learner("local-government"))
    return spring, winter, autumn


def test_only_programme_managers_and_superusers_see_the_report(client, programme):
    spring = programme[0]
    runner = facilitator()
    spring.facilitators.add(runner)
    for person, expected in [
        (runner, 404),
        (EnrolmentFactory(cohort=spring).user, 404),
        (UserFactory(groups=[PROGRAMME_MANAGERS]), 200),
        (UserFactory(is_superuser=True, is_staff=True), 200),
    ]:
        client.force_login(person)
        assert client.get("/facilitate/programme/").status_code == expected
        assert client.get("/facilitate/programme/report.csv").status_code == expected
    client.logout()
    response = client.get("/facilitate/programme/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def table_rows(html: str, caption: str) -> list[list[str]]:
    table = html[html.index(caption) :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


def test_the_report_per_course_and_cohort(manager_client, programme):
    response = manager_client.get("/facilitate/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('<h2 class="govuk-heading-l govuk-!-margin-top-6">Budgets together') < (
        html.index('<h2 class="govuk-heading-l govuk-!-margin-top-6">Leading across boundaries')
    )
    rows = table_rows(html, "Cohorts of Leading across boundaries")
    winter, spring = rows  # by start date
    assert spring[0] == "Spring 2027" and spring[1] == "Running"
    # Applications pending, active, completed, completion rate, at risk, sectors.
    assert spring[3:] == ["2", "4", "1", "20%", "1", "Local government 3, NHS and health 2"]
    assert winter[0] == "Winter 2025" and winter[1] == "Finished"
    assert winter[3:] == ["0", "0", "1", "100%", "0", "Housing 1"]
    assert table_rows(html, "Cohorts of Budgets together")[0][3:] == [
        "0",
        "1",
        "0",
        "0%",
        "0",
        "Local government 1",
    ]
    # The course's totals.
    assert "4 active, 2 completed (33% completion), 1 at risk" in html
    assert "Local government 3, NHS and health 2, Housing 1" in html


def test_the_report_as_csv(manager_client, programme):
    response = manager_client.get("/facilitate/programme/report.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="academy-programme-')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == [
        "Course",
        "Cohort",
        "Status",
        "Start",
        "End",
        "Applications",
        "Active",
        "Completed",
        "Completion rate (%)",
        "At risk",
        "Sectors",
    ]
    spring = programme[0]
    assert rows[1][:3] == ["Budgets together", "Autumn 2027", "Upcoming"]
    assert rows[2][1] == "Winter 2025" and rows[2][7:10] == ["1", "100", "0"]
    assert rows[3] == [
        "Leading across boundaries",
        "Spring 2027",
        "Running",
        spring.start_date.isoformat(),
        spring.end_date.isoformat(),
        "2",
        "4",
        "1",
        "20",
        "1",
        "Local government 3, NHS and health 2",
    ]
    assert len(rows) == 4


def test_a_cohort_name_cannot_plant_a_formula_in_the_csv(manager_client):
    CohortFactory(course=course_with_lessons(modules=1, lessons=1), name="=cmd|' /C calc'!A0")
    body = manager_client.get("/facilitate/programme/report.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"


def test_the_report_query_count_does_not_grow(manager_client, programme):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get("/facilitate/programme/").status_code == 200
        return len(queries)

    count()
    few = count()
    spring = programme[0]
    for _ in range(10):
        EnrolmentFactory(cohort=spring, user=learner("housing"))
    CohortFactory(course=spring.course, name="Summer 2027")
    assert count() == few


def test_the_programme_report_counts_each_cohort_and_the_mix_of_sectors(course_page):
    cohort = CohortFactory(course=course_page)
    nhs = Sector.objects.get(slug="nhs-and-health")
    police = Sector.objects.get(slug="police-and-justice")
    EnrolmentFactory.create_batch(2, cohort=cohort, user__sector=nhs)
    EnrolmentFactory(cohort=cohort, user__sector=police, status=Status.COMPLETED)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    EnrolmentFactory(
        cohort=cohort, last_activity_at=timezone.now() - timedelta(days=30), user__sector=police
    )
    CohortFactory(course=course_page, upcoming=True)

    (course_report,) = programme_report(every_cohort=True).courses
    first = course_report.cohorts[0]
    assert (first.applications, first.active, first.completed, first.at_risk) == (1, 3, 1, 3)
    assert first.completion_rate == 25
    assert dict(first.sectors) == {"NHS and health": 2, "Police and justice": 2}
    assert course_report.learners == 4
    assert len(course_report.cohorts) == 2


def test_the_report_pages_its_cohorts_and_sums_every_course_in_full(manager_client):
    """55 cohorts of two courses: the course figures count every cohort on every page, and the
    cohort rows come 50 to a page in course order."""
    leading = course_with_lessons("Leading across boundaries", modules=1, lessons=1)
    budgets = course_with_lessons("Budgets together", modules=1, lessons=1)
    for n in range(30):
        EnrolmentFactory(cohort=CohortFactory(course=leading, name=f"Leading {n:02d}"))
    for n in range(25):
        CohortFactory(course=budgets, name=f"Budgets {n:02d}", upcoming=True)

    first = programme_report(page=1)
    second = programme_report(page=2)

    for report in (first, second):
        assert report.cohorts == 55
        assert report.active == 30
        assert [(c.course.title, c.cohort_count, c.active) for c in report.courses] == [
            ("Budgets together", 25, 0),
            ("Leading across boundaries", 30, 30),
        ]
    shown = [[row.cohort.name for c in r.courses for row in c.cohorts] for r in (first, second)]
    assert len(shown[0]) == 50 and len(shown[1]) == 5
    assert shown[0][:25] == [f"Budgets {n:02d}" for n in range(25)]
    assert shown[0][25:] + shown[1] == [f"Leading {n:02d}" for n in range(30)]
    assert programme_report(every_cohort=True).page is None
    assert sum(len(c.cohorts) for c in programme_report(every_cohort=True).courses) == 55

    html = manager_client.get("/facilitate/programme/?page=2").content.decode()
    assert "Leading 29" in html and "Budgets 00" not in html
    assert "The 25 cohorts of Budgets together are on other pages of this report." in html
    assert 'aria-label="Pages of the programme report"' in html
