"""A cohort's due dates (/facilitate/cohorts/<id>/assessments/): each assessment's date from the
course, the cohort's own when its facilitators set one, and the limits on it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from cohorts.models import AssessmentDueDate, AssessmentResult
from cohorts.selectors.assessments import due_date
from cohorts.services.marking import due_date_set

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    course_with_lessons,
    written_assessment,
)
from .helpers import html_of, messages_of

pytestmark = pytest.mark.django_db
Result = AssessmentResult.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


@pytest.fixture
def assessment(course_page):
    return written_assessment(course_page, "Reflect on a partnership", due_offset_days=14)


def edit_url(cohort, assessment) -> str:
    return reverse("facilitate_due_date", args=[cohort.pk, assessment.pk])


def typed(when, action: str = "save") -> dict:
    """The date input as a browser sends it."""
    if when is None:
        return {"due_on_day": "", "due_on_month": "", "due_on_year": "", "action": action}
    return {
        "due_on_day": str(when.day),
        "due_on_month": str(when.month),
        "due_on_year": str(when.year),
        "action": action,
    }


# --- The service ------------------------------------------------------------------------------


def test_without_its_own_date_a_cohort_uses_the_courses_offset(cohort, assessment):
    assert due_date(cohort, assessment) == cohort.start_date + timedelta(days=14)


def test_a_cohort_gets_its_own_date_and_can_go_back(cohort, assessment, runner):
    own = cohort.start_date + timedelta(days=40)
    saved = due_date_set(cohort=cohort, assessment=assessment, due_on=own, by=runner)
    assert (saved.due_on, saved.set_by) == (own, runner)
    assert due_date(cohort, assessment) == own
    later = own + timedelta(days=1)
    due_date_set(cohort=cohort, assessment=assessment, due_on=later, by=runner)
    assert AssessmentDueDate.objects.get().due_on == later  # one date per cohort
    assert due_date_set(cohort=cohort, assessment=assessment, due_on=None, by=runner) is None
    assert due_date(cohort, assessment) == cohort.start_date + timedelta(days=14)
    assert not AssessmentDueDate.objects.exists()


def test_another_cohorts_date_is_its_own(cohort, assessment, runner, course_page):
    other = CohortFactory(course=course_page)
    due_date_set(cohort=cohort, assessment=assessment, due_on=cohort.end_date, by=runner)
    assert due_date(other, assessment) == other.start_date + timedelta(days=14)


def test_the_day_the_cohort_starts_and_a_year_after_it_ends_are_allowed(cohort, assessment, runner):
    for when in (cohort.start_date, cohort.end_date + timedelta(days=365)):
        assert due_date_set(cohort=cohort, assessment=assessment, due_on=when, by=runner)


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (lambda c: c.start_date - timedelta(days=1), "on or after the day the cohort starts"),
        (lambda c: c.end_date + timedelta(days=366), "no more than a year after the cohort ends"),
    ],
    ids=["before the start", "over a year after the end"],
)
def test_dates_outside_the_limits_are_refused(cohort, assessment, runner, shift, message):
    with pytest.raises(ValidationError) as refused:
        due_date_set(cohort=cohort, assessment=assessment, due_on=shift(cohort), by=runner)
    assert message in refused.value.message_dict["due_on"][0]
    assert not AssessmentDueDate.objects.exists()


def test_an_assessment_of_another_course_is_refused(cohort, runner):
    elsewhere = written_assessment(course_with_lessons("Another course"), "Not this course's")
    with pytest.raises(ValidationError):
        due_date_set(cohort=cohort, assessment=elsewhere, due_on=cohort.end_date, by=runner)


# --- The pages --------------------------------------------------------------------------------


def test_the_page_lists_each_assessment_with_its_dates_and_figures(
    runner_client, runner, cohort, assessment, course_page
):
    optional = written_assessment(
        course_page, "Optional extra", required_for_completion=False, due_offset_days=20
    )
    own = cohort.start_date + timedelta(days=30)
    due_date_set(cohort=cohort, assessment=optional, due_on=own, by=runner)
    for status in (Result.PASSED, Result.SUBMITTED, Result.SUBMITTED, Result.RESUBMIT):
        AssessmentResult.objects.create(
            enrolment=EnrolmentFactory(cohort=cohort), assessment=assessment, status=status
        )
    response = runner_client.get(reverse("facilitate_due_dates", args=[cohort.pk]))
    assert response.status_code == 200
    html = html_of(response)
    row = html.split(">Reflect on a partnership</th>", 1)[1].split("</tr>", 1)[0]
    assert "Reflective assignment" in row and "Required" in row
    assert f"{(cohort.start_date + timedelta(days=14)):%-d %b %Y}" in row
    assert "The course's date" in row
    cells = [
        'govuk-table__cell--numeric">4<',  # submitted
        'govuk-table__cell--numeric">1<',  # passed
        'govuk-table__cell--numeric">2<',  # waiting for feedback
    ]
    assert all(cell in row for cell in cells)
    extra = html.split(">Optional extra</th>", 1)[1].split("</tr>", 1)[0]
    assert "Optional" in extra
    assert f"{own:%-d %b %Y}" in extra and "by Fran Facilitator" in extra
    assert f'action="{edit_url(cohort, optional)}"' in html
    assert "Use the course&#x27;s date" in html or "Use the course's date" in html


def test_the_dashboard_links_to_marking_and_due_dates(runner_client, cohort):
    html = html_of(runner_client.get(reverse("facilitate_cohort", args=[cohort.pk])))
    assert f'href="{reverse("facilitate_marking", args=[cohort.pk])}"' in html
    assert f'href="{reverse("facilitate_due_dates", args=[cohort.pk])}"' in html


def test_posting_a_date_sets_it(runner_client, cohort, assessment):
    when = cohort.start_date + timedelta(days=21)
    response = runner_client.post(edit_url(cohort, assessment), typed(when))
    assert response.status_code == 302
    assert response["Location"].endswith("/assessments/#due-dates")
    assert messages_of(response) == [f"Reflect on a partnership is now due on {when:%-d %B %Y}"]
    assert due_date(cohort, assessment) == when


def test_going_back_to_the_courses_date(runner_client, runner, cohort, assessment):
    due_date_set(cohort=cohort, assessment=assessment, due_on=cohort.end_date, by=runner)
    response = runner_client.post(edit_url(cohort, assessment), typed(None, action="default"))
    assert response.status_code == 302
    default = cohort.start_date + timedelta(days=14)
    assert messages_of(response) == [
        f"Reflect on a partnership is now due on {default:%-d %B %Y} (the course's date)"
    ]
    assert not AssessmentDueDate.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_on_day": "31", "due_on_month": "2", "due_on_year": "2027"}, "must be a real date"),
        ({"due_on_day": "3", "due_on_month": "", "due_on_year": "2027"}, "must include a month"),
        ({"due_on_day": "x", "due_on_month": "y", "due_on_year": "zzzz"}, "must be a real date"),
        (
            {"due_on_day": "", "due_on_month": "", "due_on_year": ""},
            "Enter the due date, or choose",
        ),
        ({"due_on_day": "1", "due_on_month": "1", "due_on_year": "1900"}, "on or after the day"),
    ],
    ids=["not a day", "no month", "not numbers", "empty", "before the start"],
)
def test_a_bad_date_is_refused_with_a_message(runner_client, cohort, assessment, data, message):
    response = runner_client.post(edit_url(cohort, assessment), {**data, "action": "save"})
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html
    assert message in html
    assert 'href="#due-' in html  # the error summary links to the date
    assert not AssessmentDueDate.objects.exists()


def test_the_single_form_shows_the_current_date(runner_client, cohort, assessment):
    response = runner_client.get(edit_url(cohort, assessment))
    assert response.status_code == 200
    default = cohort.start_date + timedelta(days=14)
    assert f'value="{default.day}"' in html_of(response)


def test_an_assessment_of_another_course_is_404(runner_client, cohort):
    elsewhere = written_assessment(course_with_lessons("Another course"), "Not this course's")
    assert runner_client.get(edit_url(cohort, elsewhere)).status_code == 404
    response = runner_client.post(edit_url(cohort, elsewhere), typed(cohort.end_date))
    assert response.status_code == 404
    assert not AssessmentDueDate.objects.exists()
