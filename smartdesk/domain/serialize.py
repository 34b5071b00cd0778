"""The documented JSON form of clients, activities and documents (docs/json-format.md).

Used by ``smartdesk import`` / ``export``, by the outbox (mutation arguments) and by the server.
Amounts and quantities are strings ("1234.50") so no float ever touches money; dates are ISO 8601.
``*_from_dict`` functions collect every problem with its JSON path and raise one ValidationError.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from smartdesk.domain.documents import (
    SUPPLY_TYPES,
    Activity,
    Address,
    AllowanceCharge,
    Client,
    Document,
    DocumentKind,
    ExpenseLine,
    Line,
    MonthFigures,
    TimelineEvent,
)
from smartdesk.domain.identity import identity_to_dict, parse_identity
from smartdesk.domain.ids import is_uuid
from smartdesk.domain.money import to_decimal
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import Message, Problem, ValidationError

FORMAT_VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)

# Document fields the member owns (editable in a draft) vs fields only the cooperative sets.
MEMBER_DOCUMENT_FIELDS = (
    "kind",
    "entity",
    "activity_id",
    "client_id",
    "title",
    "issue_date",
    "due_date",
    "delivery_date",
    "payment_terms_days",
    "language",
    "currency",
    "reference",
    "order_reference",
    "intro_text",
    "closing_text",
    "lines",
    "expense_lines",
    "allowances",
    "corrects_id",
    "corrects_number",
    "corrects_date",
    "source_id",
    "supply_type",
    "delivery_address",
)
COOPERATIVE_DOCUMENT_FIELDS = (
    "status",
    "number",
    "payment_reference",
    "paid_amount",
    "remarks",
    "timeline",
    "credited_amount",
    "issuer",
    "archive_sha256",
)
# Client and activity fields only the cooperative sets: a member's edit never sends or changes them.
COOPERATIVE_CLIENT_FIELDS = ("payment_flag",)
COOPERATIVE_ACTIVITY_FIELDS = ("monthly",)
MONTH_FIGURE_FIELDS = ("revenue_invoiced", "revenue_paid", "expenses", "wages", "hours")


def _d(value: Decimal) -> str:
    return format(value, "f")


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def address_to_dict(a: Address) -> dict[str, Any]:
    return {"street": a.street, "postcode": a.postcode, "city": a.city, "country": a.country}


def client_to_dict(c: Client) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "address": address_to_dict(c.address),
        "vat_number": c.vat_number,
        "enterprise_number": c.enterprise_number,
        "email": c.email,
        "phone": c.phone,
        "language": c.language,
        "payment_terms_days": c.payment_terms_days,
        "is_business": c.is_business,
        "notes": c.notes,
        "payment_flag": c.payment_flag,
        "electronic_address": c.electronic_address,
    }


def month_figures_to_dict(m: MonthFigures) -> dict[str, str]:
    return {
        "month": m.month,
        "revenue_invoiced": _d(m.revenue_invoiced),
        "revenue_paid": _d(m.revenue_paid),
        "expenses": _d(m.expenses),
        "wages": _d(m.wages),
        "hours": _d(m.hours),
    }


def activity_to_dict(a: Activity) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "code": a.code,
        "entity": a.entity,
        "description": a.description,
        "monthly": [month_figures_to_dict(m) for m in a.monthly],
    }


def line_to_dict(line: Line) -> dict[str, Any]:
    return {
        "id": line.id,
        "description": line.description,
        "quantity": _d(line.quantity),
        "unit": line.unit,
        "unit_price": _d(line.unit_price),
        "vat_category": line.vat_category.value,
        "vat_rate": _d(line.vat_rate),
        "discount_percent": _d(line.discount_percent),
    }


def expense_line_to_dict(line: ExpenseLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "date": _date(line.date),
        "supplier": line.supplier,
        "description": line.description,
        "category": line.category,
        "amount_incl": _d(line.amount_incl),
        "vat_rate": _d(line.vat_rate),
        "vat_amount_override": None if line.vat_amount_override is None else _d(line.vat_amount_override),
        "activity_id": line.activity_id,
        "paid_with": line.paid_with,
        "receipts": list(line.receipts),
        "rejection_reason": line.rejection_reason,
    }


def allowance_to_dict(ac: AllowanceCharge) -> dict[str, Any]:
    return {
        "is_charge": ac.is_charge,
        "amount": _d(ac.amount),
        "percent": None if ac.percent is None else _d(ac.percent),
        "reason": ac.reason,
        "vat_category": ac.vat_category.value,
        "vat_rate": _d(ac.vat_rate),
    }


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "kind": doc.kind.value,
        "status": doc.status,
        "number": doc.number,
        "entity": doc.entity,
        "activity_id": doc.activity_id,
        "client_id": doc.client_id,
        "title": doc.title,
        "issue_date": _date(doc.issue_date),
        "due_date": _date(doc.due_date),
        "delivery_date": _date(doc.delivery_date),
        "payment_terms_days": doc.payment_terms_days,
        "language": doc.language,
        "currency": doc.currency,
        "reference": doc.reference,
        "order_reference": doc.order_reference,
        "intro_text": doc.intro_text,
        "closing_text": doc.closing_text,
        "lines": [line_to_dict(x) for x in doc.lines],
        "expense_lines": [expense_line_to_dict(x) for x in doc.expense_lines],
        "allowances": [allowance_to_dict(x) for x in doc.allowances],
        "corrects_id": doc.corrects_id,
        "corrects_number": doc.corrects_number,
        "corrects_date": _date(doc.corrects_date),
        "source_id": doc.source_id,
        "payment_reference": doc.payment_reference,
        "paid_amount": _d(doc.paid_amount),
        "remarks": doc.remarks,
        "timeline": [
            {
                "at": e.at,
                "status": e.status,
                "actor": e.actor,
                "note": e.note,
                **({"on": e.on} if e.on else {}),
            }
            for e in doc.timeline
        ],
        "credited_amount": _d(doc.credited_amount),
        "supply_type": doc.supply_type,
        "delivery_address": address_to_dict(doc.delivery_address) if doc.delivery_address else None,
        "issuer": identity_to_dict(doc.issuer) if doc.issuer is not None else None,
        "archive_sha256": doc.archive_sha256,
    }


# --- reading, with every problem and its JSON path ------------------------------------------------


class _Identified(Protocol):
    id: str


_R = TypeVar("_R", bound=_Identified)


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(field=where, code="json.invalid", message=message))

    def obj(self, data: Any, where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail(where, "expected an object { ... }")
            return {}
        return data

    def text(
        self, data: dict[str, Any], key: str, where: str, default: str = "", max_len: int = 10_000
    ) -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "expected text in quotes")
            return default
        if len(value) > max_len:
            self.fail(f"{where}.{key}", f"too long ({len(value)} characters, at most {max_len})")
        return value

    def dec(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        default: Decimal | None = Decimal(0),
        nullable: bool = False,
    ) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None if nullable else default
        if isinstance(value, float):
            self.fail(f"{where}.{key}", f'write the number as text, e.g. "{value}", so no precision is lost')
            return default
        try:
            return to_decimal(value)
        except ValueError as exc:
            self.fail(f"{where}.{key}", str(exc))
            return default

    def day(self, data: dict[str, Any], key: str, where: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", 'expected a date as text, e.g. "2026-11-22"')
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{where}.{key}", f"“{value}” is not a date; write it as YYYY-MM-DD")
            return None

    def integer(self, data: dict[str, Any], key: str, where: str, default: int | None) -> int | None:
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{where}.{key}", "expected a whole number")
            return default
        return value

    def boolean(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", "expected true or false")
            return default
        return value

    def ident(self, data: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        value = self.text(data, key, where)
        if value and not is_uuid(value):
            self.fail(f"{where}.{key}", f"“{value}” is not an identifier (a UUID)")
        elif required and not value:
            self.fail(f"{where}.{key}", "missing identifier")
        return value

    def with_id(self, record: _R, data: dict[str, Any], where: str) -> _R:
        """``record`` with the id written in ``data``, when there is one (else it keeps its new id)."""
        ident = self.ident(data, "id", where)
        if ident:
            record.id = ident
        return record

    def category(self, data: dict[str, Any], key: str, where: str) -> VatCategory:
        value = data.get(key, "S")
        try:
            return VatCategory(value)
        except ValueError:
            codes = ", ".join(c.value for c in VatCategory)
            self.fail(f"{where}.{key}", f"“{value}” is not a VAT category; use one of {codes}")
            return VatCategory.STANDARD

    def array(self, data: dict[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", "expected a list [ ... ]")
            return []
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            n = len(self.problems)
            raise ValidationError(
                self.problems,
                summary=Message.counted(
                    "{count} problem in {path}:", "{count} problems in {path}:", n, count=n, path=self.path
                ),
            )


def _read_address(r: _Reader, data: Any, where: str) -> Address:
    d = r.obj(data if data is not None else {}, where)
    return Address(
        street=r.text(d, "street", where, max_len=500),
        postcode=r.text(d, "postcode", where, max_len=20),
        city=r.text(d, "city", where, max_len=200),
        country=r.text(d, "country", where, "BE").upper(),
    )


def _read_supply_type(r: _Reader, d: dict[str, Any], where: str) -> str:
    value = r.text(d, "supply_type", where, max_len=20)
    if value and value not in SUPPLY_TYPES:
        r.fail(f"{where}.supply_type", "expected one of goods, services, both (or nothing)")
        return ""
    return value


def _read_client(r: _Reader, data: Any, where: str) -> Client:
    d = r.obj(data, where)
    client = Client(
        name=r.text(d, "name", where, max_len=300),
        address=_read_address(r, d.get("address"), f"{where}.address"),
        vat_number=r.text(d, "vat_number", where, max_len=30),
        enterprise_number=r.text(d, "enterprise_number", where, max_len=30),
        email=r.text(d, "email", where, max_len=300),
        phone=r.text(d, "phone", where, max_len=50),
        language=r.text(d, "language", where, "fr"),
        payment_terms_days=r.integer(d, "payment_terms_days", where, 30) or 0,
        is_business=r.boolean(d, "is_business", where, True),
        notes=r.text(d, "notes", where),
        payment_flag=r.text(d, "payment_flag", where),
        electronic_address=r.text(d, "electronic_address", where, max_len=140),
    )
    return r.with_id(client, d, where)


def _read_month(r: _Reader, data: Any, where: str) -> MonthFigures:
    d = r.obj(data, where)
    text = r.text(d, "month", where, max_len=10)
    month = _month(text)
    if month is None:
        r.fail(f"{where}.month", f"“{text}” is not a month; write it as YYYY-MM")
    return MonthFigures(
        month=month or text, **{k: r.dec(d, k, where) or Decimal(0) for k in MONTH_FIGURE_FIELDS}
    )


def _month(text: str) -> str | None:
    """``text`` as "YYYY-MM" ("2026-3" becomes "2026-03"), or None when it is not a month."""
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        return None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def _read_activity(r: _Reader, data: Any, where: str) -> Activity:
    d = r.obj(data, where)
    activity = Activity(
        name=r.text(d, "name", where, max_len=300),
        code=r.text(d, "code", where, max_len=50),
        entity=r.text(d, "entity", where, "BE").upper(),
        description=r.text(d, "description", where),
        monthly=[
            _read_month(r, x, f"{where}.monthly[{i}]") for i, x in enumerate(r.array(d, "monthly", where))
        ],
    )
    return r.with_id(activity, d, where)


def _read_line(r: _Reader, data: Any, where: str) -> Line:
    d = r.obj(data, where)
    line = Line(
        description=r.text(d, "description", where),
        quantity=r.dec(d, "quantity", where, Decimal(1)) or Decimal(0),
        unit=r.text(d, "unit", where, "C62"),
        unit_price=r.dec(d, "unit_price", where) or Decimal(0),
        vat_category=r.category(d, "vat_category", where),
        vat_rate=r.dec(d, "vat_rate", where, Decimal(0)) or Decimal(0),
        discount_percent=r.dec(d, "discount_percent", where) or Decimal(0),
    )
    return r.with_id(line, d, where)


def _read_expense_line(r: _Reader, data: Any, where: str) -> ExpenseLine:
    d = r.obj(data, where)
    receipts = [x for x in r.array(d, "receipts", where) if isinstance(x, str)]
    line = ExpenseLine(
        date=r.day(d, "date", where),
        supplier=r.text(d, "supplier", where, max_len=300),
        description=r.text(d, "description", where),
        category=r.text(d, "category", where, max_len=100),
        amount_incl=r.dec(d, "amount_incl", where) or Decimal(0),
        vat_rate=r.dec(d, "vat_rate", where) or Decimal(0),
        vat_amount_override=r.dec(d, "vat_amount_override", where, nullable=True),
        activity_id=r.ident(d, "activity_id", where),
        paid_with=r.text(d, "paid_with", where, "own"),
        receipts=receipts,
        rejection_reason=r.text(d, "rejection_reason", where),
    )
    return r.with_id(line, d, where)


def _read_allowance(r: _Reader, data: Any, where: str) -> AllowanceCharge:
    d = r.obj(data, where)
    return AllowanceCharge(
        is_charge=r.boolean(d, "is_charge", where, False),
        amount=r.dec(d, "amount", where) or Decimal(0),
        percent=r.dec(d, "percent", where, nullable=True),
        reason=r.text(d, "reason", where, max_len=300),
        vat_category=r.category(d, "vat_category", where),
        vat_rate=r.dec(d, "vat_rate", where) or Decimal(0),
    )


def _read_document(r: _Reader, data: Any, where: str) -> Document:
    d = r.obj(data, where)
    kind_text = d.get("kind", "quote")
    try:
        kind = DocumentKind(kind_text)
    except ValueError:
        r.fail(
            f"{where}.kind",
            f"“{kind_text}” is not a kind of document; use quote, invoice, credit-note or expense-note",
        )
        kind = DocumentKind.QUOTE
    doc = Document(
        kind=kind,
        status=r.text(d, "status", where, "draft"),
        number=r.text(d, "number", where, max_len=50),
        entity=r.text(d, "entity", where, "BE").upper(),
        activity_id=r.ident(d, "activity_id", where),
        client_id=r.ident(d, "client_id", where),
        title=r.text(d, "title", where, max_len=300),
        issue_date=r.day(d, "issue_date", where),
        due_date=r.day(d, "due_date", where),
        delivery_date=r.day(d, "delivery_date", where),
        payment_terms_days=r.integer(d, "payment_terms_days", where, 30),
        language=r.text(d, "language", where, "fr"),
        currency=r.text(d, "currency", where, "EUR").upper(),
        reference=r.text(d, "reference", where, max_len=200),
        order_reference=r.text(d, "order_reference", where, max_len=200),
        intro_text=r.text(d, "intro_text", where),
        closing_text=r.text(d, "closing_text", where),
        lines=[_read_line(r, x, f"{where}.lines[{i}]") for i, x in enumerate(r.array(d, "lines", where))],
        expense_lines=[
            _read_expense_line(r, x, f"{where}.expense_lines[{i}]")
            for i, x in enumerate(r.array(d, "expense_lines", where))
        ],
        allowances=[
            _read_allowance(r, x, f"{where}.allowances[{i}]")
            for i, x in enumerate(r.array(d, "allowances", where))
        ],
        corrects_id=r.ident(d, "corrects_id", where),
        corrects_number=r.text(d, "corrects_number", where),
        corrects_date=r.day(d, "corrects_date", where),
        source_id=r.ident(d, "source_id", where),
        payment_reference=r.text(d, "payment_reference", where),
        paid_amount=r.dec(d, "paid_amount", where) or Decimal(0),
        remarks=r.text(d, "remarks", where),
        credited_amount=r.dec(d, "credited_amount", where) or Decimal(0),
        supply_type=_read_supply_type(r, d, where),
        delivery_address=(
            _read_address(r, d["delivery_address"], f"{where}.delivery_address")
            if d.get("delivery_address") is not None
            else None
        ),
    )
    for i, e in enumerate(r.array(d, "timeline", where)):
        e = r.obj(e, f"{where}.timeline[{i}]")
        doc.timeline.append(
            TimelineEvent(
                at=str(e.get("at", "")),
                status=str(e.get("status", "")),
                actor=str(e.get("actor", "")),
                note=str(e.get("note", "")),
                on=str(e.get("on", ""))[:10],
            )
        )
    issuer = d.get("issuer")
    if issuer is not None:
        try:
            doc.issuer = parse_identity(issuer)
        except ValueError as exc:
            r.fail(f"{where}.issuer", f"the stamped identity is not valid: {str(exc)[:300]}")
    sha = r.text(d, "archive_sha256", where, max_len=64)
    if sha and not _SHA256.fullmatch(sha):
        r.fail(
            f"{where}.archive_sha256", "the archived PDF is named by its SHA-256 (64 hexadecimal characters)"
        )
    else:
        doc.archive_sha256 = sha
    return r.with_id(doc, d, where)


def client_from_dict(data: Any, path: str = "$") -> Client:
    r = _Reader(path)
    client = _read_client(r, data, path)
    r.raise_if_any()
    return client


def activity_from_dict(data: Any, path: str = "$") -> Activity:
    r = _Reader(path)
    activity = _read_activity(r, data, path)
    r.raise_if_any()
    return activity


def document_from_dict(data: Any, path: str = "$") -> Document:
    r = _Reader(path)
    doc = _read_document(r, data, path)
    r.raise_if_any()
    return doc


def bundle_from_dict(
    data: Any, source: str = "the file"
) -> tuple[list[Activity], list[Client], list[Document]]:
    """Read an import file ``{"format": "smartdesk", "version": 1, "activities": [...], "clients": [...],
    "documents": [...]}``; every problem is reported at once with its JSON path."""
    r = _Reader(source)
    root = r.obj(data, "$")
    if root and root.get("format") != "smartdesk":
        r.fail("$.format", 'this is not a SmartDesk file ("format": "smartdesk" is missing)')
    version = root.get("version", FORMAT_VERSION) if root else FORMAT_VERSION
    if version != FORMAT_VERSION:
        r.fail(
            "$.version", f"version {version} is not supported; this SmartDesk reads version {FORMAT_VERSION}"
        )
    activities = [
        _read_activity(r, x, f"$.activities[{i}]") for i, x in enumerate(r.array(root, "activities", "$"))
    ]
    clients = [_read_client(r, x, f"$.clients[{i}]") for i, x in enumerate(r.array(root, "clients", "$"))]
    documents = [
        _read_document(r, x, f"$.documents[{i}]") for i, x in enumerate(r.array(root, "documents", "$"))
    ]
    r.raise_if_any()
    return activities, clients, documents


def bundle_to_dict(
    activities: list[Activity], clients: list[Client], documents: list[Document]
) -> dict[str, Any]:
    return {
        "format": "smartdesk",
        "version": FORMAT_VERSION,
        "activities": [activity_to_dict(a) for a in activities],
        "clients": [client_to_dict(c) for c in clients],
        "documents": [document_to_dict(d) for d in documents],
    }
