"""Receipt files no document uses any more: found, kept for a while, then removed.

Receipts (and the brand logo) live in the content-addressed attachment store, one file per SHA-256.
Deleting an expense note, replacing a photo or rotating it leaves the old file behind; without this
the data folder only grows. The rule is deliberately careful:

- a file is *in use* when its hash appears anywhere a record can bring it back: document bodies
  (receipts, and the archived PDF of an issued document),
  unsent changes (outbox), conflicts held for the member, what the cooperative sent (``sync_records``),
  the settings (logo), **and the same in every backup copy** in ``backups/`` (restoring a backup must
  find its receipts);
- every file in use gets its modification time refreshed at each run, so a file's age is "time since
  it was last seen in use" (or since it was written);
- a file not in use is removed only when that age is over 30 days.

The app runs this when it closes, at most once a week (nothing in an undo history can then point to a
removed file); ``smartdesk clean-receipts`` runs it by hand (``--dry-run`` lists without removing).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

KEEP_UNUSED = timedelta(days=30)
RUN_EVERY = timedelta(days=7)
LAST_RUN_SETTING = "receipts_cleaned_at"
_TOUCH_AFTER_S = 24 * 3600  # refresh the age of a file in use at most once a day
_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")

# (table, text columns, a cheap SQL filter that keeps only rows that can hold a hash)
_SOURCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("document_bodies", ("body",), "instr(body, 'receipts') > 0 OR instr(body, 'archive_sha256') > 0"),
    ("settings", ("value",), ""),
    ("outbox", ("args",), ""),
    ("sync_conflicts", ("server_value", "local_value"), ""),
    ("sync_records", ("body",), ""),
)


@dataclass(frozen=True)
class CleanupReport:
    in_use: int  # files kept because a record (or a backup) uses them
    waiting: int  # unused files kept until they are 30 days unused
    removed: int
    freed_bytes: int
    skipped_backups: tuple[str, ...] = ()  # backup files that could not be read (their receipts are kept)


def hashes_in_file(db_path: Path) -> set[str]:
    """Every attachment hash a SmartDesk data file (the live one or a backup) refers to, read-only."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found: set[str] = set()
        for table, columns, where in _SOURCES:
            if table not in tables:
                continue
            sql = f"SELECT {', '.join(columns)} FROM {table}" + (f" WHERE {where}" if where else "")
            for row in con.execute(sql):
                for value in row:
                    if value:
                        found.update(_HASH.findall(value))
        return found
    finally:
        con.close()


def is_due(ws: Workspace, now: datetime | None = None) -> bool:
    last = ws.settings.get(LAST_RUN_SETTING)
    try:
        done = datetime.fromisoformat(str(last)) if last else None
    except ValueError:
        done = None
    return done is None or (now or datetime.now(UTC)) - done >= RUN_EVERY


def clean_receipts(ws: Workspace, *, dry_run: bool = False, now: float | None = None) -> CleanupReport:
    """Remove receipt files unused for 30 days (see the module's rule). Never raises for one bad file."""
    store, files = ws.store, ws.attachments
    in_use = hashes_in_file(store.path)
    skipped: list[str] = []
    for backup in sorted((store.path.parent / "backups").glob("*.sqlite3")):
        try:
            in_use |= hashes_in_file(backup)
        except sqlite3.Error:
            skipped.append(backup.name)
    if skipped:
        # a backup we cannot read might still be restorable by support: keep every file
        logging.getLogger(__name__).warning("backups not readable, no receipt removed: %s", skipped)
    clock = time.time() if now is None else now
    kept = waiting = removed = freed = 0
    gone: list[str] = []
    for sha in list(files.iter_hashes()):
        path = files.path(sha)
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if sha in in_use:
            kept += 1
            if not dry_run and clock - stat.st_mtime > _TOUCH_AFTER_S:
                os.utime(path, (clock, clock))
            continue
        if skipped or clock - stat.st_mtime < KEEP_UNUSED.total_seconds():
            waiting += 1
            continue
        if not dry_run:
            files.delete(sha)
            gone.append(sha)
        removed += 1
        freed += stat.st_size
    if gone:
        store.forget_attachments(gone)
    if not dry_run:
        ws.settings.set(LAST_RUN_SETTING, datetime.fromtimestamp(clock, UTC).isoformat())
    return CleanupReport(kept, waiting, removed, freed, tuple(skipped))


def clean_receipts_if_due(ws: Workspace) -> CleanupReport | None:
    """What the app calls when it closes: once a week at most; a failure is logged, never shown."""
    try:
        if not is_due(ws):
            return None
        return clean_receipts(ws)
    except (OSError, sqlite3.Error) as exc:
        logging.getLogger(__name__).warning("receipt clean-up skipped: %s", exc)
        return None
