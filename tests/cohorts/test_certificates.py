"""Certificates: completing the last requirement issues one (drawn by the task, after commit),
taking something back suspends it, completing again reinstates the same code with the new date,
staff revoke it for good; the public page, PDF and credential say so; the holder hides their
name. The credential's shape and signature are tested in ``test_credentials.py``."""

import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest
from pypdf import PdfReader

from cohorts import credentials
from cohorts.models import Certificate, CertificateIssue, Enrolment
from cohorts.services.certificates import (
    certificate_issue,
    certificate_name_show,
    certificate_revoke,
    certificates_sweep,
    verify_url,
)
from cohorts.services.lessons import lesson_complete, lesson_uncomplete
from cohorts.tasks import certificate_issue_task

from .factories import CohortFactory, EnrolmentFactory, complete, facilitator, lessons_of
from .helpers import html_of, messages_of

pytestmark = pytest.mark.django_db
Status = Certificate.Status


def pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as file:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages)


@pytest.fixture
def completer(course_page, django_capture_on_commit_callbacks):
    """Complete an enrolment's last lesson through the service, running what is queued on
    commit (the certificate's issue, in this process, as the worker would)."""

    def finish(enrolment: Enrolment, *, run_queued: bool = True) -> Enrolment:
        lessons = lessons_of(course_page)
        complete(enrolment, lessons[:-1])
        with django_capture_on_commit_callbacks(execute=run_queued):
            lesson_complete(user=enrolment.user, lesson=lessons[-1])
        enrolment.refresh_from_db()
        return enrolment

    return finish


@pytest.fixture
def named_cohort(course_page):
    return CohortFactory(
        course=course_page,
        name="Cohort 11",
        facilitators=[facilitator(display_name="Sam Okafor")],
    )


@pytest.fixture
def finished(named_cohort, completer):
    enrolment = EnrolmentFactory(cohort=named_cohort, user__display_name="Aisha Rahman")
    completer(enrolment)
    return Certificate.objects.get(enrolment=enrolment)


# --- Issuing ------------------------------------------------------------------------------------


def test_completing_the_last_requirement_issues_one_certificate_with_a_readable_pdf(finished):
    assert finished.status == Status.ISSUED
    assert finished.issued_at is not None
    assert finished.issue_number == 1
    assert len(finished.code) == 26
    text = pdf_text(finished)
    for words in (
        "Aisha Rahman",
        "Leading across boundaries",
        "Cohort 11",
        "Sam Okafor",
        verify_url(finished.code),
    ):
        assert words in text
    assert verify_url(finished.code) == f"http://127.0.0.1:8000/certificates/{finished.code}/"


def test_the_certificate_is_written_with_the_completion_and_drawn_only_after_commit(
    enrolment, completer
):
    completer(enrolment, run_queued=False)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert certificate.status == Status.PENDING
    assert not certificate.pdf
    assert certificate.completed_at == enrolment.completed_at


def test_issuing_twice_issues_once(enrolment, completer):
    completer(enrolment, run_queued=False)
    certificate = Certificate.objects.get(enrolment=enrolment)

    assert certificate_issue_task(certificate.pk) is True
    certificate.refresh_from_db()
    first_pdf, first_issued = certificate.pdf.name, certificate.issued_at
    assert certificate_issue_task(certificate.pk) is False
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.issued_at) == (first_pdf, first_issued)
    assert certificate_issue_task(999999) is False


def test_codes_carry_128_random_bits_and_differ(course_page, completer):
    cohort = CohortFactory(course=course_page)
    codes = set()
    for _ in range(5):
        enrolment = completer(EnrolmentFactory(cohort=cohort), run_queued=False)
        codes.add(enrolment.certificate.code)
    assert len(codes) == 5
    assert all(len(code) == 26 and code.isalnum() and code.islower() for code in codes)


def test_the_sweeper_queues_again_only_what_waited_too_long(enrolment, completer):
    completer(enrolment, run_queued=False)  # the broker never got it
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificates_sweep() == 0  # just queued: not lost yet

    later = timezone.now() + timedelta(minutes=5)
    assert certificates_sweep(now=later) == 1  # the task runs inline here: issues it
    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    assert certificates_sweep(now=later + timedelta(minutes=5)) == 0


# --- Undone after completion: suspended, then reinstated ----------------------------------------


def test_taking_back_a_lesson_suspends_and_completing_again_reinstates_the_same_code(
    finished, course_page, django_capture_on_commit_callbacks
):
    user, last = finished.enrolment.user, lessons_of(course_page)[-1]
    first_index = credentials.current_issue(finished).pk
    first_pdf = finished.pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        lesson_uncomplete(user=user, lesson=last)
    finished.refresh_from_db()
    assert finished.status == Status.SUSPENDED
    assert finished.enrolment.status == Enrolment.Status.ACTIVE
    assert first_index in credentials.marked_indexes()

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=last)
    reinstated = Certificate.objects.get(pk=finished.pk)
    assert reinstated.code == finished.code
    assert reinstated.status == Status.ISSUED
    assert reinstated.issue_number == 2
    assert reinstated.pdf.name != first_pdf
    assert reinstated.completed_at == reinstated.enrolment.completed_at
    # The first issue stays marked for good; the new one is not.
    marked = credentials.marked_indexes()
    assert first_index in marked
    assert credentials.current_issue(reinstated).pk not in marked
    assert CertificateIssue.objects.filter(certificate=reinstated).count() == 2


def test_the_page_says_a_suspended_certificate_is_suspended(finished, client, course_page):
    lesson_uncomplete(user=finished.enrolment.user, lesson=lessons_of(course_page)[-1])
    page = html_of(client.get(reverse("certificate_verify", args=[finished.code])))
    assert "suspended because the course is no longer complete" in page
    response = client.get(reverse("certificate_pdf", args=[finished.code]))
    assert response.status_code == 404
    assert "suspended" in html_of(response)


# --- Revocation ---------------------------------------------------------------------------------


def test_staff_revoke_with_a_reason_for_good(finished):
    lead = facilitator()
    with pytest.raises(ValidationError, match="Say why"):
        certificate_revoke(certificate=finished, by=lead, reason="   ")
    certificate_revoke(certificate=finished, by=lead, reason="Work was not the learner's own.")
    finished.refresh_from_db()
    assert finished.status == Status.REVOKED
    assert finished.revoked_by == lead
    assert credentials.current_issue(finished).pk in credentials.marked_indexes()
    with pytest.raises(ValidationError, match="already been revoked"):
        certificate_revoke(certificate=finished, by=lead, reason="Again")


def test_a_revoked_certificate_stays_revoked_when_the_course_is_completed_again(
    finished, course_page, django_capture_on_commit_callbacks
):
    certificate_revoke(certificate=finished, by=facilitator(), reason="Plagiarism")
    user, last = finished.enrolment.user, lessons_of(course_page)[-1]
    lesson_uncomplete(user=user, lesson=last)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=last)
    finished.refresh_from_db()
    assert finished.status == Status.REVOKED
    assert finished.issue_number == 1


def test_the_public_page_says_valid_then_revoked_with_the_reason(finished, client):
    url = reverse("certificate_verify", args=[finished.code])
    page = html_of(client.get(url))
    assert "This certificate is valid" in page
    assert "Aisha Rahman" in page and "Cohort 11" in page

    certificate_revoke(certificate=finished, by=facilitator(), reason="Issued in error.")
    page = html_of(client.get(url))
    assert "This certificate has been revoked" in page
    assert "Issued in error." in page
    assert "This certificate is valid" not in page


def test_a_revoked_certificates_pdf_is_gone_with_a_clear_page(finished, client):
    certificate_revoke(certificate=finished, by=facilitator(), reason="Issued in error.")
    response = client.get(reverse("certificate_pdf", args=[finished.code]))
    assert response.status_code == 410
    assert "has been revoked" in html_of(response)


def test_the_people_who_run_the_cohort_revoke_from_facilitate(finished, client):
    lead = finished.enrolment.cohort.facilitators.get()
    client.force_login(lead)
    cohort = finished.enrolment.cohort
    listing = client.get(reverse("facilitate_certificates", args=[cohort.pk]))
    assert "Aisha Rahman" in html_of(listing)
    url = reverse("facilitate_certificate_revoke", args=[cohort.pk, finished.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Say why the certificate is being revoked" in html_of(refused)

    response = client.post(url, {"reason": "Work was copied."})
    assert response.status_code == 302
    assert messages_of(response) == ["The certificate of Aisha Rahman has been revoked"]
    finished.refresh_from_db()
    assert (finished.status, finished.revoked_by, finished.revocation_reason) == (
        Status.REVOKED,
        lead,
        "Work was copied.",
    )
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 400


def test_a_facilitator_of_another_cohort_cannot_revoke(finished, client):
    client.force_login(facilitator())
    cohort = finished.enrolment.cohort
    url = reverse("facilitate_certificate_revoke", args=[cohort.pk, finished.pk])
    assert client.post(url, {"reason": "No"}).status_code == 404
    finished.refresh_from_db()
    assert finished.status == Status.ISSUED


# --- The PDF and the holder's name --------------------------------------------------------------


def test_the_pdf_is_served_privately(finished, client):
    response = client.get(reverse("certificate_pdf", args=[finished.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_holder_hides_their_name_from_the_page_the_pdf_and_the_credential(finished, client):
    holder = finished.enrolment.user
    client.force_login(holder)
    response = client.post(reverse("certificate_name", args=[finished.pk]), {"name": "hide"})
    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.name_hidden

    client.logout()
    page = html_of(client.get(reverse("certificate_verify", args=[finished.code])))
    assert "Aisha Rahman" not in page
    assert "chosen to keep their name private" in page
    credential = client.get(reverse("certificate_credential", args=[finished.code])).json()
    assert "Aisha Rahman" not in str(credential)
    assert client.get(reverse("certificate_pdf", args=[finished.code])).status_code == 404

    client.force_login(holder)  # the holder still downloads their own PDF
    assert client.get(reverse("certificate_pdf", args=[finished.code])).status_code == 200
    client.post(reverse("certificate_name", args=[finished.pk]), {"name": "show"})
    client.logout()
    assert "Aisha Rahman" in html_of(
        client.get(reverse("certificate_verify", args=[finished.code]))
    )


def test_a_holder_without_a_name_keeps_the_pdf_that_shows_their_email_address(
    named_cohort, completer, client
):
    """An account may have no name (one made by staff, before sign-up asked for one): the PDF
    then shows the email address in its place, so, like a hidden name, it is the holder's
    alone. The page and the credential never show the address."""
    enrolment = EnrolmentFactory(cohort=named_cohort, user__display_name="")
    completer(enrolment)
    certificate = Certificate.objects.get(enrolment=enrolment)
    email = enrolment.user.email
    assert email in pdf_text(certificate)

    page = html_of(client.get(reverse("certificate_verify", args=[certificate.code])))
    assert email not in page
    assert reverse("certificate_pdf", args=[certificate.code]) not in page
    response = client.get(reverse("certificate_pdf", args=[certificate.code]))
    assert response.status_code == 404
    assert "Only the holder of this certificate can download its PDF" in html_of(response)
    client.force_login(EnrolmentFactory(cohort=named_cohort).user)
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 404

    client.force_login(enrolment.user)
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 200
    assert reverse("certificate_pdf", args=[certificate.code]) in html_of(
        client.get(reverse("certificate_verify", args=[certificate.code]))
    )


def test_a_pdf_that_shows_an_email_address_stays_the_holders_after_they_add_a_name(
    named_cohort, completer, client
):
    """The name added later shows on the page, but the PDF drawn before still shows the email
    address in its place: it stays the holder's alone until it is drawn again."""
    enrolment = EnrolmentFactory(cohort=named_cohort, user__display_name="")
    completer(enrolment)
    certificate = Certificate.objects.get(enrolment=enrolment)
    user = enrolment.user
    user.display_name = "Sam Okafor"
    user.save(update_fields=["display_name"])

    page = html_of(client.get(reverse("certificate_verify", args=[certificate.code])))
    assert "Sam Okafor" in page
    assert reverse("certificate_pdf", args=[certificate.code]) not in page
    response = client.get(reverse("certificate_pdf", args=[certificate.code]))
    assert response.status_code == 404
    assert "Only the holder of this certificate can download its PDF" in html_of(response)
    client.force_login(user)
    assert client.get(reverse("certificate_pdf", args=[certificate.code])).status_code == 200


def test_only_the_holder_changes_the_name_setting(finished, client):
    client.force_login(EnrolmentFactory().user)
    response = client.post(reverse("certificate_name", args=[finished.pk]), {"name": "hide"})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        certificate_name_show(user=facilitator(), certificate=finished, shown=False)
    client.force_login(finished.enrolment.user)
    refused = client.post(reverse("certificate_name", args=[finished.pk]), {"name": "maybe"})
    assert refused.status_code == 400
    assert "show or hide your name" in html_of(refused)


# --- Bad addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["abc", "A" * 26, "a" * 25, "a" * 27, "1" * 26, "zz%20zz"])
def test_a_malformed_code_is_404_without_looking_it_up(client, code, django_assert_num_queries):
    from cohorts.views.certificates import _certificate

    with django_assert_num_queries(0):
        assert _certificate(code) is None
    assert client.get(f"/certificates/{code}/").status_code == 404
    assert client.get(f"/certificates/{code}.pdf").status_code == 404
    assert client.get(f"/certificates/{code}.json").status_code == 404


def test_a_code_no_certificate_has_is_404(client, db):
    code = "a" * 26
    assert client.get(f"/certificates/{code}/").status_code == 404
    response = client.get(f"/certificates/{code}.pdf")
    assert response.status_code == 404
    assert "No certificate has this code" in html_of(response)
    assert client.get(f"/certificates/{code}.json").json() == {
        "error": "No certificate has this code."
    }


def test_a_pending_certificate_says_it_is_being_prepared(enrolment, completer, client):
    completer(enrolment, run_queued=False)
    code = enrolment.certificate.code
    assert "being prepared" in html_of(client.get(f"/certificates/{code}/"))
    assert client.get(f"/certificates/{code}.pdf").status_code == 404
    assert client.get(f"/certificates/{code}.json").status_code == 404


# --- My learning --------------------------------------------------------------------------------


def test_my_learning_shows_the_certificate_with_its_links_and_the_name_setting(finished, client):
    client.force_login(finished.enrolment.user)
    page = html_of(client.get(reverse("my_learning")))
    assert "Your certificates" in page
    assert reverse("certificate_pdf", args=[finished.code]) in page
    assert reverse("certificate_verify", args=[finished.code]) in page
    assert reverse("certificate_name", args=[finished.pk]) in page
    assert "Hide my name" in page


# --- The email ----------------------------------------------------------------------------------


def send_certificate_emails() -> list:
    from django.core import mail

    from academy import outbox
    from academy.models import OutboxEmail

    rows = OutboxEmail.objects.filter(kind="certificate_issued")
    outbox.send(list(rows.values_list("pk", flat=True)))
    return [m for m in mail.outbox if "certificate" in m.subject.lower()]


def test_the_holder_is_emailed_once_per_issue_with_links_not_the_pdf(
    finished, course_page, django_capture_on_commit_callbacks
):
    (message,) = send_certificate_emails()
    assert message.to == [finished.enrolment.user.email]
    assert message.subject.endswith("Your certificate for Leading across boundaries")
    assert verify_url(finished.code) in message.body
    assert "/learning/" in message.body
    assert message.attachments == []
    assert send_certificate_emails() == [message]  # sent once

    user, last = finished.enrolment.user, lessons_of(course_page)[-1]
    lesson_uncomplete(user=user, lesson=last)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=last)
    first, again = send_certificate_emails()
    assert first == message
    assert "valid again" in again.body


def test_no_email_for_an_issue_suspended_before_it_was_sent(enrolment, completer, course_page):
    completer(enrolment, run_queued=False)
    certificate_issue(certificate_id=enrolment.certificate.pk)  # its email waits in the outbox
    lesson_uncomplete(user=enrolment.user, lesson=lessons_of(course_page)[-1])
    assert send_certificate_emails() == []
