"""Announcements: posted on the cohort and emailed once to its active learners; a subject or
body nobody could read is refused."""

from django.core import mail

import pytest

from cohorts.models import Enrolment
from cohorts.services.announcements import announcement_create

from .factories import CohortFactory, EnrolmentFactory, facilitator
from .helpers import html_of

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def cohort(course_page, runner):
    return CohortFactory(course=course_page, name="Spring 2027", facilitators=[runner])


def test_an_announcement_is_emailed_to_active_members_once(course_page, send_on_commit):
    cohort = CohortFactory(course=course_page)
    active = EnrolmentFactory.create_batch(2, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    announcement = send_on_commit(
        announcement_create,
        cohort=cohort,
        author=facilitator(display_name="Amira Hassan"),
        subject="Reading for Thursday",
        body="Please read the Wigan case study.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in active)
    assert "Amira Hassan" in mail.outbox[0].body
    from academy import outbox
    from academy.models import OutboxEmail

    assert announcement.pk
    # The send step run again (a retry, a duplicate message): nothing more goes out.
    assert outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 2


def test_an_announcement_is_posted_and_emailed_to_active_learners(
    runner_client, runner, cohort, django_capture_on_commit_callbacks
):
    active = EnrolmentFactory.create_batch(2, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    assert "emailed to the 2 learners" in html_of(runner_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = runner_client.post(
            url, {"subject": "Reading for Thursday", "body": "Please read the case study."}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/facilitate/cohorts/{cohort.pk}/"
    announcement = cohort.announcements.get()
    assert announcement.author == runner
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in active)
    assert all("Reading for Thursday" in m.subject for m in mail.outbox)
    html = html_of(runner_client.get(response["Location"]))
    assert "Announcement posted and emailed to 2 learners" in html


def test_an_empty_announcement_is_a_400(runner_client, cohort):
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    response = runner_client.post(url, {"subject": "  ", "body": ""})
    assert response.status_code == 400
    html = html_of(response)
    assert "Enter a subject" in html and "Enter the announcement" in html
    assert not cohort.announcements.exists()


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("\u200b\u200b", "The subject must include at least one letter or number"),
        ("Reading\x00for Thursday", "The subject must not include control characters"),
    ],
)
def test_an_announcement_subject_nobody_could_read_is_a_400(
    runner_client, cohort, subject, message
):
    url = f"/facilitate/cohorts/{cohort.pk}/announcements/new/"
    response = runner_client.post(url, {"subject": subject, "body": "Please read the case."})
    assert response.status_code == 400
    assert message in html_of(response)
    assert not cohort.announcements.exists()
