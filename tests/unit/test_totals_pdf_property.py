"""Property (issue 13): for random invoices with lines, 0-3 allowances and 0-3 charges over several VAT
rates and categories, the PDF is rendered and read back with pdfplumber, and

- every printed row sums to the printed totals, to the cent (lines -> subtotal; subtotal + charges -
  allowances -> total excl. VAT = the sum of the printed VAT bases; VAT rows -> total VAT; ...);
- each printed figure equals an EN 16931 computation written here with exact fractions, not with the
  code under test;
- no document with a negative VAT base passes validation, and one without any problem does.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import floor

import pdfplumber
from hypothesis import event, given, settings
from hypothesis import strategies as st

from smartdesk.domain.documents import AllowanceCharge, Document, DocumentKind, Line, MemberProfile
from smartdesk.domain.validation import validate_document
from smartdesk.domain.vat import VatCategory
from smartdesk.pdf import render_document
from tests.unit.einvoice_scenarios import BE, FR, client_be, client_fr, invoice

D = Decimal
S, Z, E = VatCategory.STANDARD, VatCategory.ZERO, VatCategory.EXEMPT
RATES = {"BE": ["21", "12", "6"], "FR": ["20", "10", "5.5", "2.1"]}
CATEGORY_LABEL = {E: "Exempt", Z: "Zero rate"}


# --- the independent EN 16931 computation ---------------------------------------------------------------
def cent(x: Fraction) -> Fraction:
    """Round to the cent, halves away from zero."""
    n = floor(abs(x) * 100 + Fraction(1, 2))
    return Fraction(n if x >= 0 else -n, 100)


def group_of(category: VatCategory, rate: Decimal) -> tuple[str, Fraction]:
    return (category.value, Fraction(rate) if category is S else Fraction(0))


@dataclass
class Expected:
    nets: list[Fraction]
    rows: list[tuple[Fraction | None, Fraction]]  # (percentage base, amount) per allowance/charge
    bases: dict[tuple[str, Fraction], Fraction] = field(default_factory=dict)

    @property
    def excl(self) -> Fraction:
        return sum(self.bases.values(), Fraction(0))

    def vat(self, key: tuple[str, Fraction]) -> Fraction:
        return cent(self.bases[key] * key[1] / 100)


def en16931(doc: Document) -> Expected:
    nets = []
    line_bases: dict[tuple[str, Fraction], Fraction] = {}
    for ln in doc.lines:
        gross = cent(Fraction(ln.quantity) * Fraction(ln.unit_price))
        net = gross - cent(gross * Fraction(ln.discount_percent) / 100)
        nets.append(net)
        key = group_of(ln.vat_category, ln.vat_rate)
        line_bases[key] = line_bases.get(key, Fraction(0)) + net
    out = Expected(nets=nets, rows=[], bases=dict(line_bases))
    for ac in doc.allowances:
        key = group_of(ac.vat_category, ac.vat_rate)
        if ac.percent is not None:
            base: Fraction | None = line_bases.get(key, Fraction(0))
            amount = cent(base * Fraction(ac.percent) / 100)
        else:
            base, amount = None, cent(Fraction(ac.amount))
        out.rows.append((base, amount))
        out.bases[key] = out.bases.get(key, Fraction(0)) + (amount if ac.is_charge else -amount)
    return out


# --- random documents ---------------------------------------------------------------------------------------
@st.composite
def documents(draw: st.DrawFn) -> tuple[Document, str]:
    country = draw(st.sampled_from(["BE", "FR"]))
    rates = RATES[country]
    groups = [(S, D(r)) for r in rates] + [(E, D(0)), (Z, D(0))]
    lines = []
    for i in range(draw(st.integers(1, 6))):
        category, rate = draw(st.sampled_from(groups[: len(rates)] * 3 + groups[len(rates) :]))
        lines.append(
            Line(
                description=f"Item {i + 1}",
                quantity=D(draw(st.integers(1, 400_000))) / 1000,
                unit_price=D(draw(st.integers(0, 5_000_000))) / 10_000,
                vat_category=category,
                vat_rate=rate,
                discount_percent=D(draw(st.sampled_from(["0", "0", "5", "10", "12.5"]))),
            )
        )
    used = sorted({(ln.vat_category, ln.vat_rate) for ln in lines})
    allowances = []
    for is_charge in (False, True):
        for _ in range(draw(st.integers(0, 3))):
            # mostly the VAT of some lines; sometimes another rate of the country (no lines there)
            category, rate = draw(st.sampled_from(used * 4 + groups))
            if draw(st.booleans()):
                ac = AllowanceCharge(percent=D(draw(st.integers(1, 10_000))) / 100)
            else:
                ac = AllowanceCharge(amount=D(draw(st.integers(1, 300_000))) / 100)
            ac.is_charge, ac.vat_category, ac.vat_rate = is_charge, category, rate
            ac.reason = f"R{len(allowances) + 1}"
            allowances.append(ac)
    order = draw(st.permutations(allowances))
    doc = invoice(
        FR if country == "FR" else BE,
        lines,
        allowances=list(order),
        language="en",
        client_id="client-1",
        activity_id="activity-1",
    )
    if draw(st.booleans()):
        doc.paid_amount = D(draw(st.integers(1, 50_000))) / 100
    return doc, country


# --- reading the PDF back -----------------------------------------------------------------------------------
MONEY = r"-?\d{1,3}(?:[.\u00a0\u202f ]\d{3})*,\d{2}\s?€"
LINE_ROW = re.compile(r"^Item (?P<n>\d+) .*% (?P<amount>\d[\d.\u00a0\u202f ]*,\d{2})$")
AC_ROW = re.compile(
    rf"^(?P<kind>Discount|Surcharge)(?: (?P<pct>[\d.,]+)% of (?P<base>{MONEY}))?.*? (?P<amount>{MONEY})$"
)
VAT_ROW = re.compile(rf"^VAT (?P<rate>[\d,]+)% on (?P<base>{MONEY}) (?P<vat>{MONEY})$")
CAT_ROW = re.compile(rf"^(?P<cat>Exempt|Zero rate) – base (?P<base>{MONEY}) (?P<vat>{MONEY})$")
TOTAL_ROWS = {
    "Subtotal excl. VAT ": "subtotal",
    "Total excl. VAT ": "excl",
    "Total VAT ": "vat",
    "Total incl. VAT ": "incl",
    "Already paid ": "paid",
    "Amount due ": "due",
}


def amount(text: str) -> Fraction:
    negative = text.strip().startswith(("-", "\u2212"))
    value = Fraction(int(re.sub(r"\D", "", text)), 100)
    return -value if negative else value


@dataclass
class Printed:
    lines: dict[int, Fraction] = field(default_factory=dict)
    rows: list[tuple[str, Fraction | None, Fraction]] = field(default_factory=list)
    vat: dict[tuple[str, Fraction], tuple[Fraction, Fraction]] = field(default_factory=dict)
    totals: dict[str, Fraction] = field(default_factory=dict)


def read_back(pdf: bytes) -> Printed:
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text_rows = [r.strip() for page in opened.pages for r in (page.extract_text() or "").splitlines()]
    out = Printed()
    in_totals = False
    for row in text_rows:
        if (m := LINE_ROW.match(row)) and not in_totals:
            out.lines[int(m["n"])] = amount(m["amount"])
        elif row.startswith("Subtotal excl. VAT ") or row.startswith("Total excl. VAT "):
            in_totals = True
        if in_totals and (m := AC_ROW.match(row)):
            out.rows.append((m["kind"], amount(m["base"]) if m["base"] else None, amount(m["amount"])))
        elif m := VAT_ROW.match(row):
            out.vat[("S", Fraction(D(m["rate"].replace(",", "."))))] = (amount(m["base"]), amount(m["vat"]))
        elif m := CAT_ROW.match(row):
            code = E.value if m["cat"] == "Exempt" else Z.value
            out.vat[(code, Fraction(0))] = (amount(m["base"]), amount(m["vat"]))
        for label, key in TOTAL_ROWS.items():
            if row.startswith(label) and re.fullmatch(MONEY, row[len(label) :]):
                out.totals[key] = amount(row[len(label) :])
    return out


@settings(max_examples=40, deadline=None, derandomize=True)
@given(documents())
def test_printed_rows_add_up_to_the_printed_totals_and_match_en16931(case: tuple[Document, str]) -> None:
    doc, country = case
    entity, client = (FR, client_fr()) if country == "FR" else (BE, client_be())
    expected = en16931(doc)
    pdf = render_document(doc, client=client, activity=None, entity=entity, profile=MemberProfile())
    printed = read_back(pdf)

    # the lines, each at 2 decimals, as computed
    assert printed.lines == {n: net for n, net in enumerate(expected.nets, start=1)}
    subtotal = sum(printed.lines.values(), Fraction(0))
    # every allowance and charge printed, in order, with the base of a percentage
    assert [(base, amt) for _, base, amt in printed.rows] == [
        (base, amt if ac.is_charge else -amt)
        for ac, (base, amt) in zip(doc.allowances, expected.rows, strict=True)
    ]
    assert [kind for kind, _, _ in printed.rows] == [
        "Surcharge" if ac.is_charge else "Discount" for ac in doc.allowances
    ]
    if doc.allowances:
        assert printed.totals["subtotal"] == subtotal
    excl = subtotal + sum((amt for _, _, amt in printed.rows), Fraction(0))
    assert printed.totals["excl"] == excl == expected.excl
    # one VAT row per category and rate, bases summing to the total excl. VAT, VAT rounded once per base
    assert printed.vat == {key: (base, expected.vat(key)) for key, base in expected.bases.items()}
    assert sum((base for base, _ in printed.vat.values()), Fraction(0)) == excl
    vat = sum((v for _, v in printed.vat.values()), Fraction(0))
    if len(printed.vat) > 1:
        assert printed.totals["vat"] == vat
    assert printed.totals["incl"] == excl + vat
    if doc.kind is DocumentKind.INVOICE and doc.paid_amount:
        assert printed.totals["paid"] == -Fraction(doc.paid_amount)
        assert printed.totals["due"] == excl + vat - Fraction(doc.paid_amount)

    # validation: a negative base never passes; a document whose rows are all sound passes
    codes = {p.code for p in validate_document(doc, client=client, entity=entity, for_submit=True)}
    if any(base < 0 for base in expected.bases.values()):
        assert "vat_base.negative" in codes
    else:
        assert "vat_base.negative" not in codes and "total.negative" not in codes
    line_groups = {group_of(ln.vat_category, ln.vat_rate) for ln in doc.lines}
    sound = all(
        group_of(ac.vat_category, ac.vat_rate) in line_groups and (ac.percent is None or ac.percent <= 100)
        for ac in doc.allowances
    ) and all(base >= 0 for base in expected.bases.values())
    event("negative base" if any(b < 0 for b in expected.bases.values()) else "bases >= 0")
    event(f"{len(doc.allowances)} allowances/charges, {len(printed.vat)} VAT rows")
    if sound:
        event("sound: passes validation")
        assert codes == set(), codes


@settings(max_examples=100, deadline=None, derandomize=True)
@given(documents(), st.integers(1, 20))
def test_no_document_with_a_negative_base_passes_validation(case: tuple[Document, str], scale: int) -> None:
    """Without the PDF (cheap): fixed allowances made up to 20 times larger, so many bases go negative."""
    doc, country = case
    entity, client = (FR, client_fr()) if country == "FR" else (BE, client_be())
    for ac in doc.allowances:
        if not ac.is_charge and ac.percent is None:
            ac.amount *= scale
    expected = en16931(doc)
    negative = any(base < 0 for base in expected.bases.values())
    event("negative base" if negative else "bases >= 0")
    problems = validate_document(doc, client=client, entity=entity, for_submit=True)
    refused = [p for p in problems if p.code == "vat_base.negative"]
    assert bool(refused) == negative
    for p in refused:
        assert p.field == "allowances" and "would be -" in p.message
