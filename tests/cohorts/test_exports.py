"""CSV downloads: a byte order mark for Excel, a header row, formula injection neutralised,
dates in UK time and a safe file name."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

import pytest

from cohorts import exports
from cohorts.models import Enrolment, Submission
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from ..factories import OrganisationFactory, UserFactory, sector
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
    modules_of,
    quiz_attempted,
    submitted,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '=HYPERLINK("https://evil.example","Click")',
            '\'=HYPERLINK("https://evil.example","Click")',
        ),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Leeds City Council", "Leeds City Council"),
        ("a=b", "a=b"),
        (42, "42"),
        (None, ""),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert exports.safe_cell(value) == expected


def test_the_file_starts_with_a_byte_order_mark_then_the_header():
    text = exports.csv_text(("Name", "Email"), [["Ada", "ada@example.org"]])
    assert text.startswith("\ufeffName,Email\r\n")
    assert text.endswith("Ada,ada@example.org\r\n")


def test_file_names_are_slugs_with_the_date():
    name = exports.filename('Leading "across" boundaries', "Spring/2027", on=date(2027, 3, 1))
    assert name == "leading-across-boundaries-spring2027-2027-03-01.csv"
    assert exports.filename("", on=date(2027, 3, 1)) == "export-2027-03-01.csv"


def test_moments_are_written_in_uk_time():
    summer = datetime(2027, 7, 14, 9, 30, tzinfo=UTC)
    winter = datetime(2027, 1, 14, 9, 30, tzinfo=UTC)
    assert exports.local_iso(summer) == "2027-07-14T10:30:00+01:00"
    assert exports.local_iso(winter) == "2027-01-14T09:30:00+00:00"
    assert exports.local_iso(None) == ""


def test_the_sector_mix_reads_like_a_sentence():
    assert exports.sector_mix([("Local government", 12), ("NHS and health", 9)]) == (
        "Local government 12, NHS and health 9"
    )
    assert exports.sector_mix([]) == ""


# --- The learner table download -------------------------------------------------------------


@pytest.fixture
def cohort_with_learners(db):
    course_page = course_with_lessons("Leading across boundaries")
    runner = facilitator()
    cohort = CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])
    lessons = lessons_of(course_page)
    sneaky = EnrolmentFactory(
        cohort=cohort,
        user=UserFactory(
            display_name='=HYPERLINK("https://evil.example","Click me")',
            email="sneaky@example.org",
            organisation=OrganisationFactory(name="+Plus Trust", sector=sector("nhs-and-health")),
            sector=sector("nhs-and-health"),
        ),
    )
    complete(sneaky, lessons[:3])
    quiet = EnrolmentFactory(
        cohort=cohort,
        user=UserFactory(display_name="Quiet Quinn", email="quinn@example.org"),
        last_activity_at=timezone.now() - timedelta(days=20),
    )
    EnrolmentFactory(
        cohort=cohort,
        status=Enrolment.Status.WITHDRAWN,
        last_activity_at=None,
        user=UserFactory(display_name="Wanda Went", email="wanda@example.org"),
    )
    EnrolmentFactory(cohort=cohort, status=Enrolment.Status.APPLIED)  # not on the table
    return cohort, runner, sneaky, quiet


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_learner_csv(client, cohort_with_learners):
    cohort, runner, _sneaky, quiet = cohort_with_learners
    client.force_login(runner)
    response = client.get(f"/facilitate/cohorts/{cohort.pk}/learners.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="leading-across-boundaries-spring-2027-')
    assert disposition.endswith(f'-{timezone.localdate().isoformat()}.csv"')
    rows = read_csv(response)
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Sector",
        "Progress (%)",
        "Last activity",
        "Status",
        "At risk",
    ]
    by_email = {row[1]: row for row in rows[1:]}
    assert set(by_email) == {"sneaky@example.org", "quinn@example.org", "wanda@example.org"}
    assert by_email["sneaky@example.org"][:5] == [
        '\'=HYPERLINK("https://evil.example","Click me")',
        "sneaky@example.org",
        "'+Plus Trust",
        "NHS and health",
        "50",
    ]
    assert by_email["sneaky@example.org"][6:] == ["Active", "No"]
    assert by_email["quinn@example.org"][6:] == ["Active", "Yes"]
    assert by_email["wanda@example.org"][5:] == ["", "Withdrawn", "No"]
    stamp = by_email["quinn@example.org"][5]
    assert stamp == exports.local_iso(Enrolment.objects.get(pk=quiet.pk).last_activity_at)
    assert datetime.fromisoformat(stamp).utcoffset() is not None


def test_no_cell_of_the_csv_begins_with_a_formula_character(client, cohort_with_learners):
    cohort, runner, *_ = cohort_with_learners
    client.force_login(runner)
    rows = read_csv(client.get(f"/facilitate/cohorts/{cohort.pk}/learners.csv"))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_csv_follows_the_tables_sort(client, cohort_with_learners):
    cohort, runner, *_ = cohort_with_learners
    client.force_login(runner)
    url = f"/facilitate/cohorts/{cohort.pk}/learners.csv"
    rows = read_csv(client.get(url, {"sort": "progress", "dir": "desc"}))
    assert rows[1][1] == "sneaky@example.org"
    rows = read_csv(client.get(url, {"sort": "status"}))
    assert rows[1][1] == "quinn@example.org"  # at risk first


def test_the_learner_csv_has_a_column_for_each_assessment(client, cohort_with_learners):
    cohort, runner, sneaky, quiet = cohort_with_learners
    first, second = modules_of(cohort.course)
    reflection = assessment_in(first, "Reflect on your place")
    quiz = assessment_in(second, "=Check your understanding", kind=AssessmentPage.Kind.QUIZ)
    submitted(sneaky, reflection, status=Submission.Status.PASSED)
    quiz_attempted(sneaky, quiz, percent=40)
    quiz_attempted(quiet, quiz, percent=70)
    submitted(quiet, reflection)
    client.force_login(runner)

    rows = read_csv(client.get(f"/facilitate/cohorts/{cohort.pk}/learners.csv"))

    assert rows[0][8:] == ["Reflect on your place", "'=Check your understanding"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["sneaky@example.org"][8:] == ["Passed", "Not passed (40%)"]
    assert by_email["quinn@example.org"][8:] == ["Waiting for feedback", "Passed (70%)"]
    assert by_email["wanda@example.org"][8:] == ["Not started", "Not started"]
