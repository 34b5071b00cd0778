"""UN/CEFACT Cross Industry Invoice (CII D16B), EN 16931 profile, as Factur-X 1.0 EN 16931 carries it.

Elements follow the schema order (the Factur-X XSD checks it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from smartdesk.domain.money import round2
from smartdesk.domain.vat import VatCategory
from smartdesk.einvoice.model import EInvoice, Party

GUIDELINE_ID = "urn:cen.eu:en16931:2017"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}


def _amount(value: Decimal) -> str:
    return format(round2(value), "f")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _el(
    parent: etree._Element, name: str, value: str | None = None, ns: str = RAM, **attrs: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{name}", attrs)
    if value is not None:
        el.text = value
    return el


def _date(parent: etree._Element, name: str, day: date, ns: str = UDT) -> None:
    _el(_el(parent, name), "DateTimeString", day.strftime("%Y%m%d"), ns=ns, format="102")


def _indicator(parent: etree._Element, value: bool) -> None:
    _el(_el(parent, "ChargeIndicator"), "Indicator", "true" if value else "false", ns=UDT)


def _party(parent: etree._Element, name: str, party: Party, seller: bool) -> None:
    p = _el(parent, name)
    _el(p, "Name", party.name)
    if party.legal_id:
        org = _el(p, "SpecifiedLegalOrganization")
        if party.legal_scheme:
            _el(org, "ID", party.legal_id, schemeID=party.legal_scheme)
        else:
            _el(org, "ID", party.legal_id)
    if seller and (party.email or party.phone):
        contact = _el(p, "DefinedTradeContact")
        if party.phone:
            _el(_el(contact, "TelephoneUniversalCommunication"), "CompleteNumber", party.phone)
        if party.email:
            _el(_el(contact, "EmailURIUniversalCommunication"), "URIID", party.email)
    addr = _el(p, "PostalTradeAddress")
    if party.address.postcode.strip():
        _el(addr, "PostcodeCode", party.address.postcode.strip())
    if party.address.street.strip():
        _el(addr, "LineOne", party.address.street.strip())
    if party.address.city.strip():
        _el(addr, "CityName", party.address.city.strip())
    _el(addr, "CountryID", party.address.country.upper() or "BE")
    if party.endpoint_id:
        _el(_el(p, "URIUniversalCommunication"), "URIID", party.endpoint_id, schemeID=party.endpoint_scheme)
    if party.vat_number:
        _el(_el(p, "SpecifiedTaxRegistration"), "ID", party.vat_number, schemeID="VA")


def _category_tax(parent: etree._Element, category: VatCategory, rate: Decimal) -> None:
    _el(parent, "TypeCode", "VAT")
    _el(parent, "CategoryCode", category.value)
    if category is not VatCategory.OUT_OF_SCOPE:
        _el(parent, "RateApplicablePercent", _number(rate))


def to_element(inv: EInvoice) -> etree._Element:
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    ctx = _el(root, "ExchangedDocumentContext", ns=RSM)
    _el(_el(ctx, "BusinessProcessSpecifiedDocumentContextParameter"), "ID", inv.billing_mode)
    _el(_el(ctx, "GuidelineSpecifiedDocumentContextParameter"), "ID", GUIDELINE_ID)

    head = _el(root, "ExchangedDocument", ns=RSM)
    _el(head, "ID", inv.number)
    _el(head, "TypeCode", "381" if inv.is_credit_note else "380")
    _date(head, "IssueDateTime", inv.issue_date)
    for code, text in inv.notes:
        note = _el(head, "IncludedNote")
        _el(note, "Content", text)
        if code:
            _el(note, "SubjectCode", code)

    trade = _el(root, "SupplyChainTradeTransaction", ns=RSM)
    for line in inv.lines:
        item = _el(trade, "IncludedSupplyChainTradeLineItem")
        _el(_el(item, "AssociatedDocumentLineDocument"), "LineID", str(line.number))
        _el(_el(item, "SpecifiedTradeProduct"), "Name", line.name)
        _el(
            _el(_el(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice"),
            "ChargeAmount",
            _number(line.price),
        )
        _el(
            _el(item, "SpecifiedLineTradeDelivery"),
            "BilledQuantity",
            _number(line.quantity),
            unitCode=line.unit,
        )
        settle = _el(item, "SpecifiedLineTradeSettlement")
        _category_tax(_el(settle, "ApplicableTradeTax"), line.category, line.rate)
        if line.discount:
            ac = _el(settle, "SpecifiedTradeAllowanceCharge")
            _indicator(ac, False)
            _el(ac, "CalculationPercent", _number(line.discount_percent))
            _el(ac, "BasisAmount", _amount(line.gross))
            _el(ac, "ActualAmount", _amount(line.discount))
            _el(ac, "ReasonCode", "95")
        _el(
            _el(settle, "SpecifiedTradeSettlementLineMonetarySummation"), "LineTotalAmount", _amount(line.net)
        )

    agreement = _el(trade, "ApplicableHeaderTradeAgreement")
    if inv.buyer_reference:
        _el(agreement, "BuyerReference", inv.buyer_reference)
    _party(agreement, "SellerTradeParty", inv.seller, seller=True)
    _party(agreement, "BuyerTradeParty", inv.buyer, seller=False)
    if inv.order_reference:
        _el(_el(agreement, "BuyerOrderReferencedDocument"), "IssuerAssignedID", inv.order_reference)

    delivery = _el(trade, "ApplicableHeaderTradeDelivery")
    if inv.deliver_to_country:
        _el(_el(_el(delivery, "ShipToTradeParty"), "PostalTradeAddress"), "CountryID", inv.deliver_to_country)
    if inv.delivery_date:
        _date(_el(delivery, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime", inv.delivery_date)

    settlement = _el(trade, "ApplicableHeaderTradeSettlement")
    if inv.payment_id:
        _el(settlement, "PaymentReference", inv.payment_id)
    _el(settlement, "InvoiceCurrencyCode", inv.currency)
    if inv.iban:
        means = _el(settlement, "SpecifiedTradeSettlementPaymentMeans")
        _el(means, "TypeCode", inv.payment_means)
        account = _el(means, "PayeePartyCreditorFinancialAccount")
        _el(account, "IBANID", inv.iban)
        _el(account, "AccountName", inv.account_name)
        if inv.bic:
            _el(_el(means, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", inv.bic)
    for g in inv.tax_groups:
        tax = _el(settlement, "ApplicableTradeTax")
        _el(tax, "CalculatedAmount", _amount(g.tax))
        _el(tax, "TypeCode", "VAT")
        if g.exemption_text:
            _el(tax, "ExemptionReason", g.exemption_text)
        _el(tax, "BasisAmount", _amount(g.taxable))
        _el(tax, "CategoryCode", g.category.value)
        if g.exemption_code:
            _el(tax, "ExemptionReasonCode", g.exemption_code)
        if g.category is not VatCategory.OUT_OF_SCOPE:
            _el(tax, "RateApplicablePercent", _number(g.rate))
    for a in inv.allowances:
        ac = _el(settlement, "SpecifiedTradeAllowanceCharge")
        _indicator(ac, a.is_charge)
        if a.percent is not None and a.base is not None:
            _el(ac, "CalculationPercent", _number(a.percent))
            _el(ac, "BasisAmount", _amount(a.base))
        _el(ac, "ActualAmount", _amount(a.amount))
        _el(ac, "Reason", a.reason)
        _category_tax(_el(ac, "CategoryTradeTax"), a.category, a.rate)
    if inv.payment_terms or inv.due_date:
        terms = _el(settlement, "SpecifiedTradePaymentTerms")
        if inv.payment_terms:
            _el(terms, "Description", inv.payment_terms)
        if inv.due_date:
            _date(terms, "DueDateDateTime", inv.due_date)
    sums = _el(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "LineTotalAmount", _amount(inv.line_total))
    if inv.allowances:
        _el(sums, "ChargeTotalAmount", _amount(inv.charge_total))
        _el(sums, "AllowanceTotalAmount", _amount(inv.allowance_total))
    _el(sums, "TaxBasisTotalAmount", _amount(inv.tax_exclusive))
    _el(sums, "TaxTotalAmount", _amount(inv.tax_total), currencyID=inv.currency)
    _el(sums, "GrandTotalAmount", _amount(inv.tax_inclusive))
    if inv.paid:
        _el(sums, "TotalPrepaidAmount", _amount(inv.paid))
    _el(sums, "DuePayableAmount", _amount(inv.payable))
    if inv.billing_reference:
        ref = _el(settlement, "InvoiceReferencedDocument")
        _el(ref, "IssuerAssignedID", inv.billing_reference)
        if inv.billing_reference_date:
            _date(ref, "FormattedIssueDateTime", inv.billing_reference_date, ns=QDT)
    return root


def write_cii(inv: EInvoice) -> bytes:
    return etree.tostring(to_element(inv), xml_declaration=True, encoding="UTF-8")
