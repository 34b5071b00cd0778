"""Property: for random valid documents, UBL totals = CII totals = the PDF's printed totals, to the cent,
and the EN 16931 rules find nothing fatal in either; reading the files back gives the same amounts."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pdfplumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from smartdesk import einvoice
from smartdesk.domain.documents import AllowanceCharge, DocumentKind, Line, MemberProfile
from smartdesk.domain.totals import line_amounts
from smartdesk.einvoice import Syntax, check_xml, read_invoice
from smartdesk.pdf import render_document
from tests.unit.einvoice_scenarios import BE, FR, client_be, client_fr, invoice

RATES = {"BE": ["21", "12", "6"], "FR": ["20", "10", "5.5", "2.1"]}
UBL_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def _money(text: str) -> Decimal:
    """An amount as the PDF prints it ("1.513,30 €", "1 513,30 €", "-107,00 €"): always 2 decimals."""
    negative = text.strip().startswith(("-", "\u2212"))
    digits = re.sub(r"\D", "", text)
    value = Decimal(digits) / 100
    return -value if negative else value


@st.composite
def documents(draw: st.DrawFn):  # noqa: ANN201
    country = draw(st.sampled_from(["BE", "FR"]))
    entity, client = (BE, client_be()) if country == "BE" else (FR, client_fr())
    rates = RATES[country]
    lines = [
        Line(
            description=f"Item {i}",
            quantity=Decimal(draw(st.integers(1, 4000))) / 100,
            unit_price=Decimal(draw(st.integers(1, 5_000_000))) / 10_000,
            vat_rate=Decimal(draw(st.sampled_from(rates))),
            discount_percent=Decimal(draw(st.sampled_from([0, 0, 5, 10, 12.5]))).quantize(Decimal("0.1")),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    used = sorted({ln.vat_rate for ln in lines})
    allowances = []
    for _ in range(draw(st.integers(0, 3))):
        rate = draw(st.sampled_from(used))
        if draw(st.booleans()):
            allowances.append(
                AllowanceCharge(
                    is_charge=draw(st.booleans()),
                    vat_rate=rate,
                    reason="Adjustment",
                    percent=Decimal(draw(st.integers(1, 15))),
                )
            )
        elif draw(st.booleans()):
            allowances.append(
                AllowanceCharge(
                    is_charge=True,
                    vat_rate=rate,
                    reason="Transport",
                    amount=Decimal(draw(st.integers(100, 9000))) / 100,
                )
            )
        else:  # a fixed discount of at most half the lines at its rate: the base stays positive
            base = sum((line_amounts(ln).net for ln in lines if ln.vat_rate == rate), Decimal(0))
            cents = int(base * 50)
            if cents >= 1:
                allowances.append(
                    AllowanceCharge(
                        vat_rate=rate, reason="Geste", amount=Decimal(draw(st.integers(1, cents))) / 100
                    )
                )
    kind = draw(st.sampled_from([DocumentKind.INVOICE, DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE]))
    doc = invoice(
        entity,
        lines,
        kind=kind,
        allowances=allowances,
        language="en",
        corrects_number="2026/000001" if kind is DocumentKind.CREDIT_NOTE else "",
    )
    if kind is DocumentKind.INVOICE and draw(st.booleans()):
        doc.paid_amount = Decimal(draw(st.integers(1, 1000)))
    return doc, client, entity


@dataclass(frozen=True)
class _Places:
    """Where an e-invoice syntax keeps the totals: XPaths from the root, then inside one allowance or charge
    row and inside one VAT breakdown row."""

    ns: dict[str, str]
    excl: str
    vat: str
    incl: str
    due: str
    rows: str  # the document's allowances and charges
    is_charge: str  # "true" for a charge
    amount: str
    base: str
    taxes: str  # the VAT breakdown, one per rate
    rate: str
    tax: str
    taxable: str


UBL = _Places(
    UBL_NS,
    excl="cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    vat="cac:TaxTotal/cbc:TaxAmount",
    incl="cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    due="cac:LegalMonetaryTotal/cbc:PayableAmount",
    rows="cac:AllowanceCharge",
    is_charge="cbc:ChargeIndicator",
    amount="cbc:Amount",
    base="cbc:BaseAmount",
    taxes="cac:TaxTotal/cac:TaxSubtotal",
    rate="cac:TaxCategory/cbc:Percent",
    tax="cbc:TaxAmount",
    taxable="cbc:TaxableAmount",
)
_SUMS = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
CII = _Places(
    RAM,
    excl=f"{_SUMS}/ram:TaxBasisTotalAmount",
    vat=f"{_SUMS}/ram:TaxTotalAmount",
    incl=f"{_SUMS}/ram:GrandTotalAmount",
    due=f"{_SUMS}/ram:DuePayableAmount",
    rows=f"{_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge",
    is_charge="ram:ChargeIndicator/*",
    amount="ram:ActualAmount",
    base="ram:BasisAmount",
    taxes=f"{_SETTLEMENT}/ram:ApplicableTradeTax",
    rate="ram:RateApplicablePercent",
    tax="ram:CalculatedAmount",
    taxable="ram:BasisAmount",
)


def _xml_totals(xml: bytes, places: _Places) -> dict[str, Decimal]:
    """The totals an e-invoice states, read with lxml (not with smartdesk.einvoice's reader)."""
    root = etree.fromstring(xml)

    def text(node: Any, path: str) -> str:
        return str(node.xpath(f"string({path})", namespaces=places.ns))

    totals = {key: Decimal(text(root, getattr(places, key))) for key in ("excl", "vat", "incl", "due")}
    for n, row in enumerate(root.xpath(places.rows, namespaces=places.ns)):
        sign = 1 if text(row, places.is_charge) == "true" else -1
        totals[f"row {n}"] = sign * Decimal(text(row, places.amount))
        if base := text(row, places.base):
            totals[f"row {n} base"] = Decimal(base)
    for tax in root.xpath(places.taxes, namespaces=places.ns):
        rate = Decimal(text(tax, places.rate)).normalize()
        totals[f"vat {rate}"] = Decimal(text(tax, places.tax))
        totals[f"base {rate}"] = Decimal(text(tax, places.taxable))
    return totals


_MONEY = r"-?\d{1,3}(?:[.\u00a0\u202f ]\d{3})*,\d{2}\s?€"
_AC_ROW = re.compile(rf"^(?:Discount|Surcharge)(?: [\d.,]+% of (?P<base>{_MONEY}))?.*? (?P<amount>{_MONEY})$")
_VAT_ROW = re.compile(r"^VAT (?P<rate>[\d.,]+)\s?% on (?P<base>.+?€) (?P<vat>-?[\d.,\s\u202f\u00a0]+€)$")


def _pdf_totals(pdf: bytes, kind: DocumentKind) -> dict[str, Decimal]:
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        rows = [row.strip() for page in opened.pages for row in (page.extract_text() or "").splitlines()]
    totals: dict[str, Decimal] = {}
    vat_sum = Decimal(0)
    allowance_rows, in_totals = 0, False
    for row in rows:
        in_totals = in_totals or row.startswith("Subtotal excl. VAT")
        if in_totals and (match := _AC_ROW.match(row)) is not None:
            totals[f"row {allowance_rows}"] = _money(match.group("amount"))
            if match.group("base"):
                totals[f"row {allowance_rows} base"] = _money(match.group("base"))
            allowance_rows += 1
        if row.startswith("Total excl. VAT "):
            totals["excl"] = _money(row[len("Total excl. VAT ") :])
        elif row.startswith("Total incl. VAT "):
            totals["incl"] = _money(row[len("Total incl. VAT ") :])
        elif row.startswith("Total credited "):
            totals["incl"] = _money(row[len("Total credited ") :])
        elif row.startswith("Amount due "):
            totals["due"] = _money(row[len("Amount due ") :])
        elif (match := _VAT_ROW.match(row)) is not None:
            rate = Decimal(match.group("rate").replace(",", ".")).normalize()
            totals[f"base {rate}"] = _money(match.group("base"))
            totals[f"vat {rate}"] = _money(match.group("vat"))
            vat_sum += totals[f"vat {rate}"]
    totals["vat"] = vat_sum
    totals.setdefault("due", totals["incl"])
    return totals


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_ubl_cii_and_pdf_totals_agree_to_the_cent(case: tuple) -> None:
    doc, client, entity = case
    ubl = einvoice.write_ubl(doc, client=client, entity=entity)
    cii = einvoice.write_cii(doc, client=client, entity=entity)
    pdf = render_document(doc, client=client, activity=None, entity=entity, profile=MemberProfile())
    ubl_totals, cii_totals, pdf_totals = (
        _xml_totals(ubl, UBL),
        _xml_totals(cii, CII),
        _pdf_totals(pdf, doc.kind),
    )
    assert ubl_totals == cii_totals
    assert ubl_totals == pdf_totals
    assert sum(1 for k in ubl_totals if k.startswith("row ") and not k.endswith(" base")) == len(
        doc.allowances
    )
    assert check_xml(ubl, only=["en16931"]).fatal == []
    assert check_xml(cii, only=["en16931"]).fatal == []
    for data in (ubl, cii):
        read = read_invoice(data)
        assert (read.total_excl, read.total_vat, read.total_incl, read.payable) == (
            ubl_totals["excl"],
            ubl_totals["vat"],
            ubl_totals["incl"],
            ubl_totals["due"],
        )
        assert {(r.rate, r.taxable, r.vat) for r in read.per_rate} == {
            (Decimal(k[5:]), ubl_totals[k], ubl_totals["vat " + k[5:]])
            for k in ubl_totals
            if k.startswith("base ")
        }


def test_reading_a_factur_x_gives_the_expense_line_of_the_invoice() -> None:
    doc = invoice(
        FR,
        [Line(description="Atelier", quantity=Decimal(3), unit_price=Decimal(240), vat_rate=Decimal(20))],
        number="F2026-000099",
    )
    client = client_fr()
    pdf = render_document(doc, client=client, activity=None, entity=FR, profile=MemberProfile())
    read = read_invoice(einvoice.write_facturx(pdf, doc, client=client, entity=FR))
    assert read.syntax == Syntax.CII.value and read.number == "F2026-000099"
    assert read.supplier_name == FR.name and read.supplier_vat == FR.vat_number
    line = read.expense_line()
    assert (line.date, line.supplier, line.amount_incl, line.vat_rate, line.vat_amount_override) == (
        doc.issue_date,
        FR.name,
        Decimal("864.00"),
        Decimal(20),
        Decimal("144.00"),
    )
