"""A person's data export holds their own places and completions, and of the applications they
decided as a facilitator only that they decided: never the other learner's answers."""

import pytest

from academy.services import personal_data_export
from cohorts.models import Enrolment

from .factories import CohortFactory, EnrolmentFactory, complete, facilitator, lessons_of

pytestmark = pytest.mark.django_db


def test_the_export_holds_own_records_and_no_one_elses_answers():
    lead = facilitator()
    cohort = CohortFactory(facilitators=[lead], by_application=True)
    mine = EnrolmentFactory(cohort=cohort, application_answer="My own answer")
    complete(mine, lessons_of(cohort.course)[:2])
    EnrolmentFactory(
        cohort=cohort,
        decided_by=lead,
        status=Enrolment.Status.DECLINED,
        application_answer="Someone else's private answer",
    )

    learner_records = personal_data_export(user=mine.user)["records"]
    (own,) = learner_records["cohorts.Enrolment"]["items"]
    assert own["application_answer"] == "My own answer"
    assert len(learner_records["cohorts.LessonCompletion"]["items"]) == 2

    lead_export = str(personal_data_export(user=lead))
    assert "Someone else's private answer" not in lead_export
    lead_records = personal_data_export(user=lead)["records"]
    assert lead_records["cohorts.Enrolment"]["items"] == [
        {
            "decision_you_made": {
                "cohort__name": cohort.name,
                "status": "declined",
                "decided_at": None,
            }
        }
    ]
    assert lead_records["cohorts.Cohort"]["items"][0]["name"] == cohort.name


# --- uploads: the files attached to work -------------------------------------------------------


def test_the_download_holds_the_files_attached_to_ones_own_work(client):
    import io
    import json
    import zipfile

    from academy.services import personal_data_archive
    from cohorts.models import PeerReview
    from cohorts.services.submission_files import submission_files_attach
    from tests import files
    from tests.files import upload

    from .factories import assessment_taking_files, handed_in

    mine = EnrolmentFactory()
    assessment = assessment_taking_files(mine.cohort.course)
    first = handed_in(mine, assessment)
    second = handed_in(mine, assessment)
    submission_files_attach(submission=first, files=[upload("Reflection.pdf", files.pdf())])
    submission_files_attach(
        submission=second,
        files=[upload("Reflection.pdf", files.pdf()), upload("Map.png", files.png())],
    )
    # Someone else's work, handed to this learner to review, is not theirs to download.
    other = EnrolmentFactory(cohort=mine.cohort)
    theirs = handed_in(other, assessment)
    submission_files_attach(submission=theirs, files=[upload("Theirs.txt", b"Private notes")])
    PeerReview.objects.create(submission=theirs, reviewer=mine)

    with zipfile.ZipFile(personal_data_archive(user=mine.user)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("personal-data.json"))
        items = data["records"]["cohorts.SubmissionFile"]["items"]
        assert [(i["version"], i["name"], i["content_type"]) for i in items] == [
            (1, "Reflection.pdf", "application/pdf"),
            (2, "Reflection.pdf", "application/pdf"),
            (2, "Map.png", "image/png"),
        ]
        for item in items:
            assert item["in_download"].startswith("files/reflecting-on-a-partnership/version-")
            assert item["in_download"].endswith(item["name"])
        assert sorted(names) == sorted(["personal-data.json", *(i["in_download"] for i in items)])
        assert archive.read(items[0]["in_download"]) == files.pdf()
        assert archive.read(items[2]["in_download"]) == files.png()
        assert "Private notes" not in str(data)

    client.force_login(mine.user)
    response = client.get("/profile/data/download/")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(archive.namelist()) == 4


def test_a_file_missing_from_storage_is_named_in_the_download_not_fatal():
    import json
    import zipfile

    from academy.services import personal_data_archive
    from cohorts.services.submission_files import submission_files_attach
    from tests import files
    from tests.files import upload

    from .factories import assessment_taking_files, handed_in

    mine = EnrolmentFactory()
    submission = handed_in(mine, assessment_taking_files(mine.cohort.course))
    [gone, _kept] = submission_files_attach(
        submission=submission,
        files=[upload("gone.pdf", files.pdf()), upload("kept.txt", files.text())],
    )
    gone.file.storage.delete(gone.file.name)

    with zipfile.ZipFile(personal_data_archive(user=mine.user)) as archive:
        data = json.loads(archive.read("personal-data.json"))
        items = data["records"]["cohorts.SubmissionFile"]["items"]
        assert data["files_missing"] == [items[0]["in_download"]]
        assert archive.read(items[1]["in_download"]) == files.text()


def test_erasing_the_account_deletes_the_files_of_its_work(django_capture_on_commit_callbacks):
    """The files hang off submissions, which hang off the enrolment the erasure deletes (the
    rows go by cascade); the stored files go once the erasure commits."""
    from academy.services import account_erase
    from cohorts.models import SubmissionFile
    from cohorts.services.submission_files import submission_files_attach
    from tests import files
    from tests.files import upload

    from .factories import assessment_taking_files, handed_in

    mine = EnrolmentFactory()
    other = EnrolmentFactory(cohort=mine.cohort)
    assessment = assessment_taking_files(mine.cohort.course)
    with django_capture_on_commit_callbacks(execute=True):
        rows = submission_files_attach(
            submission=handed_in(mine, assessment),
            files=[upload("a.pdf", files.pdf()), upload("b.docx", files.docx())],
        )
        [theirs] = submission_files_attach(
            submission=handed_in(other, assessment), files=[upload("c.odt", files.odt())]
        )
    storage = rows[0].file.storage
    names = [row.file.name for row in rows]
    assert all(storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks() as after_commit:
        account_erase(user=mine.user)
    assert not SubmissionFile.objects.filter(pk__in=[r.pk for r in rows]).exists()
    assert all(storage.exists(name) for name in names), "deleted before the erasure committed"
    for callback in after_commit:
        callback()

    assert not any(storage.exists(name) for name in names)
    assert storage.exists(theirs.file.name)
