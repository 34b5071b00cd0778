"""The table model of the clients page."""

from __future__ import annotations

from enum import IntEnum

from smartdesk.gui.models.base import _ListModel, count_column, money_column, text_column
from smartdesk.i18n.ui import N_
from smartdesk.services import Workspace

# --- clients and activities ---------------------------------------------------------------------------


class ClientColumns(IntEnum):
    NAME = 0
    COUNTRY = 1
    VAT_NUMBER = 2
    EMAIL = 3
    DOCUMENTS = 4
    OPEN_AMOUNT = 5


class ClientTableModel(_ListModel):
    Columns = ClientColumns
    columns = (  # in the order of ClientColumns
        text_column(N_("Name"), "name"),
        text_column(N_("Country"), "country"),
        text_column(N_("VAT number"), "vat_number"),
        text_column(N_("Email"), "email"),
        count_column(N_("Documents"), "document_count"),
        money_column(N_("Still to be paid"), "open_amount"),
    )

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws)
        self.text = ""  # the search the list shows

    def reload(self, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.beginResetModel()
        self._rows = list(self.ws.clients.list(self.text))
        self.endResetModel()
