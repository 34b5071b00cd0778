"""A supplier's e-invoice (UBL, CII or Factur-X PDF) -> what an expense line needs.

Nothing in the file is executed or fetched: the XML is parsed without DTD, entities or network
(``safexml``), sizes and every value are bounded, and only a handful of business terms are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from smartdesk.domain.documents import ExpenseLine
from smartdesk.domain.money import ZERO, round2
from smartdesk.einvoice.safexml import UnreadableInvoice, invoice_xml, parse_xml
from smartdesk.errors import Message

_MAX_AMOUNT = Decimal("1e12")
_MAX_TEXT = 300
_UBL_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
_UBL_CREDIT = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_CII = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"


@dataclass(frozen=True)
class RateAmount:
    category: str  # EN 16931 VAT category code (S, Z, E, AE, K, G, O)
    rate: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class ReceivedInvoice:
    syntax: str  # "ubl" or "cii"
    credit_note: bool
    number: str  # BT-1
    issue_date: date | None  # BT-2
    supplier_name: str  # BT-27
    supplier_vat: str  # BT-31
    currency: str  # BT-5
    per_rate: tuple[RateAmount, ...]  # BG-23
    total_excl: Decimal  # BT-109
    total_vat: Decimal  # BT-110
    total_incl: Decimal  # BT-112
    payable: Decimal  # BT-115

    def expense_line(self) -> ExpenseLine:
        """An expense line prefilled from the invoice (the receipt itself is attached by the caller)."""
        rates = {r.rate for r in self.per_rate if r.taxable}
        sign = Decimal(-1) if self.credit_note else Decimal(1)
        return ExpenseLine(
            date=self.issue_date,
            supplier=self.supplier_name[:_MAX_TEXT],
            description=self.number and f"{self.number}",
            amount_incl=sign * self.total_incl,
            vat_rate=rates.pop() if len(rates) == 1 else Decimal(0),
            vat_amount_override=sign * self.total_vat,
        )


def _text(el: etree._Element | None) -> str:
    if el is None or el.text is None:
        return ""
    return " ".join(el.text.split())[:_MAX_TEXT]


def _amount(el: etree._Element | None, required: bool = False) -> Decimal:
    raw = _text(el)
    if not raw:
        if required:
            raise UnreadableInvoice(Message("This e-invoice has no total including VAT."))
        return ZERO
    if len(raw) > 40:
        raise UnreadableInvoice(
            Message("An amount in this e-invoice is not a number: {value}", value=raw[:40])
        )
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise UnreadableInvoice(
            Message("An amount in this e-invoice is not a number: {value}", value=raw)
        ) from None
    if not value.is_finite() or abs(value) >= _MAX_AMOUNT:
        raise UnreadableInvoice(Message("An amount in this e-invoice is out of range: {value}", value=raw))
    return round2(value)


def _rate(el: etree._Element | None) -> Decimal:
    value = _amount(el)
    if not ZERO <= value <= Decimal(100):
        raise UnreadableInvoice(
            Message("A VAT rate in this e-invoice is out of range: {value}", value=str(value))
        )
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _day(raw: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(raw.strip()[:10], fmt).date() if raw.strip() else None
    except ValueError:
        return None


def _read_ubl(root: etree._Element) -> ReceivedInvoice:
    supplier = root.find("./{*}AccountingSupplierParty/{*}Party")
    name = ""
    vat = ""
    if supplier is not None:
        name = _text(supplier.find("./{*}PartyLegalEntity/{*}RegistrationName")) or _text(
            supplier.find("./{*}PartyName/{*}Name")
        )
        for scheme in supplier.findall("./{*}PartyTaxScheme"):
            if _text(scheme.find("./{*}TaxScheme/{*}ID")).upper() == "VAT":
                vat = _text(scheme.find("./{*}CompanyID"))
    per_rate = []
    tax_total = root.find("./{*}TaxTotal")
    for sub in root.findall("./{*}TaxTotal/{*}TaxSubtotal")[:50]:
        per_rate.append(
            RateAmount(
                category=_text(sub.find("./{*}TaxCategory/{*}ID"))[:3],
                rate=_rate(sub.find("./{*}TaxCategory/{*}Percent")),
                taxable=_amount(sub.find("./{*}TaxableAmount")),
                vat=_amount(sub.find("./{*}TaxAmount")),
            )
        )
    totals = root.find("./{*}LegalMonetaryTotal")
    if totals is None:
        raise UnreadableInvoice("This e-invoice has no totals (LegalMonetaryTotal).")
    return ReceivedInvoice(
        syntax="ubl",
        credit_note=root.tag == _UBL_CREDIT,
        number=_text(root.find("./{*}ID")),
        issue_date=_day(_text(root.find("./{*}IssueDate")), "%Y-%m-%d"),
        supplier_name=name,
        supplier_vat=vat,
        currency=_text(root.find("./{*}DocumentCurrencyCode"))[:3],
        per_rate=tuple(per_rate),
        total_excl=_amount(totals.find("./{*}TaxExclusiveAmount")),
        total_vat=_amount(tax_total.find("./{*}TaxAmount")) if tax_total is not None else ZERO,
        total_incl=_amount(totals.find("./{*}TaxInclusiveAmount"), required=True),
        payable=_amount(totals.find("./{*}PayableAmount")),
    )


def _read_cii(root: etree._Element) -> ReceivedInvoice:
    head = root.find("./{*}ExchangedDocument")
    trade = root.find("./{*}SupplyChainTradeTransaction")
    if head is None or trade is None:
        raise UnreadableInvoice("This CII file has no document header or no transaction.")
    seller = trade.find("./{*}ApplicableHeaderTradeAgreement/{*}SellerTradeParty")
    vat = ""
    if seller is not None:
        for reg in seller.findall("./{*}SpecifiedTaxRegistration/{*}ID"):
            if reg.get("schemeID", "").upper() == "VA":
                vat = _text(reg)
    settlement = trade.find("./{*}ApplicableHeaderTradeSettlement")
    if settlement is None:
        raise UnreadableInvoice("This CII file has no settlement (totals).")
    sums = settlement.find("./{*}SpecifiedTradeSettlementHeaderMonetarySummation")
    if sums is None:
        raise UnreadableInvoice("This CII file has no totals.")
    per_rate = [
        RateAmount(
            category=_text(t.find("./{*}CategoryCode"))[:3],
            rate=_rate(t.find("./{*}RateApplicablePercent")),
            taxable=_amount(t.find("./{*}BasisAmount")),
            vat=_amount(t.find("./{*}CalculatedAmount")),
        )
        for t in settlement.findall("./{*}ApplicableTradeTax")[:50]
    ]
    currency = _text(settlement.find("./{*}InvoiceCurrencyCode"))[:3]
    tax_amounts = sums.findall("./{*}TaxTotalAmount")
    tax = next((t for t in tax_amounts if t.get("currencyID", currency) == currency), None)
    return ReceivedInvoice(
        syntax="cii",
        credit_note=_text(head.find("./{*}TypeCode")) in ("381", "261", "396"),
        number=_text(head.find("./{*}ID")),
        issue_date=_day(_text(head.find("./{*}IssueDateTime/{*}DateTimeString")), "%Y%m%d"),
        supplier_name=_text(seller.find("./{*}Name")) if seller is not None else "",
        supplier_vat=vat,
        currency=currency,
        per_rate=tuple(per_rate),
        total_excl=_amount(sums.find("./{*}TaxBasisTotalAmount")),
        total_vat=_amount(tax),
        total_incl=_amount(sums.find("./{*}GrandTotalAmount"), required=True),
        payable=_amount(sums.find("./{*}DuePayableAmount")),
    )


def read_invoice(data: bytes) -> ReceivedInvoice:
    """Read a UBL / CII XML or a Factur-X PDF. Raises ``UnreadableInvoice`` in plain words."""
    root = parse_xml(invoice_xml(data))
    if root.tag in (_UBL_INVOICE, _UBL_CREDIT):
        return _read_ubl(root)
    if root.tag == _CII:
        return _read_cii(root)
    raise UnreadableInvoice("This XML is not an e-invoice (neither UBL nor CII).")
