"""A small box of the document editor: how the cooperative delivered this validated invoice or credit
note (over Peppol, by e-mail), or why it could not (refused by the client's access point, bounced by
its mail server...). Self-contained: it gets a loader (``document id -> Delivery | None``, e.g.
``ws.deliveries.latest``) and, optionally, the task manager to read off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.gui import fmt
from smartdesk.gui.documents.loaded_box import LoadedBox
from smartdesk.i18n.ui import _, tr
from smartdesk.services.deliveries import Delivery


def _day(at: str) -> str:
    try:
        return fmt.day(datetime.fromisoformat(at).date())
    except ValueError:
        return ""


def delivery_text(d: Delivery) -> str:
    """One sentence for the member, in the interface language (the reason stays the server's words)."""
    day = _day(d.at)
    if d.status == "delivered" and d.channel == "peppol":
        return tr(
            "Sent by the cooperative over Peppol to {recipient} on {day}.", recipient=d.recipient, day=day
        )
    if d.status == "delivered":
        return tr(
            "Sent by the cooperative by e-mail to {recipient} on {day}.", recipient=d.recipient, day=day
        )
    if d.status == "queued":
        return _("The cooperative is sending it to the client.")
    if d.status == "rejected":
        return tr(
            "The client's Peppol access point refused it ({reason}). Your advisor is looking into it.",
            reason=d.reason,
        )
    if d.status == "bounced":
        return tr(
            "The client's mail server refused it ({reason}). Check the client's e-mail address; "
            "your advisor is looking into it.",
            reason=d.reason,
        )
    if d.status == "failed":
        return tr(
            "The cooperative could not send it ({reason}). Your advisor is looking into it.", reason=d.reason
        )
    if d.status == "manual":
        return _(
            "The client has no e-mail address and is not on Peppol: the cooperative sends it another way."
        )
    return _("The cooperative is handling the delivery.")


class DeliveryBox(LoadedBox):
    def __init__(
        self, load: Callable[[str], Delivery | None], tasks: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("delivery_box", _("Delivery to the client"), tasks, parent)
        self.load = load
        self.text = QLabel()
        self.text.setObjectName("delivery_text")
        self.text.setWordWrap(True)
        self.column.addWidget(self.text)
        self.einvoice = QLabel()
        self.einvoice.setObjectName("delivery_einvoice")
        self.column.addWidget(self.einvoice)
        self.hide()

    def show_for(self, doc: Document) -> None:
        """Show the delivery of a validated invoice or credit note; hide the box for anything else."""
        if doc.kind not in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE) or not doc.number:
            self.show_nothing()
            return
        doc_id = doc.id

        def show(value: object) -> None:
            if isinstance(value, Delivery):
                self.show_delivery(value)
            else:
                self.hide()

        self.load_for(doc_id, lambda: self.load(doc_id), show)

    def show_delivery(self, d: Delivery) -> None:
        self.text.setText(delivery_text(d))
        syntax = {"ubl": "Peppol BIS 3.0 (UBL)", "cii": "Factur-X (CII)"}.get(d.einvoice_syntax, "")
        self.einvoice.setText(
            tr("E-invoice checked and archived by the cooperative: {syntax}.", syntax=syntax)
            if syntax
            else ""
        )
        self.einvoice.setVisible(bool(syntax))
        self.show()
