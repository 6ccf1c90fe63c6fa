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
from cohorts.models import AssessmentDueDate, CalendarFeed, Enrolment, Submission
from courses.models import AssessmentPage

from ..courses.factories import assessment_in
from ..factories import UserFactory, sector
from .factories import (
    AnnouncementFactory,
    CohortFactory,
    EnrolmentFactory,
    LiveSessionFactory,
    complete,
    facilitator,
    lessons_of,
    modules_of,
    quiz_attempted,
    submitted,
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


# --- Assessments ------------------------------------------------------------------------------

Kind = AssessmentPage.Kind


@pytest.fixture
def six_assessments(course_page):
    """One of each standing a learner can have, in course order."""
    first, second = modules_of(course_page)
    return [
        assessment_in(first, "Check your understanding", kind=Kind.QUIZ, due_offset_days=7),
        assessment_in(first, "Try the quiz again", kind=Kind.QUIZ, due_offset_days=10),
        assessment_in(first, "Reflect on your place", due_offset_days=21),
        assessment_in(second, "Write a shared plan", due_offset_days=35),
        assessment_in(second, "Review a partner plan", kind=Kind.PEER_REVIEW),
        assessment_in(second, "Go further", required_for_completion=False, due_offset_days=90),
    ]


def assessments_table(html: str) -> str:
    start = html.index('<table class="govuk-table">', html.index('id="assessments"'))
    return html[start : html.index("</table>", start)]


def test_the_cohort_home_lists_the_assessments_and_where_the_learner_stands(
    client, learner, enrolment, cohort, six_assessments
):
    passed, failed, waiting, resubmit, reviews, optional = six_assessments
    quiz_attempted(enrolment, passed, percent=80)
    quiz_attempted(enrolment, failed, percent=20)
    submitted(enrolment, waiting)
    submitted(enrolment, resubmit, status=Submission.Status.RESUBMIT)
    submitted(enrolment, reviews, status=Submission.Status.PASSED)
    AssessmentDueDate.objects.create(
        cohort=cohort, assessment=optional, due_on=timezone.localdate() + timedelta(days=2)
    )
    client.force_login(learner)

    html = client.get(cohort_url(cohort)).content.decode()

    table = assessments_table(html)
    assert (
        '<caption class="govuk-table__caption govuk-visually-hidden" id="assessments-caption">'
        in table
    )
    assert '<th scope="col" class="govuk-table__header">Your status</th>' in table
    titles = [page.title for page in six_assessments]
    assert sorted(titles, key=table.index) == titles  # in course order
    for page in six_assessments:
        assert f'href="{reverse("cohort_assessment", args=[cohort.pk, page.pk])}"' in table
    assert 'govuk-tag--green">Passed</strong>' in table
    assert 'govuk-tag--red">Not passed</strong>' in table
    assert 'govuk-tag--blue">Waiting for feedback</strong>' in table
    assert 'govuk-tag--orange">Resubmit</strong>' in table
    assert 'govuk-tag--yellow">Reviews to give</strong>' in table
    assert 'govuk-tag--grey">Not started</strong>' in table
    assert "Quiz, required" in table and "Reflective assignment, optional" in table
    due = cohort.start_date + timedelta(days=7)
    assert f'<time datetime="{due:%Y-%m-%d}">{due.day} {due:%B %Y}</time>' in table
    # Not passed and due first: the quiz to try again, now late.
    assert "Due next: " in html and ">Try the quiz again</a>" in html and "it is late" in html
    assert "6 of 11 required lessons and assessments complete" not in html
    assert "1 of 11 required lessons and assessments complete" in html


def test_the_people_who_run_the_cohort_see_its_assessments_without_a_status(
    client, cohort, six_assessments
):
    lead = facilitator()
    cohort.facilitators.add(lead)
    client.force_login(lead)

    html = client.get(cohort_url(cohort)).content.decode()

    table = assessments_table(html)
    assert "Your status" not in table and "govuk-tag" not in table
    assert "Due next" not in html
    assert reverse("cohort_assessment", args=[cohort.pk, six_assessments[0].pk]) in table


def test_members_of_a_cohort_yet_to_start_see_assessments_without_links(
    client, course_page, six_assessments
):
    cohort = CohortFactory(course=course_page, upcoming=True)
    client.force_login(EnrolmentFactory(cohort=cohort).user)

    html = client.get(cohort_url(cohort)).content.decode()

    table = assessments_table(html)
    assert "Check your understanding" in table
    assert "/assessments/" not in table


def test_a_course_without_assessments_has_no_assessments_section(client, learner, cohort):
    client.force_login(learner)

    assert 'id="assessments"' not in client.get(cohort_url(cohort)).content.decode()


def test_the_cohort_home_makes_the_same_queries_however_many_assessments(
    client, learner, enrolment, cohort, course_page
):
    first, second = modules_of(course_page)
    submitted(enrolment, assessment_in(first, "Reflect on your place"))
    client.force_login(learner)
    client.get(cohort_url(cohort))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(cohort_url(cohort)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        page = assessment_in(second, f"Assessment {n}", kind=Kind.QUIZ)
        quiz_attempted(enrolment, page, percent=20 * n)
        AssessmentDueDate.objects.create(
            cohort=cohort, assessment=page, due_on=timezone.localdate()
        )
        for other in EnrolmentFactory.create_batch(3, cohort=cohort):
            submitted(other, page)
    client.get(cohort_url(cohort))  # the course's outline, read again after the change

    assert queries() == before
