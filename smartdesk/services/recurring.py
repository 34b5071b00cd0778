"""``ws.recurring``: recurring invoices. A schedule on an invoice prepares a draft for each period on
time, offline too; the drafts are ordinary drafts (the member checks and submits them, the advisor
validates them like any other).

Schedules are the member's own planning, kept on this computer in the setting ``recurring`` (not in
the invoice, which the cooperative locks once validated; not sent to the server:
docs/decisions/0024-business-view.md). A period is prepared once: it is recorded in the schedule right
after its draft is written, and the draft's id comes from the source and the period
(``domain.recurrence.draft_id``), so a crash between the two, a restart, or a second computer with the
same schedule once the draft was pulled, finds the draft already there and never makes a second one.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.recurrence import (
    MAX_COUNT,
    Schedule,
    draft_id,
    due_periods,
    problems,
    schedule_from_dict,
)
from smartdesk.errors import Message, NotFoundError, SmartDeskError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

Clock = Callable[[], date]
SETTING = "recurring"
PROBLEMS = {
    "frequency": Message("Choose monthly, quarterly or yearly."),
    "no_date": Message("Give the invoice a date first: its schedule starts from it."),
    "end_before_start": Message("The end date must come after the invoice's date."),
    "count": Message("The number of invoices must be between 1 and {n}.", n=MAX_COUNT),
}


class RecurringService:
    def __init__(self, ws: Workspace, clock: Clock | None = None) -> None:
        self._ws = ws
        self.clock: Clock = clock or date.today

    # --- schedules ----------------------------------------------------------------------------
    def _load(self) -> dict[str, Schedule]:
        raw = self._ws.store.get_setting(SETTING)
        found: dict[str, Schedule] = {}
        if isinstance(raw, dict):
            for key, value in raw.items():
                schedule = schedule_from_dict(value)
                if schedule is not None and schedule.source_id == key:
                    found[key] = schedule
        return found

    def _save(self, schedules: dict[str, Schedule]) -> None:
        self._ws.settings.set(SETTING, {k: s.to_dict() for k, s in schedules.items()})

    def all(self) -> builtins.list[Schedule]:
        return sorted(self._load().values(), key=lambda s: (s.start, s.source_id))

    def get(self, source_id: str) -> Schedule | None:
        return self._load().get(source_id)

    def set(
        self, source_id: str, frequency: str, end: date | None = None, count: int | None = None
    ) -> Schedule:
        """Make an invoice recur (or change how); ValidationError in plain words for a bad schedule."""
        doc = self._ws.store.get_document(source_id)
        if doc.kind is not DocumentKind.INVOICE:
            raise SmartDeskError(Message("Only an invoice can recur."))
        found = problems(frequency, doc.issue_date, end, count)
        if found:
            message: Message = PROBLEMS[found[0]]
            raise SmartDeskError(message)
        assert doc.issue_date is not None
        schedules = self._load()
        old = schedules.get(source_id)
        schedules[source_id] = Schedule(
            source_id,
            frequency,
            doc.issue_date,
            end,
            count,
            old.done if old else (),
            old.unseen if old else (),
        )
        self._save(schedules)
        return schedules[source_id]

    def remove(self, source_id: str) -> None:
        """Stop an invoice recurring (the drafts already prepared stay)."""
        schedules = self._load()
        if schedules.pop(source_id, None) is not None:
            self._save(schedules)

    # --- preparing the drafts -------------------------------------------------------------------
    def run(self, today: date | None = None) -> builtins.list[Document]:
        """Prepare every draft whose period has come; returns the new drafts (none: nothing was due)."""
        today = today or self.clock()
        schedules = self._load()
        made: list[Document] = []
        for key, schedule in list(schedules.items()):
            periods = due_periods(schedule, today)
            if not periods:
                continue
            try:
                source = self._ws.store.get_document(schedule.source_id)
            except NotFoundError:
                continue  # the invoice is gone (deleted draft): its schedule waits, harmless
            for period in periods:
                doc_id = draft_id(schedule.source_id, period)
                if not self._ws.store.ids_present("documents", {doc_id}):
                    made.append(self._ws.store.put_document(self._draft(source, doc_id, period)))
                schedule = schedule.with_done(period, doc_id)
                schedules[key] = schedule
                self._save(schedules)  # after each draft: a crash prepares the next one again, not this one
        return made

    def _draft(self, source: Document, doc_id: str, period: date) -> Document:
        doc = self._ws.documents.draft_copy(source)
        doc.id = doc_id
        doc.issue_date = period
        doc.due_date = doc.compute_due_date()
        doc.source_id = source.id
        return doc

    # --- telling the member ----------------------------------------------------------------------
    def unseen(self) -> builtins.list[str]:
        """Drafts prepared and not opened yet (still drafts, still there), oldest first."""
        ids = [i for s in self.all() for i in s.unseen]
        if not ids:
            return []
        statuses = self._ws.store.document_statuses(ids)
        return [i for i in ids if statuses.get(i) == "draft"]

    def seen(self, doc_id: str) -> None:
        """The member opened this draft: it is no longer announced."""
        schedules = self._load()
        changed = False
        for key, s in schedules.items():
            if doc_id in s.unseen:
                schedules[key] = Schedule(
                    s.source_id,
                    s.frequency,
                    s.start,
                    s.end,
                    s.count,
                    s.done,
                    tuple(u for u in s.unseen if u != doc_id),
                )
                changed = True
        if changed:
            self._save(schedules)

    def describe(self, source_id: str) -> dict[str, Any] | None:
        s = self.get(source_id)
        return None if s is None else s.to_dict()
