"""Receipts in the expense-note editor, driven through the real widgets (pytest-qt).

Real data folder, real images and PDFs made with Pillow, real normalizing and storing; the camera is
fed generated frames through the same ``FrameSource`` interface the dialog uses with QtMultimedia.
Screenshots go to $SMARTDESK_SCREENSHOT_DIR/receipts when it is set.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from smartdesk.domain.documents import Activity, DocumentKind
from smartdesk.gui.documents.editor import DocumentEditor
from smartdesk.gui.models.expenses import ExpenseColumns
from smartdesk.gui.models.roles import REJECTION_ROLE
from smartdesk.gui.receipts.camera import CameraDialog
from smartdesk.gui.receipts.edits import PageEdit, compose_edit
from smartdesk.gui.receipts.files import document_label
from smartdesk.gui.receipts.viewer import ReceiptViewer
from smartdesk.receipts import GeneratedFrameSource, apply_edits, content_hash
from tests.support.screens import clipped, optional_screenshot_folder, settle_layout
from tests.support.waits import WAIT_MS

CTRL = Qt.KeyboardModifier.ControlModifier


# --- material ------------------------------------------------------------------------------------------


def receipt_image(
    width: int = 900, height: int = 600, text: str = "CAFE LUMIERE", seed: int = 0
) -> Image.Image:
    """A receipt-like picture: paper with a title and lines of print, different per seed."""
    image = Image.new("RGB", (width, height), (236, 233, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, width - 20, height - 20), outline=(30, 30, 30), width=3)
    draw.text((40, 36), f"{text} #{seed}", fill=(10, 10, 10))
    for n, y in enumerate(range(80, height - 40, 28)):
        length = 120 + (n * 37 + seed * 53) % (width - 220)
        draw.rectangle((40, y, 40 + length, y + 8), fill=(40, 40, 40))
    return image


def jpeg_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def write(path: Path, image: Image.Image, fmt: str) -> Path:
    image.save(path, fmt)
    return path


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        return im.size


@pytest.fixture
def expense_editor(open_ws, make_window):
    ws = open_ws()
    activity = ws.activities.save(Activity(name="Tournée Lumière", code="A-7"))
    window = make_window(ws, 1400, 900)
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    editor: DocumentEditor = window.editor
    editor.activity_combo.setCurrentIndex(editor.activity_combo.findData(activity.id))
    editor.activity_combo.activated.emit(editor.activity_combo.currentIndex())
    editor.title_edit.setText("Tournée de mars")
    editor.title_edit.textEdited.emit("Tournée de mars")
    window.tasks.flush()
    return ws, window, editor


def drop(editor: DocumentEditor, mime: QMimeData, pos: QPoint) -> bool:
    """What the window system does for a drop: drag enter (must be accepted), then drop."""
    viewport = editor.lines_view.viewport()
    try:  # QPointF from PySide6 6.12; QPoint before
        enter = QDragEnterEvent(
            QPointF(pos),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    except TypeError:
        enter = QDragEnterEvent(
            pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    QApplication.sendEvent(viewport, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)
    return event.isAccepted()


def below_rows(editor: DocumentEditor) -> QPoint:
    viewport = editor.lines_view.viewport()
    return QPoint(viewport.width() // 2, viewport.height() - 4)


def row_point(editor: DocumentEditor, row: int) -> QPoint:
    return editor.lines_view.visualRect(editor.expense_model.index(row, ExpenseColumns.DESCRIPTION)).center()


def fill_line(editor: DocumentEditor, row: int, supplier: str, amount: str) -> None:
    model = editor.expense_model
    model.setData(model.index(row, ExpenseColumns.SUPPLIER), supplier)
    model.setData(model.index(row, ExpenseColumns.DESCRIPTION), "Frais de tournée")
    model.setData(model.index(row, ExpenseColumns.CATEGORY), "Transport")
    model.setData(model.index(row, ExpenseColumns.AMOUNT), amount)
    editor.tasks.flush()


def screenshot_dir() -> Path | None:
    return optional_screenshot_folder("receipts")


def open_viewer(qtbot, editor: DocumentEditor, row: int) -> ReceiptViewer:
    viewer = editor.receipts.open_viewer(editor.doc.expense_lines[row].id)
    assert viewer is not None
    qtbot.waitUntil(lambda: not viewer.canvas.item.pixmap().isNull(), timeout=WAIT_MS)
    return viewer


# --- the member's path ------------------------------------------------------------------------------------


def test_drop_paste_rotate_undo_crop_and_submit(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    doc_id = editor.doc.id

    # 1. drop a photo file (URL) below the lines: a new expense with that receipt
    photo = write(tmp_path / "ticket-train.jpg", receipt_image(900, 600, "SNCB"), "JPEG")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    assert drop(editor, mime, below_rows(editor))
    window.tasks.flush()
    assert len(editor.doc.expense_lines) == 1
    first = editor.doc.expense_lines[0].receipts
    assert len(first) == 1 and ws.attachments.verify(first[0])
    assert ws.documents.get(doc_id).expense_lines[0].receipts == first  # saved at once

    # 2. drop a picture (image data, no file) onto that line: a second page of its receipt
    mime = QMimeData()
    mime.setImageData(QImage.fromData(jpeg_bytes(receipt_image(500, 700, "SNCB page 2", seed=2))))
    assert drop(editor, mime, row_point(editor, 0))
    window.tasks.flush()
    assert len(editor.doc.expense_lines) == 1
    assert len(editor.doc.expense_lines[0].receipts) == 2

    # 3. paste file URLs (a PDF receipt) with Ctrl+V in the table, no line selected: a new expense
    pdf = write(tmp_path / "hotel.pdf", receipt_image(600, 850, "HOTEL", seed=3), "PDF")
    clip = QMimeData()
    clip.setUrls([QUrl.fromLocalFile(str(pdf))])
    QGuiApplication.clipboard().setMimeData(clip)
    editor.lines_view.setFocus()
    editor.lines_view.setCurrentIndex(editor.expense_model.index(-1, -1))
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_V, CTRL)
    window.tasks.flush()
    assert len(editor.doc.expense_lines) == 2
    assert ws.attachments.read(editor.doc.expense_lines[1].receipts[0]).startswith(b"%PDF")

    # 4. paste a copied picture onto the selected line
    QGuiApplication.clipboard().setImage(QImage.fromData(jpeg_bytes(receipt_image(400, 300, "TAXI", seed=4))))
    fill_line(editor, 0, "SNCB", "48,60")
    editor.lines_view.setCurrentIndex(editor.expense_model.index(1, ExpenseColumns.SUPPLIER))
    editor.lines_view.setFocus()
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_V, CTRL)
    window.tasks.flush()
    assert len(editor.doc.expense_lines[1].receipts) == 2
    fill_line(editor, 1, "Hôtel du Parc", "112")

    # every add is one undo step: Ctrl+Z takes the pasted picture off, Ctrl+Shift+Z puts it back
    before = list(editor.doc.expense_lines[1].receipts)
    fill_steps = editor.undo_stack.index()
    editor.undo_stack.setIndex(fill_steps - 4)  # the four cell edits of line 2
    assert editor.doc.expense_lines[1].receipts == before
    editor.undo_stack.undo()
    window.tasks.flush()
    assert editor.doc.expense_lines[1].receipts == before[:1]
    assert ws.documents.get(doc_id).expense_lines[1].receipts == before[:1]
    editor.undo_stack.setIndex(fill_steps)
    window.tasks.flush()
    assert editor.doc.expense_lines[1].receipts == before
    assert editor.doc.expense_lines[1].supplier == "Hôtel du Parc"

    # thumbnails are read once, on a worker, and painted in the receipts column
    for sha in editor.doc.expense_lines[0].receipts:
        qtbot.waitUntil(lambda sha=sha: editor.receipts.thumbnails.get(sha) is not None, timeout=WAIT_MS)
    assert editor.expense_model.index(0, ExpenseColumns.RECEIPTS).data() == "2"

    # 5. the viewer: turn the first page right, then Ctrl+Z brings the previous hash back
    viewer = open_viewer(qtbot, editor, 0)
    assert viewer.page_label.text() == "Page 1 of 2"
    original = editor.doc.expense_lines[0].receipts[0]
    width, height = size_of(ws.attachments.read(original))
    assert width > height
    viewer.rotate(1)
    window.tasks.flush()
    turned = editor.doc.expense_lines[0].receipts[0]
    assert turned != original
    assert size_of(ws.attachments.read(turned)) == (height, width)
    assert ws.documents.get(doc_id).expense_lines[0].receipts[0] == turned
    qtbot.waitUntil(lambda: viewer.canvas.item.pixmap().width() == height, timeout=WAIT_MS)
    viewer.activateWindow()
    viewer.setFocus()
    qtbot.waitUntil(viewer.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(viewer, Qt.Key.Key_Z, CTRL)
    window.tasks.flush()
    assert editor.doc.expense_lines[0].receipts[0] == original
    assert ws.documents.get(doc_id).expense_lines[0].receipts[0] == original
    qtbot.waitUntil(lambda: viewer.canvas.item.pixmap().width() == width, timeout=WAIT_MS)
    qtbot.keyClick(viewer, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    window.tasks.flush()
    assert editor.doc.expense_lines[0].receipts[0] == turned

    # crop (in the turned page's pixels), then turn left: one re-encode from the original each time
    viewer.canvas.set_crop_mode(True)
    viewer.canvas.set_selection(
        viewer.canvas.mapToScene(viewer.canvas.viewport().rect()).boundingRect().adjusted(0, 0, 0, 0)
    )
    viewer.crop_to((50, 100, 550, 800))
    window.tasks.flush()
    cropped = editor.doc.expense_lines[0].receipts[0]
    assert size_of(ws.attachments.read(cropped)) == (500, 700)
    viewer.rotate(-1)
    window.tasks.flush()
    back = editor.doc.expense_lines[0].receipts[0]
    expected = apply_edits(ws.attachments.read(original), 0, (100, 50, 800, 550))
    assert size_of(ws.attachments.read(back)) == (700, 500)
    assert back == content_hash(expected)  # same bytes as cropping the original directly
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    window.tasks.flush()
    assert editor.doc.expense_lines[0].receipts[0] == turned

    # pages: the second page is a picture, the PDF line cannot be turned
    qtbot.keyClick(viewer, Qt.Key.Key_PageDown)
    assert viewer.page_label.text() == "Page 2 of 2"
    viewer.close()
    pdf_viewer = open_viewer(qtbot, editor, 1)
    assert pdf_viewer.is_pdf and not pdf_viewer.right_button.isEnabled()
    assert "cannot be turned" in pdf_viewer.status.text()
    pdf_viewer.close()

    # 6. send for validation
    assert ws.documents.problems(ws.documents.get(doc_id), for_submit=True) == []
    editor.submit()
    window.tasks.flush()
    stored = ws.documents.get(doc_id)
    assert stored.status == "submitted"
    assert [len(x.receipts) for x in stored.expense_lines] == [2, 2]
    assert stored.expense_lines[0].receipts[0] == turned
    assert all(ws.attachments.verify(h) for x in stored.expense_lines for h in x.receipts)
    assert stored.expense_lines[0].amount_incl == Decimal("48.60")


def test_viewer_zoom_remove_and_screenshots(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    shots = screenshot_dir()
    files = [
        write(tmp_path / f"r{n}.jpg", receipt_image(700 + 40 * n, 1000, name, seed=n), "JPEG")
        for n, name in enumerate(("SNCB", "CAFE LUMIERE", "PARKING"))
    ]
    editor.add_receipt([str(files[0]), str(files[1])])  # two files: one receipt with two pages
    window.tasks.flush()
    fill_line(editor, 0, "SNCB", "48,60")
    editor.lines_view.setCurrentIndex(editor.expense_model.index(-1, -1))
    editor.add_receipt([str(files[2])])
    window.tasks.flush()
    fill_line(editor, 1, "Café Lumière", "23,40")
    editor.lines_view.clearSelection()
    assert [len(x.receipts) for x in editor.doc.expense_lines] == [2, 1]
    for line in editor.doc.expense_lines:
        for sha in line.receipts:
            qtbot.waitUntil(lambda sha=sha: editor.receipts.thumbnails.get(sha) is not None, timeout=WAIT_MS)
    settle_layout()
    if shots:
        assert window.grab().save(str(shots / "expense_editor_receipts.png"))

    viewer = open_viewer(qtbot, editor, 0)
    viewer.resize(820, 900)
    settle_layout()
    viewer.canvas.fit()
    fitted = viewer.canvas.zoom()
    viewer.zoom_in_button.click()
    assert viewer.canvas.zoom() == pytest.approx(fitted * 1.25)
    viewer.fit_button.click()
    assert viewer.canvas.zoom() == pytest.approx(fitted)
    viewer.crop_button.click()
    assert viewer.keep_button.isVisible() and not viewer.keep_button.isEnabled()
    viewer.canvas.set_selection(viewer.canvas.scene().sceneRect().adjusted(40, 60, -80, -120))
    assert viewer.keep_button.isEnabled()
    settle_layout()
    if shots:
        assert viewer.grab().save(str(shots / "receipt_viewer_crop.png"))
    viewer.keep_button.click()
    window.tasks.flush()
    cropped = editor.doc.expense_lines[0].receipts[0]
    assert size_of(ws.attachments.read(cropped)) == (700 - 120, 1000 - 180)
    assert not viewer.crop_button.isChecked()

    # remove a page, undo brings it back
    second = editor.doc.expense_lines[0].receipts[1]
    viewer.go(1)
    viewer.remove_button.click()
    window.tasks.flush()
    assert editor.doc.expense_lines[0].receipts == [cropped]
    assert viewer.page_label.text() == "Page 1 of 1"
    viewer.undo_button.click()
    window.tasks.flush()
    assert editor.doc.expense_lines[0].receipts == [cropped, second]
    settle_layout()
    if shots:
        viewer.go(0)
        qtbot.waitUntil(lambda: viewer.shown_sha == cropped, timeout=WAIT_MS)
        settle_layout()
        assert viewer.grab().save(str(shots / "receipt_viewer.png"))
    viewer.close()


def test_duplicate_receipt_is_named_without_blocking(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    photo = write(tmp_path / "resto.png", receipt_image(600, 800, "RESTO"), "PNG")
    editor.add_receipt([str(photo)])
    window.tasks.flush()
    first_id = editor.doc.id
    ws.store.put_document(ws.documents.get(first_id))
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    assert editor.doc.id != first_id
    editor.add_receipt([str(photo)])
    window.tasks.flush()
    text = editor.banner.text()
    assert editor.banner.isVisible()
    assert "already on expense note “Tournée de mars”" in text
    assert len(editor.doc.expense_lines) == 1  # added anyway: the member decides
    assert not QApplication.activeModalWidget()
    assert document_label(ws.documents.get(first_id)) == "“Tournée de mars”"


def test_refused_files_change_nothing(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    good = write(tmp_path / "ok.jpg", receipt_image(), "JPEG")
    editor.add_receipt([str(good)])
    window.tasks.flush()
    fill_line(editor, 0, "SNCB", "12")
    before = ws.documents.get(editor.doc.id)
    steps = editor.undo_stack.count()

    corrupt = tmp_path / "half.jpg"
    corrupt.write_bytes(jpeg_bytes(receipt_image())[:600])
    text_file = tmp_path / "notes.jpg"
    text_file.write_text("this is not a photo")
    bomb = tmp_path / "bomb.png"
    Image.new("1", (40_000, 40_000)).save(bomb)  # a few KB, 1.6 gigapixels once decoded
    assert bomb.stat().st_size < 1_000_000

    for path, words in (
        (corrupt, "damaged or incomplete"),
        (text_file, "looks like text"),
        (bomb, "too large to open safely"),
    ):
        editor.lines_view.setCurrentIndex(editor.expense_model.index(0, 1))
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        assert drop(editor, mime, row_point(editor, 0))
        window.tasks.flush()
        assert words in editor.banner.text() and path.name in editor.banner.text()
        after = ws.documents.get(editor.doc.id)
        assert after.expense_lines == before.expense_lines
        assert editor.doc.expense_lines == before.expense_lines
        assert editor.undo_stack.count() == steps
    # a receipt of several files is refused whole when one of them is bad
    editor.add_receipt([str(good), str(corrupt)])
    window.tasks.flush()
    assert "half.jpg" in editor.banner.text()
    assert ws.documents.get(editor.doc.id).expense_lines == before.expense_lines


def test_camera_capture_retake_use_with_generated_frames(qtbot, expense_editor):
    ws, window, editor = expense_editor
    controller = editor.receipts
    sources: list[GeneratedFrameSource] = []

    def camera() -> GeneratedFrameSource:
        sources.append(GeneratedFrameSource(seed=len(sources) + 1, capture_size=(1600, 1200)))
        return sources[-1]

    controller.set_camera_factory(camera)
    assert controller.camera_button.isEnabled() and controller.camera_button.isVisible()
    qtbot.mouseClick(controller.camera_button, Qt.MouseButton.LeftButton)
    dialog: CameraDialog = controller.camera_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.frames_shown >= 3, timeout=WAIT_MS)  # live view
    assert dialog.capture_button.isVisible() and not dialog.use_button.isVisible()
    dialog.capture_button.click()
    first = dialog.photo
    assert size_of(first) == (1600, 1200)
    assert dialog.use_button.isVisible() and dialog.retake_button.isVisible()
    shown = dialog.frames_shown
    shots = screenshot_dir()
    if shots:
        assert dialog.grab().save(str(shots / "camera_dialog.png"))
    dialog.retake_button.click()
    assert dialog.photo == b"" and dialog.capture_button.isVisible()
    qtbot.waitUntil(lambda: dialog.frames_shown > shown, timeout=WAIT_MS)  # live again
    dialog.capture_button.click()
    assert dialog.photo and dialog.photo != first  # hand-held: another picture
    dialog.use_button.click()
    window.tasks.flush()
    assert sources[0].closed  # the camera is released
    assert len(editor.doc.expense_lines) == 1
    stored = ws.attachments.read(editor.doc.expense_lines[0].receipts[0])
    assert size_of(stored) == (1600, 1200) and stored[:3] == b"\xff\xd8\xff"
    assert b"Exif" not in stored[:64]

    # cancelling changes nothing
    controller.take_photo()
    cancelled = controller.camera_dialog
    qtbot.addWidget(cancelled)
    cancelled.cancel_button.click()
    window.tasks.flush()
    assert len(editor.doc.expense_lines) == 1 and sources[1].closed


def test_without_a_camera_the_button_says_so(qtbot, expense_editor):
    _ws, _window, editor = expense_editor
    editor.receipts.set_camera_factory(lambda: None, available=False)
    button = editor.receipts.camera_button
    assert button.isVisible() and not button.isEnabled()
    assert "No camera found" in button.toolTip()
    editor.receipts.take_photo()
    assert "No camera found" in editor.banner.text()


def test_advisor_rejection_reason_shows_on_the_line(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    editor.add_receipt([str(write(tmp_path / "a.jpg", receipt_image(), "JPEG"))])
    window.tasks.flush()
    editor.lines_view.setCurrentIndex(editor.expense_model.index(-1, -1))
    editor.add_receipt([str(write(tmp_path / "b.jpg", receipt_image(seed=5), "JPEG"))])
    window.tasks.flush()
    fill_line(editor, 0, "SNCB", "48,60")
    fill_line(editor, 1, "Bar du coin", "9")
    doc = ws.documents.get(editor.doc.id)
    doc.status = "returned"
    doc.remarks = "One expense is private."
    doc.expense_lines[1].rejection_reason = "Private expense: not linked to the activity."
    ws.store.put_document(doc)  # as the cooperative's answer arrives through sync
    editor.load(doc.id)
    model = editor.expense_model
    assert (
        model.index(1, ExpenseColumns.SUPPLIER).data(REJECTION_ROLE) == doc.expense_lines[1].rejection_reason
    )
    assert "Private expense" in model.index(1, ExpenseColumns.AMOUNT).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, ExpenseColumns.AMOUNT).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(1, Qt.Orientation.Vertical) == "2 ⚠"
    label = editor.receipts.rejections_label
    assert label.isVisible()
    assert "Expense 2 (Bar du coin) was refused by your advisor: Private expense" in label.text()
    shots = screenshot_dir()
    if shots:
        for line in editor.doc.expense_lines:
            for sha in line.receipts:
                qtbot.waitUntil(
                    lambda sha=sha: editor.receipts.thumbnails.get(sha) is not None, timeout=WAIT_MS
                )
        settle_layout()
        assert window.grab().save(str(shots / "expense_editor_refused_line.png"))


def test_compose_edit_matches_edits_one_after_the_other():
    data = jpeg_bytes(receipt_image(900, 600))
    origin = PageEdit("x" * 64)
    turned = compose_edit(origin, (900, 600), turns=1)  # 600 x 900
    cropped = compose_edit(turned, (900, 600), crop_box=(50, 100, 550, 800))
    again = compose_edit(cropped, (900, 600), turns=1)  # 700 x 500 -> 500 x 700
    step = apply_edits(apply_edits(apply_edits(data, 1), 0, (50, 100, 550, 800)), 1)
    once = apply_edits(data, again.turns, again.box)
    assert size_of(step) == size_of(once) == (700, 500)
    a = Image.open(io.BytesIO(step)).convert("L").resize((70, 50))
    b = Image.open(io.BytesIO(once)).convert("L").resize((70, 50))
    diff = sum(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True)) / (70 * 50)
    assert diff < 4  # the same picture (re-encoding noise only)
    assert compose_edit(again, (900, 600), turns=2).turns == 0


def test_refused_while_with_the_cooperative(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    editor.add_receipt([str(write(tmp_path / "a.jpg", receipt_image(), "JPEG"))])
    window.tasks.flush()
    fill_line(editor, 0, "SNCB", "10")
    editor.submit()
    window.tasks.flush()
    assert editor.doc.status == "submitted"
    count = len(list(ws.attachments.iter_hashes()))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(write(tmp_path / "b.jpg", receipt_image(seed=9), "JPEG")))])
    drop(editor, mime, row_point(editor, 0))
    window.tasks.flush()
    assert "can no longer be changed" in editor.banner.text()
    assert len(list(ws.attachments.iter_hashes())) == count
    assert editor.doc.expense_lines[0].date == date.today()


@pytest.mark.parametrize("lang", ["fr", "nl", "pseudo"])
def test_viewer_and_camera_are_translated_and_not_clipped(qtbot, expense_editor, tmp_path, lang):
    from smartdesk.i18n import ui

    ws, window, editor = expense_editor
    editor.add_receipt([str(write(tmp_path / "a.jpg", receipt_image(700, 1000, "PARKING"), "JPEG"))])
    window.tasks.flush()
    ui.set_language(lang)
    viewer = editor.receipts.open_viewer(editor.doc.expense_lines[0].id)
    assert viewer is not None
    qtbot.waitUntil(lambda: not viewer.canvas.item.pixmap().isNull(), timeout=WAIT_MS)
    viewer.crop_button.click()
    settle_layout()
    assert clipped(viewer) == []
    assert viewer.width() <= (1000 if lang == "pseudo" else 860)  # fits a laptop screen
    if lang == "fr":
        assert viewer.left_button.text().endswith("Tourner à gauche")
    dialog = CameraDialog(GeneratedFrameSource(seed=3), editor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.frames_shown > 0, timeout=WAIT_MS)
    assert clipped(dialog) == []
    shots = screenshot_dir()
    if shots:
        assert viewer.grab().save(str(shots / f"receipt_viewer_{lang}.png"))
        assert dialog.grab().save(str(shots / f"camera_dialog_live_{lang}.png"))
    dialog.reject()
    viewer.close()


def test_keyboard_opens_the_receipts_and_raw_image_data_is_read(qtbot, expense_editor, tmp_path):
    ws, window, editor = expense_editor
    # a browser drags the encoded picture itself (image/jpeg bytes), not a file
    mime = QMimeData()
    mime.setData("image/jpeg", jpeg_bytes(receipt_image(640, 800, "BROWSER", seed=8)))
    assert drop(editor, mime, below_rows(editor))
    window.tasks.flush()
    sha = editor.doc.expense_lines[0].receipts[0]
    assert size_of(ws.attachments.read(sha)) == (640, 800)
    # Ctrl+Shift+R on the line shows its receipts; opening another document closes the viewer
    editor.lines_view.setFocus()
    editor.lines_view.setCurrentIndex(editor.expense_model.index(0, ExpenseColumns.SUPPLIER))
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    viewer = editor.receipts.viewer
    assert viewer is not None and viewer.isVisible() and viewer.current_sha() == sha
    window.new_document(DocumentKind.EXPENSE_NOTE)
    window.tasks.flush()
    assert not viewer.isVisible()
    # an empty clipboard says what to do
    QGuiApplication.clipboard().clear()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    editor.lines_view.setFocus()
    qtbot.keyClick(editor.lines_view, Qt.Key.Key_V, CTRL)
    assert "clipboard holds no picture" in editor.banner.text()
    assert editor.doc.expense_lines == []


def test_camera_without_picture_says_so(qtbot):
    class BlindCamera:
        """A camera that is there but sends nothing (used by another program)."""

        closed = False
        sent = 0  # empty frames handed out so far

        def frames(self):
            while True:
                self.sent += 1
                yield b""

        def capture(self) -> bytes:
            raise RuntimeError("busy")

        def close(self) -> None:
            self.closed = True

    camera = BlindCamera()
    # the patience is counted in timer ticks (0.2 s at 50 fps = 10 empty frames), not in wall-clock time,
    # so the test waits for the message itself, as long as a loaded machine needs
    dialog = CameraDialog(camera, fps=50, no_picture_after=0.2)
    qtbot.addWidget(dialog)
    assert "Starting the camera" in dialog.view.text()
    dialog.show()
    qtbot.waitUntil(lambda: "shows no picture" in dialog.view.text(), timeout=WAIT_MS)
    assert camera.sent >= 10  # not before its patience ran out
    dialog.capture_button.click()
    assert "did not take the photo" in dialog.hint.text() and dialog.photo == b""
    assert dialog.capture_button.isVisible()
    dialog.reject()
    assert camera.closed
