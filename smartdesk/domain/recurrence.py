"""Recurring invoices: a schedule on an invoice (monthly, quarterly, yearly; until a date or a number
of invoices) and the periods it is due for. Pure functions, no clock: callers pass "today".

An invoice with a schedule is the first period; the schedule prepares one draft for each later
period whose date has come: ``start + k steps`` for k = 1, 2, ... (the day of the month kept, or the
month's last day: a schedule from 31 January gives 28/29 February, then 31 March).
"""

from __future__ import annotations

import calendar
import hashlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

FREQUENCIES: dict[str, int] = {"monthly": 1, "quarterly": 3, "yearly": 12}  # months per period
MAX_COUNT = 600  # 50 years of monthly invoices
MAX_CATCH_UP = 36  # periods prepared at once after a long time offline (the rest on the next run)


@dataclass(frozen=True)
class Schedule:
    source_id: str  # the invoice the drafts are copied from (the first period)
    frequency: str  # a key of FREQUENCIES
    start: date  # the first period: the source invoice's issue date
    end: date | None = None  # no period after this day
    count: int | None = None  # at most this many drafts
    done: tuple[str, ...] = field(default_factory=tuple)  # periods prepared (ISO dates), never again
    unseen: tuple[str, ...] = field(default_factory=tuple)  # drafts prepared, not opened yet

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "frequency": self.frequency,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "count": self.count,
            "done": list(self.done),
            "unseen": list(self.unseen),
        }

    def with_done(self, period: date, draft_id: str) -> Schedule:
        return replace(self, done=(*self.done, period.isoformat()), unseen=(*self.unseen, draft_id))


def problems(frequency: str, start: date | None, end: date | None, count: int | None) -> list[str]:
    """Codes of what is wrong with a schedule (empty: it is fine); services.recurring words them."""
    found: list[str] = []
    if frequency not in FREQUENCIES:
        found.append("frequency")
    if start is None:
        found.append("no_date")
    if end is not None and start is not None and end <= start:
        found.append("end_before_start")
    if count is not None and not 1 <= count <= MAX_COUNT:
        found.append("count")
    return found


def schedule_from_dict(value: object) -> Schedule | None:
    """A schedule read back from the settings; None when it is not one (never trusted blindly)."""
    if not isinstance(value, dict):
        return None
    try:
        start = date.fromisoformat(str(value["start"]))
        end = date.fromisoformat(str(value["end"])) if value.get("end") else None
        count = value.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            return None
        frequency = str(value.get("frequency"))
        source_id = str(value.get("source_id") or "")
        done = value.get("done") or []
        unseen = value.get("unseen") or []
        if not isinstance(done, list) or not isinstance(unseen, list) or not source_id:
            return None
        if problems(frequency, start, end, count):
            return None
        return Schedule(
            source_id,
            frequency,
            start,
            end,
            count,
            tuple(str(d) for d in done),
            tuple(str(u) for u in unseen),
        )
    except (KeyError, ValueError, TypeError):
        return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_periods(schedule: Schedule, today: date) -> list[date]:
    """The periods whose date has come and that were not prepared yet, oldest first (at most
    MAX_CATCH_UP at a time)."""
    step = FREQUENCIES[schedule.frequency]
    done = set(schedule.done)
    found: list[date] = []
    k = 1
    while True:
        if schedule.count is not None and k > schedule.count:
            break
        period = add_months(schedule.start, k * step)
        if period > today or (schedule.end is not None and period > schedule.end):
            break
        if period.isoformat() not in done:
            found.append(period)
            if len(found) >= MAX_CATCH_UP:
                break
        k += 1
    return found


def draft_id(source_id: str, period: date) -> str:
    """The id of the draft for one period: the same on every run and every device (a UUID, version 8,
    from a hash of the source and the period), so a period can never give two drafts."""
    digest = bytearray(
        hashlib.sha256(f"smartdesk-recurring:{source_id}:{period.isoformat()}".encode()).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x80  # version 8 (RFC 9562: custom)
    digest[8] = (digest[8] & 0x3F) | 0x80  # variant 10
    return str(uuid.UUID(bytes=bytes(digest)))
