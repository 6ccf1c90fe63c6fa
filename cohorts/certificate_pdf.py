"""Drawing a certificate as a one-page PDF with ReportLab: what it says in, bytes out. Nothing
here reads the database or the settings; ``cohorts.services.certificates`` gathers the words and
stores the result. Only the worker calls it (docs/quality.md P6: never inside a web request).

The page is A4 landscape in the academy's own plain style (no crown, no GOV.UK typeface):
the learner's name, the course, the cohort, the completion date, the facilitators, the address
where anyone can check it and a QR code of that address.

The QR code is encoded by the ``qrcode`` package with a fixed mask pattern and drawn as one
filled path of its dark runs. Every mask pattern is valid QR and any reader decodes it;
choosing the "best" of the eight by the standard's penalty score took ten times longer than
the rest of the page (and ReportLab's own QR widget, which draws each module as a shape, thirty
times), against a budget of 10 ms a certificate."""

import datetime
import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

ACADEMY = "Collaborative Leadership Academy"
INK = HexColor("#0b0c0c")
MUTED = HexColor("#505a5f")
BRAND = HexColor("#005a5b")  # the academy's teal (assets/scss/academy.scss)
QR_SIZE = 42 * mm
# The standard PDF fonts: nothing to embed, so a page takes a millisecond or two. They cover
# Latin-1; a character outside it is drawn as a question mark rather than left out silently.
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class CertificateText:
    """Everything the page says."""

    holder: str
    course: str
    cohort: str
    completed_on: datetime.date
    facilitators: list[str]
    verify_url: str
    code: str


def _printable(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _centred(canvas: Canvas, y: float, text: str, font: str, size: float, colour=INK) -> None:
    width = landscape(A4)[0]
    canvas.setFont(font, size)
    canvas.setFillColor(colour)
    text = _printable(text)
    # Shrink a long line (a long name or course title) to fit between the margins.
    while size > 10 and canvas.stringWidth(text, font, size) > width - 60 * mm:
        size -= 1
        canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, y, text)


def _qr(canvas: Canvas, url: str, x: float, y: float) -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    modules = code.get_matrix()
    step = QR_SIZE / len(modules)
    path = canvas.beginPath()
    for row, line in enumerate(modules):
        top = y + QR_SIZE - (row + 1) * step
        column = 0
        while column < len(line):
            if not line[column]:
                column += 1
                continue
            start = column
            while column < len(line) and line[column]:
                column += 1
            path.rect(x + start * step, top, (column - start) * step, step)
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def facilitated_by(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return f"Facilitated by {names[0]}"
    return f"Facilitated by {', '.join(names[:-1])} and {names[-1]}"


def draw_certificate(text: CertificateText) -> bytes:
    """The certificate as PDF bytes."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"Certificate: {text.course}")
    canvas.setAuthor(ACADEMY)
    canvas.setSubject(f"Certificate of completion for {text.holder}")

    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3 * mm)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.5 * mm)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    _centred(canvas, height - 42 * mm, ACADEMY.upper(), BOLD, 16, BRAND)
    _centred(canvas, height - 62 * mm, "Certificate of completion", BOLD, 30)
    _centred(canvas, height - 78 * mm, "This certifies that", REGULAR, 14, MUTED)
    _centred(canvas, height - 94 * mm, text.holder, BOLD, 28)
    _centred(canvas, height - 108 * mm, "has completed", REGULAR, 14, MUTED)
    _centred(canvas, height - 122 * mm, text.course, BOLD, 20)
    _centred(
        canvas,
        height - 133 * mm,
        f"{text.cohort}, completed on {_when(text.completed_on)}",
        REGULAR,
        13,
    )
    if text.facilitators:
        _centred(canvas, height - 142 * mm, facilitated_by(text.facilitators), REGULAR, 12, MUTED)

    _qr(canvas, text.verify_url, 24 * mm, 22 * mm)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 11)
    canvas.drawString(70 * mm, 52 * mm, "Check this certificate")
    canvas.setFont(REGULAR, 10)
    canvas.drawString(70 * mm, 46 * mm, "Scan the code, or go to:")
    canvas.drawString(70 * mm, 40 * mm, _printable(text.verify_url))
    canvas.setFillColor(MUTED)
    canvas.drawString(70 * mm, 32 * mm, f"Certificate code: {text.code}")

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
