"""The screens refresh themselves from the event bus; the start-up page does not load the other screens."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from smartdesk.domain.documents import DocumentKind
from smartdesk.gui.events import events
from smartdesk.gui.pages.registry import REGISTRY, page_shortcut
from tests.support.waits import WAIT_MS


def _written_elsewhere(ws, doc_id: str, title: str) -> None:  # noqa: ANN001 - a Workspace
    """What a pull does: the stored document changes behind the editor's back."""
    ws.documents.save(replace(ws.documents.get(doc_id), title=title))


def test_editor_reloads_its_document_when_the_bus_names_it(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = ws.documents.save(replace(ws.documents.new(DocumentKind.QUOTE), title="First title"))
    other = ws.documents.new(DocumentKind.QUOTE)
    window = make_window(ws)
    window.open_document(doc.id)
    editor = window.editor
    assert editor.title_edit.text() == "First title"

    _written_elsewhere(ws, doc.id, "Changed on the phone")
    events().documents_changed.emit(frozenset({other.id}))  # another document: the editor stays as it is
    assert editor.title_edit.text() == "First title"
    events().documents_changed.emit(frozenset({doc.id}))
    # at once, or a moment later when a write of the window (opening the document) was still queued
    qtbot.waitUntil(lambda: editor.title_edit.text() == "Changed on the phone", timeout=WAIT_MS)
    assert not editor.undo_stack.canUndo()  # a fresh load, as when the document is opened


def test_editor_waits_for_the_members_pending_edits_before_reloading(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = ws.documents.save(replace(ws.documents.new(DocumentKind.INVOICE), title="Before"))
    window = make_window(ws)
    window.open_document(doc.id)
    editor = window.editor
    _written_elsewhere(ws, doc.id, "Pulled")

    release = threading.Event()
    window.tasks.write(lambda: release.wait(10))  # an edit still being saved
    assert window.tasks.pending
    events().documents_changed.emit(frozenset({doc.id}))
    assert editor.title_edit.text() == "Before"  # not while something is still being written
    release.set()
    qtbot.waitUntil(lambda: editor.title_edit.text() == "Pulled", timeout=10_000)


def test_a_list_on_screen_refreshes_when_documents_change(qtbot, open_ws, make_window):
    ws = open_ws()
    window = make_window(ws)
    window.show_page("invoices")
    page = window.page("invoices")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
    made = ws.documents.save(replace(ws.documents.new(DocumentKind.INVOICE), title="Made by sync"))
    events().documents_changed.emit(frozenset({made.id}))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.row_of(made.id) == 0


def test_the_editor_announces_what_it_saves(qtbot, open_ws, make_window):
    ws = open_ws()
    doc = ws.documents.new(DocumentKind.QUOTE)
    window = make_window(ws)
    window.open_document(doc.id)
    seen: list[object] = []
    events().documents_changed.connect(seen.append)
    try:
        window.editor.title_edit.setFocus()
        qtbot.keyClicks(window.editor.title_edit, "Workshop")
        window.tasks.flush()  # every keystroke's save is done
    finally:
        events().documents_changed.disconnect(seen.append)
    assert ws.documents.get(doc.id).title == "Workshop"
    assert seen and all(ids == frozenset({doc.id}) for ids in seen)  # one announcement per save, naming it


def test_registry_keys_shortcuts_and_factories():
    keys = [spec.key for spec in REGISTRY]
    assert keys == [
        "home",
        "quotes",
        "invoices",
        "credit_notes",
        "expense_notes",
        "clients",
        "activities",
        "questions",
        "followup",
        "settings",
        "glossary",
        "sync",
    ]
    assert [page_shortcut(k) for k in keys] == [
        "Alt+Home",
        "Ctrl+1",
        "Ctrl+2",
        "Ctrl+3",
        "Ctrl+4",
        "Ctrl+5",
        "Ctrl+6",
        "Ctrl+0",
        "",
        "Ctrl+7",
        "Ctrl+8",
        "Ctrl+9",
    ]


STARTUP = """
import sys
from PySide6.QtCore import QSettings
from smartdesk.gui.app import make_app
from smartdesk.services import Workspace
app = make_app([])
from smartdesk.gui.main_window import MainWindow
ws = Workspace.open(sys.argv[1])
ws.settings.set("first_run_done", True)
window = MainWindow(ws, settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
app.processEvents()
print(window.current_key())
print("\\n".join(sorted(m for m in sys.modules if m.startswith("smartdesk.gui"))))
window.close()
ws.close()
"""


def test_the_start_up_list_page_does_not_load_the_other_screens(tmp_path: Path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", STARTUP, str(tmp_path / "data"), str(tmp_path / "w.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out[0] == "home"  # the home page is the first screen
    loaded = set(out[1:])
    assert "smartdesk.gui.pages.home" in loaded
    assert "smartdesk.gui.documents.list_page" in loaded
    heavy = {
        m
        for m in loaded
        if m.startswith(
            (
                "smartdesk.gui.documents.editor",
                "smartdesk.gui.documents.preview",
                "smartdesk.gui.documents.raster",
                "smartdesk.gui.receipts.",
                "smartdesk.gui.pages.clients",
                "smartdesk.gui.pages.settings",
            )
        )
    }
    assert heavy == set()
