"""Files attached to a learner's written work, kept in private storage (``academy.storage``).

Each file is recognised from its content (``academy.uploads.recognise``) before anything is
written; the type, the size and the name shown are what recognition found. A file written in a
transaction that then rolls back is deleted again (``academy.storage.discard_on_rollback``)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from academy.storage import discard_on_rollback
from academy.uploads import recognise

from ..models import Submission, SubmissionFile


@transaction.atomic
def submission_files_attach(
    *, submission: Submission, files: list[UploadedFile], field: str = "files"
) -> list[SubmissionFile]:
    """Attach ``files`` to ``submission``, in order. Every file is checked first; if any is
    refused (empty, too large, not an allowed type) or there are more than the assessment
    allows, nothing is saved and ``ValidationError`` keyed by ``field`` names each problem."""
    errors = []
    found = []
    for file in files:
        try:
            found.append(recognise(file))
        except ValidationError as error:
            errors.extend(error.messages)
    allowed = submission.assessment.max_files
    if len(files) + submission.files.count() > allowed:
        errors.insert(
            0,
            f"Attach up to {allowed} file{'' if allowed == 1 else 's'}"
            if allowed
            else "This assessment does not take files",
        )
    if errors:
        raise ValidationError({field: errors})
    attached = []
    for file, recognised in zip(files, found, strict=True):
        row = SubmissionFile(
            submission=submission,
            name=recognised.name,
            content_type=recognised.content_type,
            size=recognised.size,
        )
        file.seek(0)
        row.file.save(f"upload.{recognised.extension}", file, save=False)
        discard_on_rollback(row.file.storage, row.file.name)
        row.save()
        attached.append(row)
    return attached
