"""Values read from a dropped receipt photo, suggested in its expense line (pytest-qt, real widgets).

A real receipt image drawn by ``tests/support/receipt_samples.py`` is read by the real OCR engine
(Tesseract, as the app ships it) on the task pool; the tests wait for the reading, never for a time.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.models.expenses import ExpenseColumns
from smartdesk.gui.models.roles import SUGGESTED_ROLE
from smartdesk.gui.receipts.suggestions import ReceiptSuggestions
from smartdesk.i18n import ui
from smartdesk.receipts.reading import get_engine
from tests.gui.test_receipts_gui import below_rows, drop  # what the window system does for a drop
from tests.support.receipt_samples import receipt_image
from tests.support.screens import optional_screenshot_folder, save_shot
from tests.support.waits import WAIT_MS

CTRL = Qt.KeyboardModifier.ControlModifier
SEED = 2  # a Belgian-style receipt at one rate (21 %), plain look: TOTAL ENERGIES, 12/07/2026, 113.07

needs_engine = pytest.mark.skipif(
    shutil.which("tesseract") is None or get_engine() is None,
    reason="the OCR engine (Debian: tesseract-ocr, scripts/_setup.sh) is not installed",
)


@pytest.fixture
def editor_window(open_ws, make_window):
    ws = open_ws()
    window = make_window(ws, 1280, 800)
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    return ws, window, window.editor


def _drop(editor: DocumentEditor, path: Path, pos: QPoint | None = None) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert drop(editor, mime, pos or below_rows(editor))


def _receipt_file(tmp_path: Path, seed: int = SEED) -> tuple[Path, object]:
    data, truth = receipt_image(seed, plain=True)
    path = tmp_path / f"ticket-{seed}.jpg"
    path.write_bytes(data)
    return path, truth


def _suggestions(editor: DocumentEditor) -> ReceiptSuggestions:
    return editor.receipts.suggestions


def _cell(editor: DocumentEditor, row: int, column: ExpenseColumns, role: int) -> object:
    return editor.expense_model.index(row, column).data(role)


def _wait_read(qtbot, editor: DocumentEditor, action) -> None:  # noqa: ANN001
    with qtbot.waitSignal(_suggestions(editor).read_done, timeout=WAIT_MS * 3):
        action()


@needs_engine
def test_dropped_photo_is_suggested_enter_confirms_ctrl_z_takes_back(qtbot, editor_window, tmp_path):
    ws, window, editor = editor_window
    path, truth = _receipt_file(tmp_path)

    _wait_read(qtbot, editor, lambda: _drop(editor, path))
    qtbot.waitUntil(lambda: bool(_suggestions(editor).shown(editor.doc.expense_lines[0].id)), timeout=WAIT_MS)
    line = editor.doc.expense_lines[0]
    assert line.receipts  # the photo is attached
    assert line.date == truth.date
    assert line.supplier == truth.supplier
    assert line.amount_incl == truth.total
    assert line.vat_rate == Decimal("21")
    window.tasks.flush()
    assert ws.documents.get(editor.doc.id).expense_lines[0].amount_incl == truth.total  # saved at once

    # the suggested style: italics, a tint, a tooltip that says so, and a sentence under the table
    for column in (
        ExpenseColumns.DATE,
        ExpenseColumns.SUPPLIER,
        ExpenseColumns.AMOUNT,
        ExpenseColumns.VAT_RATE,
    ):
        assert _cell(editor, 0, column, Qt.ItemDataRole.FontRole).italic(), column
        assert _cell(editor, 0, column, Qt.ItemDataRole.BackgroundRole) is not None, column
        assert "Suggested from the receipt" in _cell(editor, 0, column, Qt.ItemDataRole.ToolTipRole), column
        assert _cell(editor, 0, column, SUGGESTED_ROLE) is not None
    assert _cell(editor, 0, ExpenseColumns.DESCRIPTION, Qt.ItemDataRole.FontRole) is None
    status = _suggestions(editor).status
    qtbot.waitUntil(status.isVisible, timeout=WAIT_MS)
    assert "suggested from the receipt" in status.text() and "Enter" in status.text()

    # Enter on the line confirms: the values stay, the style goes, no new expense is added
    editor.lines_view.setFocus()
    editor.lines_view.setCurrentIndex(editor.expense_model.index(0, ExpenseColumns.DESCRIPTION))
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_Return)
    assert len(editor.doc.expense_lines) == 1
    assert not _suggestions(editor).shown(line.id)
    assert _cell(editor, 0, ExpenseColumns.AMOUNT, Qt.ItemDataRole.FontRole) is None
    assert editor.doc.expense_lines[0].amount_incl == truth.total
    assert not status.isVisible()

    # Ctrl+Z takes the values read back (the receipt stays: that was another step)
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_Z, CTRL)
    back = editor.doc.expense_lines[0]
    assert back.receipts == line.receipts
    assert back.supplier == "" and back.amount_incl == Decimal("0")
    window.tasks.flush()
    assert ws.documents.get(editor.doc.id).expense_lines[0].supplier == ""
    # and Enter, with nothing suggested any more, adds an expense as before
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editor.doc.expense_lines) == 2, timeout=WAIT_MS)


@needs_engine
def test_ctrl_z_before_confirming_and_typing_over_a_suggestion(qtbot, editor_window, tmp_path):
    _ws, _window, editor = editor_window
    path, truth = _receipt_file(tmp_path)
    _wait_read(qtbot, editor, lambda: _drop(editor, path))
    line_id = editor.doc.expense_lines[0].id
    assert _suggestions(editor).shown(line_id)

    # typing over one suggested value: it is the member's now, shown plainly; the others stay suggested
    assert editor.expense_model.setData(editor.expense_model.index(0, ExpenseColumns.SUPPLIER), "Total Wavre")
    assert editor.doc.expense_lines[0].supplier == "Total Wavre"
    assert _cell(editor, 0, ExpenseColumns.SUPPLIER, Qt.ItemDataRole.FontRole) is None
    assert _cell(editor, 0, ExpenseColumns.AMOUNT, Qt.ItemDataRole.FontRole).italic()

    editor.undo_stack.undo()  # the typing
    assert _cell(editor, 0, ExpenseColumns.SUPPLIER, Qt.ItemDataRole.FontRole).italic()  # suggested again
    editor.lines_view.setFocus()
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_Z, CTRL)  # the fill
    assert editor.doc.expense_lines[0].amount_incl == Decimal("0")
    assert not _suggestions(editor).shown(line_id)
    editor.undo_stack.redo()  # and back: suggested again, not confirmed
    assert editor.doc.expense_lines[0].amount_incl == truth.total
    assert _suggestions(editor).shown(line_id)


@needs_engine
def test_values_the_member_typed_are_never_replaced(qtbot, editor_window, tmp_path):
    _ws, _window, editor = editor_window
    path, truth = _receipt_file(tmp_path)

    # typed before the receipt: an expense with its amount and rate already typed
    editor.add_line(
        -1, editor.ws.documents.new_expense_line(editor.doc)
    )  # as Enter does, without a cell editor
    editor.expense_model.setData(editor.expense_model.index(0, ExpenseColumns.AMOUNT), "99,00")
    editor.expense_model.setData(editor.expense_model.index(0, ExpenseColumns.VAT_RATE), "6")
    assert editor.doc.expense_lines[0].amount_incl == Decimal("99.00")

    # typed while the receipt is being read: the supplier, right after the receipt was attached
    def type_supplier(line_id: str) -> None:
        assert line_id == editor.doc.expense_lines[0].id
        editor.expense_model.setData(editor.expense_model.index(0, ExpenseColumns.SUPPLIER), "Mon garage")

    editor.receipts.attached.connect(type_supplier)
    rect = editor.lines_view.visualRect(editor.expense_model.index(0, ExpenseColumns.DESCRIPTION))
    _wait_read(qtbot, editor, lambda: _drop(editor, path, rect.center()))
    editor.receipts.attached.disconnect(type_supplier)

    line = editor.doc.expense_lines[0]
    assert len(editor.doc.expense_lines) == 1 and line.receipts
    assert line.amount_incl == Decimal("99.00")  # typed first: kept
    assert line.vat_rate == Decimal("6")
    assert line.supplier == "Mon garage"  # typed during the reading: kept
    assert line.date == truth.date  # not typed: suggested
    shown = _suggestions(editor).shown(line.id)
    assert set(shown) == {"date"}, shown
    assert _cell(editor, 0, ExpenseColumns.AMOUNT, Qt.ItemDataRole.FontRole) is None
    assert _cell(editor, 0, ExpenseColumns.SUPPLIER, Qt.ItemDataRole.FontRole) is None


def _blank_photo(path: Path) -> Path:
    image = Image.new("RGB", (1200, 900), (128, 120, 110))
    draw = ImageDraw.Draw(image)
    for n in range(0, 1200, 40):
        draw.line((n, 0, 1200 - n, 900), fill=(90 + n % 60, 80, 70), width=9)
    image.save(path, "JPEG", quality=80)
    return path


@needs_engine
def test_unreadable_photo_says_so_in_plain_words(qtbot, editor_window, tmp_path):
    _ws, window, editor = editor_window
    path = _blank_photo(tmp_path / "floue.jpg")
    _wait_read(qtbot, editor, lambda: _drop(editor, path))
    status = _suggestions(editor).status
    qtbot.waitUntil(status.isVisible, timeout=WAIT_MS)
    assert "could be read on this receipt" in status.text()
    assert QApplication.activeModalWidget() is None  # no dialog
    line = editor.doc.expense_lines[0]
    assert line.receipts and line.supplier == "" and line.amount_incl == Decimal("0")
    assert not _suggestions(editor).shown(line.id)
    assert not editor.banner.isVisible() or "could be read" not in editor.banner.text()


def test_without_the_engine_it_says_so_once_and_suggests_nothing(qtbot, editor_window, tmp_path, monkeypatch):
    _ws, _window, editor = editor_window
    monkeypatch.setattr(ReceiptSuggestions, "_said_not_installed", False)
    suggestions = _suggestions(editor)
    suggestions.engine = None  # what the app has when neither Tesseract nor RapidOCR is installed
    path, _truth = _receipt_file(tmp_path)
    _wait_read(qtbot, editor, lambda: _drop(editor, path))
    qtbot.waitUntil(suggestions.status.isVisible, timeout=WAIT_MS)
    assert "not installed" in suggestions.status.text()
    assert editor.doc.expense_lines[0].amount_incl == Decimal("0")

    second, _t = _receipt_file(tmp_path, seed=3)
    _wait_read(qtbot, editor, lambda: _drop(editor, second))
    assert len(editor.doc.expense_lines) == 2
    assert not suggestions.status.isVisible()  # said once per app run, not at every receipt
    assert all(ln.amount_incl == Decimal("0") for ln in editor.doc.expense_lines)


@needs_engine
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "proposées d'après le justificatif"),
        ("nl", "voorgesteld vanuit het bewijsstuk"),
        ("en", "suggested"),
    ],
)
def test_suggestions_speak_the_interface_language(qtbot, open_ws, make_window, tmp_path, lang, words):
    """What the member sees at 1280 x 800, in each interface language (screenshots when
    $SMARTDESK_SCREENSHOT_DIR is set: receipts/suggestions-<lang>.png)."""
    ui.set_language(lang)
    ws = open_ws()
    window = make_window(ws, 1280, 800)
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    editor = window.editor
    editor.title_edit.setText("Tournée de juillet")
    editor.title_edit.textEdited.emit("Tournée de juillet")
    path, truth = _receipt_file(tmp_path)
    _wait_read(qtbot, editor, lambda: _drop(editor, path))
    status = _suggestions(editor).status
    qtbot.waitUntil(status.isVisible, timeout=WAIT_MS)
    assert words in status.text()
    assert editor.doc.expense_lines[0].amount_incl == truth.total
    tip = _cell(editor, 0, ExpenseColumns.AMOUNT, Qt.ItemDataRole.ToolTipRole)
    assert tip and "Ctrl+Z" in tip and (lang == "en" or "Suggested" not in tip)
    window.tasks.flush()
    folder = optional_screenshot_folder("receipts")
    if folder is not None:
        save_shot(window, folder / f"suggestions-{lang}.png", 20_000)
