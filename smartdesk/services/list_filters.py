"""What a document list shows (``ListFilter``), as the home page asks for it and as the member saves it.

A filter is kept in the member's words, not as a query: "last 30 days" stays relative and "overdue
31-60 days" moves with the calendar. ``query_changes`` turns it into the fields of a
``DocumentQuery`` for a given day. Saved filters are named, per kind of document, in the settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from smartdesk.domain.receivables import AGE_BANDS, OPEN_INVOICE_STATUSES, band_range
from smartdesk.errors import Message, SmartDeskError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

UNPAID = "unpaid"  # the "all unpaid" choice: every open invoice status
MAX_SAVED = 50
MAX_NAME = 60


@dataclass(frozen=True)
class ListFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()  # several at once; UNPAID = every open invoice status
    activity_id: str | None = None
    client_id: str | None = None
    period_days: int | None = None  # issued in the last N days
    overdue_band: str | None = None  # "0-30", "31-60", "61-90", "90+" (domain.receivables.AGE_BANDS)

    def query_changes(self, today: date) -> dict[str, Any]:
        """The DocumentQuery fields this filter sets (every filter field, so it replaces the old one)."""
        statuses: list[str] = []
        for s in self.statuses:
            statuses.extend(OPEN_INVOICE_STATUSES if s == UNPAID else (s,))
        due_from = due_to = None
        if self.overdue_band:
            first, last = band_range(self.overdue_band)
            statuses = statuses or list(OPEN_INVOICE_STATUSES)
            due_to = today - timedelta(days=first)
            due_from = today - timedelta(days=last) if last is not None else None
        return dict(
            text=self.text,
            status=None,
            statuses=tuple(dict.fromkeys(statuses)),
            activity_id=self.activity_id,
            client_id=self.client_id,
            date_from=today - timedelta(days=self.period_days) if self.period_days else None,
            due_from=due_from,
            due_to=due_to,
        )

    def to_dict(self) -> dict[str, Any]:
        value = asdict(self)
        value["statuses"] = list(self.statuses)
        return value

    @classmethod
    def from_dict(cls, value: object) -> ListFilter | None:
        """A filter read back from the settings; None when it is not one (a hand-edited file)."""
        if not isinstance(value, dict):
            return None
        statuses = value.get("statuses") or []
        period = value.get("period_days")
        band = value.get("overdue_band")
        if not isinstance(statuses, list) or not all(isinstance(s, str) for s in statuses):
            return None
        if period is not None and (not isinstance(period, int) or isinstance(period, bool) or period < 0):
            return None
        if band is not None and band not in {key for key, _f, _l in AGE_BANDS}:
            return None

        def opt(key: str) -> str | None:
            v = value.get(key)
            return v if isinstance(v, str) and v else None

        text = value.get("text")
        return cls(
            text=text if isinstance(text, str) else "",
            statuses=tuple(statuses[:20]),
            activity_id=opt("activity_id"),
            client_id=opt("client_id"),
            period_days=period,
            overdue_band=band,
        )


class SavedFilterService:
    """``ws.saved_filters``: named filters of each list, in the settings (setting ``saved_filters``)."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def _all(self) -> dict[str, dict[str, Any]]:
        value = self._ws.store.get_setting("saved_filters")
        return value if isinstance(value, dict) else {}

    def names(self, kind: str) -> list[str]:
        saved = self._all().get(kind)
        return sorted(saved, key=str.casefold) if isinstance(saved, dict) else []

    def get(self, kind: str, name: str) -> ListFilter | None:
        saved = self._all().get(kind)
        return ListFilter.from_dict(saved.get(name)) if isinstance(saved, dict) else None

    def save(self, kind: str, name: str, filt: ListFilter) -> str:
        """Save (or replace) a named filter; returns the name as kept."""
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            raise SmartDeskError(Message("Give the filter a name."))
        everything = self._all()
        saved = dict(everything.get(kind) or {})
        if name not in saved and len(saved) >= MAX_SAVED:
            raise SmartDeskError(Message("You have many saved filters already: delete one first."))
        saved[name] = filt.to_dict()
        everything[kind] = saved
        self._ws.settings.set("saved_filters", everything)
        return name

    def delete(self, kind: str, name: str) -> None:
        everything = self._all()
        saved = dict(everything.get(kind) or {})
        saved.pop(name, None)
        everything[kind] = saved
        self._ws.settings.set("saved_filters", everything)
