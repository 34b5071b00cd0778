"""The reader of received e-invoices: round trip on every scenario, and hostile files refused in plain words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartdesk import einvoice
from smartdesk.domain.totals import document_totals
from smartdesk.einvoice import UnreadableInvoice, read_invoice
from smartdesk.einvoice.safexml import MAX_XML_BYTES
from tests.unit.einvoice_scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_write_then_read_gives_the_same_amounts(name: str, syntax: str) -> None:
    sc = SCENARIOS[name]()
    write = einvoice.write_ubl if syntax == "ubl" else einvoice.write_cii
    read = read_invoice(write(sc.doc, client=sc.client, entity=sc.entity))
    totals = document_totals(sc.doc)  # what the PDF prints
    assert read.syntax == syntax
    assert read.number == sc.doc.number and read.issue_date == sc.doc.issue_date
    assert read.supplier_name == sc.entity.name and read.currency == "EUR"
    assert (read.total_excl, read.total_vat, read.total_incl, read.payable) == (
        totals.tax_exclusive,
        totals.vat_total,
        totals.tax_inclusive,
        totals.due,
    )
    assert sorted((r.category, r.rate, r.taxable, r.vat) for r in read.per_rate) == sorted(
        (b.category.value, b.rate, b.taxable, b.tax) for b in totals.vat_breakdown
    )
    assert read.credit_note is (sc.doc.kind.value == "credit-note")


def test_a_credit_note_becomes_a_negative_expense() -> None:
    sc = SCENARIOS["credit_note"]()
    line = read_invoice(einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity)).expense_line()
    assert line.amount_incl == Decimal("-580.80") and line.vat_amount_override == Decimal("-100.80")


def _ubl(total: str) -> bytes:
    return (
        f'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        f'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
        f'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        f"<cbc:ID>1</cbc:ID><cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount>{total}</cbc:TaxInclusiveAmount>"
        f"</cac:LegalMonetaryTotal></Invoice>"
    ).encode()


@pytest.mark.parametrize(
    "data, words",
    [
        (_ubl("1e400"), "out of range"),
        (_ubl("NaN"), "out of range"),
        (_ubl("twelve"), "not a number"),
        (_ubl("1" * 60), "not a number"),
        (_ubl(""), "has no total including VAT"),
        (b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>', "DOCTYPE"),
        (b"<Invoice><unclosed></Invoice>", "not a well-formed XML"),
        (b"%PDF-1.7\nnot really a pdf", "PDF cannot be read"),
        (b"<x>" + b" " * (MAX_XML_BYTES + 1) + b"</x>", "too large"),
    ],
)
def test_hostile_or_broken_files_are_refused_in_plain_words(data: bytes, words: str) -> None:
    with pytest.raises(UnreadableInvoice, match=words):
        read_invoice(data)


def test_an_entity_in_a_comment_free_file_is_never_expanded() -> None:
    # an external entity hidden after a long comment: the DOCTYPE is past the quick look, the parser
    # still refuses it and nothing is fetched or expanded
    data = (
        b'<?xml version="1.0"?><!--'
        + b"x" * 5000
        + b'--><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<r>&e;</r>"
    )
    with pytest.raises(UnreadableInvoice, match="DOCTYPE"):
        read_invoice(data)
