"""The delivery box of the document editor, on a real data folder filled the way a sync fills it
(``sync.local.apply_upsert`` of the server's document and delivery records), and in the editor itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.gui.documents.delivery_box import DeliveryBox
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n import ui
from smartdesk.services import Workspace
from tests.support.pulled import pulled_invoice_to

AT = "2026-11-05T10:00:00.000+00:00"


def _pulled(ws: Workspace, delivery: dict[str, Any] | None, status: str = "awaiting_payment") -> Document:
    doc_id = uuid7()
    rid = f"{doc_id}:d1"
    deliveries = (
        [] if delivery is None else [("delivery", rid, {"id": rid, "document_id": doc_id, **delivery}, 2)]
    )
    return pulled_invoice_to(ws, "Théâtre de la Balsamine ASBL", id=doc_id, status=status, records=deliveries)


def _peppol(status: str, recipient: str, **more: Any) -> dict[str, Any]:
    """The server's record of a delivery over Peppol, on 5 November 2026 at 10:00 UTC."""
    return {"status": status, "channel": "peppol", "recipient": recipient, "at": AT, **more}


def test_a_peppol_delivery_shows_where_and_when_with_the_einvoice(
    qtbot, open_ws: Callable[[], Workspace]
) -> None:  # noqa: ANN001
    ws = open_ws()
    einvoice = {"syntax": "ubl", "sha256": "0" * 64}
    doc = _pulled(ws, _peppol("delivered", "0208:0417497106", reason="", attempts=1, einvoice=einvoice))
    tasks = TaskManager()
    box = DeliveryBox(ws.deliveries.latest, tasks)
    qtbot.addWidget(box)
    box.show_for(doc)
    qtbot.waitUntil(box.isVisible)
    assert box.text.text() == "Sent by the cooperative over Peppol to 0208:0417497106 on 05/11/2026."
    assert box.einvoice.text() == "E-invoice checked and archived by the cooperative: Peppol BIS 3.0 (UBL)."
    tasks.close()


def test_a_rejection_says_why_in_french_and_a_draft_hides_the_box(
    qtbot, open_ws: Callable[[], Workspace]
) -> None:  # noqa: ANN001
    ws = open_ws()
    refusal = "The receiver does not accept Peppol BIS 3.0 invoices."
    doc = _pulled(ws, _peppol("rejected", "0208:0203201340", reason=refusal), status="validated")
    ui.set_language("fr")
    box = DeliveryBox(ws.deliveries.latest)
    qtbot.addWidget(box)
    box.show_for(doc)
    assert not box.isHidden()
    assert box.text.text() == (
        "Le point d'accès Peppol du client l'a refusé (The receiver does not accept Peppol BIS 3.0 "
        "invoices.). Votre conseiller s'en occupe."
    )
    assert box.einvoice.isHidden()  # no e-invoice recorded for this one
    delivery = ws.deliveries.latest(doc.id)
    assert delivery is not None and delivery.needs_attention
    box.show_for(Document(id=uuid7(), kind=DocumentKind.INVOICE, status="draft"))
    assert box.isHidden()


def test_nothing_is_shown_before_the_cooperative_queues_a_delivery_and_nonsense_is_ignored(
    qtbot,
    open_ws: Callable[[], Workspace],  # noqa: ANN001
) -> None:
    ws = open_ws()
    doc = _pulled(ws, None)
    box = DeliveryBox(ws.deliveries.latest)
    qtbot.addWidget(box)
    box.show_for(doc)
    assert box.isHidden()
    # a newer server's status this app does not know is shown in general words, never as raw data
    other = _pulled(ws, {"status": "teleported", "channel": "pigeon", "recipient": 3, "at": "x"})
    box.show_for(other)
    assert not box.isHidden() and box.text.text() == "The cooperative is handling the delivery."
