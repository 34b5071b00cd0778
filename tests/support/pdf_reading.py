"""Reading back what a rendered PDF shows a person: the QR codes of a page (pypdfium2 renders it, pyzbar
decodes them)."""

from __future__ import annotations

import pypdfium2 as pdfium
from pyzbar.pyzbar import decode


def qr_payloads(pdf: bytes, page_index: int = 0) -> list[str]:
    """The text of every QR code on the page, as a phone's camera would read it (rendered at 3x)."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page_index].render(scale=3).to_pil()
    finally:
        document.close()
    return [symbol.data.decode("utf-8") for symbol in decode(image)]
