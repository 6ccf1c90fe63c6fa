"""Every form that takes files, sent the files a careless or hostile person might: empty,
over the limit, a program renamed ``.pdf``, a plain zip renamed ``.docx``, a type the academy
does not take, and names of 10,000 characters or climbing out with ``../``. The forms are found
by construction: any form of the fuzzed rows whose page shows a file input.

The same three things hold as for every fuzzed form (``fuzzing.send``): no server error,
nothing written when refused, only the form's own tables when accepted; and a file that must be
refused is never stored, whatever else the answer does (a double-clicked form is answered with
a redirect and writes nothing). An accepted file is stored under a name of the academy's
making, never the name it was sent with."""

from django.test import Client

import pytest

from cohorts.models import SubmissionFile

from .. import files
from .bodies import Plan, body_for, today_in_cohort
from .fuzzing import reachers, send, settle
from .tables import fingerprints
from .test_fuzz_forms import FUZZED, form_for
from .world import as_role
from .writes import SHOWN_WRITES, WRITES

pytestmark = pytest.mark.django_db

# The tables a learner's refused file must never reach. (Wagtail's own avatar form takes any
# image it can read, a GIF among them: there, only the invariants of every form hold.)
FILE_TABLES = {"cohorts_submissionfile", "cohorts_submission"}
# A small limit keeps the test quick; "over the limit" is over whatever the setting says.
LIMIT = 64 * 1024

CASES = {
    "an empty file": ("notes.pdf", b"", "application/pdf"),
    "a file over the limit": ("big.pdf", files.pdf() + b"%" * (LIMIT + 1), "application/pdf"),
    "a Windows program renamed .pdf": ("report.pdf", files.windows_exe(), "application/pdf"),
    "a Linux program renamed .pdf": ("report.pdf", files.elf(), "application/pdf"),
    "a plain zip renamed .docx": (
        "essay.docx",
        files.plain_zip(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "a type the academy does not take": ("picture.png", files.image("GIF"), "image/png"),
    "a name of 10,000 characters": ("x" * 10_000 + ".pdf", files.pdf(), "application/pdf"),
    "a name that climbs out": ("../../../etc/passwd.pdf", files.pdf(), "application/pdf"),
    "a name with a NUL byte": ("report\x00.pdf", files.pdf(), "application/pdf"),
}
REFUSED = {
    "an empty file",
    "a file over the limit",
    "a Windows program renamed .pdf",
    "a Linux program renamed .pdf",
    "a plain zip renamed .docx",
    "a type the academy does not take",
}


def _file_rows(client, world):
    """(row, role, form, file field) for every fuzzed row whose form takes files: looked for
    once per module's world (reading every fuzzed row's form as each role takes seconds), then
    kept on it."""
    if hasattr(world, "file_rows"):
        return world.file_rows
    found = []
    for row in FUZZED:
        roles = reachers(row)
        for role in roles:
            form = form_for(client, world, row, role, roles)
            names = [item.name for item in form.fields if item.kind == "file"]
            if names:
                found.append((row, role, form, names[0]))
                break
    world.file_rows = found
    return found


def test_the_forms_that_take_files_are_found(world):
    rows = {row.name for row, *_ in _file_rows(Client(), world)}
    assert "hand in work" in rows


@pytest.mark.parametrize("case", list(CASES))
def test_files_sent_to_every_form_that_takes_them(world, settings, case):
    settings.ACADEMY_UPLOAD_MAX_BYTES = LIMIT
    client = Client(raise_request_exception=True)
    settle(world)
    before = fingerprints()
    name, content, content_type = CASES[case]
    sent = 0
    for row, role, form, field in _file_rows(client, world):
        data = body_for(form, Plan(), today_in_cohort())
        data[field] = [files.upload(name, content, content_type)]
        as_role(client, world, role)
        may_write = set(WRITES.get(row.name, ()))
        if case in REFUSED:
            may_write -= FILE_TABLES
        send(
            client,
            "post",
            row.url(world),
            data,
            who=role,
            before=before,
            may_write=may_write,
            shown_writes=SHOWN_WRITES.get(row.name, ()),
        )
        sent += 1
    assert sent


def test_an_accepted_file_is_stored_under_the_academys_name(world, client):
    """The learner's own name is kept for display, cleaned; the stored path is the academy's."""
    learner = world.users["learner_in_cohort"]
    client.force_login(learner)
    url = f"/cohorts/{world.cohort.pk}/assessments/{world.essay.pk}/"
    response = client.post(
        url,
        {
            "version": "1",
            "text": "Partners in our place pooled two budgets this year.",
            "files": [files.upload("../../../etc/passwd.pdf", files.pdf())],
        },
    )
    assert response.status_code == 302
    stored = SubmissionFile.objects.get(submission__assessment=world.essay)
    assert ".." not in stored.file.name and "passwd" not in stored.file.name
    assert "/" not in stored.name and stored.name.endswith(".pdf")
