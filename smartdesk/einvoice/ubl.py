"""Peppol BIS Billing 3.0 (UBL 2.1) Invoice and CreditNote from an :class:`EInvoice`.

Elements follow the UBL 2.1 schema order. A Belgian issuer also gets what UBL.BE asks on top of
Peppol (tax category names, line VAT amounts, the "UBL.BE" and PDF document references); UBL.BE's
own CustomizationID and exemption-code list contradict Peppol's and are not followed (see
docs/decisions/0007-einvoice-rule-sets.md).
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from smartdesk.domain.money import round2
from smartdesk.domain.vat import VatCategory
from smartdesk.einvoice.model import EInvoice, Party, be_tax_name

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_C = f"{{{CAC}}}"
_B = f"{{{CBC}}}"


def _amount(value: Decimal) -> str:
    return format(round2(value), "f")


def _number(value: Decimal) -> str:
    """A quantity, price or rate without trailing zeros (``12.50`` -> ``12.5``, ``21.00`` -> ``21``)."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0",) else "0"


class _W:
    """A tiny element builder: ``w.cbc(parent, "ID", "1", schemeID="0208")``."""

    def __init__(self, currency: str) -> None:
        self.currency = currency

    @staticmethod
    def cac(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, _C + name)

    @staticmethod
    def cbc(parent: etree._Element, name: str, value: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, _B + name, attrs)
        el.text = value
        return el

    def money(self, parent: etree._Element, name: str, value: Decimal) -> etree._Element:
        return self.cbc(parent, name, _amount(value), currencyID=self.currency)


def _address(w: _W, parent: etree._Element, party: Party, name: str = "PostalAddress") -> None:
    a = w.cac(parent, name)
    if party.address.street.strip():
        w.cbc(a, "StreetName", party.address.street.strip())
    if party.address.city.strip():
        w.cbc(a, "CityName", party.address.city.strip())
    if party.address.postcode.strip():
        w.cbc(a, "PostalZone", party.address.postcode.strip())
    w.cbc(w.cac(a, "Country"), "IdentificationCode", party.address.country.upper() or "BE")


def _party(w: _W, parent: etree._Element, party: Party, seller: bool) -> None:
    p = w.cac(w.cac(parent, "AccountingSupplierParty" if seller else "AccountingCustomerParty"), "Party")
    if party.endpoint_id:
        w.cbc(p, "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    if party.legal_id and party.legal_scheme:
        w.cbc(w.cac(p, "PartyIdentification"), "ID", party.legal_id, schemeID=party.legal_scheme)
    w.cbc(w.cac(p, "PartyName"), "Name", party.name)
    _address(w, p, party)
    if party.vat_number:
        tax = w.cac(p, "PartyTaxScheme")
        w.cbc(tax, "CompanyID", party.vat_number)
        w.cbc(w.cac(tax, "TaxScheme"), "ID", "VAT")
    legal = w.cac(p, "PartyLegalEntity")
    w.cbc(legal, "RegistrationName", party.name)
    if party.legal_id:
        if party.legal_scheme:
            w.cbc(legal, "CompanyID", party.legal_id, schemeID=party.legal_scheme)
        else:
            w.cbc(legal, "CompanyID", party.legal_id)
    if seller and party.registration:
        w.cbc(legal, "CompanyLegalForm", party.registration)
    if party.email or party.phone:
        contact = w.cac(p, "Contact")
        if party.phone:
            w.cbc(contact, "Telephone", party.phone)
        if party.email:
            w.cbc(contact, "ElectronicMail", party.email)


def _tax_category(
    w: _W,
    parent: etree._Element,
    name: str,
    category: VatCategory,
    rate: Decimal,
    inv: EInvoice,
    reason: tuple[str, str] | None = None,
) -> None:
    tc = w.cac(parent, name)
    w.cbc(tc, "ID", category.value)
    if inv.belgian:
        w.cbc(tc, "Name", be_tax_name(category, rate))
    if category is not VatCategory.OUT_OF_SCOPE:
        w.cbc(tc, "Percent", _number(rate))
    if reason is not None:
        code, text = reason
        if code:
            w.cbc(tc, "TaxExemptionReasonCode", code)
        if text:
            w.cbc(tc, "TaxExemptionReason", text)
    w.cbc(w.cac(tc, "TaxScheme"), "ID", "VAT")


def to_element(inv: EInvoice, pdf: bytes | None = None, pdf_name: str = "") -> etree._Element:
    credit = inv.is_credit_note
    root_ns = NS_CREDIT if credit else NS_INVOICE
    root = etree.Element(
        "{{{}}}{}".format(root_ns, "CreditNote" if credit else "Invoice"),
        nsmap={None: root_ns, "cac": CAC, "cbc": CBC},
    )
    w = _W(inv.currency)
    w.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    w.cbc(root, "ProfileID", PROFILE_ID)
    w.cbc(root, "ID", inv.number)
    w.cbc(root, "IssueDate", inv.issue_date.isoformat())
    if inv.due_date and not credit:
        w.cbc(root, "DueDate", inv.due_date.isoformat())
    w.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if inv.notes:
        # Peppol allows one note (PEPPOL-EN16931-R002): the French subject-coded notes share it
        w.cbc(root, "Note", "\n".join(f"#{code}#{text}" if code else text for code, text in inv.notes))
    w.cbc(root, "DocumentCurrencyCode", inv.currency)
    if inv.buyer_reference:
        w.cbc(root, "BuyerReference", inv.buyer_reference)
    if inv.order_reference:
        w.cbc(w.cac(root, "OrderReference"), "ID", inv.order_reference)
    if inv.billing_reference:
        ref = w.cac(w.cac(root, "BillingReference"), "InvoiceDocumentReference")
        w.cbc(ref, "ID", inv.billing_reference)
        if inv.billing_reference_date:
            w.cbc(ref, "IssueDate", inv.billing_reference_date.isoformat())
    if inv.belgian:
        ref = w.cac(root, "AdditionalDocumentReference")
        w.cbc(ref, "ID", "UBL.BE")
        w.cbc(ref, "DocumentDescription", "SmartDesk")
    if inv.belgian or pdf is not None:
        ref = w.cac(root, "AdditionalDocumentReference")
        w.cbc(ref, "ID", pdf_name or f"{inv.number}.pdf")
        if inv.belgian:  # UBL.BE names the readable copy by the document's type
            w.cbc(ref, "DocumentDescription", "CreditNote" if credit else "CommercialInvoice")
        elif inv.seller.address.country.upper() == "FR":  # the French code list's "readable copy"
            w.cbc(ref, "DocumentDescription", "LISIBLE")
        if pdf is not None:
            w.cbc(
                w.cac(ref, "Attachment"),
                "EmbeddedDocumentBinaryObject",
                base64.b64encode(pdf).decode("ascii"),
                mimeCode="application/pdf",
                filename=pdf_name or f"{inv.number}.pdf",
            )
    _party(w, root, inv.seller, seller=True)
    _party(w, root, inv.buyer, seller=False)
    if inv.delivery_date or inv.deliver_to_country:
        d = w.cac(root, "Delivery")
        if inv.delivery_date:
            w.cbc(d, "ActualDeliveryDate", inv.delivery_date.isoformat())
        if inv.deliver_to_country:
            addr = w.cac(w.cac(d, "DeliveryLocation"), "Address")
            w.cbc(w.cac(addr, "Country"), "IdentificationCode", inv.deliver_to_country)
    if inv.iban:
        pm = w.cac(root, "PaymentMeans")
        w.cbc(pm, "PaymentMeansCode", inv.payment_means)
        if credit and inv.due_date:
            w.cbc(pm, "PaymentDueDate", inv.due_date.isoformat())
        if inv.payment_id:
            w.cbc(pm, "PaymentID", inv.payment_id)
        account = w.cac(pm, "PayeeFinancialAccount")
        w.cbc(account, "ID", inv.iban)
        w.cbc(account, "Name", inv.account_name)
        if inv.bic:
            w.cbc(w.cac(account, "FinancialInstitutionBranch"), "ID", inv.bic)
    if inv.payment_terms:
        w.cbc(w.cac(root, "PaymentTerms"), "Note", inv.payment_terms)
    for ac in inv.allowances:
        el = w.cac(root, "AllowanceCharge")
        w.cbc(el, "ChargeIndicator", "true" if ac.is_charge else "false")
        w.cbc(el, "AllowanceChargeReason", ac.reason)
        if ac.percent is not None and ac.base is not None:
            w.cbc(el, "MultiplierFactorNumeric", _number(ac.percent))
        w.money(el, "Amount", ac.amount)
        if ac.percent is not None and ac.base is not None:
            w.money(el, "BaseAmount", ac.base)
        _tax_category(w, el, "TaxCategory", ac.category, ac.rate, inv)
    tax = w.cac(root, "TaxTotal")
    w.money(tax, "TaxAmount", inv.tax_total)
    for g in inv.tax_groups:
        sub = w.cac(tax, "TaxSubtotal")
        w.money(sub, "TaxableAmount", g.taxable)
        w.money(sub, "TaxAmount", g.tax)
        _tax_category(
            w,
            sub,
            "TaxCategory",
            g.category,
            g.rate,
            inv,
            (g.exemption_code, g.be_exemption_text if inv.belgian else g.exemption_text),
        )
    totals = w.cac(root, "LegalMonetaryTotal")
    w.money(totals, "LineExtensionAmount", inv.line_total)
    w.money(totals, "TaxExclusiveAmount", inv.tax_exclusive)
    w.money(totals, "TaxInclusiveAmount", inv.tax_inclusive)
    if inv.allowances:
        w.money(totals, "AllowanceTotalAmount", inv.allowance_total)
        w.money(totals, "ChargeTotalAmount", inv.charge_total)
    if inv.paid:
        w.money(totals, "PrepaidAmount", inv.paid)
    w.money(totals, "PayableAmount", inv.payable)
    for line in inv.lines:
        el = w.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        w.cbc(el, "ID", str(line.number))
        w.cbc(
            el,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            _number(line.quantity),
            unitCode=line.unit,
        )
        w.money(el, "LineExtensionAmount", line.net)
        if line.discount:
            ac = w.cac(el, "AllowanceCharge")
            w.cbc(ac, "ChargeIndicator", "false")
            w.cbc(ac, "AllowanceChargeReasonCode", "95")
            w.cbc(ac, "MultiplierFactorNumeric", _number(line.discount_percent))
            w.money(ac, "Amount", line.discount)
            w.money(ac, "BaseAmount", line.gross)
        if inv.belgian:
            line_tax = Decimal(0) if line.category.zero_rate else round2(line.net * line.rate / 100)
            w.money(w.cac(el, "TaxTotal"), "TaxAmount", line_tax)
        item = w.cac(el, "Item")
        w.cbc(item, "Name", line.name)
        _tax_category(w, item, "ClassifiedTaxCategory", line.category, line.rate, inv)
        w.cbc(w.cac(el, "Price"), "PriceAmount", _number(line.price), currencyID=inv.currency)
    return root


def write_ubl(inv: EInvoice, pdf: bytes | None = None, pdf_name: str = "") -> bytes:
    """UTF-8 XML bytes of the UBL Invoice (or CreditNote), with the PDF embedded when given."""
    return etree.tostring(to_element(inv, pdf, pdf_name), xml_declaration=True, encoding="UTF-8")
