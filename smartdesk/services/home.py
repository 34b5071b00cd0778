"""``ws.home``: the figures of the home page, computed in SQL on the local store (offline too).

Money still to receive, overdue invoices by age band, invoiced and paid per month for the last 12
months per activity, expenses waiting to be paid back, documents returned with remarks, the
cooperative's upcoming follow-up actions and the drafts the recurring schedules prepared. A handful
of aggregate queries over the narrow ``documents`` rows (``store/tables/home.py``): a few
milliseconds at 100,000 documents (``bench/home.py``).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from smartdesk.domain.receivables import (
    AGE_BANDS,
    EXPENSE_WAITING_STATUSES,
    ISSUED_STATUSES,
    OPEN_INVOICE_STATUSES,
    age_band,
    months_back,
)
from smartdesk.store.tables import home as home_sql

if TYPE_CHECKING:
    from smartdesk.services.followup import FollowUpNotice
    from smartdesk.services.workspace import Workspace

Clock = Callable[[], date]


def _money(cents: int | None) -> Decimal:
    return Decimal(int(cents or 0)).scaleb(-2)


@dataclass(frozen=True)
class Band:
    key: str  # "0-30", "31-60", "61-90", "90+" (domain.receivables.AGE_BANDS)
    count: int
    due: Decimal


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "YYYY-MM"
    invoiced: Decimal  # invoices issued that month, less the credit notes
    paid: Decimal  # what the invoices issued that month have received so far


@dataclass(frozen=True)
class ActivityRevenue:
    activity_id: str  # "" for documents without an activity
    name: str
    months: tuple[MonthFigures, ...]  # the 12 months, oldest first

    @property
    def invoiced(self) -> Decimal:
        return sum((m.invoiced for m in self.months), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((m.paid for m in self.months), Decimal(0))


@dataclass(frozen=True)
class ReturnedDocument:
    id: str
    kind: str
    number: str
    title: str


@dataclass(frozen=True)
class HomeFigures:
    today: date
    to_receive: Decimal  # still due on every open invoice
    open_count: int
    overdue: tuple[Band, ...]  # every band of AGE_BANDS, in order, also the empty ones
    months: tuple[str, ...]  # the 12 months of the chart, oldest first
    revenue: tuple[ActivityRevenue, ...]  # activities with figures in those months, by name
    expenses_waiting: Decimal
    expenses_waiting_count: int
    returned_count: int
    returned: tuple[ReturnedDocument, ...]
    upcoming: tuple[FollowUpNotice, ...] = ()
    recurring_prepared: tuple[str, ...] = ()  # ids of drafts the schedules prepared, not opened yet
    currency: str = "EUR"

    @property
    def overdue_total(self) -> Decimal:
        return sum((b.due for b in self.overdue), Decimal(0))

    def band(self, key: str) -> Band:
        return next(b for b in self.overdue if b.key == key)


def _days_late(due_date: object, today: date) -> int:
    """Days after a stored due date (ISO text); 0 when missing, not a date or not passed."""
    try:
        return max((today - date.fromisoformat(str(due_date))).days, 0) if due_date else 0
    except ValueError:
        return 0


class HomeService:
    """``ws.home``: ``figures()`` for the home page; ``clock`` gives "today" (tests inject one)."""

    def __init__(self, ws: Workspace, clock: Clock | None = None) -> None:
        self._ws = ws
        self.clock: Clock = clock or date.today

    def figures(
        self, today: date | None = None, returned_limit: int = 5, upcoming_limit: int = 5
    ) -> HomeFigures:
        today = today or self.clock()
        months = months_back(today, 12)
        first_day = f"{months[0]}-01"
        last_day = f"{months[-1]}-{calendar.monthrange(today.year, today.month)[1]:02d}"
        with self._ws.store.read() as conn:
            due_rows = home_sql.receivables(conn, OPEN_INVOICE_STATUSES)
            month_rows = home_sql.monthly_revenue(conn, first_day, last_day, ISSUED_STATUSES)
            exp_count, exp_cents = home_sql.count_and_sum(conn, "expense-note", EXPENSE_WAITING_STATUSES)
            returned_count, returned_rows = home_sql.returned(conn, returned_limit)
            names = home_sql.activity_names(conn)

        to_receive = 0
        open_count = 0
        bands: dict[str, list[int]] = {key: [0, 0] for key, _f, _l in AGE_BANDS}
        for due_date, count, due in due_rows:
            to_receive += int(due or 0)
            open_count += int(count)
            key = age_band(_days_late(due_date, today))
            if key is not None:
                bands[key][0] += int(count)
                bands[key][1] += int(due or 0)

        per: dict[str, dict[str, list[int]]] = {}
        for month, activity_id, kind, total, paid in month_rows:
            cells = per.setdefault(str(activity_id), {})
            cell = cells.setdefault(str(month), [0, 0])
            sign = -1 if kind == "credit-note" else 1
            cell[0] += sign * int(total or 0)
            if kind == "invoice":
                cell[1] += int(paid or 0)
        revenue = [
            ActivityRevenue(
                activity_id,
                names.get(activity_id, ""),
                tuple(
                    MonthFigures(m, _money(cells.get(m, [0, 0])[0]), _money(cells.get(m, [0, 0])[1]))
                    for m in months
                ),
            )
            for activity_id, cells in per.items()
        ]
        revenue.sort(key=lambda a: (a.name.casefold(), a.activity_id))

        notices = self._ws.followup.notices(limit=200)
        upcoming = tuple(n for n in sorted(notices, key=lambda n: n.on) if n.on >= today.isoformat())
        recurring = getattr(self._ws, "recurring", None)
        prepared = tuple(recurring.unseen()) if recurring is not None else ()
        return HomeFigures(
            today=today,
            to_receive=_money(to_receive),
            open_count=open_count,
            overdue=tuple(Band(key, bands[key][0], _money(bands[key][1])) for key, _f, _l in AGE_BANDS),
            months=tuple(months),
            revenue=tuple(revenue),
            expenses_waiting=_money(exp_cents),
            expenses_waiting_count=exp_count,
            returned_count=returned_count,
            returned=tuple(
                ReturnedDocument(str(r[0]), str(r[1]), str(r[2] or ""), str(r[3] or ""))
                for r in returned_rows
            ),
            upcoming=upcoming[:upcoming_limit],
            recurring_prepared=prepared,
        )
