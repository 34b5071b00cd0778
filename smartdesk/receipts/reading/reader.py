"""``read(path_or_bytes)``: the best reading of one receipt file, structured sources first.

Order: an e-invoice's XML (UBL / CII / Factur-X, through the readers registered with
:func:`register_structured_reader`), an EPC QR code ("scan to pay") on the page, a PDF's own text
layer, and only then OCR of the image. Safe to call off the GUI thread; the OCR engine is loaded once
per process. Never raises for a file it cannot read: the reading says why in ``reason``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PIL import Image

from smartdesk.errors import Message, SmartDeskError
from smartdesk.receipts.images import PDF, open_image, prepare, sniff
from smartdesk.receipts.pdf import PDFIUM_LOCK
from smartdesk.receipts.policy import DEFAULT_POLICY, ReceiptPolicy
from smartdesk.receipts.reading.engine import OcrEngine, get_engine, lines_of
from smartdesk.receipts.reading.extract import extract_fields
from smartdesk.receipts.reading.model import Field, ReceiptReading

#: long side of the picture handed to the recognizer (a 12 MP photo is DCT-scaled towards it while decoding;
#: 1280 px keeps receipt print about 20 px high, enough for PP-OCR, at a third of the CPU of 2000 px)
OCR_LONG_SIDE = 1280

#: ``reader(data, filename) -> ReceiptReading | None``: None when the bytes are not its kind of file
StructuredReader = Callable[[bytes, str], "ReceiptReading | None"]
_structured: list[StructuredReader] = []
_structured_lock = threading.Lock()

NOT_INSTALLED = Message(
    "Receipt reading is not installed on this computer, so nothing is suggested: "
    "type the date, amounts and VAT from the receipt."
)
NOTHING_READ = Message(
    "No date, amount or VAT could be read on this receipt (the photo may be blurred, "
    "dark or cut off). Type them from the receipt, or take a sharper photo, flat and well lit."
)
NO_EINVOICE = Message(
    "This looks like an e-invoice (XML), but this version of SmartDesk cannot read its "
    "fields yet. Type them from the invoice."
)


def register_structured_reader(reader: StructuredReader) -> None:
    """Add a reader of structured files (the e-invoice reader: UBL, CII, Factur-X PDF). Tried first."""
    with _structured_lock:
        if reader not in _structured:
            _structured.append(reader)


def unregister_structured_reader(reader: StructuredReader) -> None:
    with _structured_lock:
        if reader in _structured:
            _structured.remove(reader)


def read(
    source: str | Path | bytes,
    filename: str = "",
    *,
    engine: OcrEngine | None | bool = True,
    policy: ReceiptPolicy = DEFAULT_POLICY,
) -> ReceiptReading:
    """Read one receipt (a path or the file's bytes).

    ``engine``: True for the process's engine (:func:`get_engine`), an engine object, or None/False for
    no OCR (structured sources only). Raises nothing for unreadable content (see ``reason``); a file
    refused by the receipt checks (empty, too large, not an image or PDF, damaged) raises ``ReceiptError``.
    """
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        filename = filename or path.name
        data = path.read_bytes()

    def ocr() -> OcrEngine | None:  # loaded only when a picture needs it (never for a PDF with text)
        return get_engine() if engine is True else (engine or None)

    with _structured_lock:
        readers = list(_structured)
    for reader in readers:
        try:
            found = reader(data, filename)
        except SmartDeskError:
            found = None
        if found is not None and found.found_anything:
            return found
    head = data[:512].lstrip()
    if head.startswith((b"<?xml", b"<")) or head.startswith(b"\xef\xbb\xbf<"):
        return ReceiptReading(source="none", reason=NO_EINVOICE)
    if sniff(data) == PDF:
        return _read_pdf(data, filename, ocr, policy)
    image = prepare(open_image(data, filename, policy), filename, OCR_LONG_SIDE, OCR_LONG_SIDE * 3 // 4)
    return _read_image(image, ocr())


def _read_pdf(
    data: bytes, filename: str, ocr: Callable[[], OcrEngine | None], policy: ReceiptPolicy
) -> ReceiptReading:
    from smartdesk.receipts.pdf import inspect_pdf

    inspect_pdf(data, filename, policy)
    text, page_image = pdf_text_and_image(data)
    qr = decode_epc_qr(page_image) if page_image is not None else None
    if len(re.sub(r"\s", "", text)) >= 20:
        reading = extract_fields(text, source="pdf_text")
        return _finish(_with_qr(reading, qr))
    if page_image is None:
        return _finish(_with_qr(ReceiptReading(source="none"), qr))
    return _read_image(page_image, ocr(), qr=qr)


def pdf_text_and_image(data: bytes, max_pages: int = 3) -> tuple[str, Image.Image | None]:
    """The text layer of the first pages and the first page rendered at about 200 dpi."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            texts = []
            image = None
            for index in range(min(len(doc), max_pages)):
                page = doc[index]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
                if index == 0:
                    width, height = page.get_size()
                    scale = min(200 / 72, OCR_LONG_SIDE / max(width, height, 1))
                    image = page.render(scale=scale).to_pil().convert("RGB")
                page.close()
        finally:
            doc.close()
    return "\n".join(texts).replace("\r", "\n"), image


def _read_image(
    image: Image.Image, ocr: OcrEngine | None, qr: dict[str, str] | None = None
) -> ReceiptReading:
    if qr is None:
        qr = decode_epc_qr(image)
    if ocr is None:
        reading = _with_qr(ReceiptReading(source="none"), qr)
        return reading if reading.found_anything else replace(reading, reason=NOT_INSTALLED)
    lines = lines_of(ocr.recognize(image))
    if not lines:
        return _finish(_with_qr(ReceiptReading(source="none"), qr))
    mean = sum(score for _t, score in lines) / len(lines)
    reading = extract_fields([t for t, _s in lines], source="ocr", base_confidence=min(1.0, 0.2 + mean))
    return _finish(_with_qr(reading, qr))


def _finish(reading: ReceiptReading) -> ReceiptReading:
    if reading.date is None and reading.total is None and not reading.vat_lines:
        return replace(reading, reason=NOTHING_READ, source=reading.source)
    return reading


# --------------------------------------------------------------------------------------------- EPC QR


def decode_qr_texts(image: Image.Image) -> list[str]:
    """Texts of the QR codes in the picture: zbar (pyzbar) when installed, else OpenCV's detector."""
    try:
        from pyzbar import pyzbar

        return [
            s.data.decode("utf-8", "replace") for s in pyzbar.decode(image.convert("L")) if s.type == "QRCODE"
        ]
    except ImportError:
        pass
    try:
        import cv2
        import numpy as np
    except ImportError:
        return []
    detector = cv2.QRCodeDetector()
    ok, texts, _points, _codes = detector.detectAndDecodeMulti(np.asarray(image.convert("L")))
    return [t for t in texts if t] if ok else []


def parse_epc_payload(payload: str) -> dict[str, str] | None:
    """Fields of an EPC069-12 payload ("BCD" / 001 or 002 / ... / SCT), or None if it is not one."""
    lines = payload.replace("\r\n", "\n").split("\n")
    if len(lines) < 7 or lines[0].strip() != "BCD" or lines[3].strip() != "SCT":
        return None
    if lines[1].strip() not in ("001", "002"):
        return None
    out = {"name": lines[5].strip()[:70], "iban": re.sub(r"\s", "", lines[6]).upper()[:34]}
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{1,30}", out["iban"]):
        return None
    amount = lines[7].strip() if len(lines) > 7 else ""
    m = re.fullmatch(r"([A-Z]{3})(\d{1,9}(?:\.\d{1,2})?)", amount)
    if m:
        try:
            out["currency"], out["amount"] = (
                m.group(1),
                format(Decimal(m.group(2)).quantize(Decimal("0.01")), "f"),
            )
        except InvalidOperation:
            pass
    if len(lines) > 9 and lines[9].strip():
        out["reference"] = lines[9].strip()[:35]
    elif len(lines) > 10 and lines[10].strip():
        out["reference"] = lines[10].strip()[:140]
    return out


def decode_epc_qr(image: Image.Image) -> dict[str, str] | None:
    for text in decode_qr_texts(image):
        parsed = parse_epc_payload(text)
        if parsed:
            return parsed
    return None


def _with_qr(reading: ReceiptReading, qr: dict[str, str] | None) -> ReceiptReading:
    """The EPC QR code's values win: they are exact (name, IBAN, amount, reference)."""
    if not qr:
        return reading
    changes: dict[str, object] = {"extra": {**reading.extra, **{f"epc_{k}": v for k, v in qr.items()}}}
    if qr.get("name"):
        changes["supplier"] = Field(qr["name"], 1.0)
    if qr.get("amount"):
        changes["total"] = Field(Decimal(qr["amount"]), 1.0)
        changes["currency"] = Field(qr.get("currency", "EUR"), 1.0)
    if reading.source == "none":
        changes["source"] = "epc_qr"
    return replace(reading, **changes)  # type: ignore[arg-type]


def read_many(
    sources: list[str | Path | bytes], *, engine: OcrEngine | None | bool = True
) -> list[ReceiptReading | SmartDeskError]:
    """Read several receipts with one engine; a refused file gives its error in its place."""
    if engine is True:
        engine = get_engine()
    out: list[ReceiptReading | SmartDeskError] = []
    for source in sources:
        try:
            out.append(read(source, engine=engine or None))
        except SmartDeskError as exc:
            out.append(exc)
    return out
