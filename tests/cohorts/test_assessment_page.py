"""The written-work page at /cohorts/<id>/assessments/<id>/: what a learner reads (the
instructions, the rubric, their versions with the feedback released on them) and hands in; what
the people who run the cohort see; who gets 404. Reads the same number of queries however many
versions and marks there are."""

import re

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from academy.roles import PROGRAMME_MANAGERS
from academy.uploads import SizeLimitUploadHandler
from cohorts.models import AssessmentDueDate, PeerReview, Submission, SubmissionFile
from courses.models import AssessmentPage

from .. import files
from ..factories import UserFactory
from ..files import upload
from .factories import (
    CohortFactory,
    EnrolmentFactory,
    facilitator,
    mark,
    reflective_assignment,
    submission,
)
from .helpers import html_of, login_url_for, messages_of

pytestmark = pytest.mark.django_db
ANSWER = "We pooled two budgets across the council and the health board and counted what it saved."


@pytest.fixture
def assignment(course_page):
    return reflective_assignment(
        course_page,
        title="Reflect on your place",
        instructions="<p>Write about <b>one</b> partnership in your place.</p>",
        due_offset_days=60,
    )


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def page_url(cohort, assessment) -> str:
    return reverse("cohort_assessment", args=[cohort.pk, assessment.pk])


def post(client, cohort, assessment, text=ANSWER, version=1, **data):
    return client.post(page_url(cohort, assessment), {"text": text, "version": version, **data})


def textarea(html: str) -> str | None:
    found = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', html, re.S)
    return found.group(1).strip() if found else None


# --- A learner reads the assignment ----------------------------------------------------------


def test_a_learner_reads_the_assignment_its_rubric_and_the_form(learner_client, cohort, assignment):
    response = learner_client.get(page_url(cohort, assignment))
    html = html_of(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Reflect on your place</h1>' in html
    assert "Reflective assignment" in html
    due = cohort.start_date + timezone.timedelta(days=60)
    assert f'<time datetime="{due.isoformat()}">' in html
    assert "Late work is accepted and flagged as late." in html
    assert "Not started" in html
    assert '<p class="govuk-body">Write about <b>one</b> partnership in your place.</p>' in html
    # The rubric: criteria by levels, each level's words and points
    assert 'id="rubric-caption"' in html
    assert '<th scope="col" class="govuk-table__header">Level 3</th>' in html
    assert '<th scope="row" class="govuk-table__header">Use of evidence' in html
    assert 'Use of evidence: strong<br><span class="govuk-body-s">3 points</span>' in html
    assert "Work passes with 4 of 6 points or more." in html
    # The form
    assert textarea(html) == ""
    assert "Write between 10 and 200 words." in html
    assert 'name="version" value="1"' in html
    assert "Hand in your work</button>" in html


def test_a_due_date_that_refuses_late_work_says_so(learner_client, cohort, course_page):
    strict = reflective_assignment(course_page, late_work=AssessmentPage.Late.REFUSE)
    AssessmentDueDate.objects.create(
        cohort=cohort, assessment=strict, due_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    html = html_of(learner_client.get(page_url(cohort, strict)))
    assert "Late work is refused" in html
    assert textarea(html) is None
    assert "has passed: this assessment does not accept late work." in html


def test_late_work_accepted_is_announced_before_it_is_handed_in(
    learner_client, cohort, course_page
):
    overdue = reflective_assignment(course_page, due_offset_days=1)
    html = html_of(learner_client.get(page_url(cohort, overdue)))
    assert "your work will be flagged as late" in html
    learner_client.post(page_url(cohort, overdue), {"text": ANSWER, "version": 1})
    html = html_of(learner_client.get(page_url(cohort, overdue)))
    assert '<strong class="govuk-tag govuk-tag--orange">Late</strong>' in html


# --- Handing in -------------------------------------------------------------------------------


def test_handing_in_goes_back_to_the_page_with_a_success_banner(
    learner_client, cohort, assignment, enrolment
):
    response = post(learner_client, cohort, assignment)
    assert response.status_code == 302
    assert response.url == page_url(cohort, assignment)
    work = Submission.objects.get(enrolment=enrolment)
    assert (work.version, work.text) == (1, ANSWER)
    html = html_of(learner_client.get(response.url))
    assert "govuk-notification-banner--success" in html
    assert "Version 1 handed in" in html
    assert "Waiting for feedback" in html
    assert ANSWER in html
    assert textarea(html) is None
    assert "Your work is waiting to be marked." in html


def test_a_refused_post_answers_400_with_the_errors_and_keeps_what_was_typed(
    learner_client, cohort, assignment
):
    typed = "Far too short <script>"
    response = post(learner_client, cohort, assignment, text=typed)
    html = html_of(response)
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert '<a href="#id_text">Your answer has 4 words; the fewest is 10</a>' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert textarea(html) == "Far too short &lt;script&gt;"
    assert not Submission.objects.exists()


def test_an_empty_post_is_refused(learner_client, cohort, assignment):
    response = post(learner_client, cohort, assignment, text="   ")
    assert response.status_code == 400
    assert '<a href="#id_text">Write your answer</a>' in html_of(response)


def test_too_many_words_are_counted_for_the_learner(learner_client, cohort, course_page):
    essay = reflective_assignment(course_page, due_offset_days=60, min_words=0, max_words=1000)
    response = post(learner_client, cohort, essay, text="word " * 1204)
    assert response.status_code == 400
    assert "Your answer has 1,204 words; the most is 1,000" in html_of(response)
    assert "Write up to 1,000 words." in html_of(response)
    assert "Up to 1,000 words" in html_of(response)


def test_a_double_clicked_submit_hands_in_once_and_says_so(
    learner_client, cohort, assignment, enrolment
):
    first = post(learner_client, cohort, assignment)
    second = post(learner_client, cohort, assignment)
    assert (first.status_code, second.status_code) == (302, 302)
    assert second.url == page_url(cohort, assignment)
    assert "This version was already handed in" in messages_of(second)
    assert Submission.objects.filter(enrolment=enrolment).count() == 1


@pytest.mark.parametrize("version", ["", "two", "0", "99999999999"])
def test_a_post_with_a_broken_version_is_refused(learner_client, cohort, assignment, version):
    response = post(learner_client, cohort, assignment, version=version)
    assert response.status_code == 400
    assert "This page was out of date" in html_of(response)
    assert not Submission.objects.exists()


def test_a_post_while_work_waits_to_be_marked_is_refused(
    learner_client, cohort, assignment, enrolment
):
    submission(enrolment, assignment)
    response = post(learner_client, cohort, assignment, version=2)
    assert response.status_code == 400
    assert "Your work is waiting to be marked" in html_of(response)
    assert Submission.objects.count() == 1


# --- Feedback ---------------------------------------------------------------------------------


def test_released_feedback_is_shown_with_the_marker_and_the_levels(
    learner_client, cohort, assignment, enrolment
):
    marker = facilitator(display_name="Fran Facilitator")
    mark(submission(enrolment, assignment), outcome="pass", marker=marker, comments="Well argued.")
    html = html_of(learner_client.get(page_url(cohort, assignment)))
    assert "Feedback on version 1" in html
    assert "Use of evidence: strong" in html
    assert "Reflection on practice: strong" in html
    assert "6 of 6 points" in html
    assert "Well argued." in html
    assert "By Fran Facilitator" in html
    assert '<strong class="govuk-tag govuk-tag--green">Passed</strong>' in html
    assert textarea(html) is None
    assert "You have passed this assessment." in html


def test_a_held_mark_is_not_shown_at_all(learner_client, cohort, assignment, enrolment):
    mark(
        submission(enrolment, assignment),
        outcome="resubmit",
        released=False,
        marker=facilitator(display_name="Harriet Holder"),
        comments="Held back until the whole cohort is marked.",
    )
    html = html_of(learner_client.get(page_url(cohort, assignment)))
    assert "Held back until" not in html
    assert "Harriet Holder" not in html
    assert "Feedback on version" not in html
    assert "Resubmit" not in html
    assert "Waiting for feedback" in html
    assert textarea(html) is None


def test_after_a_resubmit_mark_the_learner_hands_in_version_2_from_version_1(
    learner_client, cohort, assignment, enrolment
):
    mark(submission(enrolment, assignment, text=ANSWER), outcome="resubmit", comments="Say more.")
    html = html_of(learner_client.get(page_url(cohort, assignment)))
    assert "Say more." in html
    assert textarea(html) == ANSWER
    assert 'name="version" value="2"' in html
    assert "Hand in version 2</button>" in html
    response = post(learner_client, cohort, assignment, text=ANSWER + " More.", version=2)
    assert response.status_code == 302
    assert list(
        Submission.objects.filter(enrolment=enrolment).values_list("version", flat=True)
    ) == [1, 2]


def test_every_version_is_listed_newest_first(learner_client, cohort, assignment, enrolment):
    mark(submission(enrolment, assignment, text="The first try " * 3), outcome="resubmit")
    mark(submission(enrolment, assignment, text="The second try " * 3), outcome="resubmit")
    submission(enrolment, assignment, text="The third try " * 3)
    html = html_of(learner_client.get(page_url(cohort, assignment)))
    third, second, first = (html.index(f"The {n} try") for n in ("third", "second", "first"))
    assert third < second < first
    assert html.count("Feedback on version") == 2


# --- Peer review ------------------------------------------------------------------------------


@pytest.fixture
def peer_review(course_page):
    return reflective_assignment(
        course_page,
        title="Review a partner's plan",
        kind=AssessmentPage.Kind.PEER_REVIEW,
        due_offset_days=60,
        reviews_required=2,
    )


def review_of(work, reviewer_enrolment, comments: str) -> PeerReview:
    return PeerReview.objects.create(
        submission=work,
        reviewer=reviewer_enrolment,
        submitted_at=timezone.now(),
        criteria=[
            {
                "criterion": "c",
                "name": "Use of evidence",
                "level": "l",
                "descriptor": "Use of evidence: sound",
                "points": 2,
            }
        ],
        total=2,
        comments=comments,
    )


def test_reviews_of_the_learners_work_are_anonymous_by_default(
    learner_client, cohort, peer_review, enrolment
):
    work = submission(enrolment, peer_review)
    reviewer = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Rory Reviewer"))
    review_of(work, reviewer, "Your plan names every partner.")
    PeerReview.objects.create(submission=work, reviewer=EnrolmentFactory(cohort=cohort))  # not done
    html = html_of(learner_client.get(page_url(cohort, peer_review)))
    assert "Review of version 1 by Reviewer 1" in html
    assert "Your plan names every partner." in html
    assert "Rory Reviewer" not in html
    assert "Reviewer 2" not in html


def test_reviewers_are_named_when_reviews_are_not_anonymous(
    learner_client, cohort, peer_review, enrolment
):
    AssessmentPage.objects.filter(pk=peer_review.pk).update(anonymous_reviews=False)
    work = submission(enrolment, peer_review)
    reviewer = EnrolmentFactory(cohort=cohort, user=UserFactory(display_name="Rory Reviewer"))
    review_of(work, reviewer, "Your plan names every partner.")
    html = html_of(learner_client.get(page_url(cohort, peer_review)))
    assert "Review of version 1 by Rory Reviewer" in html


def test_the_reviews_a_learner_owes_are_counted_with_a_button_for_the_next(
    learner_client, cohort, peer_review, enrolment
):
    action = reverse("peer_review_next", args=[cohort.pk, peer_review.pk])
    html = html_of(learner_client.get(page_url(cohort, peer_review)))
    assert "Hand in your own work first" in html
    assert f'<form method="post" action="{action}"' not in html
    post(learner_client, cohort, peer_review)
    html = html_of(learner_client.get(page_url(cohort, peer_review)))
    assert "You have sent <strong>0 of 2</strong> reviews" in html
    assert f'<form method="post" action="{action}"' in html


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "programme manager"])
def test_the_people_who_run_the_cohort_see_the_assignment_and_the_marking_queue(
    client, cohort, assignment, enrolment, who
):
    submission(enrolment, assignment, text="A learner's own words, not for this page.")
    if who == "facilitator":
        person = facilitator()
        cohort.facilitators.add(person)
    else:
        person = UserFactory(groups=[PROGRAMME_MANAGERS])
    client.force_login(person)
    html = html_of(client.get(page_url(cohort, assignment)))
    assert "Write about <b>one</b> partnership" in html
    assert 'id="rubric-caption"' in html
    assert f'href="{reverse("facilitate_marking", args=[cohort.pk])}"' in html
    assert textarea(html) is None
    assert "Hand in" not in html
    assert "A learner's own words" not in html
    assert "Not started" not in html
    response = post(client, cohort, assignment)
    assert response.status_code == 400
    assert not Submission.objects.filter(enrolment__user=person).exists()


def test_people_who_may_not_see_the_cohort_get_404(client, cohort, assignment, course_page):
    url = page_url(cohort, assignment)
    assert client.get(url).url == login_url_for(url)
    outsiders = [
        UserFactory(),
        EnrolmentFactory(cohort=CohortFactory(course=course_page)).user,  # another cohort
        EnrolmentFactory(cohort=cohort, status="withdrawn").user,
        facilitator(),  # runs no cohort of this one
    ]
    for person in outsiders:
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert post(client, cohort, assignment).status_code == 404
    assert not Submission.objects.exists()


def test_an_assessment_of_another_course_is_404(learner_client, cohort):
    from .factories import course_with_lessons

    elsewhere = reflective_assignment(course_with_lessons("Another course"))
    assert learner_client.get(page_url(cohort, elsewhere)).status_code == 404


@pytest.mark.parametrize(
    ("traits", "why"),
    [
        ({"finished": True}, "This cohort finished on"),
        ({"upcoming": True}, "You can hand in work once the cohort starts on"),
    ],
)
def test_a_member_of_a_cohort_not_running_reads_their_work_but_has_no_form(
    client, course_page, assignment, traits, why
):
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=course_page, **traits))
    mark(submission(enrolment, assignment), outcome="resubmit", comments="Say more.")
    client.force_login(enrolment.user)
    html = html_of(client.get(page_url(enrolment.cohort, assignment)))
    assert "Say more." in html
    assert why in html
    assert textarea(html) is None
    response = post(client, enrolment.cohort, assignment, version=2)
    assert response.status_code == 400
    assert Submission.objects.count() == 1


# --- Queries ----------------------------------------------------------------------------------


def with_versions(enrolment, assessment, count: int) -> None:
    """``count`` versions, each asked to be resubmitted (released) and marked again (held),
    each with a file and, for a peer review, two reviews done."""
    reviewers = [EnrolmentFactory(cohort=enrolment.cohort) for _ in range(2)]
    for n in range(count):
        work = submission(enrolment, assessment, text=f"Version {n} of my answer " * 3)
        mark(work, outcome="resubmit", marker=facilitator())
        mark(work, outcome="resubmit", released=False)
        work.status = Submission.Status.RESUBMIT
        work.save(update_fields=["status"])
        SubmissionFile.objects.create(
            submission=work,
            file=ContentFile(b"%PDF-1.4 notes", name="notes.pdf"),
            name="notes.pdf",
            content_type="application/pdf",
            size=14,
        )
        if assessment.is_peer_review:
            for reviewer in reviewers:
                review_of(work, reviewer, f"Review of version {n}")


def queries_for(client, url) -> int:
    client.get(url)  # the course outline is cached after the first read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", [AssessmentPage.Kind.REFLECTIVE, AssessmentPage.Kind.PEER_REVIEW])
def test_the_page_reads_as_many_queries_for_1_version_as_for_20(client, course_page, kind):
    counts = []
    for size in (1, 20):
        cohort = CohortFactory(course=course_page)
        page = reflective_assignment(course_page, kind=kind, due_offset_days=60)
        enrolment = EnrolmentFactory(cohort=cohort)
        with_versions(enrolment, page, size)
        client.force_login(enrolment.user)
        counts.append(queries_for(client, page_url(cohort, page)))
        html = html_of(client.get(page_url(cohort, page)))
        assert html.count("Feedback on version") == size
    assert counts[0] == counts[1]


def test_the_facilitators_page_reads_as_many_queries_whatever_the_work(client, course_page):
    counts = []
    runner = facilitator()
    for size in (1, 20):
        cohort = CohortFactory(course=course_page, facilitators=[runner])
        page = reflective_assignment(course_page, due_offset_days=60)
        for _ in range(size):
            with_versions(EnrolmentFactory(cohort=cohort), page, 1)
        client.force_login(runner)
        counts.append(queries_for(client, page_url(cohort, page)))
    assert counts[0] == counts[1]


# --- Files ------------------------------------------------------------------------------------


@pytest.fixture
def takes_files(course_page):
    return reflective_assignment(course_page, due_offset_days=60, min_words=0, max_files=2)


def test_files_are_handed_in_with_the_form_and_listed_with_a_download_link(
    learner_client, cohort, takes_files, enrolment
):
    html = html_of(learner_client.get(page_url(cohort, takes_files)))
    assert 'enctype="multipart/form-data"' in html
    file_input = r'<input type="file" name="files" multiple[^>]*class="govuk-file-upload"'
    assert re.search(file_input, html)
    assert "Your answer (optional)" in html
    response = post(
        learner_client, cohort, takes_files, text="", files=[upload("plan.pdf", files.pdf())]
    )
    assert response.status_code == 302
    attached = SubmissionFile.objects.get(submission__enrolment=enrolment)
    html = html_of(learner_client.get(page_url(cohort, takes_files)))
    link = reverse("submission_file", args=[cohort.pk, takes_files.pk, attached.pk])
    assert f'<a class="govuk-link" href="{link}">plan.pdf</a>' in html
    download = learner_client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_a_disguised_file_is_refused_by_name_keeping_the_words(learner_client, cohort, takes_files):
    response = post(
        learner_client,
        cohort,
        takes_files,
        text="My reflection on the plan",
        files=[upload("essay.pdf", files.windows_exe())],
    )
    html = html_of(response)
    assert response.status_code == 400
    assert '<a href="#id_files">“essay.pdf” is not a PDF' in html
    assert textarea(html) == "My reflection on the plan"
    assert not Submission.objects.exists()


def test_more_files_than_the_assessment_takes_are_refused(learner_client, cohort, takes_files):
    chosen = [upload(f"plan-{n}.pdf", files.pdf()) for n in range(3)]
    response = post(learner_client, cohort, takes_files, files=chosen)
    assert response.status_code == 400
    assert "Select up to 2 files" in html_of(response)
    assert not Submission.objects.exists()


def test_a_file_over_the_limit_stops_being_read_before_the_form_is(
    learner, cohort, takes_files, settings
):
    """The size limit is in place before the CSRF check or the form read the body."""
    settings.ACADEMY_UPLOAD_MAX_BYTES = 100 * 1024
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.cookies["csrftoken"] = "a" * 32
    big = upload("big.pdf", files.pdf() + b"0" * 300 * 1024)
    data = {"csrfmiddlewaretoken": "a" * 32, "text": "Mine", "version": 1, "files": [big]}
    response = client.post(page_url(cohort, takes_files), data)
    assert response.status_code == 400
    assert "“big.pdf” is larger than 100 KB" in html_of(response)
    limiter = response.wsgi_request.upload_handlers[0]
    assert isinstance(limiter, SizeLimitUploadHandler)
    assert limiter.received <= 100 * 1024 + 64 * 1024
    assert not Submission.objects.exists()
    del data["csrfmiddlewaretoken"]
    data["files"] = [upload("fine.pdf", files.pdf())]
    assert client.post(page_url(cohort, takes_files), data).status_code == 403
    assert not Submission.objects.exists()


def test_an_assessment_without_files_has_no_file_field(learner_client, cohort, assignment):
    html = html_of(learner_client.get(page_url(cohort, assignment)))
    assert 'name="files"' not in html
    assert "multipart" not in html
    assert "Your answer (optional)" not in html
