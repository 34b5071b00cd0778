"""Supplier e-invoices dropped as receipts are read from their XML, every field they carry (issue 17):
UBL, CII and Factur-X, through the same entry point as photos and PDFs (``services.reading``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartdesk import einvoice
from smartdesk.domain.documents import MemberProfile
from smartdesk.domain.totals import document_totals
from smartdesk.pdf import render_document
from smartdesk.services.reading import read_receipt
from tests.unit.einvoice_scenarios import SCENARIOS

# ten e-invoices: five scenarios, each in two syntaxes (UBL, and CII inside a Factur-X PDF or alone)
CASES = [
    (name, syntax)
    for name in ("be_domestic", "fr_domestic", "allowances_charges", "credit_note", "non_latin1")
    for syntax in ("ubl", "facturx" if name.startswith("fr") else "cii")
]


def _file(name: str, syntax: str) -> bytes:
    sc = SCENARIOS[name]()
    if syntax == "ubl":
        return einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity)
    if syntax == "cii":
        return einvoice.write_cii(sc.doc, client=sc.client, entity=sc.entity)
    pdf = render_document(sc.doc, client=sc.client, activity=None, entity=sc.entity, profile=MemberProfile())
    return einvoice.write_facturx(pdf, sc.doc, client=sc.client, entity=sc.entity)


@pytest.mark.parametrize(("name", "syntax"), CASES)
def test_every_field_an_einvoice_carries_is_read(name: str, syntax: str) -> None:
    sc = SCENARIOS[name]()
    reading = read_receipt(
        _file(name, syntax), f"{name}.{'pdf' if syntax == 'facturx' else 'xml'}", engine=False
    )
    totals = document_totals(sc.doc)
    sign = -1 if sc.doc.kind.value == "credit-note" else 1
    assert reading.source == "einvoice" and reading.reason is None
    assert reading.date is not None and reading.date.value == sc.doc.issue_date
    assert reading.supplier is not None and reading.supplier.value == sc.entity.name
    assert reading.supplier_vat is not None and reading.supplier_vat.value == sc.entity.vat_number
    assert reading.number is not None and reading.number.value == sc.doc.number
    assert reading.total is not None and reading.total.value == sign * totals.tax_inclusive
    assert reading.currency is not None and reading.currency.value == "EUR"
    assert sorted((v.rate, v.base, v.vat) for v in reading.vat_lines) == sorted(
        (b.rate, sign * b.taxable, sign * b.tax) for b in totals.vat_breakdown
    )
    assert reading.totals_agree is True
    assert all(f.confidence == 1.0 for f in (reading.date, reading.supplier, reading.total))


def test_an_xml_that_is_no_einvoice_says_so() -> None:
    reading = read_receipt(b"<?xml version='1.0'?><note>hello</note>", "note.xml", engine=False)
    assert reading.source == "none" and reading.reason and reading.total is None


def test_a_plain_pdf_is_not_taken_for_an_einvoice() -> None:
    sc = SCENARIOS["be_domestic"]()
    pdf = render_document(sc.doc, client=sc.client, activity=None, entity=sc.entity, profile=MemberProfile())
    reading = read_receipt(pdf, "invoice.pdf", engine=False)
    assert reading.source == "pdf_text"
    assert reading.total is not None and reading.total.value == document_totals(sc.doc).tax_inclusive
    assert reading.total.value > Decimal(0)
