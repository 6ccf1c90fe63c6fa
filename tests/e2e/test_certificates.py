"""Certificates in a real browser, issued by a real worker: a learner with everything but the
last lesson done marks it complete (without JavaScript); a ``celery worker`` process on Redis
draws the certificate, which appears on My learning with its PDF and its public page; anyone can
open that page (valid, naming the holder, the course and the date) from the QR code on the PDF,
and the PDF and the signed credential from the page; the cohort's facilitator revokes it from
Facilitate (first with no reason, which is refused), and the page then says it is revoked and
why, the PDF is gone and the revocation list marks the credential. Every page on the way is
axe-clean, and the public page fits 320 pixels.

The site (pytest-django's live server, in this process) publishes the certificate's issue to the
Redis database the worker consumes, once the completion commits, as it does in production; the
worker writes the PDF to a folder that the site's private storage reads."""

import io
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import jwt
import pytest
from kombu import Connection
from pypdf import PdfReader

from academy.celery import app
from cohorts import credentials
from cohorts.models import Certificate
from cohorts.services.lessons import lesson_complete, lesson_uncomplete
from tests.cohorts.factories import (
    CohortFactory,
    EnrolmentFactory,
    complete,
    course_with_lessons,
    facilitator,
    lessons_of,
)
from tests.factories import PASSWORD, UserFactory
from tests.integration.test_celery_worker import database_url_for_the_worker
from tests.pdfs import qr_codes_on
from tests.services import require_redis, subprocess_environment

from .axe import assert_no_axe_violations, assert_no_axe_violations_without_scripts
from .helpers import banner, heading, open_signed_in, said, sign_in, visit
from .test_reflow import HEIGHT, WIDTH, problems_on

ROOT = Path(__file__).resolve().parents[2]
# How long the certificate may take to appear on My learning once the last lesson is done: the
# worker starts in a few seconds and draws a certificate in milliseconds.
APPEARS_WITHIN = 30
pytestmark = [pytest.mark.redis, pytest.mark.celery_worker]


class Worker:
    """A ``celery worker`` process on this test process's Redis database and the site's
    database, writing private files into ``private``."""

    def __init__(self, folder: Path, redis_url: str, site_url: str):
        self.log_path = folder / "worker.log"
        self.private = folder / "private"
        self.env = subprocess_environment(
            DJANGO_SETTINGS_MODULE="academy.settings.dev",
            DEBUG="false",
            DATABASE_URL=database_url_for_the_worker(),
            REDIS_URL=redis_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            CELERY_QUEUE_DIR=str(folder / "celery"),
            MEDIA_ROOT=str(folder / "media"),
            PRIVATE_ROOT=str(self.private),
            SITE_URL=site_url,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        self.process = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "academy", "worker", "--pool", "solo",
                "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip

    def output(self) -> str:
        return self.log_path.read_text()

    def issued(self, *, within: float = 5) -> int:
        """How many certificates the worker says it issued (the task answered True): it says so
        just after the issue commits, so it is given ``within`` seconds to say at least one."""
        deadline = time.monotonic() + within
        while True:
            count = sum(
                1
                for line in self.output().splitlines()
                if "certificate_issue_task[" in line
                and "succeeded" in line
                and line.endswith("True")
            )
            if count or time.monotonic() > deadline:
                return count
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def certificate_worker(academy_site, tmp_path):
    """A worker issuing certificates for the live site: the site publishes to the worker's
    Redis database (tasks not run inline), and reads the PDFs from the folder the worker writes
    them to. The queue is emptied first, so that only what this test publishes is issued."""
    redis_url = require_redis()
    with Connection(redis_url) as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    worker = Worker(tmp_path, redis_url, academy_site.url)
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(worker.private), "base_url": None},
    }
    with override_settings(
        CELERY_BROKER_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER=False,
        STORAGES={**settings.STORAGES, "private": private},
        SITE_URL=academy_site.url,
    ):
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()
            app.close()  # the producers' connections to this Redis go with its settings


def long_date(day: date) -> str:
    """A date as the pages write it: 6 December 2026."""
    return f"{day.day} {day:%B %Y}"


def fits_a_phone(tab) -> None:
    """At 320 pixels the page scrolls no sideways, and axe finds nothing (test_reflow)."""
    tab.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    problems = problems_on(tab, axe=True)
    assert not problems, f"{tab.url} at {WIDTH} px:\n" + "\n".join(problems)


def wait_for_the_certificate(tab, base: str, worker: Worker) -> None:
    """Open My learning again until the certificate's PDF is offered, within APPEARS_WITHIN
    seconds."""
    deadline = time.monotonic() + APPEARS_WITHIN
    while True:
        visit(tab, reverse("my_learning"), base)
        if tab.get_by_role("link", name=re.compile(r"^Download your certificate \(PDF\)")).count():
            return
        if time.monotonic() > deadline or worker.process.poll() is not None:
            pytest.fail(
                f"No certificate on My learning within {APPEARS_WITHIN} s: {said(tab)}\n"
                f"The worker's log:\n{worker.output()[-4000:]}"
            )
        tab.wait_for_timeout(300)


def pdf_words(body: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split()
    )


def verified(request, credential: dict) -> dict:
    """The claims of the credential's JWT, checked with the key the issuer's profile publishes
    (fetched as any verifier would)."""
    profile = request.get(credential["issuer"]["id"]).json()
    key = jwt.PyJWK(profile["keys"][0])
    return jwt.decode(
        credential["proof"]["jwt"], key=key, algorithms=["EdDSA"], options={"verify_aud": False}
    )


def revoked_in_the_list(request, credential: dict) -> bool:
    status = credential["credentialStatus"]
    listed = request.get(status["statusListCredential"]).json()
    return credentials.is_marked(
        listed["credentialSubject"]["encodedList"], int(status["statusListIndex"])
    )


def test_a_completed_course_gives_a_certificate_anyone_can_check_until_staff_revoke_it(
    academy_site, browser, certificate_worker
):
    base = academy_site.url
    started = time.monotonic()
    course = course_with_lessons("Leading a partnership board", modules=1, lessons=2)
    adviser = facilitator(email="tom.adviser@example.org", display_name="Tom Adviser")
    cohort = CohortFactory(course=course, name="Spring cohort", facilitators=[adviser])
    priya = UserFactory(email="priya.shah@example.org", display_name="Priya Shah")
    place = EnrolmentFactory(cohort=cohort, user=priya)
    first, last = lessons_of(course)
    complete(place, [first])

    # The learner, without JavaScript, completes the last lesson.
    learner = browser.new_context(java_script_enabled=False)
    tab = learner.new_page()
    sign_in(tab, base, priya.email, PASSWORD)
    open_signed_in(tab, base, last.get_url())
    tab.get_by_role("button", name="Mark as complete").click()
    tab.wait_for_load_state()
    assert "Completed" in said(tab)
    completed_on = long_date(
        timezone.localdate(Certificate.objects.get(enrolment=place).completed_at)
    )

    # The worker issues the certificate; My learning offers it.
    wait_for_the_certificate(tab, base, certificate_worker)
    appeared = time.monotonic() - started
    certificate = Certificate.objects.get(enrolment=place)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate_worker.issued() == 1
    card = tab.locator("section", has_text="Your certificate's public page")
    assert "Leading a partnership board" in card.inner_text()
    assert f"Spring cohort, completed {completed_on}" in " ".join(card.inner_text().split())
    assert card.locator(".govuk-tag").inner_text().strip() == "Valid"
    assert_no_axe_violations_without_scripts(browser, learner, tab.url)

    # The PDF, for its holder: drawn by the worker, naming her, the course and the page.
    pdf_link = card.get_by_role("link", name=re.compile(r"^Download your certificate"))
    page_address = f"{base}{reverse('certificate_verify', args=[certificate.code])}"
    pdf = learner.request.get(base + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "no-store" in pdf.headers["cache-control"]
    words = pdf_words(pdf.body())
    for text in ("Priya Shah", "Leading a partnership board", "Spring cohort", page_address):
        assert text in words, f"{text!r} is not on the PDF: {words}"
    (scanned,) = qr_codes_on(pdf.body())  # what a phone held over the printed page reads

    # Its public page, from My learning.
    card.get_by_role("link", name=re.compile(r"^Your certificate's public page")).click()
    tab.wait_for_load_state()
    assert tab.url == page_address
    assert heading(tab) == "Certificate of completion"
    assert "This certificate is valid" in said(tab)

    # Anyone with the address: the page says valid and whose it is; the PDF and the credential.
    anyone = browser.new_context()
    public = anyone.new_page()
    visit(public, scanned, "")
    assert public.url == page_address
    page_said = said(public)
    assert "This certificate is valid" in page_said
    for text in (
        "Awarded to Priya Shah",
        "Course Leading a partnership board",
        f"Completed on {completed_on}",
        f"Certificate code {certificate.code}",
    ):
        assert text in page_said, f"{text!r} is not on the page: {page_said}"
    assert_no_axe_violations(public)
    anyone_pdf = public.get_by_role("link", name="Download the certificate (PDF)")
    pdf = anyone.request.get(base + anyone_pdf.get_attribute("href"))
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    public.get_by_role("link", name=re.compile(r"Open Badges 3\.0 credential")).click()
    credential = anyone.request.get(public.url).json()
    assert public.url == f"{base}{reverse('certificate_credential', args=[certificate.code])}"
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Leading a partnership board"
    claims = verified(anyone.request, credential)
    assert claims["id"] == credential["id"] == public.url
    assert not revoked_in_the_list(anyone.request, credential)
    visit(public, page_address, "")
    fits_a_phone(public)

    # The cohort's facilitator revokes it from Facilitate: first with no reason, refused.
    staff = browser.new_context()
    desk = staff.new_page()
    sign_in(desk, base, adviser.email, PASSWORD)
    open_signed_in(desk, base, reverse("facilitate_cohort", args=[cohort.pk]))
    desk.get_by_role("link", name="Certificates", exact=True).click()
    desk.wait_for_load_state()
    assert heading(desk) == "Certificates"
    row = desk.get_by_role("row", name=re.compile("Priya Shah"))
    assert "Valid" in row.inner_text()
    assert_no_axe_violations(desk)
    row.get_by_role("link", name="Revoke Priya Shah's certificate").click()
    desk.wait_for_load_state()
    assert heading(desk) == "Revoke Priya Shah's certificate"
    assert_no_axe_violations(desk)
    with desk.expect_response(lambda answer: answer.request.method == "POST") as answer:
        desk.get_by_role("button", name="Revoke the certificate").click()
    assert answer.value.status == 400
    assert desk.title().startswith("Error: ")
    summary = desk.locator(".govuk-error-summary")
    problem = summary.get_by_role("link", name="Say why the certificate is being revoked")
    assert problem.get_attribute("href") == "#id_reason"
    assert summary.evaluate("summary => summary === document.activeElement")
    assert_no_axe_violations(desk)
    reason = "The assignment that completed the course was another learner's work."
    desk.get_by_label("Why is the certificate being revoked?").fill(reason)
    desk.get_by_role("button", name="Revoke the certificate").click()
    desk.wait_for_load_state()
    assert heading(desk) == "Certificates"
    assert "The certificate of Priya Shah has been revoked" in banner(desk)
    row = desk.get_by_role("row", name=re.compile("Priya Shah"))
    assert "Revoked" in row.inner_text()
    assert "by Tom Adviser" in row.inner_text()
    assert_no_axe_violations(desk)

    # The page now says revoked, and why; the PDF is withdrawn; the list marks the credential.
    public.set_viewport_size({"width": 1280, "height": 720})
    visit(public, page_address, "")
    page_said = said(public)
    assert "This certificate has been revoked. It is no longer valid." in page_said
    assert reason in page_said
    assert "This certificate is valid" not in page_said
    assert "Download the certificate (PDF)" not in page_said
    assert_no_axe_violations(public)
    fits_a_phone(public)
    visit(public, reverse("certificate_pdf", args=[certificate.code]), base, status=410)
    assert "This certificate has been revoked: its PDF is withdrawn." in said(public)
    assert_no_axe_violations(public)
    assert revoked_in_the_list(anyone.request, credential)

    # And the holder's My learning says so.
    visit(tab, reverse("my_learning"), base)
    assert "Your certificate has been revoked" in said(tab)
    for context in (learner, anyone, staff):
        context.close()
    print(
        f"The certificate appeared on My learning {appeared:.1f} s after the test began; "
        f"the journey took {time.monotonic() - started:.1f} s"
    )


def test_the_public_page_while_prepared_suspended_or_without_the_name(academy_site, browser):
    """The states the journey does not reach, made by the services the site uses (tasks inline):
    one learner with a certificate being prepared, one suspended and one valid, whose name she
    hides from My learning without JavaScript. Each public page says so, axe-clean and at 320
    pixels; her My learning with all three too; the PDF she hides is hers alone."""
    base = academy_site.url
    priya = UserFactory(email="priya.okafor@example.org", display_name="Priya Okafor")
    courses = {}
    for title in ("Leading a pilot", "Leading in public", "Leading the count"):
        course = course_with_lessons(title, modules=1, lessons=1)
        place = EnrolmentFactory(cohort=CohortFactory(course=course), user=priya)
        courses[title] = (place, lessons_of(course)[0])
    # Being prepared: written with the completion, its issue not yet run.
    place, _ = courses["Leading a pilot"]
    Certificate.objects.create(enrolment=place, completed_at=place.activated_at)
    # Suspended: the lesson that completed the course taken back.
    _, lesson = courses["Leading in public"]
    lesson_complete(user=priya, lesson=lesson)
    lesson_uncomplete(user=priya, lesson=lesson)
    # Valid.
    _, lesson = courses["Leading the count"]
    lesson_complete(user=priya, lesson=lesson)
    code = {
        title: Certificate.objects.get(enrolment=place).code
        for title, (place, _) in courses.items()
    }
    assert Certificate.objects.get(code=code["Leading in public"]).status == "suspended"

    learner = browser.new_context(java_script_enabled=False)
    tab = learner.new_page()
    sign_in(tab, base, priya.email, PASSWORD)
    open_signed_in(tab, base, reverse("my_learning"))
    tab.get_by_role("button", name="Hide my name on the certificate for Leading the count").click()
    tab.wait_for_load_state()
    assert "Your name is hidden on your certificate's public page" in banner(tab)
    page_said = said(tab)
    assert "Your certificate is being prepared" in page_said
    assert "Your certificate is suspended because the course is no longer complete" in page_said
    assert "Your name is hidden on the public page and in the credential" in page_said
    assert_no_axe_violations_without_scripts(browser, learner, tab.url)
    phone = browser.new_context(storage_state=learner.storage_state())
    mine = phone.new_page()
    visit(mine, reverse("my_learning"), base)
    fits_a_phone(mine)
    mine.close()
    hidden_pdf = reverse("certificate_pdf", args=[code["Leading the count"]])
    answer = learner.request.get(base + hidden_pdf)
    assert (answer.status, answer.headers["content-type"]) == (200, "application/pdf")

    anyone = browser.new_context()
    public = anyone.new_page()
    for title, says in (
        ("Leading a pilot", "This certificate is being prepared."),
        ("Leading in public", "This certificate is suspended because the course is no longer"),
        ("Leading the count", "This certificate is valid"),
    ):
        public.set_viewport_size({"width": 1280, "height": 720})
        visit(public, reverse("certificate_verify", args=[code[title]]), base)
        page_said = said(public)
        assert says in page_said, page_said
        assert f"Course {title}" in page_said
        assert_no_axe_violations(public)
        fits_a_phone(public)
    assert "Priya Okafor" not in page_said
    assert "Not shown: the holder has chosen to keep their name private" in page_said
    assert public.get_by_role("link", name="Download the certificate (PDF)").count() == 0
    visit(public, hidden_pdf, base, status=404)
    assert "The holder of this certificate has chosen not to share its PDF." in said(public)
    assert_no_axe_violations(public)
    learner.close()
    anyone.close()
