"""The certificate's PDF as a reader sees it: its QR code, drawn by PDFium and read by ZXing
(``tests/pdfs.py``), is the address of the certificate's public page, even scanned coarsely and
for a long address."""

from datetime import date

import pytest

from cohorts.certificate_pdf import CertificateText, draw_certificate
from tests.pdfs import qr_codes_on

CODE = "zvwenp2hrl2qtsi3xpmbvngd2u"


def drawn(site: str, holder: str = "Aisha Rahman") -> tuple[bytes, str]:
    address = f"{site}/certificates/{CODE}/"
    text = CertificateText(
        holder=holder,
        course="Leading across boundaries",
        cohort="Cohort 11",
        completed_on=date(2026, 3, 14),
        facilitators=["Sam Okafor"],
        verify_url=address,
        code=CODE,
    )
    return draw_certificate(text), address


@pytest.mark.parametrize(
    "site",
    ["http://127.0.0.1:8000", "https://learning.collaborative-leadership-academy.example.org.uk"],
    ids=["short address", "long address"],
)
@pytest.mark.parametrize("dpi", [72, 150], ids=["coarse scan", "fine scan"])
def test_the_qr_code_reads_as_the_public_pages_address(site, dpi):
    pdf, address = drawn(site)
    assert qr_codes_on(pdf, dpi=dpi) == [address]


def test_a_long_name_leaves_the_qr_code_readable():
    pdf, address = drawn("https://academy.example.org", holder="Aisha " + "Rahman-Okafor " * 12)
    assert qr_codes_on(pdf, dpi=72) == [address]
