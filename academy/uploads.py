"""Files people upload (QUALITY S5): what the academy accepts, and how it knows.

- **The type comes from the content**, never from the file's name or the browser's word for
  it: libmagic (``python-magic``) reads the first bytes, and a Word (DOCX) or OpenDocument (ODT)
  file, which is a zip, is opened to check that the parts such a document has are inside.
  ``recognise(file)`` answers with what the file is, or a ``ValidationError`` naming the file.
- **The size limit is kept before the file is read**: ``@upload_limits`` puts
  ``SizeLimitUploadHandler`` in front of Django's own handlers, so a file stops being read (or
  written to a temporary file) once it passes ``settings.ACADEMY_UPLOAD_MAX_BYTES``, and a
  request far larger than any allowed set of files is answered 413 before its body is read.
- **Names are for display only**: ``display_name`` keeps the learner's file name without path
  parts or control characters, trimmed to 200 characters; stored paths are random
  (``cohorts.models.submission_file_path``).
- ``MultipleFileField`` takes up to ``max_files`` files in a form and runs ``recognise`` on
  each, with messages that name the file.
"""

import codecs
import functools
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

import magic

from .names import DIRECTION_CONTROLS

# How much of a file libmagic reads to name its type.
HEAD_BYTES = 8192
# A Word or OpenDocument file is a zip: refuse one with more parts, or declaring more
# uncompressed bytes, than any real document of the size allowed has (a "zip bomb").
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_DECLARED_BYTES = 250 * 1024 * 1024
# The parts read from inside a zip to know what it is are small.
ZIP_PART_MAX_BYTES = 1024 * 1024
NAME_MAX_CHARS = 200
# A request may carry this much besides its files (the text of the work, the form's fields).
FORM_OVERHEAD_BYTES = 3 * 1024 * 1024
DEFAULT_MAX_FILES = 5

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT = "application/vnd.oasis.opendocument.text"
ZIP_TYPES = frozenset(
    {"application/zip", "application/x-zip-compressed", "application/octet-stream", DOCX, ODT}
)


@dataclass(frozen=True)
class Kind:
    """An allowed type: what it is called in messages, and the file name extensions that
    people give it (the first is the one the academy gives it)."""

    content_type: str
    extensions: tuple[str, ...]
    label: str


# The types learners may upload, by the content type recognised from the content.
ALLOWED: dict[str, Kind] = {
    kind.content_type: kind
    for kind in (
        Kind("application/pdf", ("pdf",), "PDF"),
        Kind(DOCX, ("docx",), "Word document"),
        Kind(ODT, ("odt",), "OpenDocument text"),
        Kind("text/plain", ("txt", "text"), "text file"),
        Kind("image/png", ("png",), "PNG image"),
        Kind("image/jpeg", ("jpg", "jpeg"), "JPEG image"),
    )
}
ALLOWED_LIST = "a PDF, Word, OpenDocument, text, PNG or JPEG file"


@dataclass(frozen=True)
class Recognised:
    """What an uploaded file is, from its content. ``name`` is the learner's file name cleaned
    for display, ending with an extension of the recognised type; ``size`` is in bytes."""

    content_type: str
    extension: str
    label: str
    name: str
    size: int


def max_bytes() -> int:
    return settings.ACADEMY_UPLOAD_MAX_BYTES


def size_label(size: int) -> str:
    """A size as people read it: "10 MB", "1.5 MB", "500 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return category not in {"Cc", "Cf", "Cs", "Co", "Cn"} and char not in DIRECTION_CONTROLS


def display_name(name: str, *, extension: str = "") -> str:
    """The learner's file name, safe to show and to offer as a download name: path parts
    (``../``, ``C:\\``) and control or invisible characters removed, spaces collapsed, at most
    200 characters with its extension kept. With ``extension`` (the recognised type's), a name
    that does not already end in one of that type's extensions gets it added, so the file opens
    with the right program ("photo.pdf" holding a PNG is offered as "photo.pdf.png")."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(char if _kept(char) else " " for char in text)
    text = " ".join(text.split()).lstrip(". ").rstrip(" ")
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    suffix = suffix[:16]
    if extension:
        kind = next((k for k in ALLOWED.values() if extension in k.extensions), None)
        known = kind.extensions if kind else (extension,)
        if suffix.lower() not in known:
            stem = f"{stem}.{suffix}" if suffix else stem
            suffix = extension
    stem = stem.strip() or "file"
    room = NAME_MAX_CHARS - (len(suffix) + 1 if suffix else 0)
    stem = stem[:room].rstrip(" .") or "file"
    return f"{stem}.{suffix}" if suffix else stem


def _refused(name: str) -> ValidationError:
    return ValidationError(f"“{name}” is not {ALLOWED_LIST}", code="file_type")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > ZIP_PART_MAX_BYTES:
        raise zipfile.BadZipFile("part too large")
    with archive.open(info) as part:
        data = part.read(ZIP_PART_MAX_BYTES + 1)
    if len(data) > ZIP_PART_MAX_BYTES:
        raise zipfile.BadZipFile("part too large")
    return data


def _zip_kind(file) -> str | None:
    """DOCX or ODT when the zip has the parts of one, else None."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if not members or len(members) > ZIP_MAX_MEMBERS:
                return None
            if sum(info.file_size for info in members) > ZIP_MAX_DECLARED_BYTES:
                return None
            names = {info.filename: info for info in members}
            first = members[0]
            if (
                first.filename == "mimetype"
                and first.compress_type == zipfile.ZIP_STORED
                and "content.xml" in names
                and _read_part(archive, first) == ODT.encode()
            ):
                return ODT
            content_types = names.get("[Content_Types].xml")
            if content_types is not None and "word/document.xml" in names:
                declared = _read_part(archive, content_types)
                if DOCX_MAIN_PART in declared and b'PartName="/word/document.xml"' in declared:
                    return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, ValueError, OSError, zlib.error):  # fmt: skip
        return None
    finally:
        file.seek(0)
    return None


# Characters no text file has: C0 controls other than tab, line feed, form feed and carriage
# return (NUL, escape…), and DEL.
BINARY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _utf8(file, *, plain: bool = False) -> bool:
    """Whether the whole file decodes as UTF-8 (read in chunks); with ``plain``, also without
    the control characters only binary files hold."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in file.chunks():
            text = decoder.decode(chunk)
            if plain and BINARY_CONTROLS.search(text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def recognise(file) -> Recognised:
    """What ``file`` (an uploaded file, or any Django ``File``) is, from its content; or a
    ``ValidationError`` whose message names the file: empty, larger than the limit, not one of
    the ``ALLOWED`` types, or text not saved as UTF-8. The file's name and the content type
    the browser sent are not trusted for anything but the name shown."""
    shown = display_name(getattr(file, "name", "") or "")
    size = file.size or 0
    if size > max_bytes():
        raise ValidationError(
            f"“{shown}” is larger than {size_label(max_bytes())}", code="file_too_large"
        )
    if size == 0:
        raise ValidationError(f"“{shown}” is empty", code="file_empty")
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    try:
        found = magic.from_buffer(head, mime=True)
    except magic.MagicException:
        found = "application/octet-stream"
    if found in ZIP_TYPES and head.startswith(b"PK\x03\x04"):
        found = _zip_kind(file)
    elif found in {DOCX, ODT}:
        found = None  # named a document by libmagic, but not a zip at all
    elif found.startswith("text/"):
        if not _utf8(file):
            raise ValidationError(
                f"“{shown}” is text that is not saved as UTF-8: save it as UTF-8 (or as a PDF) "
                "and upload it again",
                code="file_encoding",
            )
        found = "text/plain"
    elif found not in ALLOWED and _utf8(file, plain=True):
        # Text that libmagic names for what it looks like (an email, JSON, a web page…): kept
        # as plain text, which is what it is, and how it is sent back.
        found = "text/plain"
    kind = ALLOWED.get(found or "")
    if kind is None:
        raise _refused(shown)
    extension = kind.extensions[0]
    name = display_name(getattr(file, "name", "") or "", extension=extension)
    return Recognised(kind.content_type, extension, kind.label, name, size)


# --- Keeping the size limit while the request is read ------------------------------------------


class TooLargeFile(UploadedFile):
    """Stands in ``request.FILES`` for a file the handler stopped reading: it holds nothing, and
    its ``size`` (more than the limit) makes ``recognise`` refuse it by name."""

    def __init__(self, name: str, size: int):
        super().__init__(io.BytesIO(), name=name, content_type="", size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file once it passes ``limit`` bytes: the rest of it is skipped, not
    passed to the handlers that keep files in memory or on disk. Records each such file
    (``too_large``: field name, file name, bytes read) so the form can say which it was, and
    counts the bytes of files it was handed (``received``)."""

    def __init__(self, request=None, *, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.too_large: list[tuple[str, str, int]] = []
        self.received = 0
        self._seen = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self._seen = 0
        if self.content_length is not None and self.content_length > self.limit:
            self._skip(self.content_length)

    def receive_data_chunk(self, raw_data, start):
        self._seen += len(raw_data)
        self.received += len(raw_data)
        if self._seen > self.limit:
            self._skip(self._seen)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file

    def _skip(self, seen: int):
        self.too_large.append((self.field_name, self.file_name, seen))
        raise SkipFile


def request_ceiling(max_files: int) -> int:
    """The largest request body a form taking ``max_files`` files is read for."""
    return max_files * max_bytes() + FORM_OVERHEAD_BYTES


def upload_limits(view=None, *, max_files: int = DEFAULT_MAX_FILES):
    """A view that takes files (``@upload_limits`` or ``@upload_limits(max_files=3)``):

    - a request whose declared length passes ``request_ceiling(max_files)`` is answered 413
      with a page saying so, before its body is read;
    - each file is read through ``SizeLimitUploadHandler``, and a file over the limit appears
      in ``request.FILES`` as a ``TooLargeFile``, for the form to refuse by name.

    The handler must be in place before the body is read, and the CSRF check reads it: so the
    view is exempted from the middleware's check and checked here instead, once the handler
    is in place (as Django's documentation on upload handlers says)."""
    if view is None:
        return functools.partial(upload_limits, max_files=max_files)
    protected = csrf_protect(view)

    @functools.wraps(view)
    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > request_ceiling(max_files):
                return too_large_response(request, max_files=max_files)
            handler = SizeLimitUploadHandler(request)
            request.upload_handlers.insert(0, handler)
            if request.content_type == "multipart/form-data":
                files = request.FILES  # read now, through the handler
                for field_name, file_name, seen in handler.too_large:
                    files.appendlist(field_name, TooLargeFile(file_name, seen))
        return protected(request, *args, **kwargs)

    return wrapper


def too_large_response(request, *, max_files: int):
    return render(
        request,
        "413.html",
        {"max_size": size_label(max_bytes()), "max_files": max_files, "back_url": request.path},
        status=413,
    )


# --- Forms -------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    """A file input that lets people choose several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to ``max_files`` files, each recognised from its content (``recognise``). Cleans to a
    list of the uploaded files (empty when none is required and none was chosen); every file's
    problem is reported, each message naming its file."""

    widget = MultipleFileInput
    default_error_messages = {
        "required": "Select a file",
        "max_files": "Select up to %(max_files)s files",
        "max_one_file": "Select only one file",
    }

    def __init__(self, *, max_files: int = DEFAULT_MAX_FILES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("allow_empty_file", True)  # ``recognise`` names empty files
        super().__init__(**kwargs)
        if max_files == 1:
            self.widget.attrs.pop("multiple", None)
        self.widget.attrs.setdefault(
            "accept", ",".join(f".{e}" for kind in ALLOWED.values() for e in kind.extensions)
        )

    def to_python(self, data) -> list:
        if data in self.empty_values:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file not in self.empty_values]

    def clean(self, data, initial=None) -> list:
        files = self.to_python(data)
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            if self.max_files == 1:
                raise ValidationError(self.error_messages["max_one_file"], code="max_files")
            raise ValidationError(
                self.error_messages["max_files"],
                code="max_files",
                params={"max_files": self.max_files},
            )
        errors = []
        for file in files:
            try:
                recognise(file)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files

    def bound_data(self, data, initial):
        return data

    def has_changed(self, initial, data):
        return bool(data)
