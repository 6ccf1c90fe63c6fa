"""Uploads (QUALITY S5): the type from the content, the size limit kept while the request is
read, names fit to show. Real files of each kind, made in the tests (``tests.files``)."""

import io
import json
import zipfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

import pytest

from academy.uploads import (
    ALLOWED,
    MultipleFileField,
    SizeLimitUploadHandler,
    TooLargeFile,
    display_name,
    recognise,
    request_ceiling,
    size_label,
)
from tests import files
from tests.factories import UserFactory
from tests.files import upload

MB = 1024 * 1024


def refusal(file) -> str:
    with pytest.raises(ValidationError) as caught:
        recognise(file)
    return caught.value.messages[0]


# --- The type comes from the content -----------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "content_type"), files.ALLOWED_SAMPLES)
def test_every_allowed_kind_is_recognised_from_its_content(name, make, content_type):
    data = make()
    # The browser's word for it is ignored: it says "application/octet-stream" for all.
    found = recognise(upload(name, data, "application/octet-stream"))
    assert found.content_type == content_type
    assert found.label == ALLOWED[content_type].label
    assert found.name == name
    assert found.size == len(data)
    assert found.extension == name.rpartition(".")[2]


@pytest.mark.parametrize(("name", "make", "content_type"), files.ALLOWED_SAMPLES)
def test_the_name_is_not_needed_to_know_the_type(name, make, content_type):
    found = recognise(upload("my work", make()))
    assert found.content_type == content_type
    assert found.name == f"my work.{found.extension}"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", files.windows_exe()),
        ("report.pdf", files.elf()),
        ("essay.docx", files.plain_zip()),
        ("essay.odt", files.plain_zip()),
        ("page.txt", b"\x00\x01\x02\x03" * 64),
        ("drawing.png", b"GIF89a" + b"\x00" * 64),
    ],
    ids=["windows-program", "linux-program", "zip-as-docx", "zip-as-odt", "binary", "gif"],
)
def test_files_dressed_up_as_allowed_kinds_are_refused_by_name(name, data):
    assert refusal(upload(name, data)) == (
        f"“{name}” is not a PDF, Word, OpenDocument, text, PNG or JPEG file"
    )


@pytest.mark.parametrize(
    "data",
    [
        files.docx(content_types=files.DOCX_CONTENT_TYPES.replace("wordprocessingml", "other")),
        # A macro-enabled document (.docm) is not a Word document the academy takes.
        files.docx(
            content_types=files.DOCX_CONTENT_TYPES.replace(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                "application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        ),
        files._zip(
            [("[Content_Types].xml", files.DOCX_CONTENT_TYPES, zipfile.ZIP_DEFLATED)]
        ),  # no document inside
        files.odt("application/vnd.oasis.opendocument.spreadsheet"),
        files.odt(stored=False),
        files.docx()[:200],  # cut short
    ],
    ids=["docx-other-type", "docm", "docx-no-body", "ods", "odt-compressed-mimetype", "cut"],
)
def test_documents_with_the_wrong_inside_are_refused(data):
    assert "is not a PDF, Word" in refusal(upload("essay.docx", data))


def test_a_zip_of_too_many_parts_is_refused_without_reading_them():
    parts = [("[Content_Types].xml", files.DOCX_CONTENT_TYPES, zipfile.ZIP_DEFLATED)]
    parts += [(f"word/media/{n}.xml", "", zipfile.ZIP_STORED) for n in range(2001)]
    parts += [("word/document.xml", files.DOCX_DOCUMENT, zipfile.ZIP_DEFLATED)]
    assert "is not a PDF, Word" in refusal(upload("essay.docx", files._zip(parts)))


def test_a_zip_bomb_is_refused_by_its_declared_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files.DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", files.DOCX_DOCUMENT)
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            zeros = bytes(MB)
            for _ in range(260):  # 260 MB of zeros, about 250 KB compressed
                part.write(zeros)
    assert len(buffer.getvalue()) < MB
    assert "is not a PDF, Word" in refusal(upload("essay.docx", buffer.getvalue()))


def test_a_picture_under_another_name_is_kept_as_what_it_is():
    found = recognise(upload("report.pdf", files.png()))
    assert (found.content_type, found.extension) == ("image/png", "png")
    # Offered for download with its real type's extension, so it opens with the right program.
    assert found.name == "report.pdf.png"


@pytest.mark.parametrize(
    "words",
    [
        "From: Sam\nTo: my tutor\n\nWhat I learned this week.\n",  # looks like an email
        '{"week": 1, "learned": "a lot"}',  # looks like JSON
        "<p>My reflection, written as a web page.</p>\n",
        "[Week 1]\nNotes.\n",
    ],
    ids=["email", "json", "html", "ini"],
)
def test_text_that_looks_like_something_else_is_kept_as_plain_text(words):
    found = recognise(upload("notes", words.encode()))
    assert (found.content_type, found.name) == ("text/plain", "notes.txt")


def test_text_must_be_utf8():
    message = refusal(upload("notes.txt", "Café culture in Łódź".encode("cp1250")))
    assert message.startswith("“notes.txt” is text that is not saved as UTF-8")


def test_text_is_checked_to_the_end():
    data = files.text() * 2000 + "é".encode("latin-1")
    assert len(data) > 100_000
    assert "not saved as UTF-8" in refusal(upload("notes.txt", data))


def test_an_empty_file_is_refused():
    assert refusal(upload("reflection.pdf", b"")) == "“reflection.pdf” is empty"


def test_a_file_over_the_limit_is_refused(settings):
    settings.ACADEMY_UPLOAD_MAX_BYTES = 1024
    data = files.pdf() + b"%" + b"0" * 1024
    assert refusal(upload("big.pdf", data)) == "“big.pdf” is larger than 1 KB"
    assert recognise(upload("small.pdf", files.pdf())).size < 1024


def test_sizes_read_as_people_say_them():
    assert size_label(10 * MB) == "10 MB"
    assert size_label(1536 * 1024) == "1.5 MB"
    assert size_label(500 * 1024) == "500 KB"


# --- Names -------------------------------------------------------------------------------------


def test_a_name_of_ten_thousand_characters_is_cut_to_200_keeping_its_extension():
    name = display_name("a" * 10_000 + ".pdf", extension="pdf")
    assert len(name) == 200
    assert name.endswith("a.pdf")
    found = recognise(upload("b" * 10_000 + ".pdf", files.pdf()))
    assert len(found.name) <= 200 and found.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\Users\\sam\\My reflection.docx", "My reflection.docx"),
        ("..", "file"),
        ("", "file"),
        ("notes\x00.txt", "notes.txt"),
        ("invoice\u202egpj.exe", "invoice gpj.exe"),  # a right-to-left override
        ("  spaced   out  .pdf ", "spaced out.pdf"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_names_lose_their_path_and_control_characters(given, shown):
    assert display_name(given) == shown


def test_a_stored_path_never_uses_the_name():
    from cohorts.models.assessments import submission_file_path

    class Row:
        class submission:
            class enrolment:
                cohort_id = 7

    path = submission_file_path(Row(), "upload.pdf")
    assert path.startswith("submissions/7/") and path.endswith(".pdf")
    assert "upload" not in path


# --- The form field ----------------------------------------------------------------------------


class WorkForm(forms.Form):
    text = forms.CharField(required=False)
    files = MultipleFileField(max_files=3, required=False, label="Attach files")


def bound(*uploads, data=None):
    from django.utils.datastructures import MultiValueDict

    return WorkForm(data or {}, MultiValueDict({"files": list(uploads)}))


def test_the_field_takes_several_files_of_allowed_kinds():
    form = bound(upload("a.pdf", files.pdf()), upload("b.docx", files.docx()))
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.docx"]


def test_the_field_names_every_file_it_refuses():
    form = bound(
        upload("ok.pdf", files.pdf()),
        upload("setup.pdf", files.windows_exe()),
        upload("empty.txt", b""),
    )
    assert not form.is_valid()
    assert form.errors["files"] == [
        "“setup.pdf” is not a PDF, Word, OpenDocument, text, PNG or JPEG file",
        "“empty.txt” is empty",
    ]


def test_the_field_refuses_more_files_than_allowed():
    form = bound(*(upload(f"{n}.txt", files.text()) for n in range(4)))
    assert not form.is_valid()
    assert form.errors["files"] == ["Select up to 3 files"]


def test_the_field_asks_for_a_file_when_one_is_required():
    class Required(forms.Form):
        files = MultipleFileField(max_files=2)

    form = Required({}, {})
    assert not form.is_valid()
    assert form.errors["files"] == ["Select a file"]


def test_the_field_renders_a_govuk_file_input_taking_several_files():
    html = str(WorkForm()["files"].as_field_group())
    assert 'type="file"' in html and "multiple" in html and "govuk-file-upload" in html
    assert 'accept=".pdf,.docx,.odt,.txt,.text,.png,.jpg,.jpeg"' in html


def test_a_file_the_handler_stopped_reading_is_refused_by_name():
    form = bound(TooLargeFile("big.pdf", 10 * MB + 65536))
    assert not form.is_valid()
    assert form.errors["files"] == ["“big.pdf” is larger than 10 MB"]


# --- The size limit while the request is read --------------------------------------------------

seen = {}


class CountingHandler(FileUploadHandler):
    """Behind the limit: counts what reached the handlers that keep files."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def make_view(max_files=5):
    from academy.uploads import upload_limits

    @upload_limits(max_files=max_files)
    def view(request):
        seen["handlers"] = request.upload_handlers
        form = WorkForm(request.POST, request.FILES)
        if form.is_valid():
            return HttpResponse("ok")
        return HttpResponse(json.dumps(form.errors), status=400)

    return view


class MultipartStream:
    """A multipart body made as it is read, ``size`` bytes of file in all, counting the bytes
    the server reads from it."""

    BOUNDARY = "----academyboundary"

    def __init__(self, file_name: str, size: int, text: str = "My reflection"):
        b = self.BOUNDARY
        self.head = (
            f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode() + b"%PDF-1.4\n"
        self.tail = (
            f'\r\n--{b}\r\nContent-Disposition: form-data; name="text"\r\n\r\n{text}\r\n--{b}--\r\n'
        ).encode()
        self.filler = size - len(b"%PDF-1.4\n")
        self.length = len(self.head) + self.filler + len(self.tail)
        self.position = 0
        self.block = b"0" * (256 * 1024)

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        out = bytearray()
        while size > 0 and self.position < self.length:
            p = self.position
            head_end = len(self.head)
            fill_end = head_end + self.filler
            if p < head_end:
                piece = self.head[p : p + size]
            elif p < fill_end:
                piece = self.block[: min(size, fill_end - p, len(self.block))]
            else:
                piece = self.tail[p - fill_end : p - fill_end + size]
            out += piece
            self.position += len(piece)
            size -= len(piece)
        return bytes(out)

    def readline(self, size=-1):  # not used by the multipart parser
        return self.read(size)


def streamed_post(body: MultipartStream, length: int | None = None) -> WSGIRequest:
    environ = RequestFactory()._base_environ(
        PATH_INFO="/work/",
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={body.BOUNDARY}",
        CONTENT_LENGTH=str(body.length if length is None else length),
        **{"wsgi.input": body},
    )
    request = WSGIRequest(environ)
    request._dont_enforce_csrf_checks = True
    request.user = AnonymousUser()
    return request


def test_a_50_mb_file_stops_being_read_at_the_limit_and_is_refused_by_name():
    body = MultipartStream("big.pdf", 50 * MB)
    request = streamed_post(body)
    behind = CountingHandler(request)
    request.upload_handlers = [behind]

    response = make_view()(request)

    assert response.status_code == 400
    assert json.loads(response.content)["files"] == ["“big.pdf” is larger than 10 MB"]
    limiter = seen["handlers"][0]
    assert isinstance(limiter, SizeLimitUploadHandler)
    chunk = 64 * 1024  # the parser's chunk: the most read past the limit
    assert limiter.received <= 10 * MB + chunk
    assert behind.received <= 10 * MB + chunk
    assert limiter.too_large == [("files", "big.pdf", limiter.received)]
    # What came after the file in the form still arrived.
    assert request.POST["text"] == "My reflection"


def test_a_request_far_larger_than_the_files_allowed_is_answered_413_unread():
    body = MultipartStream("huge.pdf", 200 * MB)
    request = streamed_post(body)
    response = make_view(max_files=3)(request)
    assert response.status_code == 413
    assert body.position == 0
    page = response.content.decode()
    assert "The files are too large" in page
    assert "smaller than 10 MB" in page and "up to 3 files" in page


def test_the_ceiling_allows_every_allowed_file_at_the_limit_and_the_form():
    assert request_ceiling(5) > 5 * 10 * MB
    body = MultipartStream("ok.pdf", 3 * MB)
    request = streamed_post(body)
    assert make_view()(request).status_code == 200
    assert body.position == body.length


def test_a_file_within_the_limit_arrives_whole():
    body = MultipartStream("fine.pdf", 2 * MB)
    request = streamed_post(body)
    assert make_view()(request).status_code == 200
    assert request.FILES["files"].size == 2 * MB


def test_the_form_is_still_protected_from_cross_site_posts():
    body = MultipartStream("fine.pdf", 1024)
    request = streamed_post(body)
    request._dont_enforce_csrf_checks = False
    assert make_view()(request).status_code == 403


def test_the_limit_is_the_setting(settings):
    settings.ACADEMY_UPLOAD_MAX_BYTES = 100 * 1024
    body = MultipartStream("big.pdf", 300 * 1024)
    response = make_view()(streamed_post(body))
    assert json.loads(response.content)["files"] == ["“big.pdf” is larger than 100 KB"]


# Through the whole middleware stack, as the views that take files are reached: the CSRF
# middleware must not read the body before the limit is in place.
urlpatterns = [path("work/", login_required(make_view()))]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_through_the_middleware_the_limit_is_in_place_before_the_body_is_read(settings):
    settings.ACADEMY_UPLOAD_MAX_BYTES = 100 * 1024
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    client.cookies["csrftoken"] = "a" * 32
    big = upload("big.pdf", files.pdf() + b"0" * 300 * 1024)
    data = {"csrfmiddlewaretoken": "a" * 32, "text": "Mine", "files": [big]}

    response = client.post("/work/", data)

    assert response.status_code == 400
    assert json.loads(response.content)["files"] == ["“big.pdf” is larger than 100 KB"]
    limiter = seen["handlers"][0]
    assert [entry[:2] for entry in limiter.too_large] == [("files", "big.pdf")]
    assert limiter.received <= 100 * 1024 + 64 * 1024
    del data["csrfmiddlewaretoken"]
    assert client.post("/work/", data).status_code == 403
    data["files"] = [upload("fine.pdf", files.pdf())]
    data["csrfmiddlewaretoken"] = "a" * 32
    assert client.post("/work/", data).status_code == 200
