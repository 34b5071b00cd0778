"""Every screen is wired to the window the same way: its messages reach the status bar, the documents it
opens reach the editor (the Follow-up page gets the editor's Back button to return to it)."""

from __future__ import annotations

import pytest

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.widgets.screen import Screen

# page key -> the words of the editor's Back button once the page opened a document
SCREENS = {
    "clients": "◀ Back to the list",
    "activities": "◀ Back to the list",
    "questions": "◀ Back to the list",
    "followup": "◀ Back to Follow-up",
    "settings": "◀ Back to the list",
    "sync": "◀ Back to the list",
}


@pytest.mark.parametrize("key", sorted(SCREENS))
def test_a_screen_tells_the_status_bar_and_opens_documents(open_ws, make_window, key: str) -> None:
    ws = open_ws()
    doc = ws.documents.save(ws.documents.new(DocumentKind.QUOTE))
    window = make_window(ws)
    window.show_page(key)
    page = window.page(key)
    assert isinstance(page, Screen)

    page.message.emit("Said by the page")
    assert window.statusBar().currentMessage() == "Said by the page"

    page.open_document.emit(doc.id)
    assert window.stack.currentWidget() is window.editor
    assert window.editor.doc.id == doc.id
    assert window.editor.back_button.text() == SCREENS[key]


def test_the_editor_opens_another_document_and_tells_the_status_bar(open_ws, make_window) -> None:
    ws = open_ws()
    first = ws.documents.save(ws.documents.new(DocumentKind.QUOTE))
    second = ws.documents.save(ws.documents.new(DocumentKind.INVOICE))
    window = make_window(ws)
    window.open_document(first.id)
    editor = window.editor

    editor.message.emit("Said by the editor")
    assert window.statusBar().currentMessage() == "Said by the editor"

    editor.open_document.emit(second.id)
    assert window.editor is editor
    assert editor.doc.id == second.id
    assert window.stack.currentWidget() is editor
