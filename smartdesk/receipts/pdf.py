"""Checking PDF receipts and drawing their first page with pypdfium2 (no Qt).

PDF receipts are kept byte for byte (they may be signed or be the supplier's legal invoice);
SmartDesk only checks that PDFium can open them and counts their pages. PDFium is not
thread-safe, so every call goes through one lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium

from smartdesk.receipts.images import PDF, check_size, encode_jpeg, sniff
from smartdesk.receipts.policy import (
    DEFAULT_POLICY,
    ReceiptPolicy,
    err_damaged,
    err_no_pages,
    err_password,
    err_pdf_pages,
    err_unsupported,
)

PDFIUM_LOCK = threading.RLock()


@dataclass(frozen=True)
class PdfFacts:
    page_count: int
    width_pt: float  # first page, PDF points (1/72 inch), rotation applied
    height_pt: float


def _open(data: bytes, filename: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise err_password(filename) from None
        raise err_damaged(filename) from None
    except Exception:  # noqa: BLE001 - anything else PDFium trips on
        raise err_damaged(filename) from None


def inspect_pdf(data: bytes, filename: str = "", policy: ReceiptPolicy = DEFAULT_POLICY) -> PdfFacts:
    """Check a PDF receipt: size, readable, not password-protected, 1..max_pdf_pages pages."""
    check_size(data, filename, policy)
    if sniff(data) != PDF:
        raise err_unsupported(filename)
    with PDFIUM_LOCK:
        doc = _open(data, filename)
        try:
            count = len(doc)
            if count < 1:
                raise err_no_pages(filename)
            if count > policy.max_pdf_pages:
                raise err_pdf_pages(filename, count, policy.max_pdf_pages)
            try:
                page = doc[0]
                width, height = page.get_size()
                page.close()
            except pdfium.PdfiumError:
                raise err_damaged(filename) from None
        finally:
            doc.close()
    if not (width > 0 and height > 0):
        raise err_damaged(filename)
    return PdfFacts(page_count=count, width_pt=width, height_pt=height)


def pdf_thumbnail(data: bytes, max_px: int = 256, filename: str = "") -> bytes:
    """The first page as a JPEG whose long side is ``max_px`` (white background)."""
    with PDFIUM_LOCK:
        doc = _open(data, filename)
        try:
            if len(doc) < 1:
                raise err_no_pages(filename)
            page = doc[0]
            try:
                width, height = page.get_size()
                scale = max_px / max(width, height, 1.0)
                bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), may_draw_forms=True)
                image = bitmap.to_pil().convert("RGB")
            except pdfium.PdfiumError:
                raise err_damaged(filename) from None
            finally:
                page.close()
        finally:
            doc.close()
    return encode_jpeg(image, 80)
