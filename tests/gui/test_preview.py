"""The live PDF preview beside the editor, and export / print / open in a viewer, through the real widgets.

Real data folder, real renderer, real pypdfium2 rasterisation; the PDFs are read back with pdfplumber/pypdf.
Screenshots go to $SMARTDESK_SCREENSHOT_DIR/preview/ when it is set.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QImage, QPageSize, QWheelEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog

from smartdesk.domain.documents import Activity, Address, Brand, Client, Document, DocumentKind, Line
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.documents.preview import Zoom
from smartdesk.gui.documents.raster import PIXEL_BUDGET, rasterise
from smartdesk.i18n import ui
from smartdesk.i18n.documents import text as doc_text
from smartdesk.services import Workspace
from tests.support.screens import clipped, wait_for_preview

CTRL = Qt.KeyboardModifier.ControlModifier


def make_invoice(
    ws: Workspace, lines: int = 5, language: str = "fr", title: str = "Spring workshops"
) -> Document:
    activity = ws.activities.save(Activity(name="Studio Lumière", code="A-1"))
    brussels = Address(street="Rue Haute 12", postcode="1000", city="Bruxelles", country="BE")
    client = ws.clients.save(
        Client(name="Atelier Nova", address=brussels, vat_number="BE0999123457", language=language)
    )
    doc = ws.documents.new(DocumentKind.INVOICE, client.id, activity.id)
    doc.title = title
    doc.language = language
    doc.lines = [
        Line(description=f"Design workshop {i + 1}", quantity=Decimal(3), unit_price=Decimal(100) + i)
        for i in range(lines)
    ]
    return ws.documents.save(doc)


def open_editor(qtbot, make_window, ws: Workspace, doc: Document) -> DocumentEditor:
    window = make_window(ws, 1400, 860)
    window.open_document(doc.id)
    editor = window.editor
    settle(qtbot, editor.preview)
    return editor


settle = wait_for_preview


def pdf_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_typing_in_the_editor_updates_the_preview(qtbot, open_ws, make_window):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws))
    pane = editor.preview
    assert len(pane.pages) == 1 and not pane.error
    assert pane.page_label.text() == "Page 1 / 1"
    before = QImage(pane.pages[0])
    assert "Spring workshops" in pdf_text(pane.pdf)[0]
    assert "Nocturne" not in pdf_text(pane.pdf)[0]

    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " Nocturne")
    assert pane.is_settled() is False  # typing never waits for the render: it is queued
    settle(qtbot, pane)
    text = pdf_text(pane.pdf)[0]
    assert "Spring workshops Nocturne" in text
    assert pane.pages[0] != before  # the picture on screen changed...
    assert pane.pages[0] == rasterise(pane.pdf, pane.shown_scale)[0]  # ...and it is this very PDF
    assert pane.page_labels[0].contentsRect().size() == pane.pages[0].size()  # pixel for pixel: never blurred

    # a new line typed in the table: its amount reaches the page (fr_BE formatting)
    editor.lines_view.setFocus()
    editor.lines_view.setCurrentIndex(editor.lines_model.index(len(editor.doc.lines) - 1, 0))
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "Lighting rig")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "1234.5")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle(qtbot, pane)
    text = pdf_text(pane.pdf)[0]
    assert "Lighting rig" in text
    assert "2 469,00" in text  # 2 × 1 234,50

    # undo brings the preview back too
    renders = pane.renders_started
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    settle(qtbot, pane)
    assert pane.renders_started > renders
    assert "2 469,00" not in pdf_text(pane.pdf)[0]


def test_bursts_of_keystrokes_are_coalesced_and_stale_results_dropped(qtbot, open_ws, make_window):
    ws = open_ws()
    first = make_invoice(ws, title="First document")
    editor = open_editor(qtbot, make_window, ws, first)
    pane = editor.preview
    renders = pane.renders_started
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, " with a much longer title")  # 25 edits, no event loop in between
    settle(qtbot, pane)
    assert pane.renders_started - renders <= 2
    assert "First document with a much longer title" in pdf_text(pane.pdf)[0]

    # a render of the first document still running when the member opens another one: never shown
    other = make_invoice(ws, title="Second document")
    pane.schedule()
    pane._timer.stop()
    pane._start()  # running now; its result cannot arrive before the event loop runs
    editor.load(other.id)
    settle(qtbot, pane)
    assert pane.dropped >= 1
    assert "Second document" in pdf_text(pane.pdf)[0]
    assert "First document" not in pdf_text(pane.pdf)[0]


@pytest.mark.parametrize(("start", "switch"), [("fr", "nl"), ("nl", "en"), ("en", "de")])
def test_switching_the_document_language_shows_the_other_labels(qtbot, open_ws, make_window, start, switch):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws, language=start))
    pane = editor.preview
    keys = ("title.invoice", "col.description", "col.quantity", "total_incl")
    text = pdf_text(pane.pdf)[0]
    assert all(doc_text(start, k) in text for k in keys)

    editor.language_combo.setCurrentIndex(editor.language_combo.findData(switch))
    editor.language_combo.activated.emit(editor.language_combo.currentIndex())
    assert pane._timer.isActive() and pane._timer.interval() == 0  # a language switch is not debounced
    settle(qtbot, pane)
    text = pdf_text(pane.pdf)[0]
    assert all(doc_text(switch, k) in text for k in keys), text
    assert doc_text(start, "title.invoice") not in text.split("\n")[:6]
    assert ws.documents.get(editor.doc.id).language == switch

    # the layout can be changed from the pane too: at once, and kept for the next documents
    classic = QImage(pane.pages[0])
    pane.theme_combo.setCurrentIndex(pane.theme_combo.findData("modern"))
    pane.theme_combo.activated.emit(pane.theme_combo.currentIndex())
    settle(qtbot, pane)
    assert ws.settings.pdf_theme == "modern"
    assert pane.theme == "modern" and pane.pages[0] != classic


def test_page_navigation_and_zoom_on_a_long_document(qtbot, open_ws, make_window):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws, lines=120))
    editor.window().resize(1400, 600)  # a page is taller than the pane: "fit page" must shrink it
    pane = editor.preview
    settle(qtbot, pane)
    count = len(PdfReader(io.BytesIO(pane.pdf)).pages)
    assert count >= 3 and len(pane.pages) == count
    assert pane.page_label.text() == f"Page 1 / {count}"
    assert not pane.prev_button.isEnabled() and pane.next_button.isEnabled()

    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    assert pane.current_page == 1 and pane.page_label.text() == f"Page 2 / {count}"
    assert pane.view.verticalScrollBar().value() == pane.page_offset(1) > 0
    qtbot.mouseClick(pane.next_button, Qt.MouseButton.LeftButton)
    assert pane.page_label.text() == f"Page 3 / {count}"
    qtbot.keyClick(pane.view, Qt.Key.Key_End)
    assert pane.page_label.text() == f"Page {count} / {count}" and not pane.next_button.isEnabled()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageUp)
    assert pane.current_page == count - 2
    qtbot.keyClick(pane.view, Qt.Key.Key_Home)
    assert pane.page_label.text() == f"Page 1 / {count}" and pane.view.verticalScrollBar().value() == 0
    # scrolling by hand follows too
    pane.view.verticalScrollBar().setValue(pane.page_offset(2) + 5)
    assert pane.page_label.text() == f"Page 3 / {count}"
    assert f"{count}" in pdf_text(pane.pdf)[-1]  # the renderer's own "Page n / N" agrees

    # fit width (default) → fit page → zoom in with the button and Ctrl+wheel → zoom out
    fit_width = pane.pages[0].width()
    assert fit_width <= pane.view.viewport().width()
    pane.zoom_combo.setCurrentIndex(pane.zoom_combo.findData(Zoom.FIT_PAGE.value))
    pane.zoom_combo.activated.emit(pane.zoom_combo.currentIndex())
    settle(qtbot, pane)
    assert pane.pages[0].height() <= pane.view.viewport().height()
    assert pane.pages[0].width() < fit_width
    small = pane.pages[0].width()
    qtbot.mouseClick(pane.zoom_in_button, Qt.MouseButton.LeftButton)
    settle(qtbot, pane)
    assert pane.zoom_mode is Zoom.FIXED and pane.pages[0].width() > small
    bigger = pane.pages[0].width()
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(50, 50),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        CTRL,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(pane.view.viewport(), wheel)
    settle(qtbot, pane)
    assert pane.pages[0].width() > bigger
    assert pane.zoom_combo.currentText() == f"{round(pane.zoom_factor * 100)} %"
    qtbot.mouseClick(pane.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.zoom_out_button, Qt.MouseButton.LeftButton)
    settle(qtbot, pane)
    assert pane.pages[0].width() < bigger
    assert len(pane.pages) == count  # zooming re-rasterises every page, the document is not rendered again


def test_a_long_document_at_high_zoom_keeps_only_nearby_pages_sharp(qtbot, open_ws, make_window):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws, lines=120))
    pane = editor.preview
    count = len(pane.pages)
    pane.set_zoom(Zoom.FIXED, 3.0)
    settle(qtbot, pane)
    full = [round(w * pane.shown_scale) * round(h * pane.shown_scale) for w, h in pane.page_sizes]
    assert sum(full) > PIXEL_BUDGET  # all pages sharp would not fit
    assert sum(i.width() * i.height() for i in pane.pages) <= PIXEL_BUDGET * 1.05
    assert pane.is_sharp(0) and not pane.is_sharp(count - 1)
    # every page still takes its full place, so scrolling and "Page n / N" stay right
    assert {label.height() for label in pane.page_labels[:count]} == {pane.page_labels[0].height()}
    assert pane.page_labels[0].width() >= pane.pages[0].width()

    qtbot.keyClick(pane.view, Qt.Key.Key_End)
    settle(qtbot, pane)
    assert pane.current_page == count - 1 and pane.is_sharp(count - 1)
    assert pane.pages[count - 1] == rasterise(pane.pdf, pane.shown_scale, range(count - 1, count))[0]


def test_export_writes_a_real_pdf_and_remembers_the_folder(
    qtbot, open_ws, make_window, tmp_path, monkeypatch
):
    ws = open_ws()
    doc = make_invoice(ws, lines=3)
    editor = open_editor(qtbot, make_window, ws, doc)
    pane = editor.preview
    target = tmp_path / "exports" / "invoice-for-nova.pdf"
    target.parent.mkdir()
    messages: list[str] = []
    editor.message.connect(messages.append)
    pane.export_pdf(str(target))
    pane.tasks.flush()
    assert target.read_bytes().startswith(b"%PDF-")
    text = pdf_text(target.read_bytes())[0]
    assert "Spring workshops" in text and "Facture" in text and "Atelier Nova" in text
    assert messages and str(target) in messages[-1]
    assert not list(target.parent.glob(".*part"))

    # Ctrl+E from the editor: the save dialog opens in that folder, pre-filled with the document's file name
    seen: list[str] = []

    def save_dialog(_parent, _caption, suggested, _filter):  # the only stand-in: the native dialog itself
        seen.append(suggested)
        return str(tmp_path / "exports" / "second"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    editor.title_edit.setFocus()
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_E, CTRL)
    pane.tasks.flush()
    assert seen == [str(tmp_path / "exports" / ws.pdf.file_name(editor.doc))]
    assert seen[0].endswith("Facture Brouillon " + str(doc.issue_date) + " - Atelier Nova.pdf")
    second = tmp_path / "exports" / "second.pdf"  # the extension is added when left out
    assert PdfReader(second).pages and pane._settings().value("pdf/lastExportFolder") == str(second.parent)

    # a folder that cannot be written: plain words in the editor's banner, no crash
    pane.export_pdf(str(tmp_path / "missing" / "folder" / "x.pdf"))
    pane.tasks.flush()
    assert editor.banner.isVisible() and "could not be saved" in editor.banner.text()


def test_print_to_a_pdf_printer_gives_every_page(qtbot, open_ws, make_window, tmp_path, monkeypatch):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws, lines=70))
    pane = editor.preview
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setResolution(150)
    messages: list[str] = []
    pane.message.connect(messages.append)

    # Ctrl+P in the editor opens the print dialog (stood in for: it is modal and native); cancel prints nothing
    asked: list[str] = []

    def cancelled(dialog: QPrintDialog) -> int:
        asked.append(dialog.printer().docName())
        return QPrintDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintDialog, "exec", cancelled)
    editor.title_edit.setFocus()
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_P, CTRL)
    pane.tasks.flush()
    assert asked == [Path(ws.pdf.file_name(editor.doc)).stem] and messages == []

    pane.print_document(printer)
    pane.tasks.flush()
    reader = PdfReader(printed)
    assert len(reader.pages) == len(pane.pages) == len(PdfReader(io.BytesIO(pane.pdf)).pages) >= 2
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) < 3 and abs(float(page.mediabox.height) - 842) < 3
        assert page.images  # each page carries the rasterised document page
    assert messages == [f"Sent to the printer: {len(reader.pages)} pages."]  # two or more
    assert QApplication.instance() is not None


def test_open_in_viewer_writes_a_file_and_hands_it_to_the_system(qtbot, open_ws, make_window):
    ws = open_ws()
    editor = open_editor(qtbot, make_window, ws, make_invoice(ws))
    pane = editor.preview
    opened: list[QUrl] = []
    pane.open_in_viewer(lambda url: opened.append(url) or True)  # the system viewer is out of reach
    pane.tasks.flush()
    assert len(opened) == 1 and opened[0].isLocalFile()
    path = Path(opened[0].toLocalFile())
    assert path == pane.last_opened and path.name == ws.pdf.file_name(editor.doc)
    assert "Spring workshops" in pdf_text(path.read_bytes())[0]
    pane.open_in_viewer(lambda url: False)
    pane.tasks.flush()
    assert "No program to show PDF files" in editor.banner.text()


def test_a_render_error_is_shown_in_plain_words(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = make_invoice(ws)
    broken = ws.attachments.put_bytes(b"this is not a picture", "image/png")
    profile = ws.profile.get()
    profile.brand = Brand(display_name="Studio", logo_sha256=broken.sha256)
    ws.profile.save(profile)
    editor = open_editor(qtbot, make_window, ws, doc)
    pane = editor.preview
    assert pane.error and pane.error_label.isVisible()
    assert "Traceback" not in pane.error_label.text() and "logo" in pane.error_label.text().lower()
    assert not pane.pages and pane.placeholder.isVisible()

    # the member fixes the logo: the next edit brings the preview back
    profile.brand = Brand(display_name="Studio")
    ws.profile.save(profile)
    editor.title_edit.setFocus()
    qtbot.keyClicks(editor.title_edit, "!")
    settle(qtbot, pane)
    assert not pane.error and not pane.error_label.isVisible() and len(pane.pages) == 1

    # a failure after a good render keeps the last good page on screen, and zooming it still works
    profile.brand = Brand(display_name="Studio", logo_sha256=broken.sha256)
    ws.profile.save(profile)
    qtbot.keyClicks(editor.title_edit, "?")
    settle(qtbot, pane)
    assert pane.error_label.isVisible() and len(pane.pages) == 1
    width = pane.pages[0].width()
    qtbot.mouseClick(pane.zoom_in_button, Qt.MouseButton.LeftButton)
    settle(qtbot, pane)
    assert pane.pages[0].width() > width and pane.error_label.isVisible()


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_screenshot_editor_with_preview(qtbot, open_ws, make_window, lang):
    ws = open_ws()
    ui.set_language(lang)
    editor = open_editor(
        qtbot, make_window, ws, make_invoice(ws, lines=8, language="nl" if lang == "nl" else "fr")
    )
    window = editor.window()
    pane = editor.preview
    assert pane.pages and not pane.error
    assert clipped(pane) == []
    assert pane.page_label.text() == ui.tr("Page {page} / {pages}", page=1, pages=1)
    folder = os.environ.get("SMARTDESK_SCREENSHOT_DIR")
    if folder:
        out = Path(folder) / "preview"
        out.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(out / f"editor-{lang}.png"))
        assert pane.grab().save(str(out / f"pane-{lang}.png"))
