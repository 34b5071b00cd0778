"""Expense lines in the editor, driven by keyboard through the real widgets (pytest-qt): category picked
from the list (the code is stored, the label shown), how it was paid, the activity per expense, the VAT
typed from the receipt; every change undoable and saved in the real SQLite store.

Screenshots go to $SMARTDESK_SCREENSHOT_DIR/expense_lines when it is set.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from smartdesk.domain.documents import Activity, DocumentKind, ExpenseLine
from smartdesk.domain.expenses import STATE_KEY
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.models.expenses import VAT_TYPED_COLOUR, ExpenseColumns
from smartdesk.i18n import ui
from tests.support.screens import optional_screenshot_folder

CTRL = Qt.KeyboardModifier.ControlModifier


def set_note_activity(editor: DocumentEditor, activity_id: str) -> None:
    editor.activity_combo.setCurrentIndex(editor.activity_combo.findData(activity_id))
    editor.activity_combo.activated.emit(editor.activity_combo.currentIndex())


@pytest.fixture
def note(open_ws, make_window):
    ws = open_ws()
    tour = ws.activities.save(Activity(name="Tournée Lumière", code="A-7"))
    workshops = ws.activities.save(Activity(name="Ateliers photo", code="B-2"))
    window = make_window(ws)
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    editor: DocumentEditor = window.editor
    set_note_activity(editor, tour.id)
    window.tasks.flush()
    line = ws.documents.new_expense_line(editor.doc)
    line.supplier, line.amount_incl = "Brasserie du Parc", Decimal("48.00")
    editor.add_line(-1, line)
    window.tasks.flush()
    return ws, window, editor, tour, workshops


def open_cell(qtbot, editor: DocumentEditor, column: ExpenseColumns, typed: str = "") -> QComboBox:
    """Go to a cell and start editing it from the keyboard (typing, else F2); the list must open."""
    view = editor.lines_view
    view.setFocus()
    view.setCurrentIndex(editor.expense_model.index(0, column))
    if typed:
        type_in_cell(qtbot, view, typed)
    else:
        qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.focusWidget()
    assert isinstance(combo, QComboBox) and combo.isVisible()
    return combo


def type_in_cell(qtbot, view, text: str) -> None:
    """The first key opens the cell's editor, which then has the focus for the next ones."""
    qtbot.keyClicks(view, text[0])
    if text[1:]:
        qtbot.keyClicks(view.focusWidget(), text[1:])


def stored_line(ws, editor: DocumentEditor) -> ExpenseLine:
    editor.tasks.flush()
    return ws.documents.get(editor.doc.id).expense_lines[0]


def test_category_paid_with_activity_by_keyboard_then_undo(qtbot, note):
    ws, window, editor, tour, workshops = note
    model = editor.expense_model
    assert stored_line(ws, editor).activity_id == tour.id  # an expense starts on the note's activity
    assert stored_line(ws, editor).vat_rate == Decimal("21")

    # category: typing in the cell opens the list and jumps to the matching label; Enter keeps it
    combo = open_cell(qtbot, editor, ExpenseColumns.CATEGORY, "Mea")
    assert combo.currentText() == "Meals and restaurants"
    assert combo.itemText(0) == "— none —" and combo.count() > 15
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].category == "meals")
    assert model.index(0, ExpenseColumns.CATEGORY).data() == "Meals and restaurants"
    assert model.index(0, ExpenseColumns.CATEGORY).data(Qt.ItemDataRole.EditRole) == "meals"
    saved = stored_line(ws, editor)
    assert saved.category == "meals"
    assert saved.vat_rate == Decimal("12")  # the usual rate of restaurants in Belgium came with it

    # paid with: F2 opens the list, Down picks the cooperative's card
    combo = open_cell(qtbot, editor, ExpenseColumns.PAID_WITH)
    assert [combo.itemText(i) for i in range(combo.count())] == ["My money", "Coop card"]
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].paid_with == "coop")
    assert model.index(0, ExpenseColumns.PAID_WITH).data() == "Coop card"
    assert "nothing to pay back" in model.index(0, ExpenseColumns.PAID_WITH).data(Qt.ItemDataRole.ToolTipRole)
    assert stored_line(ws, editor).paid_with == "coop"

    # activity: hidden while every expense is on the note's activity; the member asks for the column
    view = editor.lines_view
    assert view.isColumnHidden(ExpenseColumns.ACTIVITY)
    button = editor.activity_column_button
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not view.isColumnHidden(ExpenseColumns.ACTIVITY)
    assert model.index(0, ExpenseColumns.ACTIVITY).data() == "A-7"
    combo = open_cell(qtbot, editor, ExpenseColumns.ACTIVITY)
    assert combo.currentData() == tour.id
    combo.setCurrentIndex(combo.findData(workshops.id))
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].activity_id == workshops.id)
    assert model.index(0, ExpenseColumns.ACTIVITY).data() == "B-2"
    assert model.index(0, ExpenseColumns.ACTIVITY).data(Qt.ItemDataRole.ToolTipRole) == "Ateliers photo (B-2)"
    assert stored_line(ws, editor).activity_id == workshops.id
    assert not button.isEnabled()  # the column stays while an expense is on another activity
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not view.isColumnHidden(ExpenseColumns.ACTIVITY)

    # undo, step by step, with the keyboard
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].activity_id == tour.id)
    assert stored_line(ws, editor).activity_id == tour.id
    assert view.isColumnHidden(ExpenseColumns.ACTIVITY) is False  # the member asked for it: still there
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].paid_with == "own")
    assert stored_line(ws, editor).paid_with == "own"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].category == "")
    saved = stored_line(ws, editor)
    assert saved.category == "" and saved.vat_rate == Decimal("21")  # the rate went back with it
    assert model.index(0, ExpenseColumns.CATEGORY).data() == ""

    # and redo brings the category and its rate back
    editor.undo_stack.redo()
    saved = stored_line(ws, editor)
    assert (saved.category, saved.vat_rate) == ("meals", Decimal("12"))


def test_note_activity_change_moves_the_expenses_that_followed_it(qtbot, note):
    ws, window, editor, tour, workshops = note
    editor.add_line(0, ExpenseLine(supplier="SNCB", amount_incl=Decimal("12"), activity_id=workshops.id))
    window.tasks.flush()
    assert not editor.lines_view.isColumnHidden(ExpenseColumns.ACTIVITY)  # a line differs: column shown
    set_note_activity(editor, workshops.id)
    window.tasks.flush()
    lines = ws.documents.get(editor.doc.id).expense_lines
    assert [ln.activity_id for ln in lines] == [workshops.id, workshops.id]
    assert editor.lines_view.isColumnHidden(ExpenseColumns.ACTIVITY) is False  # still asked for by the button
    editor.undo_stack.undo()
    window.tasks.flush()
    lines = ws.documents.get(editor.doc.id).expense_lines
    assert [ln.activity_id for ln in lines] == [tour.id, workshops.id]


def test_vat_typed_from_the_receipt_is_marked_and_can_be_cleared(qtbot, note):
    ws, window, editor, _tour, _workshops = note
    model = editor.expense_model
    view = editor.lines_view
    vat = model.index(0, ExpenseColumns.VAT)
    assert vat.data() == "€8.33"  # 48 incl. 21 % VAT, computed
    assert vat.data(Qt.ItemDataRole.FontRole) is None
    steps = editor.undo_stack.count()
    assert not model.setData(vat, "8.33")  # the computed amount typed again is not an override
    assert editor.undo_stack.count() == steps
    view.setFocus()
    view.setCurrentIndex(vat)
    type_in_cell(qtbot, view, "7.90")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].vat_amount_override == Decimal("7.90"))
    vat = model.index(0, ExpenseColumns.VAT)
    assert vat.data() == "€7.90"
    assert vat.data(Qt.ItemDataRole.FontRole).italic()
    assert vat.data(Qt.ItemDataRole.ForegroundRole) == VAT_TYPED_COLOUR
    assert "typed from the receipt" in vat.data(Qt.ItemDataRole.ToolTipRole)
    assert stored_line(ws, editor).vat_amount_override == Decimal("7.90")

    # emptying the cell computes it again
    assert model.setData(model.index(0, ExpenseColumns.VAT), "")
    window.tasks.flush()
    assert stored_line(ws, editor).vat_amount_override is None
    assert model.index(0, ExpenseColumns.VAT).data() == "€8.33"
    editor.undo_stack.undo()
    window.tasks.flush()
    assert stored_line(ws, editor).vat_amount_override == Decimal("7.90")

    # the rate is typed too; with the VAT typed from the receipt, the amount stays the typed one
    view.setCurrentIndex(model.index(0, ExpenseColumns.VAT_RATE))
    type_in_cell(qtbot, view, "6")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.doc.expense_lines[0].vat_rate == Decimal("6"))
    saved = stored_line(ws, editor)
    assert (saved.vat_rate, saved.vat_amount_override) == (Decimal("6"), Decimal("7.90"))
    assert model.index(0, ExpenseColumns.VAT_RATE).data() == "6 %"


def test_synced_categories_and_unknown_code_in_the_editor(qtbot, open_ws, make_window):
    ws = open_ws()
    with ws.store.write() as conn:
        ws.store.set_state(
            conn,
            STATE_KEY,
            [
                {"code": "TRV", "labels": {"fr": "Déplacements", "nl": "Verplaatsingen", "en": "Travel"}},
                {"code": "EQP", "labels": {"fr": "Matériel", "nl": "Materiaal", "en": "Equipment"}},
            ],
        )
    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE)
    doc.expense_lines = [ExpenseLine(supplier="Old", category="removed_code", amount_incl=Decimal("5"))]
    ws.documents.save(doc)
    window = make_window(ws)
    window.open_document(doc.id)
    window.tasks.flush()
    editor: DocumentEditor = window.editor
    model = editor.expense_model
    assert model.index(0, ExpenseColumns.CATEGORY).data() == "removed_code"
    assert editor.activity_column_button.isHidden()  # no activity to choose from
    combo = open_cell(qtbot, editor, ExpenseColumns.CATEGORY)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == ["— none —", "Travel", "Equipment", "removed_code"]
    assert combo.currentText() == "removed_code"
    qtbot.keyClick(combo, Qt.Key.Key_Escape)  # nothing chosen: nothing changes
    window.tasks.flush()
    assert ws.documents.get(doc.id).expense_lines[0].category == "removed_code"
    combo = open_cell(qtbot, editor, ExpenseColumns.CATEGORY, "Eq")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    window.tasks.flush()
    assert ws.documents.get(doc.id).expense_lines[0].category == "EQP"


def screenshot_dir() -> Path | None:
    return optional_screenshot_folder("expense_lines")


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_expense_table_readable_at_1280(qtbot, open_ws, make_window, lang):
    ws = open_ws()
    tour = ws.activities.save(Activity(name="Tournée Lumière", code="A-7"))
    ws.activities.save(Activity(name="Ateliers photo", code="B-2"))
    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=tour.id)
    doc.title = "Tournée de mars"

    def spent(
        day: int, supplier: str, description: str, category: str, amount: str, vat_rate: str = "21", **more
    ):
        """An expense of the tour on ``day`` March 2026 (``amount`` incl. VAT)."""
        return ExpenseLine(
            date=date(2026, 3, day),
            supplier=supplier,
            description=description,
            category=category,
            amount_incl=Decimal(amount),
            vat_rate=Decimal(vat_rate),
            activity_id=tour.id,
            **more,
        )

    doc.expense_lines = [
        spent(2, "SNCB", "Bruxelles – Liège aller-retour", "travel_public", "32.40", "6"),
        spent(3, "Brasserie du Parc", "Repas avec l'organisateur", "meals", "48.00", "12", paid_with="coop"),
        spent(
            4, "Fnac", "Carte mémoire 128 Go", "small_equipment", "29.99", vat_amount_override=Decimal("5.10")
        ),
    ]
    ws.documents.save(doc)
    ui.set_language(lang)
    window = make_window(ws, 1280, 800)
    window.open_document(doc.id)
    window.tasks.flush()
    editor: DocumentEditor = window.editor
    view = editor.lines_view
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    model = editor.expense_model
    expected = {"en": "Meals and restaurants", "fr": "Repas et restaurant", "nl": "Maaltijden en restaurant"}
    assert model.index(1, ExpenseColumns.CATEGORY).data() == expected[lang]
    assert view.isColumnHidden(ExpenseColumns.ACTIVITY)
    header = view.horizontalHeader()
    for column in ExpenseColumns:  # every title fits its column
        if not view.isColumnHidden(column) and column is not ExpenseColumns.DESCRIPTION:
            assert header.sectionSize(column) + 2 >= header.sectionSizeHint(column), column
    if lang == "en":
        assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling beside the preview
        assert header.sectionSize(ExpenseColumns.DESCRIPTION) >= 90
    folder = screenshot_dir()
    if folder is not None:
        assert window.grab().save(str(folder / f"expense_editor_{lang}.png"))
        editor.activity_column_button.click()
        assert window.grab().save(str(folder / f"expense_editor_{lang}_activity.png"))
