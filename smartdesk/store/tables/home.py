"""The SQL behind the home page's figures: a few aggregate queries over the ``documents`` rows.

Money is summed as integer cents: ``total_cents`` is stored; ``paid_amount`` is exact decimal text
with at most two decimals, turned into cents by ``PAID_CENTS`` (a double holds any such amount below
10^13 exactly once multiplied by 100 and rounded: no float ever reaches a sum).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartdesk.store.connection import Connection

PAID_CENTS = "CAST(ROUND(CAST(d.paid_amount AS REAL) * 100) AS INTEGER)"
DUE_CENTS = f"MAX(d.total_cents - {PAID_CENTS}, 0)"


def _marks(values: Sequence[str]) -> str:
    return ", ".join("?" for _ in values)


def receivables(conn: Connection, open_statuses: Sequence[str]) -> list[tuple[Any, ...]]:
    """(due date or None, count, still due in cents) of the open invoices, grouped by due date: the
    caller counts the days late and puts them in age bands (a few hundred groups at most). Reads only
    the index ``ix_documents_receivable``."""
    return conn.execute(
        f"SELECT d.due_date, COUNT(*), SUM({DUE_CENTS}) FROM documents d "
        f"WHERE d.kind = 'invoice' AND d.status IN ({_marks(open_statuses)}) GROUP BY d.due_date",
        tuple(open_statuses),
    ).tuples()


def monthly_revenue(
    conn: Connection, first_day: str, last_day: str, issued_statuses: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(month "YYYY-MM", activity id or "", kind, total in cents, paid in cents) of the invoices and
    credit notes issued between the two days (ISO, inclusive)."""
    return conn.execute(
        "SELECT substr(d.issue_date, 1, 7) AS month, COALESCE(d.activity_id, ''), d.kind, "
        f"SUM(d.total_cents), SUM({PAID_CENTS}) FROM documents d "
        "WHERE d.kind IN ('invoice', 'credit-note') AND d.issue_date >= ? AND d.issue_date <= ? "
        f"AND d.status IN ({_marks(issued_statuses)}) GROUP BY month, d.activity_id, d.kind",
        (first_day, last_day, *issued_statuses),
    ).tuples()


def count_and_sum(conn: Connection, kind: str, statuses: Sequence[str]) -> tuple[int, int]:
    """(count, total in cents) of the documents of a kind in these statuses."""
    row = conn.execute(
        f"SELECT COUNT(*), COALESCE(SUM(d.total_cents), 0) FROM documents d "
        f"WHERE d.kind = ? AND d.status IN ({_marks(statuses)})",
        (kind, *statuses),
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def returned(conn: Connection, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
    """How many documents came back with remarks, and the newest (id, kind, number, title)."""
    kinds = ("quote", "invoice", "credit-note", "expense-note")
    total = 0
    rows: list[tuple[Any, ...]] = []
    for kind in kinds:  # one index range per kind (kind, status, issue_date)
        total += int(
            conn.execute(
                "SELECT COUNT(*) FROM documents d WHERE d.kind = ? AND d.status = 'returned'", (kind,)
            ).scalar_one()
        )
        rows += conn.execute(
            "SELECT d.id, d.kind, d.number, d.title, d.updated_at FROM documents d "
            "WHERE d.kind = ? AND d.status = 'returned' ORDER BY d.issue_date DESC LIMIT ?",
            (kind, limit),
        ).tuples()
    rows.sort(key=lambda r: str(r[4] or ""), reverse=True)
    return total, [r[:4] for r in rows[:limit]]


def activity_names(conn: Connection) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in conn.execute("SELECT id, name FROM activities").tuples()}
