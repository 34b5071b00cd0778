"""The "Ask the cooperative" page, by keyboard: ask a question offline, see it listed at once, reply, then
see the cooperative's answer once a sync has brought it in. Screenshots go to
$SMARTDESK_SCREENSHOT_DIR/requests as <screen>_<language>.png."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.pages.requests import RequestsPage
from smartdesk.i18n import ui
from smartdesk.sync import local
from smartdesk.sync.engine import SyncResult
from tests.support.screens import clipped, save_shot, screenshot_folder
from tests.support.waits import WAIT_MS

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_folder(tmp_path, "requests")


grab = partial(save_shot, min_bytes=5000)


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_ask_reply_and_read_the_answer_by_keyboard(qtbot, open_ws, make_window, shots, lang):
    ws = open_ws()
    doc = ws.documents.new(DocumentKind.INVOICE)
    doc.title = "Website for the bakery"
    ws.documents.save(doc)
    ui.set_language(lang)
    window = make_window(ws)
    qtbot.keyClick(window.nav, Qt.Key.Key_0, CTRL)
    assert window.current_key() == "questions"
    page = window.page("questions")
    assert isinstance(page, RequestsPage)
    window.tasks.flush()
    # empty state, in plain words
    assert page.empty.isVisible() and not page.table.isVisible()
    assert clipped(window) == []
    grab(window, shots / f"empty_{lang}.png")

    # Alt+N opens the form with the focus on "who is it for"; the service help says what each is for
    window.nav.setFocus()  # Alt+N works wherever the focus is on this page
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert page.right.currentWidget() is page.form and page.form.service.hasFocus()
    qtbot.keyClick(page.form.service, Qt.Key.Key_Down)
    assert page.form.service.currentData() == "collections"
    assert page.form.service_help.text() == ui._(
        "A client who does not pay: reminders, formal notice, recovery."
    )
    # sending without a subject is refused in plain words, nothing is queued
    qtbot.keyClick(page.form.service, Qt.Key.Key_Tab)
    assert page.form.subject.hasFocus()
    qtbot.keyClick(page.form.subject, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.form.body, "My client has not paid for three months.")
    qtbot.keyClick(page.form.body, Qt.Key.Key_Return, CTRL)
    window.tasks.flush()
    assert page.form.problems.isVisible()
    assert page.form.problems.text() == ui._("Write a short subject: what your question is about.")
    assert ws.store.outbox_entries_named(("request.open",)) == []
    page.form.subject.setFocus()
    qtbot.keyClicks(page.form.subject, "Invoice not paid")
    page.form.document.setCurrentIndex(page.form.document.findData(doc.id))
    assert "Website for the bakery" in page.form.document.currentText()
    assert clipped(window) == []
    grab(window, shots / f"new_question_{lang}.png")
    page.form.body.setFocus()
    qtbot.keyClick(page.form.body, Qt.Key.Key_Return, CTRL)
    window.tasks.flush()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)

    # listed at once, offline, marked as not sent yet
    [entry] = ws.store.outbox_entries_named(("request.open",))
    assert entry.args["service"] == "collections" and entry.args["document_id"] == doc.id
    assert page.right.currentWidget() is not page.form
    assert page.table.item(0, 0).text() == "Invoice not paid"
    assert page.table.item(0, 1).text() == ui._("Unpaid invoices")
    assert page.table.item(0, 2).text() == ui._("Waiting for an answer") + " · " + ui._("Not sent yet")
    assert "My client has not paid for three months." in page.conversation.toPlainText()
    assert "Website for the bakery" in page.about_label.text() and page.document_button.isVisible()

    # a reply, Ctrl+Enter in the reply box
    page.reply.setFocus()
    qtbot.keyClicks(page.reply, "The invoice is attached.")
    qtbot.keyClick(page.reply, Qt.Key.Key_Return, CTRL)
    window.tasks.flush()
    qtbot.waitUntil(lambda: "The invoice is attached." in page.conversation.toPlainText(), timeout=WAIT_MS)
    assert page.reply.toPlainText() == ""
    assert [e.name for e in ws.store.outbox_entries_named(("request.open", "request.reply"))] == [
        "request.open",
        "request.reply",
    ]

    # a sync brings the cooperative's answer (the server's record replaces the pending copy, the outbox
    # rows leave in the same transaction); the page refreshes when the sync controller says it finished
    local.ensure_tables(ws.store)
    rid = entry.entity_id
    value = {
        "id": rid,
        "service": "collections",
        "subject": "Invoice not paid",
        "document_id": doc.id,
        "status": "answered",
        "opened_at": entry.created_at,
        "messages": [
            {"at": entry.created_at, "author": "member", "body": "My client has not paid for three months."},
            {"at": entry.created_at, "author": "member", "body": "The invoice is attached."},
            {
                "at": "2099-01-01T09:00:00.000+00:00",
                "author": "staff",
                "body": "We send a formal notice to your client today.",
            },
        ],
    }
    with ws.store.write() as conn:
        local.apply_upsert(ws.store, conn, "request", rid, value, 3)
        ws.store.drop_acknowledged(conn, 10**9)
    window.sync.controller.finished.emit(SyncResult())
    window.tasks.flush()
    qtbot.waitUntil(lambda: page.table.item(0, 2).text() == ui._("Answered"), timeout=WAIT_MS)
    text = page.conversation.toPlainText()
    assert text.index("My client has not paid") < text.index("We send a formal notice to your client today.")
    assert ui._("Not sent yet") not in text
    assert clipped(window) == []
    grab(window, shots / f"answered_{lang}.png")

    # "Open the document" goes to the document the question is about
    qtbot.mouseClick(page.document_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "editor" and window.editor.doc.id == doc.id
    window.close()


def test_escape_closes_the_form_without_sending(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    window.show_page("questions")
    page = window.page("questions")
    page.show_new()
    qtbot.keyClicks(page.form.subject, "Never mind")
    qtbot.keyClick(page.form.subject, Qt.Key.Key_Escape)
    assert page.right.currentWidget() is not page.form and page.empty.isVisible()
    window.tasks.flush()
    assert ws.requests.list() == []
    # Alt+N belongs to this page only: on another page it does not open the form
    window.show_page("clients")
    qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert page.right.currentWidget() is not page.form and window.current_key() == "clients"
    window.close()
