"""The model of the document lists: the one model the first window needs, kept apart from the editor's
models (``smartdesk.gui.models``) so that start-up imports only this.

Document rows are fetched lazily by page (``canFetchMore``/``fetchMore``) so very long lists scroll
smoothly. The model calls services only and is tested without widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
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


# column -> (header, service sort key)
_DOC_HEADERS: dict[DocumentColumns, tuple[str, str]] = {
    DocumentColumns.STATUS: (N_("Status"), "status"),
    DocumentColumns.NUMBER: (N_("Number"), "number"),
    DocumentColumns.TITLE: (N_("Title"), "title"),
    DocumentColumns.CLIENT: (N_("Client"), "client"),
    DocumentColumns.ACTIVITY: (N_("Activity"), "activity"),
    DocumentColumns.ISSUE_DATE: (N_("Date"), "issue_date"),
    DocumentColumns.DUE_DATE: (N_("Due date"), "due_date"),
    DocumentColumns.TOTAL: (N_("Total incl. VAT"), "total"),
    DocumentColumns.PAID: (N_("Paid"), "paid"),
    DocumentColumns.STILL_DUE: (N_("Still due"), "still_due"),
    DocumentColumns.LAST_PAYMENT: (N_("Last payment"), "last_payment"),
    DocumentColumns.DAYS_LATE: (N_("Days late"), "due_date"),
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
        return _(_DOC_HEADERS[col][0])

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
            return _sort_value(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if col in PAYMENT_COLUMNS:
                return _payment_display(row, col, self.today())
            return _display(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col is DocumentColumns.STATUS:
            return ui.status_text(row.status)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _DOC_HEADERS[DocumentColumns(column)][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._query.sort, self._query.descending) and self._loaded:
            return
        self._query = replace(self._query, sort=key, descending=descending)
        if self._loaded:  # otherwise the first rowCount() loads it in this order
            self.reload()


def _display(row: DocumentRow, col: DocumentColumns) -> str:
    if col is DocumentColumns.STATUS:
        return ui.status_text(row.status)
    if col is DocumentColumns.NUMBER:
        return row.number or _("Draft")
    if col is DocumentColumns.TITLE:
        return row.title
    if col is DocumentColumns.CLIENT:
        return row.client_name
    if col is DocumentColumns.ACTIVITY:
        return row.activity_name
    if col is DocumentColumns.ISSUE_DATE:
        return fmt.day(row.issue_date)
    if col is DocumentColumns.DUE_DATE:
        return fmt.day(row.due_date)
    return fmt.money(row.total_incl, row.currency)


def _payment_display(row: DocumentRow, col: DocumentColumns, today: date) -> str:
    """Paid, still due, last payment and days late of an invoice (empty for the other kinds)."""
    if row.kind is not DocumentKind.INVOICE:
        return ""
    if col is DocumentColumns.PAID:
        return fmt.money(row.paid, row.currency) if row.paid else ""
    if col is DocumentColumns.STILL_DUE:
        due = still_due(row.total_incl, row.paid) if is_open(row.kind.value, row.status) else Decimal(0)
        return fmt.money(due, row.currency) if due else ""
    if col is DocumentColumns.LAST_PAYMENT:
        return fmt.day(row.last_payment)
    late = days_late(row.due_date, today, row.status)
    return ntr("{n} day", "{n} days", late, n=late) if late else ""


def _sort_value(row: DocumentRow, col: DocumentColumns) -> Any:
    """The value the list is ordered by (the store sorts; this says by what): the status code, the legal
    number (empty for drafts: first), the amount, the dates, else the text shown, ignoring case."""
    if col is DocumentColumns.STATUS:
        return row.status
    if col is DocumentColumns.NUMBER:
        return row.number
    if col is DocumentColumns.TOTAL:
        return row.total_incl
    if col is DocumentColumns.PAID:
        return row.paid
    if col is DocumentColumns.STILL_DUE:
        return still_due(row.total_incl, row.paid)
    if col in (DocumentColumns.LAST_PAYMENT, DocumentColumns.DAYS_LATE):
        return (row.last_payment if col is DocumentColumns.LAST_PAYMENT else row.due_date) or date.min
    if col in (DocumentColumns.ISSUE_DATE, DocumentColumns.DUE_DATE):
        value = row.issue_date if col is DocumentColumns.ISSUE_DATE else row.due_date
        return value or date.min
    return _display(row, col).casefold()
