"""The emails cohorts write into the outbox when something happens, sent by the outbox's send
step (called as a function here): each once, however often it runs, and none about a status
the enrolment no longer has."""

from django.core import mail

import pytest

from academy import outbox
from academy.models import OutboxEmail
from cohorts.models import Enrolment
from cohorts.notifications import announcement_notify, enrolment_notify

from .factories import AnnouncementFactory, CohortFactory, EnrolmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def send_all() -> int:
    return outbox.send(list(OutboxEmail.objects.values_list("pk", flat=True)))


@pytest.fixture
def cohort():
    return CohortFactory(course=course_with_lessons(modules=1, lessons=1), upcoming=True)


def test_the_place_email_is_written_once_and_sent_once(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    enrolment_notify(enrolment)
    enrolment_notify(enrolment)  # the same change told twice: one row
    assert OutboxEmail.objects.count() == 1
    assert send_all() == 1
    assert send_all() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrolment.user.email]
    assert message.subject.endswith(f"You have a place on {cohort}")
    assert f"/cohorts/{cohort.pk}/" in message.body
    assert "/learning/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/cohorts/{cohort.pk}/"' in html
    assert message.extra_headers["Message-ID"] == OutboxEmail.objects.get().message_id


def test_an_email_about_a_status_the_enrolment_no_longer_has_is_not_sent(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    enrolment_notify(enrolment)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.WITHDRAWN)
    assert send_all() == 0
    assert mail.outbox == []
    row = OutboxEmail.objects.get()
    assert (row.status, row.last_error) == (OutboxEmail.Status.SKIPPED, "No longer relevant")


def test_a_failed_send_is_tried_again_and_then_sent(cohort, settings):
    enrolment = EnrolmentFactory(cohort=cohort, status=Status.WAITLISTED)
    enrolment_notify(enrolment)
    settings.EMAIL_BACKEND = "tests.cohorts.test_notifications.FailingBackend"
    assert send_all() == 0
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.PENDING
    assert "mail server unreachable" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.update(due_at=row.created_at)  # the backoff has passed
    assert send_all() == 1
    assert "waiting list" in mail.outbox[0].body


def test_the_announcement_goes_to_each_active_member_once(cohort):
    members = EnrolmentFactory.create_batch(3, cohort=cohort)
    EnrolmentFactory(cohort=cohort, status=Status.APPLIED)
    announcement = AnnouncementFactory(cohort=cohort, subject="Room change for Thursday")
    announcement_notify(announcement)
    announcement_notify(announcement)
    assert send_all() == 3
    assert send_all() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in members)
    assert all("Room change for Thursday" in m.subject for m in mail.outbox)


def test_an_announcement_that_fails_for_one_member_is_sent_again_to_that_member_alone(
    cohort, settings
):
    members = EnrolmentFactory.create_batch(3, cohort=cohort)
    announcement = AnnouncementFactory(cohort=cohort, subject="Room change for Thursday")
    announcement_notify(announcement)
    FailingForOne.refused = members[1].user.email
    settings.EMAIL_BACKEND = "tests.cohorts.test_notifications.FailingForOne"
    assert send_all() == 2
    FailingForOne.refused = ""
    OutboxEmail.objects.update(due_at=OutboxEmail.objects.first().created_at)
    assert send_all() == 1
    assert sorted(FailingForOne.delivered) == sorted(m.user.email for m in members)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("mail server unreachable")


class FailingForOne(FailingBackend):
    refused = ""
    delivered: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] == self.refused:
                raise OSError("mailbox busy")
            type(self).delivered.append(message.to[0])
        return len(messages)
