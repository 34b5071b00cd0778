"""The window that says the data file cannot be opened speaks the member's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale

from smartdesk.gui.app import _saved_language
from smartdesk.services import Workspace
from smartdesk.store.database import DB_NAME


def test_the_saved_language_is_read_straight_from_the_file(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.settings.set("ui_language", "nl")
    assert _saved_language(tmp_path) == "nl"


def test_a_file_sqlite_cannot_read_falls_back_to_the_systems_language(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    assert _saved_language(tmp_path) == QLocale.system().name()[:2]
    assert _saved_language(tmp_path / "nowhere") == QLocale.system().name()[:2]
