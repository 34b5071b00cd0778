"""The editor's legal fields (issue 13), driven as a member would: the credit note's invoice picker lists
the member's validated invoices and fills number and date; goods / services and a delivery address are
saved at once and undone with Ctrl+Z."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.tasks import TaskManager
from smartdesk.services import Workspace
from tests.support.pulled import pulled_document


def _validated_invoice(
    ws: Workspace, client: Client, activity: Activity, number: str, status: str
) -> Document:
    """An invoice of 1 October 2026 for two shooting days, as a sync brings it back from the cooperative."""
    return pulled_document(ws, status=status, number=number, activity_id=activity.id, client_id=client.id)


def test_credit_note_picker_supply_and_delivery(qtbot, open_ws: Callable[[], Workspace]) -> None:  # noqa: ANN001
    ws = open_ws()
    activity = ws.activities.save(Activity(id=uuid7(), name="Photography", code="A-1", entity="BE"))
    client = ws.clients.save(Client(id=uuid7(), name="Studio Noord"))
    invoice = _validated_invoice(ws, client, activity, "BE-INV-2026-000042", "awaiting_payment")
    _validated_invoice(ws, client, activity, "BE-INV-2026-000041", "cancelled")  # closed: not offered
    note = ws.documents.new(DocumentKind.CREDIT_NOTE, client_id=client.id, activity_id=activity.id)
    tasks = TaskManager()
    editor = DocumentEditor(ws, tasks)
    qtbot.addWidget(editor)
    editor.load(note.id)
    editor.show()
    box = editor.legal_box
    combo = box.invoice_combo
    qtbot.waitUntil(lambda: combo.count() == 2)  # "choose..." and the one open invoice
    assert "BE-INV-2026-000042" in combo.itemText(1) and "Studio Noord" in combo.itemText(1)

    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: ws.documents.get(note.id).corrects_id == invoice.id)
    saved = ws.documents.get(note.id)
    assert (saved.corrects_number, saved.corrects_date) == ("BE-INV-2026-000042", date(2026, 10, 1))

    supply = box.supply_combo
    supply.setCurrentIndex(supply.findData("both"))
    supply.activated.emit(supply.currentIndex())
    qtbot.waitUntil(lambda: ws.documents.get(note.id).supply_type == "both")

    qtbot.mouseClick(box.delivery_check, Qt.MouseButton.LeftButton)
    assert box.delivery_frame.isVisible()
    box.delivery_street.setFocus()
    qtbot.keyClicks(box.delivery_street, "Quai 4")
    qtbot.waitUntil(lambda: getattr(ws.documents.get(note.id).delivery_address, "street", "") == "Quai 4")

    editor.undo_stack.undo()  # the last typed text goes away, nothing else
    qtbot.waitUntil(lambda: getattr(ws.documents.get(note.id).delivery_address, "street", "") != "Quai 4")
    assert ws.documents.get(note.id).supply_type == "both"
    tasks.close()
