"""The email tasks, called as plain functions: each sends once, however often it runs, and
sends nothing when the enrolment has moved on."""

from django.core import mail

import pytest

from cohorts.models import Enrolment
from cohorts.tasks import send_announcement_task, send_enrolment_email_task

from .factories import AnnouncementFactory, CohortFactory, EnrolmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def cohort():
    return CohortFactory(course=course_with_lessons(modules=1, lessons=1), upcoming=True)


def test_the_place_email_is_sent_once(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    assert send_enrolment_email_task(enrolment.pk, Status.ACTIVE) is True
    assert send_enrolment_email_task(enrolment.pk, Status.ACTIVE) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrolment.user.email]
    assert message.subject.endswith(f"You have a place on {cohort}")
    assert f"/cohorts/{cohort.pk}/" in message.body
    assert "/learning/" in message.body


def test_an_email_about_a_status_the_enrolment_no_longer_has_is_not_sent(cohort):
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.WITHDRAWN)
    assert send_enrolment_email_task(enrolment.pk, Status.ACTIVE) is False
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_so_a_retry_sends(cohort, settings):
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.WAITLISTED)
    settings.EMAIL_BACKEND = "tests.cohorts.test_tasks.FailingBackend"
    with pytest.raises(OSError):
        send_enrolment_email_task(enrolment.pk, Status.WAITLISTED)
    enrolment.refresh_from_db()
    assert enrolment.notified_status == ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_enrolment_email_task(enrolment.pk, Status.WAITLISTED) is True
    assert "waiting list" in mail.outbox[0].body


def test_the_announcement_goes_to_each_active_member_once(cohort):
    members = EnrolmentFactory.create_batch(3, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    announcement = AnnouncementFactory(cohort=cohort, subject="Room change for Thursday")
    assert send_announcement_task(announcement.pk) == 3
    assert send_announcement_task(announcement.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in members)
    assert all("Room change for Thursday" in m.subject for m in mail.outbox)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server unreachable")
