"""Documents, lines, clients, activities, the member's brand and the cooperative's entities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from smartdesk.domain.ids import uuid7
from smartdesk.domain.units import DEFAULT_UNIT
from smartdesk.domain.vat import VatCategory

LANGUAGES = ("fr", "nl", "en", "de", "es", "it")  # document languages
UI_LANGUAGES = ("fr", "nl", "en")


SUPPLY_TYPES = ("goods", "services", "both")  # what a document supplies (French mandatory mention)


class DocumentKind(StrEnum):
    QUOTE = "quote"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit-note"
    EXPENSE_NOTE = "expense-note"


@dataclass
class Address:
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "BE"  # ISO 3166-1 alpha-2

    def lines(self) -> list[str]:
        out = [self.street.strip()] if self.street.strip() else []
        place = " ".join(p for p in (self.postcode.strip(), self.city.strip()) if p)
        if place:
            out.append(place)
        return out


@dataclass
class Client:
    id: str = field(default_factory=uuid7)
    name: str = ""
    address: Address = field(default_factory=Address)
    vat_number: str = ""  # e.g. BE0123456749; empty for private clients
    enterprise_number: str = ""  # BCE/KBO number or French SIREN/SIRET
    email: str = ""
    phone: str = ""
    language: str = "fr"  # preferred language: the default language of its documents
    payment_terms_days: int = 30
    is_business: bool = True
    notes: str = ""
    payment_flag: str = ""  # cooperative-owned payment behaviour flag ("", "late", "bad")
    # Peppol electronic address "SCHEME:ID" (e.g. "0208:0123456749"); empty: derived from the numbers
    electronic_address: str = ""
    version: int = 0

    @property
    def country(self) -> str:
        return self.address.country


@dataclass
class MonthFigures:
    """One month of an activity's figures, as the cooperative's accounts have them (cooperative-owned)."""

    month: str = ""  # "YYYY-MM"
    revenue_invoiced: Decimal = Decimal("0")
    revenue_paid: Decimal = Decimal("0")
    expenses: Decimal = Decimal("0")
    wages: Decimal = Decimal("0")
    hours: Decimal = Decimal("0")


@dataclass
class Activity:
    id: str = field(default_factory=uuid7)
    name: str = ""
    code: str = ""  # the cooperative's budget-line code, e.g. "A-12345"
    entity: str = "BE"  # cooperative entity (country) the activity belongs to
    description: str = ""
    version: int = 0
    monthly: list[MonthFigures] = field(default_factory=list)  # cooperative-owned, oldest month first


@dataclass
class Brand:
    """The member's own brand, printed beside the cooperative's legal identity."""

    display_name: str = ""
    tagline: str = ""
    logo_sha256: str = ""  # attachment in the content-addressed store
    accent_color: str = "#1F6FEB"
    email: str = ""
    phone: str = ""
    website: str = ""
    theme: str = "classic"


@dataclass
class MemberProfile:
    id: str = field(default_factory=uuid7)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    entity: str = "BE"
    brand: Brand = field(default_factory=Brand)
    default_language: str = "fr"
    default_payment_terms_days: int = 30

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass(frozen=True)
class CooperativeEntity:
    """The cooperative's legal identity in one country: the legal issuer of documents."""

    code: str  # "BE", "FR"...
    name: str
    address: Address
    vat_number: str
    registration: str  # e.g. "RPM Bruxelles 0896.755.397" or "RCS Lyon 123 456 789"
    iban: str
    bic: str
    email: str = ""
    phone: str = ""
    website: str = ""
    legal_mentions: str = ""
    late_penalty_rate: Decimal = Decimal("0")  # France: annual late-payment penalty rate (%)
    # set by the cooperative (smartdesk-server set-entity), see smartdesk/domain/identity.py
    enterprise_number: str = ""  # BCE/KBO number (BE) or SIREN (FR)
    legal_mentions_by_language: dict[str, str] = field(default_factory=dict)  # fr/nl/en/de/es/it
    time_zone: str = "Europe/Brussels"  # the issue date of a validated document is the date there
    demo: bool = False  # a demonstration identity (the demo server, the built-in table)
    provisional: bool = False  # the app's built-in identity, before the cooperative's reached it

    @property
    def country(self) -> str:
        return self.address.country

    def mentions_in(self, lang: str) -> str:
        """The legal mentions in a document language; the entity's default text when it has none in it."""
        return self.legal_mentions_by_language.get(lang, "") or self.legal_mentions


@dataclass
class Line:
    """A line of a quote, invoice or credit note. Amounts are excluding VAT."""

    id: str = field(default_factory=uuid7)
    description: str = ""
    quantity: Decimal = Decimal("1")
    unit: str = DEFAULT_UNIT
    unit_price: Decimal = Decimal("0")
    vat_category: VatCategory = VatCategory.STANDARD
    vat_rate: Decimal = Decimal("21")
    discount_percent: Decimal = Decimal("0")


@dataclass
class AllowanceCharge:
    """A document-level discount (allowance) or surcharge (charge), excluding VAT."""

    is_charge: bool = False
    amount: Decimal = Decimal("0")
    percent: Decimal | None = None  # when set, amount = percent of the lines' net sum
    reason: str = ""
    vat_category: VatCategory = VatCategory.STANDARD
    vat_rate: Decimal = Decimal("21")


@dataclass
class ExpenseLine:
    """A line of an expense note: one expense with its receipt(s). Amount includes VAT."""

    id: str = field(default_factory=uuid7)
    date: date | None = None
    supplier: str = ""
    description: str = ""
    category: str = ""
    amount_incl: Decimal = Decimal("0")
    vat_rate: Decimal = Decimal("21")
    vat_amount_override: Decimal | None = None
    activity_id: str = ""
    paid_with: str = "own"  # own card/cash ("own") or "coop" card
    receipts: list[str] = field(default_factory=list)  # SHA-256 of attachments
    rejection_reason: str = ""  # cooperative-owned: the advisor's reason for refusing the line


@dataclass
class TimelineEvent:
    at: str  # ISO datetime
    status: str
    actor: str  # "member" or "cooperative"
    note: str = ""
    on: str = ""  # ISO date the member gave (a quote accepted on that day), when not the day recorded


@dataclass
class Document:
    id: str = field(default_factory=uuid7)
    kind: DocumentKind = DocumentKind.QUOTE
    status: str = "draft"
    number: str = ""  # legal number: empty until the cooperative validates the document
    entity: str = "BE"  # cooperative entity issuing it
    activity_id: str = ""
    client_id: str = ""
    title: str = ""
    issue_date: date | None = None
    due_date: date | None = None  # invoices/credit notes: due date; quotes: valid until
    delivery_date: date | None = None
    payment_terms_days: int | None = 30
    language: str = "fr"
    currency: str = "EUR"
    reference: str = ""  # the client's reference (e-invoice: buyer reference, BT-10)
    order_reference: str = ""  # the client's purchase order number (e-invoice: BT-13)
    intro_text: str = ""
    closing_text: str = ""
    lines: list[Line] = field(default_factory=list)
    expense_lines: list[ExpenseLine] = field(default_factory=list)
    allowances: list[AllowanceCharge] = field(default_factory=list)
    corrects_id: str = ""  # credit note: the invoice it corrects
    corrects_number: str = ""
    corrects_date: date | None = None  # credit note: issue date of the invoice it corrects (BT-26)
    source_id: str = ""  # invoice made from a quote, or the document it was duplicated from
    payment_reference: str = ""  # Belgian structured communication or free reference
    paid_amount: Decimal = Decimal("0")  # cooperative-owned
    remarks: str = ""  # the advisor's remarks (cooperative-owned)
    timeline: list[TimelineEvent] = field(default_factory=list)
    version: int = 0
    created_at: str = ""
    updated_at: str = ""
    # --- legal fields of issue 13, at the end with defaults: an older body without them still loads
    credited_amount: Decimal = Decimal(
        "0"
    )  # invoice: total of its validated credit notes (cooperative-owned)
    supply_type: str = ""  # "goods", "services" or "both" (France, mandatory from 1 Sept 2026)
    delivery_address: Address | None = None  # printed when it differs from the client's address
    # cooperative-owned, set at validation (docs/sync.md): the issuer's identity as stamped, and the
    # SHA-256 of the PDF the server rendered and archived then
    issuer: CooperativeEntity | None = None
    archive_sha256: str = ""

    @property
    def is_expense(self) -> bool:
        return self.kind is DocumentKind.EXPENSE_NOTE

    def compute_due_date(self) -> date | None:
        """Due date from the issue date and payment terms (validity for a quote)."""
        if self.issue_date is None or self.payment_terms_days is None:
            return self.due_date
        return self.issue_date + timedelta(days=self.payment_terms_days)
