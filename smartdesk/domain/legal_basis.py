"""The legal basis of each VAT situation that charges no VAT: the sentence printed on the document
(a key of the document catalogue, so it is printed in the document's language) and the VATEX
exemption-reason code (CEF code list) the e-invoice writers carry in BT-121.

One table for the PDF and the e-invoices, so the sentence a client reads and the code a machine
reads always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartdesk.domain.vat import VatCategory, in_eu


@dataclass(frozen=True)
class LegalBasis:
    category: VatCategory
    vatex: str  # VATEX code (BT-121), "" when the category needs none
    text_key: str  # key of the sentence in the document catalogue (smartdesk/i18n/document_strings.py)


# EN 16931 VAT exemption reason codes (CEF VATEX code list) for the categories that charge no VAT
VATEX: dict[VatCategory, str] = {
    VatCategory.REVERSE_CHARGE: "VATEX-EU-AE",  # art. 196 Directive 2006/112/EC
    VatCategory.INTRA_COMMUNITY: "VATEX-EU-IC",  # art. 138 Directive 2006/112/EC
    VatCategory.EXPORT: "VATEX-EU-G",  # art. 146 Directive 2006/112/EC (goods)
    VatCategory.OUT_OF_SCOPE: "VATEX-EU-O",  # services outside the scope (art. 44 Directive)
    VatCategory.EXEMPT: "VATEX-EU-132",  # exempt activities of public interest (art. 132)
}

_TEXT_KEY: dict[VatCategory, str] = {
    VatCategory.REVERSE_CHARGE: "legal.reverse_charge",
    VatCategory.INTRA_COMMUNITY: "legal.intra_eu",
    VatCategory.EXPORT: "legal.export",
    VatCategory.EXEMPT: "legal.exempt",
    VatCategory.OUT_OF_SCOPE: "legal.out_of_scope",
    VatCategory.ZERO: "legal.zero",
}

# Services to a business established outside the EU: the place of supply is the client's country
# (art. 44 Directive 2006/112/EC), so the supply is outside the scope of the issuer's VAT; the
# national article differs per issuing country.
_OUTSIDE_EU_SERVICES_KEY: dict[str, str] = {
    "BE": "legal.outside_eu_services.BE",  # art. 21 §2 Belgian VAT Code
    "FR": "legal.outside_eu_services.FR",  # art. 259-1 French Tax Code (CGI)
}
OUTSIDE_EU_SERVICES_KEY = "legal.outside_eu_services"


def legal_basis(
    category: VatCategory, issuer_country: str = "BE", client_country: str = ""
) -> LegalBasis | None:
    """The basis printed and coded for a VAT category; None for standard-rated supplies.

    Category O with a client outside the EU is the case of services to a non-EU business (art. 44
    Directive, art. 21 §2 Belgian VAT Code): never "art. 146", which is for exported goods.
    """
    key = _TEXT_KEY.get(category)
    if key is None:
        return None
    if category is VatCategory.OUT_OF_SCOPE and client_country and not in_eu(client_country):
        key = _OUTSIDE_EU_SERVICES_KEY.get(issuer_country.upper(), OUTSIDE_EU_SERVICES_KEY)
    return LegalBasis(category=category, vatex=VATEX.get(category, ""), text_key=key)


def vatex_code(category: VatCategory) -> str:
    return VATEX.get(category, "")
