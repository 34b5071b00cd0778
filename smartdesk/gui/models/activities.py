"""The table model of the activities page."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any

from smartdesk.gui import fmt
from smartdesk.gui.models.base import _ListModel
from smartdesk.i18n.ui import N_
from smartdesk.services import ActivitySummary, Workspace


class ActivityColumns(IntEnum):
    NAME = 0
    CODE = 1
    ENTITY = 2
    DOCUMENTS = 3
    QUOTES = 4
    INVOICED = 5
    PAID = 6
    EXPENSES = 7


class ActivityTableModel(_ListModel):
    Columns = ActivityColumns
    headers = (
        N_("Activity"),
        N_("Code"),
        N_("Country"),
        N_("Documents"),
        N_("Quoted"),
        N_("Invoiced"),
        N_("Paid"),
        N_("Expenses"),
    )

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list(self.ws.activities.list())
        self.endResetModel()

    def _amount(self, row: ActivitySummary, column: int) -> Decimal:
        return {
            ActivityColumns.QUOTES: row.quotes_total,
            ActivityColumns.INVOICED: row.invoiced_total,
            ActivityColumns.PAID: row.paid_total,
            ActivityColumns.EXPENSES: row.expenses_total,
        }[ActivityColumns(column)]

    def _text(self, row: ActivitySummary, column: int) -> str:
        col = ActivityColumns(column)
        if col is ActivityColumns.NAME:
            return row.name
        if col is ActivityColumns.CODE:
            return row.code
        if col is ActivityColumns.ENTITY:
            return row.entity
        if col is ActivityColumns.DOCUMENTS:
            return str(row.document_count)
        return fmt.money(self._amount(row, column))

    def _sort_key(self, row: ActivitySummary, column: int) -> Any:
        if column >= ActivityColumns.QUOTES:
            return self._amount(row, column)
        if column == ActivityColumns.DOCUMENTS:
            return row.document_count
        return self._text(row, column).casefold()

    def _is_number(self, column: int) -> bool:
        return column >= ActivityColumns.DOCUMENTS
