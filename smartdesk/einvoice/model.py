"""The e-invoice as EN 16931 sees it, built once from a domain document; both writers read it.

Every amount comes from ``smartdesk.domain.totals.compute_totals``, the function the PDF prints from,
so the UBL, the CII and the PDF cannot disagree: the allowance and charge rows are
``Totals.allowance_rows``, the amounts the PDF prints (never a second computation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from smartdesk.domain.documents import (
    Address,
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
)
from smartdesk.domain.legal_basis import VATEX, legal_basis
from smartdesk.domain.payments import format_ogm, is_valid_ogm, ogm_for_document
from smartdesk.domain.totals import Totals, compute_totals
from smartdesk.domain.vat import VatCategory, in_eu
from smartdesk.errors import Message, SmartDeskError

# EN 16931 code of each category in the VAT breakdown (UNCL5305; "K" is intra-community)
CATEGORY_CODE: dict[VatCategory, str] = {c: c.value for c in VatCategory}

# Belgian UBL.BE tax category names (BTCC list) and their English exemption texts (BVERCText list)
_BE_NAME_STANDARD = {Decimal(21): "03", Decimal(12): "02", Decimal(6): "01", Decimal(0): "00"}
_BE_NAME = {
    VatCategory.ZERO: "00",
    VatCategory.EXEMPT: "00/44",
    VatCategory.REVERSE_CHARGE: "44",
    VatCategory.INTRA_COMMUNITY: "46/GO",
    VatCategory.EXPORT: "47/EX",
    VatCategory.OUT_OF_SCOPE: "NS",
}
_BE_REASON = {
    VatCategory.EXEMPT: "0% Clause 44",
    VatCategory.REVERSE_CHARGE: "Intra-community supply - Services B2B",
    VatCategory.INTRA_COMMUNITY: "Intra-community supply - Goods",
    VatCategory.EXPORT: "Export non E.U.",
    VatCategory.OUT_OF_SCOPE: "Not subject to VAT",
}
# French note PMT (BR-FR-05): the fixed recovery indemnity, art. L441-10 / D441-5 Code de commerce
_RECOVERY_NOTE = {
    "fr": "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : {amount} "
    "(art. L441-10 et D441-5 du Code de commerce).",
    "nl": "Forfaitaire vergoeding voor invorderingskosten bij laattijdige betaling: {amount} "
    "(art. L441-10 en D441-5 Code de commerce).",
    "en": "Fixed compensation for recovery costs in case of late payment: {amount} "
    "(art. L441-10 and D441-5 French Commercial Code).",
    "de": "Pauschale Entschädigung für Beitreibungskosten bei Zahlungsverzug: {amount} "
    "(Art. L441-10 und D441-5 Code de commerce).",
    "es": "Indemnización fija por gastos de cobro en caso de demora en el pago: {amount} "
    "(art. L441-10 y D441-5 del Código de Comercio francés).",
    "it": "Indennità forfettaria per spese di recupero in caso di ritardo di pagamento: {amount} "
    "(art. L441-10 e D441-5 del Codice di commercio francese).",
}
# Peppol electronic address schemes (EAS) SmartDesk derives itself; any EAS code is accepted as given
VAT_SCHEMES = {
    "BE": "9925",
    "FR": "9957",
    "NL": "9944",
    "DE": "9930",
    "ES": "9920",
    "IT": "9906",
    "AT": "9914",
    "LU": "9938",
    "PT": "9946",
    "IE": "9935",
    "SE": "9955",
    "CH": "0183",
}
_EAS_RE = re.compile(r"^(\d{4}|EM):(.{1,120})$")


class EInvoiceError(SmartDeskError):
    """A document that cannot become an e-invoice (not an invoice or credit note, no lines...)."""

    exit_code = 4


@dataclass(frozen=True)
class Party:
    name: str
    address: Address
    vat_number: str  # BT-31 / BT-48, compact ("BE0123456749"); empty when none
    legal_id: str  # BT-30 / BT-47: enterprise number, SIREN
    legal_scheme: str  # its ICD scheme ("0208", "0002", "0009"); empty when unknown
    endpoint_scheme: str  # BT-34 / BT-49 scheme (EAS)
    endpoint_id: str
    email: str = ""
    phone: str = ""
    registration: str = ""  # BT-33: seller's additional legal information


@dataclass(frozen=True)
class EAllowance:
    is_charge: bool
    amount: Decimal
    base: Decimal | None  # BT-93 / BT-100 when a percentage applies
    percent: Decimal | None
    reason: str
    category: VatCategory
    rate: Decimal


@dataclass(frozen=True)
class ELine:
    number: int
    name: str
    quantity: Decimal
    unit: str
    price: Decimal  # BT-146 net price
    gross: Decimal  # quantity x price, rounded to the cent
    discount: Decimal  # BT-136
    discount_percent: Decimal
    net: Decimal  # BT-131
    category: VatCategory
    rate: Decimal


@dataclass(frozen=True)
class ETaxGroup:
    category: VatCategory
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_code: str  # VATEX; empty for S and Z
    exemption_text: str  # the legal sentence in the document's language
    be_exemption_text: str  # UBL.BE's fixed English wording (BVERCText list), for a Belgian UBL


@dataclass(frozen=True)
class EInvoice:
    """Everything the writers need, with EN 16931 business-term names in the comments."""

    kind: DocumentKind
    number: str  # BT-1
    issue_date: date  # BT-2
    due_date: date | None  # BT-9
    currency: str  # BT-5
    language: str
    buyer_reference: str  # BT-10
    order_reference: str  # BT-13
    billing_reference: str  # BT-25 (credit notes)
    billing_reference_date: date | None  # BT-26
    delivery_date: date | None  # BT-72
    notes: tuple[tuple[str, str], ...]  # BT-21 subject code, BT-22 text
    billing_mode: str  # French BT-23 ("S1" services, "B1" goods, "M1" both)
    seller: Party
    buyer: Party
    deliver_to_country: str  # BT-80 when goods go to another country
    iban: str  # BT-84
    bic: str  # BT-86
    account_name: str
    payment_means: str  # BT-81: 58 SEPA credit transfer, 30 credit transfer
    payment_id: str  # BT-83 remittance information (structured communication)
    payment_terms: str  # BT-20
    lines: tuple[ELine, ...]
    allowances: tuple[EAllowance, ...]
    tax_groups: tuple[ETaxGroup, ...]
    line_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    paid: Decimal  # BT-113
    payable: Decimal  # BT-115
    belgian: bool  # the issuer is Belgian: UBL.BE extras
    draft: bool  # no legal number yet (pre-flight check of a draft)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_credit_note(self) -> bool:
        return self.kind is DocumentKind.CREDIT_NOTE


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def seller_legal_id(entity: CooperativeEntity) -> tuple[str, str]:
    """(identifier, ICD scheme) of the cooperative: Belgian enterprise number or French SIREN.

    Issue 13 gives the entity its own enterprise number; until then it is read from the VAT number
    (a Belgian VAT number is BE + the enterprise number; a French one is FR + key + SIREN).
    """
    vat = entity.vat_number.replace(" ", "").upper()
    if entity.country == "BE" and vat.startswith("BE"):
        return _digits(vat)[-10:].zfill(10), "0208"
    if entity.country == "FR":
        siren = _digits(vat)[2:] if vat.startswith("FR") else _digits(entity.registration)[-9:]
        return siren, "0002"
    return "", ""


def client_legal_id(client: Client) -> tuple[str, str]:
    number = _digits(client.enterprise_number)
    country = client.address.country.upper()
    if country == "BE":
        if not number and client.vat_number.upper().startswith("BE"):
            number = _digits(client.vat_number)
        return (number.zfill(10), "0208") if number else ("", "")
    if country == "FR" and number:
        return number, "0009" if len(number) == 14 else "0002"
    return "", ""


def parse_electronic_address(text: str) -> tuple[str, str] | None:
    match = _EAS_RE.match(text.strip())
    return (match.group(1), match.group(2).strip()) if match else None


def client_endpoint(client: Client) -> tuple[str, str]:
    """BT-49: the client's own Peppol id when given, else 0208 (BE enterprise number), 0009/0002
    (SIRET/SIREN), else the VAT scheme of its country (9925 for Belgium). Empty when none applies:
    the check then says the client's electronic address is missing (Peppol has no e-mail scheme)."""
    typed = client.electronic_address.strip()
    if typed:
        # as typed: a malformed one is reported by the rules (PEPPOL-EN16931-CL008), never replaced
        return parse_electronic_address(typed) or ("", typed[:120])
    legal, scheme = client_legal_id(client)
    if legal:
        return scheme, legal
    vat = client.vat_number.replace(" ", "").replace(".", "").upper()
    prefix = "GR" if vat[:2] == "EL" else vat[:2]
    if vat and prefix in VAT_SCHEMES:
        return VAT_SCHEMES[prefix], re.sub(r"(MWST|TVA|IVA)$", "", vat.replace("-", ""))
    return "", ""


def billing_mode(doc: Document) -> str:
    """French BT-23 from the document's lines: goods (B1), services (S1) or both (M1).

    The domain does not say goods or services yet (issue 13): lines of intra-EU goods (K) or of
    goods units (pieces, kg, litres...) count as goods, everything else as services.
    """
    goods_units = {"H87", "KGM", "LTR", "MTR", "MTK", "SET", "PR"}
    kinds = {
        "B" if (ln.vat_category is VatCategory.INTRA_COMMUNITY or ln.unit in goods_units) else "S"
        for ln in doc.lines
    }
    if kinds == {"B"}:
        return "B1"
    return "M1" if len(kinds) == 2 else "S1"


def payment_id(doc: Document, entity: CooperativeEntity, number: str) -> str:
    """BT-83, the same reference the PDF prints (``smartdesk.pdf.payment.payment_reference``)."""
    given = doc.payment_reference.strip()
    if given:
        return format_ogm(given) if is_valid_ogm(given) else given
    if entity.country == "BE":
        return ogm_for_document(doc.id, doc.number)
    return number


def _allowance_rows(doc: Document, totals: Totals) -> tuple[EAllowance, ...]:
    """The allowances and charges with the amounts the PDF prints (``Totals.allowance_rows``)."""
    return tuple(
        EAllowance(
            is_charge=row.is_charge,
            amount=row.amount,
            base=row.base,
            percent=row.percent,
            reason=ac.reason.strip() or ("Charge" if ac.is_charge else "Discount"),
            category=row.category,
            rate=row.rate,
        )
        for ac, row in zip(doc.allowances, totals.allowance_rows, strict=True)
    )


def _notes(doc: Document, entity: CooperativeEntity, lang: str) -> list[tuple[str, str]]:
    from smartdesk.i18n.documents import text
    from smartdesk.pdf.formatting import Formatter
    from smartdesk.pdf.legal import RECOVERY_INDEMNITY_EUR

    notes: list[tuple[str, str]] = []
    if doc.title.strip():
        notes.append(("", doc.title.strip()))
    if entity.country == "FR":
        fmt = Formatter(lang, entity.country, doc.currency)
        indemnity = Formatter(lang, "FR", "EUR").money(RECOVERY_INDEMNITY_EUR)
        penalties = text(
            lang, "legal.fr_penalties", rate=fmt.percent(entity.late_penalty_rate), indemnity=indemnity
        )
        notes.append(("PMT", _RECOVERY_NOTE.get(lang, _RECOVERY_NOTE["fr"]).format(amount=indemnity)))
        notes.append(("PMD", penalties))
        notes.append(("AAB", text(lang, "legal.fr_no_discount")))
    if doc.kind is DocumentKind.CREDIT_NOTE and entity.country == "BE":
        notes.append(("", text(lang, "legal.be_credit_vat")))
    return notes


def build(doc: Document, *, client: Client, entity: CooperativeEntity, today: date | None = None) -> EInvoice:
    """The EN 16931 view of an invoice or credit note.

    A draft (no legal number yet) gets the placeholder number "DRAFT-" + the start of its id and, when
    it has no date, ``today``: the pre-flight check runs on what the cooperative would issue.
    """
    from smartdesk.i18n.documents import DOCUMENT_LANGUAGES, text

    if doc.kind not in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE):
        raise EInvoiceError(
            Message(
                "Only invoices and credit notes become e-invoices; this is a {kind}.",
                kind=doc.kind.value.replace("-", " "),
            )
        )
    if not doc.lines:
        raise EInvoiceError(
            Message("This document has no lines: add what you sell before making its e-invoice.")
        )
    lang = doc.language if doc.language in DOCUMENT_LANGUAGES else "en"
    totals = compute_totals(doc.lines, doc.allowances, doc.paid_amount)
    draft = not doc.number
    number = doc.number or f"DRAFT-{doc.id[:8]}"
    issue = doc.issue_date or today or date.today()
    due = doc.due_date
    if due is None and doc.payment_terms_days is not None:
        due = issue + timedelta(days=doc.payment_terms_days)
    belgian = entity.country == "BE"

    lines = tuple(
        ELine(
            number=n,
            name=(line.description.strip().splitlines() or ["-"])[0][:200] or "-",
            quantity=line.quantity,
            unit=line.unit,
            price=line.unit_price,
            gross=a.gross,
            discount=a.discount,
            discount_percent=line.discount_percent,
            net=a.net,
            category=line.vat_category,
            rate=Decimal(0) if line.vat_category.zero_rate else line.vat_rate,
        )
        for n, (line, a) in enumerate(zip(doc.lines, totals.lines, strict=True), start=1)
    )
    groups = []
    for b in totals.vat_breakdown:
        basis = legal_basis(b.category, entity.country, client.address.country)
        code = VATEX.get(b.category, "")
        reason = text(lang, basis.text_key) if basis and b.category is not VatCategory.ZERO else ""
        groups.append(
            ETaxGroup(
                category=b.category,
                rate=b.rate,
                taxable=b.taxable,
                tax=b.tax,
                exemption_code=code,
                exemption_text=reason,
                be_exemption_text=_BE_REASON.get(b.category, ""),
            )
        )

    seller_id, seller_scheme = seller_legal_id(entity)
    seller = Party(
        name=entity.name,
        address=entity.address,
        vat_number=entity.vat_number.replace(" ", ""),
        legal_id=seller_id,
        legal_scheme=seller_scheme,
        endpoint_scheme=seller_scheme,
        endpoint_id=seller_id,
        email=entity.email,
        phone=entity.phone,
        registration=entity.registration,
    )
    buyer_id, buyer_scheme = client_legal_id(client)
    end_scheme, end_id = client_endpoint(client)
    buyer = Party(
        name=client.name,
        address=client.address,
        vat_number=client.vat_number.replace(" ", "").replace(".", "").upper(),
        legal_id=buyer_id,
        legal_scheme=buyer_scheme,
        endpoint_scheme=end_scheme,
        endpoint_id=end_id,
        email=client.email,
        phone=client.phone,
    )
    if any(ln.category is VatCategory.OUT_OF_SCOPE for ln in lines):
        # BR-O-02/03: an invoice outside the scope of VAT carries no VAT identifiers (BT-30 stays)
        seller = replace(seller, vat_number="")
        buyer = replace(buyer, vat_number="")
    goods_abroad = any(ln.category in (VatCategory.INTRA_COMMUNITY, VatCategory.EXPORT) for ln in lines)
    delivery = doc.delivery_date
    if delivery is None and any(ln.category is VatCategory.INTRA_COMMUNITY for ln in lines):
        delivery = issue  # BR-IC-11: an intra-EU supply needs its delivery date
    iban = entity.iban.replace(" ", "").upper()
    sepa = doc.currency == "EUR" and (in_eu(iban[:2]) or iban[:2] in {"CH", "NO", "IS", "LI", "MC", "SM"})
    if doc.payment_terms_days:
        terms = text(lang, "payment_terms", days=doc.payment_terms_days)  # the PDF's own sentence
    else:
        terms = text(lang, "pay_on_receipt") if doc.payment_terms_days == 0 else ""
    return EInvoice(
        kind=doc.kind,
        number=number,
        issue_date=issue,
        due_date=due,
        currency=doc.currency,
        language=lang,
        buyer_reference=doc.reference.strip(),
        order_reference=doc.order_reference.strip(),
        billing_reference=doc.corrects_number.strip(),
        billing_reference_date=doc.corrects_date,
        delivery_date=delivery,
        notes=tuple(_notes(doc, entity, lang)),
        billing_mode=billing_mode(doc),
        seller=seller,
        buyer=buyer,
        deliver_to_country=client.address.country.upper() if goods_abroad else "",
        iban=iban,
        bic=entity.bic.replace(" ", "").upper(),
        account_name=entity.name,
        payment_means="58" if sepa else "30",
        payment_id=payment_id(doc, entity, number),
        payment_terms=terms,
        lines=lines,
        allowances=_allowance_rows(doc, totals),
        tax_groups=tuple(groups),
        line_total=totals.line_total,
        allowance_total=totals.allowance_total,
        charge_total=totals.charge_total,
        tax_exclusive=totals.tax_exclusive,
        tax_total=totals.vat_total,
        tax_inclusive=totals.tax_inclusive,
        paid=totals.paid,
        payable=totals.due,
        belgian=belgian,
        draft=draft,
    )


def be_tax_name(category: VatCategory, rate: Decimal) -> str:
    """UBL.BE tax category name (BTCC list)."""
    if category is VatCategory.STANDARD:
        return _BE_NAME_STANDARD.get(rate.normalize() if rate else Decimal(0), "03")
    return _BE_NAME[category]
