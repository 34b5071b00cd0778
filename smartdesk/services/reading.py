"""Reading receipts, with every source the app has: a supplier's e-invoice (UBL, CII, Factur-X) read from
its XML by ``smartdesk.einvoice``, then what ``smartdesk.receipts.reading`` reads itself (PDF text, EPC QR
code, OCR). The e-invoice reader sits above the receipts layer, so it is plugged in here, once.
"""

from __future__ import annotations

import threading
from pathlib import Path

from smartdesk.errors import SmartDeskError
from smartdesk.receipts.reading import (
    Field,
    OcrEngine,
    ReceiptReading,
    VatLine,
    read,
    register_structured_reader,
)

_registered = False
_lock = threading.Lock()


def einvoice_reading(data: bytes, filename: str = "") -> ReceiptReading | None:
    """A supplier's e-invoice as a receipt reading (every value from the XML: confidence 1), or None when the
    file is not an e-invoice."""
    from smartdesk.einvoice.reader import read_invoice

    try:
        invoice = read_invoice(data)
    except SmartDeskError:
        return None
    sign = -1 if invoice.credit_note else 1
    vat_lines = tuple(VatLine(r.rate, sign * r.vat, sign * r.taxable, 1.0) for r in invoice.per_rate)
    return ReceiptReading(
        source="einvoice",
        date=Field(invoice.issue_date, 1.0) if invoice.issue_date else None,
        supplier=Field(invoice.supplier_name, 1.0) if invoice.supplier_name else None,
        supplier_vat=Field(invoice.supplier_vat, 1.0) if invoice.supplier_vat else None,
        total=Field(sign * invoice.total_incl, 1.0),
        currency=Field(invoice.currency, 1.0) if invoice.currency else None,
        vat_lines=vat_lines,
        number=Field(invoice.number, 1.0) if invoice.number else None,
        totals_agree=invoice.total_excl + invoice.total_vat == invoice.total_incl,
    )


def read_receipt(
    source: str | Path | bytes, filename: str = "", *, engine: OcrEngine | None | bool = True
) -> ReceiptReading:
    """``receipts.reading.read`` with the e-invoice reader plugged in first."""
    global _registered
    with _lock:
        if not _registered:
            register_structured_reader(einvoice_reading)
            _registered = True
    return read(source, filename, engine=engine)
