"""Generated e-invoices for the issue's scenarios pass every official rule set that applies (0 fatal)."""

from __future__ import annotations

import io
from decimal import Decimal

import facturx
import pikepdf
import pytest
from lxml import etree

from smartdesk import einvoice
from smartdesk.domain.documents import DocumentKind, MemberProfile
from smartdesk.einvoice import Syntax, check, check_file, rules
from smartdesk.einvoice.facturx import declared_pdfa
from smartdesk.pdf import render_document
from tests.unit.einvoice_scenarios import SCENARIOS, Scenario

UBL_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def _fatal(findings: list[einvoice.Finding]) -> list[str]:
    return [f"{f.rule_set} {f.rule_id}: {f.rule_text}" for f in findings if f.fatal]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ubl_has_no_fatal_finding_on_any_applicable_rule_set(name: str) -> None:
    sc: Scenario = SCENARIOS[name]()
    assert _fatal(check(sc.doc, client=sc.client, entity=sc.entity, syntax=Syntax.UBL)) == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ubl_with_its_pdf_matches_the_ubl_21_schema(name: str) -> None:
    sc = SCENARIOS[name]()
    pdf = render_document(sc.doc, client=sc.client, activity=None, entity=sc.entity, profile=MemberProfile())
    xml = einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity, pdf=pdf)
    flavor = "ubl-2.1-creditnote" if sc.doc.kind is DocumentKind.CREDIT_NOTE else "ubl-2.1-invoice"
    assert facturx.xml_check_xsd(xml, flavor=flavor) is True
    assert _fatal(einvoice.check_xml(xml).findings) == []  # and the embedded PDF changes nothing


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cii_has_no_fatal_finding_and_matches_the_facturx_schema(name: str) -> None:
    sc = SCENARIOS[name]()
    assert _fatal(check(sc.doc, client=sc.client, entity=sc.entity, syntax=Syntax.CII)) == []
    xml = einvoice.write_cii(sc.doc, client=sc.client, entity=sc.entity)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


def test_rule_sets_that_apply_per_issuer() -> None:
    def keys(syntax: Syntax, country: str) -> list[str]:
        return [s.key for s in rules.sets_for(syntax, country)]

    assert keys(Syntax.UBL, "BE") == ["en16931", "peppol", "ublbe"]
    assert keys(Syntax.UBL, "FR") == ["en16931", "peppol", "fr-ctc"]
    assert keys(Syntax.CII, "FR") == ["en16931", "fr-ctc"]
    assert keys(Syntax.CII, "BE") == ["en16931"]


def test_belgian_ubl_carries_what_peppol_and_belgian_access_points_need() -> None:
    sc = SCENARIOS["be_domestic"]()
    root = etree.fromstring(einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity))
    x = lambda path: root.xpath(path, namespaces=UBL_NS)  # noqa: E731
    assert x("string(cbc:BuyerReference)") == "PO-4471"
    assert x("string(cac:AccountingSupplierParty/cac:Party/cbc:EndpointID/@schemeID)") == "0208"
    assert x("string(cac:AccountingSupplierParty/cac:Party/cbc:EndpointID)") == "0999123457"
    assert x("string(cac:AccountingCustomerParty/cac:Party/cbc:EndpointID)") == "0417497106"
    assert x("string(cac:PaymentMeans/cbc:PaymentMeansCode)") == "58"
    assert x("string(cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID)") == "BE71096123456769"
    payment_id = x("string(cac:PaymentMeans/cbc:PaymentID)")
    assert payment_id.startswith("+++") and payment_id.endswith("+++")
    rates = sorted(x("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent/text()"), key=Decimal)
    assert rates == ["6", "12", "21"]


def test_reverse_charge_carries_the_vatex_code_and_both_vat_numbers() -> None:
    sc = SCENARIOS["reverse_charge_nl"]()
    root = etree.fromstring(einvoice.write_cii(sc.doc, client=sc.client, entity=sc.entity))
    tax = root.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=RAM)
    assert [t.findtext("ram:ExemptionReasonCode", namespaces=RAM) for t in tax] == ["VATEX-EU-AE"]
    assert "art. 196" in tax[0].findtext("ram:ExemptionReason", namespaces=RAM)
    vats = root.xpath("//ram:SpecifiedTaxRegistration/ram:ID/text()", namespaces=RAM)
    assert vats == ["BE0999123457", "NL004495445B01"]


def test_credit_note_refers_to_the_invoice_it_corrects() -> None:
    sc = SCENARIOS["credit_note"]()
    root = etree.fromstring(einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity))
    assert etree.QName(root).localname == "CreditNote"
    assert (
        root.xpath("string(cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID)", namespaces=UBL_NS)
        == "2026/000123"
    )
    assert root.xpath("string(cbc:CreditNoteTypeCode)", namespaces=UBL_NS) == "381"


def test_french_cii_has_the_french_notes_and_billing_mode() -> None:
    sc = SCENARIOS["fr_domestic"]()
    root = etree.fromstring(einvoice.write_cii(sc.doc, client=sc.client, entity=sc.entity))
    subjects = root.xpath("//ram:IncludedNote/ram:SubjectCode/text()", namespaces=RAM)
    assert {"PMT", "PMD", "AAB"} <= set(subjects)
    assert (
        root.xpath("string(//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID)", namespaces=RAM)
        == "M1"
    )  # days of workshop (services) and printed books (goods)
    assert (
        root.xpath("string(//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID)", namespaces=RAM)
        == "912345675"
    )


def test_missing_buyer_reference_is_a_fatal_finding_on_the_reference_field() -> None:
    sc = SCENARIOS["be_domestic"]()
    sc.doc.reference = ""
    findings = check(sc.doc, client=sc.client, entity=sc.entity)
    r003 = [f for f in findings if f.rule_id == "PEPPOL-EN16931-R003"]
    assert r003 and r003[0].fatal and r003[0].field == "reference"
    assert "référence" in r003[0].message("fr") and "referentie" in r003[0].message("nl")
    sc.doc.order_reference = "BC-2026-17"  # an order reference is enough for Peppol
    assert [
        f for f in check(sc.doc, client=sc.client, entity=sc.entity) if f.rule_id == "PEPPOL-EN16931-R003"
    ] == []


def test_a_rule_repeated_by_two_sets_is_reported_once() -> None:
    sc = SCENARIOS["reverse_charge_nl"]()
    sc.client.vat_number = ""
    findings = [f for f in check(sc.doc, client=sc.client, entity=sc.entity) if f.fatal]
    ids = [f.rule_id for f in findings]
    assert ids.count("BR-AE-02") == 1 and ids.count("PEPPOL-EN16931-R010") == 1
    assert {f.field for f in findings} == {"client.vat_number", "client.electronic_address"}


def test_the_clients_own_electronic_address_is_used_and_a_malformed_one_reported() -> None:
    sc = SCENARIOS["be_domestic"]()
    sc.client.electronic_address = "9925:BE0417497106"
    root = etree.fromstring(einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity))
    endpoint = root.xpath("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=UBL_NS)[0]
    assert (endpoint.get("schemeID"), endpoint.text) == ("9925", "BE0417497106")
    assert _fatal(check(sc.doc, client=sc.client, entity=sc.entity)) == []
    sc.client.electronic_address = "peppol id 0417497106"
    fatal = [f for f in check(sc.doc, client=sc.client, entity=sc.entity) if f.fatal]
    assert "PEPPOL-EN16931-CL008" in {f.rule_id for f in fatal}
    assert {f.field for f in fatal if f.rule_id == "PEPPOL-EN16931-CL008"} == {"client.electronic_address"}


def test_preferred_syntax_is_cii_for_a_french_issuer() -> None:
    assert einvoice.preferred_syntax(SCENARIOS["fr_domestic"]().entity) is Syntax.CII
    assert einvoice.preferred_syntax(SCENARIOS["be_domestic"]().entity) is Syntax.UBL


def test_a_finding_inside_a_line_names_the_line() -> None:
    sc = SCENARIOS["fr_domestic"]()
    sc.doc.lines[1].vat_rate = Decimal("21")  # not a French rate
    findings = [f for f in check(sc.doc, client=sc.client, entity=sc.entity, syntax=Syntax.CII) if f.fatal]
    assert any(f.rule_id.startswith("BR-FR-16") and f.field == "lines[1]" for f in findings)


def test_draft_without_number_or_date_is_checked_with_placeholders() -> None:
    sc = SCENARIOS["be_domestic"]()
    sc.doc.number, sc.doc.issue_date, sc.doc.due_date = "", None, None
    xml = einvoice.write_ubl(sc.doc, client=sc.client, entity=sc.entity)
    assert b"<cbc:ID>DRAFT-" in xml
    assert _fatal(check(sc.doc, client=sc.client, entity=sc.entity)) == []


def test_quote_cannot_become_an_einvoice() -> None:
    sc = SCENARIOS["be_domestic"]()
    sc.doc.kind = DocumentKind.QUOTE
    with pytest.raises(einvoice.EInvoiceError, match="Only invoices and credit notes"):
        check(sc.doc, client=sc.client, entity=sc.entity)


def _pdf(sc: Scenario) -> bytes:
    return render_document(sc.doc, client=sc.client, activity=None, entity=sc.entity, profile=MemberProfile())


@pytest.mark.parametrize("name", ["fr_domestic", "fr_credit_note", "fr_allowances_charges", "non_latin1"])
def test_facturx_is_pdfa3_with_the_cii_inside_and_passes_the_library_checks(name: str) -> None:
    sc = SCENARIOS[name]()
    pdf = einvoice.write_facturx(_pdf(sc), sc.doc, client=sc.client, entity=sc.entity)
    assert declared_pdfa(pdf) == ("3", "B")
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == einvoice.write_cii(sc.doc, client=sc.client, entity=sc.entity)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        spec = doc.attachments["factur-x.xml"]
        assert str(spec.obj.get("/AFRelationship")) in ("/Data", "/Alternative")
        meta = doc.open_metadata()
        assert (
            meta.get("{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}ConformanceLevel") == "EN 16931"
        )
        assert "/OutputIntents" in doc.Root
    report = check_file(pdf)
    assert report.syntax is Syntax.CII and report.fatal == []
