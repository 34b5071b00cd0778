"""The editor's discounts and charges on the whole document: added, typed and given a VAT as a member
would, saved at once, shown in the totals as the PDF prints them; bad input is refused in words and kept."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt

from smartdesk.domain.documents import DocumentKind, Line
from smartdesk.domain.vat import VatCategory
from tests.support.waits import WAIT_MS

D = Decimal


def _invoice(ws):  # noqa: ANN001, ANN202 - a Workspace; a saved invoice with a 21 % and a 6 % line
    doc = ws.documents.new(DocumentKind.INVOICE)
    lines = [
        Line(description="Concert", quantity=D(1), unit_price=D(1000), vat_rate=D(21)),
        Line(description="Programmes", quantity=D(10), unit_price=D(20), vat_rate=D(6)),
    ]
    return ws.documents.save(replace(doc, lines=lines))


def _type(qtbot, widget, text: str) -> None:  # noqa: ANN001
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_discount_and_charge_typed_in_the_editor_are_saved_and_totalled(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = _invoice(ws)
    window = make_window(ws)
    window.open_document(doc.id)
    editor = window.editor
    box = editor.allowances_box
    assert box.isVisible() and box.rows == []

    qtbot.mouseClick(box.add_discount, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(box.rows) == 1, timeout=WAIT_MS)
    row = box.rows[0]
    row.mode.setCurrentIndex(row.mode.findData("percent"))
    row.mode.activated.emit(row.mode.currentIndex())
    _type(qtbot, row.value, "10")
    _type(qtbot, row.reason, "Loyalty")
    # 10 % of the lines at 21 % (1 000,00), the first line's VAT
    qtbot.waitUntil(lambda: box.rows[0].result.text() == "= -€100.00 (10 % of €1,000.00)", timeout=WAIT_MS)

    qtbot.mouseClick(box.add_charge, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(box.rows) == 2, timeout=WAIT_MS)
    charge = box.rows[1]
    _type(qtbot, charge.value, "30")
    charge.vat.setCurrentIndex(charge.vat.findData("S:6"))
    charge.vat.activated.emit(charge.vat.currentIndex())
    editor.tasks.flush()

    saved = ws.documents.get(doc.id)
    assert [(a.is_charge, a.percent, a.amount, a.vat_rate, a.reason) for a in saved.allowances] == [
        (False, D(10), D(0), D(21), "Loyalty"),
        (True, None, D(30), D(6), ""),
    ]
    # 21 %: 900,00 -> 189,00; 6 %: 230,00 -> 13,80; total 1 332,80
    assert editor.total_incl_text == "€1,332.80"
    labels = [editor.totals_layout.itemAt(i).widget().text() for i in range(editor.totals_layout.count())]
    assert "Discount – Loyalty" in labels and "Charge" in labels

    # undo removes the charge's VAT change, then the charge's amount...
    editor.undo_stack.undo()
    editor.tasks.flush()
    assert ws.documents.get(doc.id).allowances[1].vat_rate == D(21)

    # a word where a number goes: refused in plain words, the text kept, nothing saved
    _type(qtbot, charge.value, "trente")
    assert "not a number" in charge.result.text()
    assert charge.value.text() == "trente"
    editor.tasks.flush()
    assert ws.documents.get(doc.id).allowances[1].amount == D(30)

    qtbot.mouseClick(box.rows[1].remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(box.rows) == 1, timeout=WAIT_MS)
    editor.tasks.flush()
    assert len(ws.documents.get(doc.id).allowances) == 1


def test_a_discount_without_lines_at_its_vat_is_explained(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = _invoice(ws)
    doc.allowances = []
    window = make_window(ws)
    window.open_document(doc.id)
    editor = window.editor
    box = editor.allowances_box
    qtbot.mouseClick(box.add_discount, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(box.rows) == 1, timeout=WAIT_MS)
    row = box.rows[0]
    row.vat.setCurrentIndex(row.vat.findData("S:12"))  # no line at 12 %
    row.vat.activated.emit(row.vat.currentIndex())
    _type(qtbot, row.value, "50")
    qtbot.waitUntil(lambda: "VAT 12 %" in editor.other_problems.text(), timeout=WAIT_MS)
    assert "would be -50.00" in editor.other_problems.text()
    editor.tasks.flush()
    saved = ws.documents.get(doc.id).allowances
    assert [(a.vat_category, a.vat_rate, a.amount) for a in saved] == [(VatCategory.STANDARD, D(12), D(50))]
