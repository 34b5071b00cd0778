"""Backups of the local data: a consistent copy of the database, and putting one back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smartdesk.store import database

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class BackupService:
    """``ws.backup``: a consistent copy of the local database, and putting one back."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def save(self, target: Path) -> Path:
        return database.copy_database(self._ws.store.path, Path(target))

    def restore(self, backup: Path) -> None:
        """Replace the local data with a backup (the previous data is kept in the backups folder).
        The workspace reopens its store: every service sees the restored data."""
        folder = self._ws.store.folder
        self._ws.store.close()
        database.restore_file(Path(backup), folder)
        self._ws.reopen()
