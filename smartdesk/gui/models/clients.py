"""The table model of the clients page."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from smartdesk.gui import fmt
from smartdesk.gui.models.base import _ListModel
from smartdesk.i18n.ui import N_
from smartdesk.services import ClientRow, Workspace

# --- clients and activities ---------------------------------------------------------------------------


class ClientColumns(IntEnum):
    NAME = 0
    COUNTRY = 1
    VAT_NUMBER = 2
    EMAIL = 3
    DOCUMENTS = 4
    OPEN_AMOUNT = 5


_CLIENT_HEADERS = (
    N_("Name"),
    N_("Country"),
    N_("VAT number"),
    N_("Email"),
    N_("Documents"),
    N_("Still to be paid"),
)


class ClientTableModel(_ListModel):
    Columns = ClientColumns
    headers = _CLIENT_HEADERS

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.text = ""

    def reload(self, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.beginResetModel()
        self._rows = list(self.ws.clients.list(self.text))
        self.endResetModel()

    def _text(self, row: ClientRow, column: int) -> str:
        col = ClientColumns(column)
        if col is ClientColumns.NAME:
            return row.name
        if col is ClientColumns.COUNTRY:
            return row.country
        if col is ClientColumns.VAT_NUMBER:
            return row.vat_number
        if col is ClientColumns.EMAIL:
            return row.email
        if col is ClientColumns.DOCUMENTS:
            return str(row.document_count)
        return fmt.money(row.open_amount)

    def _sort_key(self, row: ClientRow, column: int) -> Any:
        if column == ClientColumns.OPEN_AMOUNT:
            return row.open_amount
        if column == ClientColumns.DOCUMENTS:
            return row.document_count
        return self._text(row, column).casefold()

    def _is_number(self, column: int) -> bool:
        return column in (ClientColumns.DOCUMENTS, ClientColumns.OPEN_AMOUNT)
