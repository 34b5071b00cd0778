"""On-device reading of receipts and supplier invoices (no Qt, no network).

``read(path_or_bytes) -> ReceiptReading``: every field with a value and a confidence, structured sources
first (e-invoice XML, EPC QR code, PDF text), OCR last. See docs/receipts.md, "Reading receipts".
"""

from smartdesk.receipts.reading.engine import OcrEngine, TextBox, get_engine
from smartdesk.receipts.reading.extract import extract_fields
from smartdesk.receipts.reading.model import Field, ReceiptReading, VatLine
from smartdesk.receipts.reading.reader import (
    decode_epc_qr,
    parse_epc_payload,
    read,
    read_many,
    register_structured_reader,
    unregister_structured_reader,
)
from smartdesk.receipts.reading.tokens import (
    find_amounts,
    find_dates,
    find_rates,
    find_vat_numbers,
    parse_amount,
    parse_date,
)

__all__ = [
    "Field",
    "OcrEngine",
    "ReceiptReading",
    "TextBox",
    "VatLine",
    "decode_epc_qr",
    "extract_fields",
    "find_amounts",
    "find_dates",
    "find_rates",
    "find_vat_numbers",
    "get_engine",
    "parse_amount",
    "parse_date",
    "parse_epc_payload",
    "read",
    "read_many",
    "register_structured_reader",
    "unregister_structured_reader",
]
