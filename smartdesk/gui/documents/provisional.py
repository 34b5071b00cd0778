"""The editor's notice that a draft prints the app's built-in (provisional) cooperative details: shown
until the cooperative's identity reached the app at a sync (docs/sync.md, ``entities``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from smartdesk.domain.documents import Document
from smartdesk.i18n.ui import _
from smartdesk.services import Workspace


class ProvisionalNotice(QLabel):
    """A line above the editor; hidden for documents whose issuer is confirmed (published or stamped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provisional_notice")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#provisional_notice { background: rgba(190,30,30,0.10); border: 1px solid #be1e1e;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.hide()

    def show_for(self, ws: Workspace, doc: Document) -> None:
        provisional = not doc.number and ws.pdf.provisional(doc)
        if provisional:
            self.setText(
                _(
                    "The cooperative's details on this draft (name, VAT number, bank account) are "
                    "provisional: SmartDesk confirms them at its first sync with the cooperative."
                )
            )
        self.setVisible(provisional)
