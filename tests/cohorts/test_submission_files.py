"""Files attached to written work: kept in private storage as what their content says they
are, gone again if the work is not saved, and downloaded only by those who may see the work."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

import pytest

from academy.storage import PrivateStorage, private_storage
from cohorts import access
from cohorts.models import PeerReview, SubmissionFile
from cohorts.services.submission_files import submission_files_attach
from tests import files
from tests.factories import UserFactory
from tests.files import upload

from .factories import (
    CohortFactory,
    EnrolmentFactory,
    assessment_taking_files,
    facilitator,
    handed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(course_page):
    return assessment_taking_files(course_page)


@pytest.fixture
def submission(enrolment, assessment):
    return handed_in(enrolment, assessment)


@pytest.fixture
def attached(submission):
    [row] = submission_files_attach(
        submission=submission, files=[upload("My reflection.pdf", files.pdf())]
    )
    return row


def file_url(cohort, assessment, row) -> str:
    return reverse(
        "submission_file",
        kwargs={"cohort_id": cohort.pk, "assessment_id": assessment.pk, "file_id": row.pk},
    )


def stored(name: str) -> bool:
    return private_storage().exists(name)


# --- Attaching ---------------------------------------------------------------------------------


def test_files_are_kept_privately_as_what_their_content_says(submission):
    rows = submission_files_attach(
        submission=submission,
        files=[
            upload("Reflection.docx", files.docx(), "application/pdf"),
            upload("Map of partners.pdf", files.png(), "application/pdf"),
        ],
    )
    assert [(r.name, r.content_type) for r in rows] == [
        ("Reflection.docx", files.ALLOWED_SAMPLES[1][2]),
        ("Map of partners.pdf.png", "image/png"),
    ]
    assert rows[0].size == len(files.docx())
    for row in rows:
        assert isinstance(row.file.storage, PrivateStorage)
        assert row.file.name.startswith(f"submissions/{submission.enrolment.cohort_id}/")
        assert "Reflection" not in row.file.name and "partners" not in row.file.name
        with row.file.open("rb") as stored_file:
            assert stored_file.read(4) in {b"PK\x03\x04", b"\x89PNG"}
    assert [r.pk for r in submission.files.all()] == [r.pk for r in rows]


def test_one_bad_file_saves_none_and_names_it(submission):
    with pytest.raises(ValidationError) as caught:
        submission_files_attach(
            submission=submission,
            files=[upload("ok.pdf", files.pdf()), upload("setup.pdf", files.windows_exe())],
        )
    assert caught.value.message_dict == {
        "files": ["“setup.pdf” is not a PDF, Word, OpenDocument, text, PNG or JPEG file"]
    }
    assert not SubmissionFile.objects.exists()


def test_no_more_files_than_the_assessment_takes(submission):
    submission_files_attach(submission=submission, files=[upload("1.txt", files.text())])
    with pytest.raises(ValidationError) as caught:
        submission_files_attach(
            submission=submission,
            files=[upload(f"{n}.txt", files.text()) for n in range(2, 5)],
        )
    assert caught.value.message_dict == {"files": ["Attach up to 3 files"]}
    assert submission.files.count() == 1


def test_files_written_in_a_transaction_that_rolls_back_are_deleted(submission):
    written = []

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        rows = submission_files_attach(
            submission=submission,
            files=[upload("a.pdf", files.pdf()), upload("b.txt", files.text())],
        )
        written = [row.file.name for row in rows]
        assert all(stored(name) for name in written)
        raise Abandoned  # the work around the files fails after they were written

    assert len(written) == 2
    assert not any(stored(name) for name in written)
    assert not SubmissionFile.objects.exists()


def test_files_of_a_committed_transaction_stay(submission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = submission_files_attach(submission=submission, files=[upload("a.pdf", files.pdf())])
    name = row.file.name
    import gc

    gc.collect()
    assert stored(name)


# --- Who sees the work -------------------------------------------------------------------------


def test_who_may_see_a_submission(submission, cohort, learner, runner):
    cohort.facilitators.add(runner)
    other_runner = facilitator()
    peer = EnrolmentFactory(cohort=cohort)
    reviewer = EnrolmentFactory(cohort=cohort)
    PeerReview.objects.create(submission=submission, reviewer=reviewer)
    elsewhere = EnrolmentFactory(cohort=CohortFactory(course=cohort.course))

    assert access.submission_viewer(learner, submission) == access.SUBMISSION_OWNER
    assert access.submission_viewer(runner, submission) == access.SUBMISSION_FACILITATOR
    assert access.submission_viewer(reviewer.user, submission) == access.SUBMISSION_PEER
    for nobody in (other_runner, peer.user, elsewhere.user, UserFactory()):
        assert not access.can_see_submission(nobody, submission)


def test_a_reviewer_who_has_left_the_cohort_no_longer_sees_the_work(submission, cohort):
    reviewer = EnrolmentFactory(cohort=cohort)
    PeerReview.objects.create(submission=submission, reviewer=reviewer)
    reviewer.status = reviewer.Status.WITHDRAWN
    reviewer.save()
    assert not access.can_see_submission(reviewer.user, submission)


# --- Downloading -------------------------------------------------------------------------------


def test_the_learner_downloads_their_file_as_an_attachment(
    client, learner, cohort, assessment, attached
):
    client.force_login(learner)
    response = client.get(file_url(cohort, assessment, attached))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="My reflection.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_facilitator_of_the_cohort_downloads_it(client, runner, cohort, assessment, attached):
    cohort.facilitators.add(runner)
    client.force_login(runner)
    assert client.get(file_url(cohort, assessment, attached)).status_code == 200


def test_a_programme_manager_downloads_it(client, cohort, assessment, attached):
    from academy.roles import PROGRAMME_MANAGERS

    client.force_login(UserFactory(groups=[PROGRAMME_MANAGERS]))
    assert client.get(file_url(cohort, assessment, attached)).status_code == 200


def test_a_peer_reviewer_handed_the_work_downloads_it_under_a_plain_name(
    client, cohort, assessment, submission, attached
):
    reviewer = EnrolmentFactory(cohort=cohort)
    PeerReview.objects.create(submission=submission, reviewer=reviewer)
    client.force_login(reviewer.user)
    response = client.get(file_url(cohort, assessment, attached))
    assert response.status_code == 200
    # Anonymous reviews: the learner's file name might name them.
    assert response["Content-Disposition"] == f'attachment; filename="peer-work-{attached.pk}.pdf"'


def test_a_peer_reviewer_sees_the_name_when_reviews_are_not_anonymous(
    client, cohort, course_page, enrolment
):
    assessment = assessment_taking_files(course_page, anonymous_reviews=False)
    submission = handed_in(enrolment, assessment)
    [row] = submission_files_attach(submission=submission, files=[upload("Mine.txt", b"hi")])
    reviewer = EnrolmentFactory(cohort=cohort)
    PeerReview.objects.create(submission=submission, reviewer=reviewer)
    client.force_login(reviewer.user)
    response = client.get(file_url(cohort, assessment, row))
    assert response["Content-Disposition"] == 'attachment; filename="Mine.txt"'


@pytest.mark.parametrize("who", ["another facilitator", "another learner", "a stranger"])
def test_anyone_else_gets_404(client, cohort, assessment, attached, who):
    user = {
        "another facilitator": lambda: facilitator(),
        "another learner": lambda: EnrolmentFactory(cohort=cohort).user,
        "a stranger": lambda: UserFactory(),
    }[who]()
    client.force_login(user)
    assert client.get(file_url(cohort, assessment, attached)).status_code == 404


def test_the_file_must_belong_to_work_on_that_assessment_in_that_cohort(
    client, learner, cohort, course_page, assessment, attached
):
    client.force_login(learner)
    other_assessment = assessment_taking_files(course_page)
    other_cohort = CohortFactory(course=course_page)
    assert client.get(file_url(cohort, other_assessment, attached)).status_code == 404
    assert client.get(file_url(other_cohort, assessment, attached)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, cohort, assessment, attached):
    url = file_url(cohort, assessment, attached)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_file_missing_from_storage_is_404_not_500(client, learner, cohort, assessment, attached):
    private_storage().delete(attached.file.name)
    client.force_login(learner)
    assert client.get(file_url(cohort, assessment, attached)).status_code == 404
