"""Backups through the settings page: a note with two receipts and a logo survives a wiped data folder;
a corrupt backup is refused and changes nothing."""

from __future__ import annotations

import io
import shutil

from PIL import Image
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from smartdesk.domain.documents import DocumentKind
from smartdesk.services import DocumentQuery, Workspace
from tests.support.waits import WAIT_MS


def _image(color: str, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buf, fmt)
    return buf.getvalue()


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _answer(qtbot, page, button_text: str) -> None:
    qtbot.waitUntil(lambda: page.restore_box is not None and page.restore_box.isVisible(), timeout=WAIT_MS)
    box = page.restore_box
    assert isinstance(box, QMessageBox)
    assert "documents" in box.informativeText()
    button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
    button.click()


def test_backup_wipe_restore_brings_back_receipts_and_logo(qtbot, open_ws, make_window, data_dir, tmp_path):
    ws = open_ws()
    note = ws.documents.new(DocumentKind.EXPENSE_NOTE)
    ws.receipts.add(note.id, [(_image("red"), "a.jpg")])
    ws.receipts.add(note.id, [(_image("green"), "b.jpg")])
    profile = ws.profile.get()
    profile.brand.logo_sha256 = ws.attachments.put_bytes(_image("purple", "PNG"), "image/png").sha256
    ws.profile.save(profile)
    pdf = ws.pdf.render(note.id)
    pages, images = len(PdfReader(io.BytesIO(pdf)).pages), _images(pdf)
    assert pages >= 2 and images >= 3

    window = make_window(ws)
    window.show_page("settings")
    page = window.page("settings")
    target = tmp_path / "saved.smartdesk-backup"
    page.backup_to(target)
    qtbot.waitUntil(lambda: "checked" in page.data_note.text(), timeout=WAIT_MS)
    assert target.is_file()
    window.tasks.close()
    window.close()
    ws.close()

    shutil.rmtree(data_dir)
    ws2 = Workspace.open(data_dir)
    ws2.settings.set("first_run_done", True)
    try:
        window2 = make_window(ws2)
        window2.show_page("settings")
        page2 = window2.page("settings")
        # Cancel first: nothing is replaced
        page2.restore_from(target)
        _answer(qtbot, page2, "Cancel")
        qtbot.waitUntil(lambda: not page2.restore_box.isVisible(), timeout=WAIT_MS)
        window2.tasks.flush()
        assert ws2.documents.count(DocumentQuery()) == 0
        page2.restore_box = None
        page2.restore_from(target)
        _answer(qtbot, page2, "Restore")
        qtbot.waitUntil(lambda: "restored" in page2.data_note.text(), timeout=WAIT_MS)
        after = ws2.pdf.render(note.id)
        assert len(PdfReader(io.BytesIO(after)).pages) == pages
        assert _images(after) == images
        assert ws2.profile.get().brand.logo_sha256 == profile.brand.logo_sha256
    finally:
        ws2.close()


def test_corrupt_backup_is_refused_and_nothing_changes(qtbot, open_ws, make_window, tmp_path):
    ws = open_ws()
    ws.documents.new(DocumentKind.INVOICE)
    bad = tmp_path / "bad.smartdesk-backup"
    good = ws.backup.save(tmp_path / "good.smartdesk-backup")
    bad.write_bytes(good.read_bytes()[: good.stat().st_size - 300])
    ws.documents.new(DocumentKind.QUOTE)
    window = make_window(ws)
    window.show_page("settings")
    page = window.page("settings")
    page.restore_from(bad)
    qtbot.waitUntil(lambda: "Nothing was changed" in page.data_note.text(), timeout=WAIT_MS)
    assert page.restore_box is None, "a corrupt backup is never offered for restore"

    assert ws.documents.count(DocumentQuery()) == 2
    assert not list((ws.folder / "backups").glob("before-restore-*"))
