"""Real files of every kind learners may upload, made here (no fixtures on disk), and files
dressed up as them: for the tests of uploads and of every form that takes files.

Each maker returns bytes; ``upload(name, data)`` wraps them as a browser would send them (with a
content type the academy ignores)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>What I learned about leading together.</w:t></w:r></w:p></w:body>"
    "</w:document>"
)
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def pdf() -> bytes:
    """A one-page PDF, written by hand, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 100 Td (Reflection) Tj ET\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _zip(parts: list[tuple[str, str | bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in parts:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def docx(document: str = DOCX_DOCUMENT, content_types: str = DOCX_CONTENT_TYPES) -> bytes:
    """A Word document with the parts Word needs: content types, relationships, the body."""
    deflated = zipfile.ZIP_DEFLATED
    return _zip(
        [
            ("[Content_Types].xml", content_types, deflated),
            ("_rels/.rels", DOCX_RELS, deflated),
            ("word/document.xml", document, deflated),
        ]
    )


def odt(mimetype: str = ODT_MIMETYPE, *, stored: bool = True) -> bytes:
    """An OpenDocument text: ``mimetype`` first and uncompressed, then the content."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:text><text:p>What I learned.</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{ODT_MIMETYPE}"/></manifest:manifest>'
    )
    first = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return _zip(
        [
            ("mimetype", mimetype, first),
            ("content.xml", content, zipfile.ZIP_DEFLATED),
            ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
        ]
    )


def plain_zip() -> bytes:
    return _zip([("notes.txt", "Some notes.", zipfile.ZIP_DEFLATED)])


def image(kind: str = "PNG") -> bytes:
    """A small picture, drawn by Pillow, as PNG or JPEG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 12, 12)).save(buffer, kind)
    return buffer.getvalue()


def png() -> bytes:
    return image("PNG")


def jpeg() -> bytes:
    return image("JPEG")


def text(words: str = "Leading across boundaries — what I learned, in my own words.\n") -> bytes:
    return words.encode("utf-8")


def windows_exe() -> bytes:
    """The start of a Windows program (an "MZ" header and the PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 56)
    header[0x3C:0x40] = (64).to_bytes(4, "little")
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def elf() -> bytes:
    """The start of a Linux program."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


# Every kind learners may upload: (file name, maker, content type recognised).
ALLOWED_SAMPLES = [
    ("reflection.pdf", pdf, "application/pdf"),
    (
        "reflection.docx",
        docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("reflection.odt", odt, "application/vnd.oasis.opendocument.text"),
    ("reflection.txt", text, "text/plain"),
    ("map.png", png, "image/png"),
    ("photo.jpg", jpeg, "image/jpeg"),
]


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """``data`` as uploaded under ``name``; the content type is what a browser might claim."""
    return SimpleUploadedFile(name, data, content_type=content_type)
