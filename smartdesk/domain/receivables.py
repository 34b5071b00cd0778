"""What a client still owes: which invoices wait for money, how late they are, in which age band.

Pure functions, shared by the home page, the list columns and the editor (no store, no Qt). The
amounts themselves (paid, still due) come from ``InvoicePayments`` (``services.payments``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from smartdesk.domain.lifecycle import OPEN_INVOICE

# invoices the cooperative has issued and that wait for (some of) their money
OPEN_INVOICE_STATUSES: tuple[str, ...] = OPEN_INVOICE
# invoices and credit notes that count as revenue (issued by the cooperative, not cancelled)
ISSUED_STATUSES: tuple[str, ...] = (*OPEN_INVOICE_STATUSES, "paid")
# expense notes the cooperative accepted and has not paid back yet
EXPENSE_WAITING_STATUSES: tuple[str, ...] = ("submitted", "validated")

# overdue age bands: key, first day late, last day late (None: no end)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


def still_due(total: Decimal, paid: Decimal) -> Decimal:
    """What remains to be paid (never negative: an overpayment is no debt)."""
    return max(total - paid, Decimal(0))


def is_open(kind: str, status: str) -> bool:
    return kind == "invoice" and status in OPEN_INVOICE_STATUSES


def days_late(due_date: date | None, today: date, status: str, kind: str = "invoice") -> int:
    """Days after the due date of an invoice still waiting for money; 0 when not late (or paid)."""
    if due_date is None or not is_open(kind, status):
        return 0
    return max((today - due_date).days, 0)


def age_band(days: int) -> str | None:
    """The overdue age band of ``days`` late (None when not late)."""
    for key, first, last in AGE_BANDS:
        if days >= first and (last is None or days <= last):
            return key
    return None


def band_range(key: str) -> tuple[int, int | None]:
    """(first, last) days late of an age band; KeyError for an unknown one."""
    for band, first, last in AGE_BANDS:
        if band == key:
            return first, last
    raise KeyError(key)


def months_back(today: date, count: int = 12) -> list[str]:
    """The ``count`` months ending with today's, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    months: list[str] = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]
