"""What the store hands out besides domain dataclasses: list rows, sums, outbox entries, snippets.

Also the two small conversions every part of the store shares (the time stamp it writes, cents read
back as money).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import DocumentKind

# The row types: ``smartdesk.store`` and ``smartdesk.services`` (for the GUI and the CLI) hand out these.
__all__ = [
    "ActivitySummary",
    "ClientRow",
    "DocumentQuery",
    "DocumentRow",
    "ListSums",
    "OutboxEntry",
    "Page",
    "SearchHit",
    "Snippet",
]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def money_of_cents(total_cents: int) -> Decimal:
    """A sum of cents as SQLite returns it, as exact money."""
    return Decimal(int(total_cents)).scaleb(-2)


def day_or_none(text: str) -> date | None:
    """An ISO date pulled from the server, or None when it is missing or not a date."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DocumentQuery:
    kind: DocumentKind | None = None
    status: str | None = None
    activity_id: str | None = None
    client_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    sort: str = "issue_date"
    descending: bool = True
    offset: int = 0
    limit: int = 100
    statuses: tuple[str, ...] = ()  # any of these statuses (several at once; "all unpaid")
    due_from: date | None = None  # due dates, inclusive (overdue age bands)
    due_to: date | None = None


@dataclass(frozen=True)
class DocumentRow:
    id: str
    kind: DocumentKind
    status: str
    number: str
    title: str
    client_name: str
    activity_name: str
    issue_date: date | None
    due_date: date | None
    total_incl: Decimal
    currency: str
    updated_at: str
    paid: Decimal = Decimal(0)  # what the cooperative received (cooperative-owned)
    last_payment: date | None = None  # the newest payment pulled for it, if any


@dataclass(frozen=True)
class ListSums:
    """The totals of every row a list query matches (not only the page on screen)."""

    count: int
    total: Decimal
    paid: Decimal
    still_due: Decimal


@dataclass(frozen=True)
class Page:
    rows: list[DocumentRow]
    total: int


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    country: str
    vat_number: str
    email: str
    language: str
    open_amount: Decimal
    document_count: int


@dataclass(frozen=True)
class ActivitySummary:
    id: str
    name: str
    code: str
    entity: str
    document_count: int
    quotes_total: Decimal
    invoiced_total: Decimal
    paid_total: Decimal
    expenses_total: Decimal


@dataclass(frozen=True)
class MutationRecord:
    """A member's change as this computer keeps it: its id in the outbox, the mutation's name (see
    ``docs/protocol.md``), the record it changes and its arguments. An ``OutboxEntry`` while it waits to
    be sent; a ``sync.local.Rejection`` once the server refused it for good."""

    mutation_id: int
    name: str
    entity_id: str
    args: dict[str, Any]


@dataclass(frozen=True)
class OutboxEntry(MutationRecord):
    base_version: int
    created_at: str


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "document" or "client"
    id: str
    title: str
    snippet: str


@dataclass
class Snippet:
    id: str
    kind: str  # "line" or "text"
    title: str
    body: dict[str, Any] = field(default_factory=dict)
