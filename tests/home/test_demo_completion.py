"""The demo learner can finish the demo course through the pages alone, and is given a
certificate: ``learner@`` hands in the reflective assignment and the collaboration plan and
reviews two classmates' plans, ``facilitator@`` marks both pieces of work a pass from the
marking pages, and the learner marks the lessons left complete. The last one completes the
place; once it commits, the certificate is issued (tasks run inline here, as a worker runs them
after `make run`), emailed, on My learning, and valid on its public page.

Each step is a post of the form its page shows, as the browser sends it (the pages themselves
are covered by the browser tests); nothing is written behind the pages' backs."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from cohorts.credentials import marked_indexes
from cohorts.models import (
    Certificate,
    CertificateIssue,
    Enrolment,
    LessonCompletion,
    PeerReview,
    Submission,
)
from cohorts.rubrics import criteria_of
from courses.models import AssessmentPage, LessonPage

LEARNER = "learner@academy.test"
FACILITATOR = "facilitator@academy.test"
REFLECTIVE = "reflective-assignment-leading-without-authority"
PLAN = "peer-review-your-collaboration-plan"

REFLECTION = (
    "Last winter our discharge group stalled because nobody could tell the ward managers what to "
    "do. I had no authority over them, so I asked each of them what a good week would look "
    "like and what got in the way. "
) * 6
PLAN_TEXT = (
    "The problem. Older people wait in hospital beds for care at home that three organisations "
    "each arrange in part. The partners, the shared purpose, the first shared work, how we "
    "decide and how we will know it works are set out here in turn. "
) * 6
REVIEW = (
    "A clear plan with a purpose every partner could sign; say who decides when money runs out."
)


def best_levels(assessment: AssessmentPage) -> dict[str, str]:
    """The top level of each criterion of the rubric, as the radios on the page send them."""
    return {
        f"criterion-{criterion['id']}": max(criterion["levels"], key=lambda level: level["points"])[
            "id"
        ]
        for criterion in criteria_of(assessment.rubric)
    }


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def posted(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code, response.content[-2000:])


@pytest.fixture
def place(full_demo, db) -> Enrolment:
    return Enrolment.objects.select_related("cohort__course", "user").get(
        user__email=LEARNER, cohort__name="Cohort 12"
    )


def test_the_demo_learner_finishes_the_course_from_the_pages_and_is_given_a_certificate(
    place, django_capture_on_commit_callbacks
):
    cohort = place.cohort
    learner, facilitator = signed_in(LEARNER), signed_in(FACILITATOR)
    reflective = AssessmentPage.objects.get(slug=REFLECTIVE)
    plan = AssessmentPage.objects.get(slug=PLAN)

    # The learner hands in the reflective assignment and the plan; the facilitator marks each a
    # pass and releases the mark.
    for assessment, text in ((reflective, REFLECTION), (plan, PLAN_TEXT)):
        work = reverse("cohort_assessment", args=[cohort.pk, assessment.pk])
        posted(learner, work, {"version": 1, "text": text})
        handed_in = Submission.objects.get(enrolment=place, assessment=assessment)
        posted(
            facilitator,
            reverse("facilitate_mark", args=[cohort.pk, handed_in.pk]),
            {
                **best_levels(assessment),
                "outcome": "pass",
                "comments": "Thoughtful and specific. A pass.",
                "action": "release",
            },
        )

    # Two classmates' plans to review, each asked for and sent from the assessment's page.
    for _ in range(plan.reviews_required):
        asked = learner.post(reverse("peer_review_next", args=[cohort.pk, plan.pk]))
        assert asked.status_code == 302, asked.content[-2000:]
        posted(learner, asked["Location"], {**best_levels(plan), "comments": REVIEW})
    assert PeerReview.objects.filter(reviewer=place).exclude(submitted_at=None).count() == 2

    # The lessons left: the last one completes the place and, once it commits, the certificate
    # is issued and emailed.
    done = set(LessonCompletion.objects.filter(enrolment=place).values_list("lesson", flat=True))
    left = [
        lesson
        for lesson in LessonPage.objects.live().descendant_of(cohort.course).order_by("path")
        if lesson.pk not in done
    ]
    assert any(lesson.required_for_completion for lesson in left)
    left.sort(key=lambda lesson: lesson.required_for_completion)  # a required one last
    for lesson in left[:-1]:
        posted(learner, reverse("lesson_complete", args=[lesson.pk]), {"action": "complete"})
    place.refresh_from_db()
    assert place.status == Enrolment.Status.ACTIVE
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        posted(learner, reverse("lesson_complete", args=[left[-1].pk]), {"action": "complete"})

    place.refresh_from_db()
    assert place.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(enrolment=place)
    assert certificate.status == Certificate.Status.ISSUED
    subjects = [message.subject for message in mail.outbox if message.to == [LEARNER]]
    assert any(s.endswith(f"Your certificate for {cohort.course.title}") for s in subjects), (
        subjects
    )

    my_learning = learner.get(reverse("my_learning"))
    assert reverse("certificate_verify", args=[certificate.code]) in my_learning.text
    public = Client().get(reverse("certificate_verify", args=[certificate.code]))
    assert public.status_code == 200
    assert "This certificate is valid" in public.text

    # Loading the demo again puts the place back as it was, with no certificate: the next walk
    # through is given a new one, not told that an old one is valid again. Its issue stays, as
    # an erased holder's does, marked in the revocation list: a copy of the credential taken
    # during the demo no longer verifies.
    pdf = certificate.pdf.name
    issue = CertificateIssue.objects.get(certificate=certificate)
    assert issue.pk not in marked_indexes()
    call_command("load_demo", stdout=StringIO())
    place.refresh_from_db()
    assert place.status == Enrolment.Status.ACTIVE
    assert not Certificate.objects.filter(enrolment=place).exists()
    assert not storages["private"].exists(pdf)
    issue.refresh_from_db()
    assert issue.certificate_id is None
    assert issue.pk in marked_indexes()
    assert Client().get(reverse("certificate_verify", args=[certificate.code])).status_code == 404
