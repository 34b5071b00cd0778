"""An expense note made offline with a dropped receipt reaches the cooperative once the connection
returns: the receipt is uploaded before the note, and the server holds exactly its bytes (SHA-256)."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QMimeData, QUrl

from smartdesk.gui.sync.controller import SyncController
from tests.gui.test_receipts_gui import below_rows, drop, expense_editor, fill_line, receipt_image, write
from tests.gui.test_sync_gui import PASSWORD, advisor_for, no_keyring, server, synced
from tests.support.waits import WAIT_MS

__all__ = ["expense_editor", "no_keyring", "server"]  # fixtures shared with those modules


def test_receipt_reaches_the_server_after_the_connection_returns(qtbot, expense_editor, server, tmp_path):
    ws, window, editor = expense_editor
    c: SyncController = window.sync.controller
    c.backoff_base = 0.2
    qtbot.waitUntil(lambda: c.ready, timeout=WAIT_MS)
    email, _member = server.account("member")
    c.sign_in(server.url, email, PASSWORD)
    synced(qtbot, c)
    assert c.view.signed_in and c.view.pending == 0

    # the train leaves the station: the member adds a receipt and sends the note for validation
    server.stop()
    photo = write(tmp_path / "ticket.jpg", receipt_image(1200, 800, "SNCB 48,60"), "JPEG")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    assert drop(editor, mime, below_rows(editor))
    window.tasks.flush()
    fill_line(editor, 0, "SNCB", "48,60")
    sha = editor.doc.expense_lines[0].receipts[0]
    editor.submit()
    window.tasks.flush()
    assert ws.documents.get(editor.doc.id).status == "submitted"
    before = c.view.last_success_at
    c.sync_now()
    qtbot.waitUntil(lambda: c.view.error_kind == "network" and not c.running, timeout=WAIT_MS)
    assert c.view.pending >= 1  # kept on the laptop

    # back online: the receipt goes up first, then the note
    server.start()
    c.network_back()
    synced(qtbot, c, before)
    assert c.view.pending == 0 and not c.view.error_kind
    advisor = advisor_for(server, editor.doc.activity_id)
    body = advisor.http.get(f"/advisor/v1/documents/{editor.doc.id}").json()
    value = body.get("document", body)
    assert value["status"] == "submitted"
    assert value["expense_lines"][0]["receipts"] == [sha]
    blob = advisor.http.get(f"/sync/v1/blobs/{sha}")
    assert blob.status_code == 200
    assert hashlib.sha256(blob.content).hexdigest() == sha  # exactly the bytes the laptop holds
    assert blob.content == ws.attachments.read(sha)
