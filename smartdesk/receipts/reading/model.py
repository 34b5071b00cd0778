"""What reading a receipt gives: every field with a value, a confidence and where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: where the fields came from, best first
SOURCES = ("einvoice", "epc_qr", "pdf_text", "ocr", "none")


@dataclass(frozen=True)
class Field(Generic[T]):
    """One value read from a receipt. ``confidence`` is between 0 and 1 (1: from structured data)."""

    value: T
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {"value": _plain(self.value), "confidence": round(self.confidence, 2)}


@dataclass(frozen=True)
class VatLine:
    """The VAT of one rate: rate in percent, the taxable base (when printed) and the VAT amount."""

    rate: Decimal
    vat: Decimal
    base: Decimal | None
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate": _plain(self.rate),
            "base": _plain(self.base),
            "vat": _plain(self.vat),
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True)
class ReceiptReading:
    """Everything read from one receipt. A field that could not be read is ``None``.

    ``source`` says what was read (an e-invoice's XML, an EPC QR code, a PDF's text, OCR of the image,
    or nothing); ``reason`` is a plain-words sentence when nothing useful was found (``None`` otherwise);
    ``text`` is the text the fields were taken from, for display and debugging.
    """

    source: str
    date: Field[date] | None = None
    supplier: Field[str] | None = None
    supplier_vat: Field[str] | None = None
    total: Field[Decimal] | None = None
    currency: Field[str] | None = None
    vat_lines: tuple[VatLine, ...] = ()
    payment_method: Field[str] | None = None
    number: Field[str] | None = None
    #: True when bases + VAT = total (or VAT matches the total at its rate), False when they disagree,
    #: None when there was nothing to check
    totals_agree: bool | None = None
    reason: str | None = None
    text: str = field(default="", repr=False)
    #: extra facts from structured sources (IBAN, payment reference of an EPC QR code...)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def vat_total(self) -> Decimal | None:
        return sum((v.vat for v in self.vat_lines), Decimal("0.00")) if self.vat_lines else None

    @property
    def found_anything(self) -> bool:
        return any(
            f is not None
            for f in (
                self.date,
                self.supplier,
                self.supplier_vat,
                self.total,
                self.payment_method,
                self.number,
            )
        ) or bool(self.vat_lines)

    def as_dict(self) -> dict[str, Any]:
        def one(f: Field[Any] | None) -> dict[str, Any] | None:
            return None if f is None else f.as_dict()

        return {
            "source": self.source,
            "date": one(self.date),
            "supplier": one(self.supplier),
            "supplier_vat": one(self.supplier_vat),
            "total": one(self.total),
            "currency": one(self.currency),
            "vat": [v.as_dict() for v in self.vat_lines],
            "payment_method": one(self.payment_method),
            "number": one(self.number),
            "totals_agree": self.totals_agree,
            "reason": self.reason,
            "extra": dict(self.extra),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value
