"""The model of the document lists: the one model the first window needs, kept apart from the editor's
models (``smartdesk.gui.models``) so that start-up imports only this.

Document rows are fetched lazily by page (``canFetchMore``/``fetchMore``) so very long lists scroll
smoothly. The model calls services only and is tested without widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.receivables import days_late, is_open, still_due
from smartdesk.gui import fmt
from smartdesk.gui.models.roles import ID_ROLE, SORT_ROLE, STATUS_ROLE
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr
from smartdesk.services import DocumentQuery, DocumentRow, Page, Workspace

Index = QModelIndex | QPersistentModelIndex


PAGE_SIZE = 200


class DocumentColumns(IntEnum):
    STATUS = 0
    NUMBER = 1
    TITLE = 2
    CLIENT = 3
    ACTIVITY = 4
    ISSUE_DATE = 5
    DUE_DATE = 6
    TOTAL = 7
    # payment status (invoices; hidden in the other lists)
    PAID = 8
    STILL_DUE = 9
    LAST_PAYMENT = 10
    DAYS_LATE = 11


PAYMENT_COLUMNS = (
    DocumentColumns.PAID,
    DocumentColumns.STILL_DUE,
    DocumentColumns.LAST_PAYMENT,
    DocumentColumns.DAYS_LATE,
)
_RIGHT = (DocumentColumns.TOTAL, DocumentColumns.PAID, DocumentColumns.STILL_DUE, DocumentColumns.DAYS_LATE)


@dataclass(frozen=True)
class _Column:
    """A column of the document lists: its title (marked with ``N_``), what the service sorts by, the
    text shown (on a given day: days late count from it) and the value it is ordered by (``SORT_ROLE``:
    the store sorts, this says by what; None: the text shown, ignoring case)."""

    header: str
    sort_key: str
    text: Callable[[DocumentRow, date], str]
    value: Callable[[DocumentRow], Any] | None = None


def _invoices_only(text: Callable[[DocumentRow, date], str]) -> Callable[[DocumentRow, date], str]:
    """A payment column: paid, still due, last payment and days late of an invoice; empty for the other
    kinds."""
    return lambda row, today: text(row, today) if row.kind is DocumentKind.INVOICE else ""


def _amount_or_empty(amount: Decimal, currency: str) -> str:
    return fmt.money(amount, currency) if amount else ""


def _still_due_text(row: DocumentRow, today: date) -> str:
    due = still_due(row.total_incl, row.paid) if is_open(row.kind.value, row.status) else Decimal(0)
    return _amount_or_empty(due, row.currency)


def _days_late_text(row: DocumentRow, today: date) -> str:
    late = days_late(row.due_date, today, row.status)
    return ntr("{n} day", "{n} days", late, n=late) if late else ""


_COLUMNS: dict[DocumentColumns, _Column] = {
    DocumentColumns.STATUS: _Column(
        N_("Status"), "status", lambda row, today: ui.status_text(row.status), lambda row: row.status
    ),
    # the legal number, empty for drafts: they come first
    DocumentColumns.NUMBER: _Column(
        N_("Number"), "number", lambda row, today: row.number or _("Draft"), lambda row: row.number
    ),
    DocumentColumns.TITLE: _Column(N_("Title"), "title", lambda row, today: row.title),
    DocumentColumns.CLIENT: _Column(N_("Client"), "client", lambda row, today: row.client_name),
    DocumentColumns.ACTIVITY: _Column(N_("Activity"), "activity", lambda row, today: row.activity_name),
    DocumentColumns.ISSUE_DATE: _Column(
        N_("Date"),
        "issue_date",
        lambda row, today: fmt.day(row.issue_date),
        lambda row: row.issue_date or date.min,
    ),
    DocumentColumns.DUE_DATE: _Column(
        N_("Due date"),
        "due_date",
        lambda row, today: fmt.day(row.due_date),
        lambda row: row.due_date or date.min,
    ),
    DocumentColumns.TOTAL: _Column(
        N_("Total incl. VAT"),
        "total",
        lambda row, today: fmt.money(row.total_incl, row.currency),
        lambda row: row.total_incl,
    ),
    DocumentColumns.PAID: _Column(
        N_("Paid"),
        "paid",
        _invoices_only(lambda row, today: _amount_or_empty(row.paid, row.currency)),
        lambda row: row.paid,
    ),
    DocumentColumns.STILL_DUE: _Column(
        N_("Still due"),
        "still_due",
        _invoices_only(_still_due_text),
        lambda row: still_due(row.total_incl, row.paid),
    ),
    DocumentColumns.LAST_PAYMENT: _Column(
        N_("Last payment"),
        "last_payment",
        _invoices_only(lambda row, today: fmt.day(row.last_payment)),
        lambda row: row.last_payment or date.min,
    ),
    DocumentColumns.DAYS_LATE: _Column(
        N_("Days late"), "due_date", _invoices_only(_days_late_text), lambda row: row.due_date or date.min
    ),
}


class DocumentTableModel(QAbstractTableModel):
    """The documents of one kind matching a query, a page at a time."""

    Columns = DocumentColumns
    total_changed = Signal(int)

    def __init__(self, ws: Workspace, kind: DocumentKind | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.ws = ws
        self.page_size = page_size
        self._query = DocumentQuery(kind=kind, limit=page_size)
        self._rows: list[DocumentRow] = []
        self._total = 0
        self._loaded = False
        self._generation = 0
        self.today: Callable[[], date] = date.today  # days late are counted from it (tests inject a day)

    # --- query -----------------------------------------------------------------------------------
    @property
    def query(self) -> DocumentQuery:
        return self._query

    @property
    def total(self) -> int:
        self._ensure()
        return self._total

    def set_filters(self, **changes: Any) -> None:
        """Change the text/status/activity/client/period filters and reload the first page."""
        self._query = replace(self._query, offset=0, **changes)
        self.reload()

    def request_filters(
        self, run: Callable[[Callable[[], Any], Callable[[Any], None]], Any], **changes: Any
    ) -> None:
        """Like ``set_filters`` but the query runs through ``run(fn, on_done)`` (a worker pool):
        typing never waits for the database, and an answer to an older query is dropped."""
        self._query = replace(self._query, offset=0, **changes)
        self._generation += 1
        generation = self._generation
        query = replace(self._query, limit=self.page_size)

        def counted(total: int) -> None:
            if generation == self._generation:
                self._total = max(total, len(self._rows))
                self.total_changed.emit(self._total)

        def done(page: Page) -> None:
            if generation != self._generation:
                return
            if len(page.rows) < query.limit:  # the page holds every match: its size is the count
                self._show_page(page)
                return
            # rows first, the count of every match right after (counting a word search is the slow part)
            self.beginResetModel()
            self._rows = list(page.rows)
            self._total = len(self._rows) + 1  # at least one more: lets the view fetch on while counting
            self._loaded = True
            self.endResetModel()
            run(lambda: self.ws.documents.count(query), counted)

        run(lambda: self.ws.documents.list(query, with_total=False), done)

    def reload(self) -> None:
        self._generation += 1
        self._show_page(self.ws.documents.list(replace(self._query, offset=0, limit=self.page_size)))

    def _show_page(self, page: Page) -> None:
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self._loaded = True
        self.endResetModel()
        self.total_changed.emit(self._total)

    def _ensure(self) -> None:
        if not self._loaded:
            self.reload()

    def row_of(self, doc_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == doc_id), -1)

    def row_at(self, row: int) -> DocumentRow:
        return self._rows[row]

    # --- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        self._ensure()
        return len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DocumentColumns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        page = self.ws.documents.list(replace(self._query, offset=len(self._rows), limit=self.page_size))
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        col = DocumentColumns(section)
        if self._query.kind is DocumentKind.EXPENSE_NOTE and col is DocumentColumns.CLIENT:
            return _("Paid to")
        return _(_COLUMNS[col].header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = DocumentColumns(index.column())
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status
        if role == SORT_ROLE:
            value = _COLUMNS[col].value
            return value(row) if value is not None else _COLUMNS[col].text(row, self.today()).casefold()
        if role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[col].text(row, self.today())
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col is DocumentColumns.STATUS:
            return ui.status_text(row.status)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _COLUMNS[DocumentColumns(column)].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort, self._query.descending) and self._loaded:
            return
        self._query = replace(self._query, sort=key, descending=descending)
        if self._loaded:  # otherwise the first rowCount() loads it in this order
            self.reload()
