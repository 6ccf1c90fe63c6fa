"""Reading a PDF as a person does: its page drawn as an image by PDFium (the PDF engine of
Chromium), and the QR codes on that image read by ZXing (the reader behind many phones'
scanners), not by the library that drew them."""

import pypdfium2
import zxingcpp


def qr_codes_on(pdf: bytes, *, dpi: int = 150) -> list[str]:
    """The text of every QR code on the PDF's pages, drawn at ``dpi`` dots per inch (72 is a
    coarse scan; a phone's camera held over a printed A4 page sees more)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            found += [
                code.text
                for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            ]
        return found
    finally:
        document.close()
