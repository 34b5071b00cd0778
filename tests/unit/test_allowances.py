"""Document-level allowances and charges (EN 16931 BG-20/BG-21) and unit prices at their precision
(issue 13): each bug the issue reports, worked out on paper, checked on the totals and on the PDF read
back, so the printed rows are the rows the totals are computed from."""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber

from smartdesk.domain.documents import AllowanceCharge, Document, MemberProfile
from smartdesk.domain.totals import document_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.pdf import render_document
from tests.unit.einvoice_scenarios import BE, FR, client_be, client_fr, client_nl, invoice, line

D = Decimal
AE = VatCategory.REVERSE_CHARGE


def pdf_rows(doc: Document, *, french: bool = False, client=None) -> list[str]:  # noqa: ANN001
    entity = FR if french else BE
    client = client or (client_fr() if french else client_be())
    pdf = render_document(doc, client=client, activity=None, entity=entity, profile=MemberProfile())
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        return [row.strip() for page in opened.pages for row in (page.extract_text() or "").splitlines()]


def fr_invoice_from_the_issue() -> Document:
    # lines 1,495.00 (1,280.00 at 20 % + 215.00 at 5.5 %), a 45.00 charge and a 10 % discount at 20 %
    return invoice(
        FR,
        [line("Formation", "2", "640", rate="20", unit="DAY"), line("Livres", "10", "21.50", rate="5.5")],
        language="en",
        allowances=[
            AllowanceCharge(is_charge=True, amount=D(45), reason="Travel", vat_rate=D(20)),
            AllowanceCharge(percent=D(10), reason="Loyalty", vat_rate=D(20)),
        ],
    )


def test_fr_invoice_percentage_applies_to_the_line_base_only_and_rows_add_up() -> None:
    doc = fr_invoice_from_the_issue()
    t = document_totals(doc)
    # 10 % of the lines at 20 % (1,280.00) = 128.00: the charge is not part of the base (it was: 132.50)
    assert [(r.amount, r.base) for r in t.allowance_rows] == [(D("45.00"), None), (D("128.00"), D("1280.00"))]
    # 20 %: 1,280.00 + 45.00 - 128.00 = 1,197.00, VAT 239.40; 5.5 %: 215.00, VAT 11.825 -> 11.83
    assert [(b.rate, b.taxable, b.tax) for b in t.vat_breakdown] == [
        (D(20), D("1197.00"), D("239.40")),
        (D("5.5"), D("215.00"), D("11.83")),
    ]
    # 1,495.00 + 45.00 - 128.00 = 1,412.00; + 251.23 VAT = 1,663.23
    assert (t.line_total, t.tax_exclusive, t.vat_total, t.tax_inclusive) == (
        D("1495.00"),
        D("1412.00"),
        D("251.23"),
        D("1663.23"),
    )
    rows = pdf_rows(doc, french=True)
    assert "Subtotal excl. VAT 1 495,00 €" in rows
    assert "Surcharge – Travel (VAT 20%) 45,00 €" in rows
    # the label may wrap: its first line ends with the amount
    assert any(
        r.startswith("Discount 10% of 1 280,00 € – Loyalty") and r.endswith(" -128,00 €") for r in rows
    )
    assert "Total excl. VAT 1 412,00 €" in rows
    assert "VAT 20% on 1 197,00 € 239,40 €" in rows
    assert "VAT 5,5% on 215,00 € 11,83 €" in rows
    assert "Total incl. VAT 1 663,23 €" in rows


def test_two_ten_percent_discounts_are_ten_percent_each() -> None:
    doc = invoice(
        BE,
        [line("Concert", "1", "1000")],
        language="en",
        allowances=[
            AllowanceCharge(percent=D(10), reason="Early"),
            AllowanceCharge(percent=D(10), reason="Loyal"),
        ],
    )
    t = document_totals(doc)
    # each is 10 % of 1,000.00; not 10 % of what the first one left (90.00)
    assert [r.amount for r in t.allowance_rows] == [D("100.00"), D("100.00")]
    assert (t.allowance_total, t.tax_exclusive, t.vat_total, t.tax_inclusive) == (
        D("200.00"),
        D("800.00"),
        D("168.00"),
        D("968.00"),
    )
    rows = pdf_rows(doc)
    assert "Discount 10% of 1.000,00 € – Early -100,00 €" in rows
    assert "Discount 10% of 1.000,00 € – Loyal -100,00 €" in rows
    assert "Total excl. VAT 800,00 €" in rows
    assert "VAT 21% on 800,00 € 168,00 €" in rows


def test_reverse_charge_discount_stored_with_rate_21_prints_what_it_subtracts() -> None:
    doc = invoice(
        BE,
        [line("Tournée", "1", "1000", rate="0", category=AE)],
        language="en",
        allowances=[AllowanceCharge(percent=D(10), vat_category=AE, vat_rate=D(21))],  # an old body
    )
    t = document_totals(doc)
    assert [(r.category, r.rate, r.base, r.amount) for r in t.allowance_rows] == [
        (AE, D(0), D("1000.00"), D("100.00"))
    ]
    assert [(b.category, b.taxable, b.tax) for b in t.vat_breakdown] == [(AE, D("900.00"), D("0.00"))]
    rows = pdf_rows(doc, client=client_nl())
    discount = [r for r in rows if r.startswith("Discount")]
    assert len(discount) == 1 and discount[0].endswith("100,00 €") and "-" in discount[0], discount
    assert any(r.startswith("Total incl. VAT") and r.endswith("900,00 €") for r in rows), rows


def test_unit_prices_print_at_their_precision_and_lines_at_two_decimals() -> None:
    doc = invoice(
        BE,
        [
            line("Heures", "7", "33.3333"),  # 233.3331 -> 233.33
            line("Forfait", "1", "12.5"),
            line("Vis", "1000", "0.125", unit="H87"),  # 125.00
        ],
        language="en",
    )
    rows = pdf_rows(doc)
    joined = "\n".join(rows)
    assert "33,3333" in joined and "233,33" in joined
    assert "12,50" in joined and "12,5 " not in joined
    assert "0,125" in joined and "125,00" in joined
    t = document_totals(doc)
    assert [a.net for a in t.lines] == [D("233.33"), D("12.50"), D("125.00")]


# --- validation ---------------------------------------------------------------------------------------------
def codes(doc: Document, client=None) -> list[tuple[str, str]]:  # noqa: ANN001
    from smartdesk.domain.validation import validate_document

    entity = FR if doc.entity == "FR" else BE
    doc.client_id, doc.activity_id = "client-1", "activity-1"
    return [(p.field, p.code) for p in validate_document(doc, client=client, entity=entity, for_submit=True)]


def test_fixed_discount_on_a_vat_rate_without_lines_is_refused_in_plain_words() -> None:
    from smartdesk.domain.validation import validate_document
    from smartdesk.i18n import ui

    doc = invoice(
        BE,
        [line("Livres", "10", "30", rate="6")],
        allowances=[AllowanceCharge(amount=D(50), vat_rate=D(21), reason="Geste")],
        client_id="client-1",
        activity_id="activity-1",
    )
    # it used to print "VAT 21 % on -50.00 = -10.50" and pass
    assert [b.taxable for b in document_totals(doc).vat_breakdown] == [D("-50.00"), D("300.00")]
    problems = validate_document(doc, entity=BE, for_submit=True)
    assert [(p.field, p.code) for p in problems] == [
        ("allowances[0].vat_rate", "allowance.no_lines_at_vat"),
        ("allowances", "vat_base.negative"),
    ]
    assert problems[1].message == (
        "The amount subject to VAT 21 % would be -50.00: the discounts at this VAT are larger than the lines "
        "they lower. Lower those discounts, or give each one the VAT of the lines it lowers."
    )
    try:
        ui.set_language("fr")
        assert ui.problem_text(problems[1]).startswith("Le montant soumis à la TVA 21 % serait de -50.00")
        ui.set_language("nl")
        assert ui.problem_text(problems[1]).startswith(
            "Het bedrag waarover btw 21 % verschuldigd is, zou -50.00"
        )
    finally:
        ui.set_language("en")


def test_discount_larger_than_its_lines_is_refused() -> None:
    doc = invoice(
        BE,
        [line("Concert", "1", "100"), line("Livres", "1", "500", rate="6")],
        allowances=[AllowanceCharge(amount=D("100.01"))],
    )
    # the total is still positive (the 6 % lines), but the 21 % base is -0.01
    assert document_totals(doc).tax_inclusive > 0
    assert codes(doc) == [("allowances", "vat_base.negative")]
    doc.allowances[0].amount = D(100)
    assert codes(doc) == []


def test_allowance_category_must_fit_the_document() -> None:
    reverse = [line("Tournée", "1", "1000", rate="0", category=AE)]
    doc = invoice(BE, reverse, allowances=[AllowanceCharge(percent=D(10), vat_rate=D(21))])
    assert codes(doc, client_nl()) == [("allowances[0].vat_category", "allowance.category_unused")]
    doc.allowances = [AllowanceCharge(is_charge=True, amount=D(20), vat_rate=D(21))]
    assert codes(doc, client_nl()) == [("allowances[0].vat_category", "allowance.category_unused")]
    doc.allowances = [AllowanceCharge(percent=D(10), vat_category=AE, vat_rate=D(21))]
    assert codes(doc, client_nl()) == [("allowances[0].vat_rate", "allowance.must_be_zero")]
    doc.allowances = [AllowanceCharge(percent=D(10), vat_category=AE, vat_rate=D(0))]
    assert codes(doc, client_nl()) == []


def test_allowance_amounts_percentages_and_rates_are_checked() -> None:
    doc = invoice(
        BE,
        [line("Concert", "1", "1000"), line("Livres", "1", "100", rate="6")],
        allowances=[
            AllowanceCharge(percent=D(120)),
            AllowanceCharge(percent=D(-5)),
            AllowanceCharge(percent=D("2.125")),
            AllowanceCharge(amount=D(-10)),
            AllowanceCharge(amount=D("1.005")),
            AllowanceCharge(amount=D(0)),
            AllowanceCharge(is_charge=True, amount=D(10), vat_rate=D(20)),  # a French rate
            AllowanceCharge(is_charge=True, amount=D(10), vat_rate=D(12)),  # a shipping charge: fine
            AllowanceCharge(percent=D(10), is_charge=True, vat_rate=D(12)),  # a percentage of no line
        ],
    )
    assert codes(doc) == [
        ("allowances[0].percent", "allowance.percent_range"),
        ("allowances[1].percent", "allowance.percent_range"),
        ("allowances[2].percent", "allowance.percent_precision"),
        ("allowances[3].amount", "allowance.amount_negative"),
        ("allowances[4].amount", "allowance.amount_precision"),
        ("allowances[5].amount", "allowance.empty"),
        ("allowances[6].vat_rate", "allowance.vat_rate_invalid"),
        ("allowances[8].vat_rate", "allowance.no_lines_at_vat"),
        ("allowances", "vat_base.negative"),  # -120 % and more: the 21 % base is below zero
    ]
