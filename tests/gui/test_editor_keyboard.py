"""Editor defects of issue 16: a draft opened after a locked document is editable; the keyboard goes
from the title to the third line without traps (one Tab stop per date, Tab leaves the texts)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from smartdesk.domain.documents import Document, DocumentKind, Line
from smartdesk.services import Workspace
from tests.support.editing import open_in_editor
from tests.support.pulled import pulled_document
from tests.support.waits import WAIT_MS


def _validated_invoice(ws: Workspace) -> Document:
    """An invoice as a sync brings it back once the cooperative validated it."""
    return pulled_document(ws, title="Validated work")


def _draft_with_three_lines(ws: Workspace) -> Document:
    doc = ws.documents.new(DocumentKind.INVOICE)
    doc.title = "Draft"
    doc.lines = [
        Line(description=f"Line {i}", quantity=Decimal(1), unit_price=Decimal(10)) for i in (1, 2, 3)
    ]
    return ws.documents.save(doc)


def _focus() -> object:
    return QApplication.focusWidget()


def _type_in_cell(qtbot, editor, row: int, text: str) -> None:
    view = editor.lines_view
    view.setFocus()
    view.setCurrentIndex(editor.lines_model.index(row, 0))
    qtbot.keyClicks(view, text[0])  # a key press starts editing (AnyKeyPressed) with that letter
    cell = _focus()
    assert cell is not view, "typing in a draft's line must open the cell's editor"
    qtbot.keyClicks(cell, text[1:])
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    editor.tasks.flush()


def test_a_draft_opened_after_a_validated_invoice_is_editable(qtbot, open_ws, make_window):
    ws = open_ws()
    locked = _validated_invoice(ws)
    draft = _draft_with_three_lines(ws)
    window = make_window(ws)
    editor = open_in_editor(qtbot, window, locked.id)
    assert open_in_editor(qtbot, window, draft.id) is editor
    _type_in_cell(qtbot, editor, 0, "Typed after a locked one")
    qtbot.waitUntil(
        lambda: ws.documents.get(draft.id).lines[0].description == "Typed after a locked one", timeout=WAIT_MS
    )
    assert not editor.intro_edit.isReadOnly()


def test_keyboard_only_from_the_title_to_the_third_line(qtbot, open_ws, make_window):
    ws = open_ws()
    draft = _draft_with_three_lines(ws)
    editor = open_in_editor(qtbot, make_window(ws), draft.id)
    editor.title_edit.setFocus()
    qtbot.waitUntil(lambda: _focus() is editor.title_edit, timeout=WAIT_MS)
    visited: list[object] = []
    for _step in range(25):
        widget = _focus()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        now = _focus()
        # a date's inner line edit reports the date field itself as focus owner
        visited.append(now)
        if now is editor.lines_view:
            break
    assert editor.lines_view in visited, f"Tab never reached the lines: {[type(w).__name__ for w in visited]}"
    # one stop per date field, the texts crossed (and nothing typed into them)
    assert visited.count(editor.issue_edit) == 1
    assert visited.count(editor.due_edit) == 1
    assert visited.count(editor.intro_edit) <= 1
    assert "\t" not in editor.intro_edit.toPlainText()
    assert "\t" not in ws.documents.get(draft.id).intro_text
    # down to the third line and type there
    view = editor.lines_view
    view.setCurrentIndex(editor.lines_model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 2 and _focus() is view
    qtbot.keyClick(view, Qt.Key.Key_F2)
    cell = _focus()
    assert cell is not view
    cell.selectAll()
    qtbot.keyClicks(cell, "Third by keyboard")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    editor.tasks.flush()
    qtbot.waitUntil(
        lambda: ws.documents.get(draft.id).lines[2].description == "Third by keyboard", timeout=WAIT_MS
    )


def test_enter_on_an_unknown_client_offers_to_create_it_with_its_address(qtbot, open_ws, make_window):
    ws = open_ws()
    draft = _draft_with_three_lines(ws)
    window = make_window(ws)
    editor = open_in_editor(qtbot, window, draft.id)
    editor.client_edit.setFocus()
    qtbot.keyClicks(editor.client_edit, "Studio Zuid")
    qtbot.keyClick(editor.client_edit, Qt.Key.Key_Return)
    assert editor.new_client_frame.isVisible()
    assert "create “Studio Zuid”?" in editor.nc_title.text()
    assert editor.nc_name.text() == "Studio Zuid" and _focus() is editor.nc_name
    for edit, value in (
        (editor.nc_street, "Rue Haute 1"),
        (editor.nc_postcode, "1000"),
        (editor.nc_city, "Bruxelles"),
        (editor.nc_vat, "BE0999123457"),
    ):
        edit.setFocus()
        qtbot.keyClicks(edit, value)
    qtbot.keyClick(editor.nc_vat, Qt.Key.Key_Return)
    window.tasks.flush()
    qtbot.waitUntil(lambda: not editor.new_client_frame.isVisible(), timeout=WAIT_MS)
    client = next(c for c in ws.clients.list() if c.name == "Studio Zuid")
    full = ws.clients.get(client.id)
    assert (full.address.street, full.address.postcode, full.address.city) == (
        "Rue Haute 1",
        "1000",
        "Bruxelles",
    )
    qtbot.waitUntil(lambda: ws.documents.get(draft.id).client_id == client.id, timeout=WAIT_MS)


def test_help_menu_opens_the_user_guide(qtbot, open_ws, make_window):
    window = make_window(open_ws())
    window.act_user_guide.trigger()
    qtbot.waitUntil(lambda: window.user_guide.isVisible(), timeout=WAIT_MS)
    text = window.user_guide.browser.toPlainText()
    assert "Keyboard shortcuts" in text and "Make a backup" in text
    window.user_guide.close()
