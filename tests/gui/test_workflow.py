"""A member's session driven through the real widgets, by keyboard and mouse."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from smartdesk.domain.documents import Activity, Address, Client, DocumentKind
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.documents.list_page import DocumentListPage
from smartdesk.services import DocumentQuery
from tests.support.editing import new_in_editor
from tests.support.waits import WAIT_MS

CTRL = Qt.KeyboardModifier.ControlModifier


def type_into_focus(qtbot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, k, modifier)


def write_line(qtbot, editor: DocumentEditor, description: str, quantity: str, price: str) -> None:
    """Enter (new line) · description · Tab · quantity · Tab · (unit) Tab · price · Enter."""
    editor.lines_view.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    type_into_focus(qtbot, description)
    key(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, quantity)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)  # keep the unit
    type_into_focus(qtbot, price)
    key(qtbot, Qt.Key.Key_Return)
    editor.tasks.flush()


def test_quote_by_keyboard_undo_redo_invoice_and_reopen(qtbot, open_ws, make_window):
    ws = open_ws()
    activity = ws.activities.save(Activity(name="Studio Lumière", code="A-1"))
    window = make_window(ws)
    quotes = window.page("quotes")
    assert isinstance(quotes, DocumentListPage)
    assert quotes.stack.currentWidget() is quotes.empty  # the empty state explains what to do
    assert "New quote" in quotes.empty.text()

    qtbot.mouseClick(quotes.new_button, Qt.MouseButton.LeftButton)
    window.tasks.flush()
    editor = window.editor
    assert window.stack.currentWidget() is editor
    assert editor.doc.kind is DocumentKind.QUOTE

    # create the client inline, without leaving the document
    editor.client_edit.setFocus()
    qtbot.keyClicks(editor.client_edit, "Atelier Nova")
    qtbot.keyClick(editor.client_edit, Qt.Key.Key_K, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert editor.new_client_frame.isVisible()
    assert editor.nc_name.text() == "Atelier Nova"
    editor.nc_vat.setFocus()
    qtbot.keyClicks(editor.nc_vat, "BE0999123450")
    assert editor.nc_problem.isVisible() and "check digits" in editor.nc_problem.text()
    editor.nc_vat.clear()
    qtbot.keyClicks(editor.nc_vat, "BE0999123457")
    assert not editor.nc_problem.isVisible()
    qtbot.keyClick(editor.nc_vat, Qt.Key.Key_Return)
    window.tasks.flush()
    assert not editor.new_client_frame.isVisible()
    client = next(c for c in ws.clients.list() if c.name == "Atelier Nova")
    assert editor.doc.client_id == client.id
    assert ws.documents.get(editor.doc.id).client_id == client.id

    editor.activity_combo.setCurrentIndex(editor.activity_combo.findData(activity.id))
    editor.activity_combo.activated.emit(editor.activity_combo.currentIndex())
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, "Spring workshops")

    write_line(qtbot, editor, "Design workshop", "3", "100")
    write_line(qtbot, editor, "Photo shoot", "2", "250")
    write_line(qtbot, editor, "Travel", "2", "40")
    doc = ws.documents.get(editor.doc.id)
    assert [(x.description, x.quantity, x.unit_price) for x in doc.lines] == [
        ("Design workshop", 3, 100),
        ("Photo shoot", 2, 250),
        ("Travel", 2, 40),
    ]
    assert doc.title == "Spring workshops"
    # 880.00 + 21 % VAT = 1,064.80, shown as the member types
    assert "1,064.80" in editor.total_incl_text

    # undo the last two edits (price, then quantity of the last line), redo one (the quantity)
    editor.lines_view.setFocus()
    key(qtbot, Qt.Key.Key_Z, CTRL)
    key(qtbot, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert (editor.doc.lines[2].quantity, editor.doc.lines[2].unit_price) == (1, 0)
    key(qtbot, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    window.tasks.flush()
    stored = ws.documents.get(editor.doc.id).lines[2]
    assert (stored.quantity, stored.unit_price) == (Decimal(2), Decimal(0))
    assert "968.00" in editor.total_incl_text  # 800 + 21 % VAT

    # undo inside a text field undoes the document, typing merges into one step
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, " 2027")
    window.tasks.flush()
    assert ws.documents.get(editor.doc.id).title == "Spring workshops 2027"
    key(qtbot, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert ws.documents.get(editor.doc.id).title == "Spring workshops"
    assert editor.title_edit.text() == "Spring workshops"

    quote_id = editor.doc.id
    editor.act_invoice.trigger()
    window.tasks.flush()
    assert editor.doc.kind is DocumentKind.INVOICE
    invoice_id = editor.doc.id
    assert invoice_id != quote_id
    assert [x.description for x in editor.doc.lines] == ["Design workshop", "Photo shoot", "Travel"]
    assert window.pending_label.text().endswith("not sent yet")

    # close and reopen the app on the same data folder: everything as left
    window.close()
    window.tasks.close()
    ws.close()
    ws2 = open_ws()
    window2 = make_window(ws2)
    assert window2.stack.currentWidget() is window2.editor
    assert window2.editor.doc.id == invoice_id
    assert window2.editor.client_edit.text() == "Atelier Nova"
    assert window2.editor.lines_model.rowCount() == 3
    window2.editor.closed.emit()
    invoices = window2.page("invoices")
    assert window2.stack.currentWidget() is invoices
    assert invoices.model.row_of(invoice_id) == 0
    quote = ws2.documents.get(quote_id)
    assert quote.title == "Spring workshops" and len(quote.lines) == 3


def test_lines_move_delete_and_delete_document_undo(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    editor = new_in_editor(window, DocumentKind.INVOICE)
    for name in ("one", "two", "three"):
        write_line(qtbot, editor, name, "1", "10")
    editor.lines_view.setCurrentIndex(editor.lines_model.index(0, 0))
    editor.lines_view.setFocus()
    key(qtbot, Qt.Key.Key_Down, CTRL)  # move "one" down
    window.tasks.flush()
    assert [x.description for x in ws.documents.get(editor.doc.id).lines] == ["two", "one", "three"]
    key(qtbot, Qt.Key.Key_Delete, CTRL)  # remove "one" (the current line followed it)
    window.tasks.flush()
    assert [x.description for x in ws.documents.get(editor.doc.id).lines] == ["two", "three"]
    key(qtbot, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert [x.description for x in ws.documents.get(editor.doc.id).lines] == ["two", "one", "three"]

    doc_id = editor.doc.id
    editor.act_delete.trigger()
    window.tasks.flush()
    assert window.stack.currentWidget() is window.page("invoices")
    assert ws.documents.count(DocumentQuery(kind=DocumentKind.INVOICE)) == 0
    assert window.page("invoices").stack.currentWidget() is window.page("invoices").empty
    # the offscreen platform drops window activation when the focused editor is hidden: activate again
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window.page("invoices").search, Qt.Key.Key_Z, CTRL)  # Ctrl+Z brings the document back
    window.tasks.flush()
    assert [x.description for x in ws.documents.get(doc_id).lines] == ["two", "one", "three"]
    assert window.page("invoices").model.row_of(doc_id) == 0


def test_problems_shown_next_to_fields_and_submit(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    editor = new_in_editor(window, DocumentKind.QUOTE)
    write_line(qtbot, editor, "Concert", "1", "500")
    # a wrong VAT rate for Belgium is refused by the choices; a negative price is reported in place
    index = editor.lines_model.index(0, 3)
    editor.lines_model.setData(index, "-5")
    window.tasks.flush()
    assert editor.line_problems.isVisible()
    assert "cannot be negative" in editor.line_problems.text()
    assert "negative" in (editor.lines_model.data(index, Qt.ItemDataRole.ToolTipRole) or "")
    choices = editor._vat_choices(0)
    assert [label for _k, label in choices][:4] == ["21 %", "12 %", "6 %", "0 %"]
    key(qtbot, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert not editor.line_problems.isVisible()
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    window.tasks.flush()
    assert editor.banner.isVisible() and "Almost there" in editor.banner.text()
    assert editor.problem_labels["client_id"].isVisible()
    assert editor.problem_labels["activity_id"].isVisible()
    assert ws.documents.get(editor.doc.id).status == "draft"


def test_expense_note_receipt_and_keyboard(qtbot, open_ws, make_window, tmp_path):
    from PIL import Image, ImageDraw

    receipt = tmp_path / "ticket.png"
    image = Image.new("RGB", (600, 900), "white")
    draw = ImageDraw.Draw(image)
    for y in range(60, 840, 40):
        draw.rectangle((60, y, 540, y + 12), fill="black")
    image.save(receipt)
    ws = open_ws()
    window = make_window(ws)
    editor = new_in_editor(window, DocumentKind.EXPENSE_NOTE)
    assert editor.lines_view.model() is editor.expense_model
    assert editor.receipt_button.isVisible() and not editor.snippet_button.isVisible()
    editor.add_receipt([str(receipt)])
    window.tasks.flush()
    # (failed once in a CI run under heavy load with no line at all: the banner says what the member saw)
    assert len(editor.doc.expense_lines) == 1 and len(editor.doc.expense_lines[0].receipts) == 1, (
        editor.banner.text(),
        editor.saved_label.text(),
    )
    assert editor.expense_model.index(0, 7).data() == "1"
    # type the supplier and the amount by keyboard
    editor.lines_view.setCurrentIndex(editor.expense_model.index(0, 1))
    editor.lines_view.setFocus()
    key(qtbot, Qt.Key.Key_F2)
    type_into_focus(qtbot, "SNCB")
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    type_into_focus(qtbot, "24,20")
    key(qtbot, Qt.Key.Key_Return)
    window.tasks.flush()
    stored = ws.documents.get(editor.doc.id).expense_lines[0]
    assert (stored.supplier, stored.amount_incl) == ("SNCB", Decimal("24.20"))
    assert "24.20" in editor.total_incl_text
    # a wrong date is refused in plain words, nothing is lost
    editor.expense_model.setData(editor.expense_model.index(0, 0), "31/02/2026")
    assert "is not a date" in editor.banner.text()
    assert ws.documents.get(editor.doc.id).expense_lines[0].supplier == "SNCB"


def test_duplicate_then_ctrl_z_takes_the_copy_back(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    editor = new_in_editor(window, DocumentKind.QUOTE)
    write_line(qtbot, editor, "Original work", "2", "100")
    window.tasks.flush()
    original = editor.doc.id
    editor.act_duplicate.trigger()
    window.tasks.flush()
    copy_id = editor.doc.id
    assert copy_id != original and [x.description for x in editor.doc.lines] == ["Original work"]
    assert ws.documents.count(DocumentQuery(kind=DocumentKind.QUOTE)) == 2
    editor.lines_view.setFocus()
    key(qtbot, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert ws.documents.count(DocumentQuery(kind=DocumentKind.QUOTE)) == 1
    assert editor.doc.id == original and window.stack.currentWidget() is editor
    assert [x.description for x in ws.documents.get(original).lines] == ["Original work"]


def test_client_edit_typed_just_before_closing_is_saved(qtbot, open_ws, make_window):
    ws = open_ws()
    client = ws.clients.save(
        Client(name="Studio Noord", address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"))
    )
    window = make_window(ws)
    window.show_page("clients")
    page = window.page("clients")
    page.show_client(ws.clients.get(client.id))
    page.email.setFocus()
    qtbot.keyClicks(page.email, "studio@example.org")  # then the window closes within the pause
    window.close()
    assert ws.clients.get(client.id).email == "studio@example.org"
