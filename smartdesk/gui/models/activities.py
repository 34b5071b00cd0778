"""The table model of the activities page."""

from __future__ import annotations

from enum import IntEnum

from smartdesk.gui.models.base import _ListModel, count_column, money_column, text_column
from smartdesk.i18n.ui import N_


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
    columns = (  # in the order of ActivityColumns
        text_column(N_("Activity"), "name"),
        text_column(N_("Code"), "code"),
        text_column(N_("Country"), "entity"),
        count_column(N_("Documents"), "document_count"),
        money_column(N_("Quoted"), "quotes_total"),
        money_column(N_("Invoiced"), "invoiced_total"),
        money_column(N_("Paid"), "paid_total"),
        money_column(N_("Expenses"), "expenses_total"),
    )

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list(self.ws.activities.list())
        self.endResetModel()
