"""Opening the local SQLite store: pragmas, integrity check, backup, migrations.

- WAL journal, ``synchronous=FULL``, foreign keys on, a busy timeout for a second process.
- Integrity at open: SQLite must read the file; the full ``PRAGMA quick_check`` (seconds on a large
  store) runs after an unclean shutdown, when the file changed since SmartDesk closed it, and weekly.
  A damaged file is reported in plain words, never silently used.
- A copy of the database is taken before any migration, and one rotating daily backup (last 7 kept),
  taken on a background thread so opening never waits for it.
- Writes run in ``BEGIN IMMEDIATE`` transactions on a dedicated engine so two writers never deadlock.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdesk.errors import Message, StoreError
from smartdesk.store.connection import Database

if TYPE_CHECKING:
    from sqlalchemy import Engine

DB_NAME = "smartdesk.sqlite3"
BACKUP_DIR = "backups"
KEEP_DAILY_BACKUPS = 7
VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_REVISION_RE = re.compile(r"^revision\s*=\s*[\"']([\w-]+)[\"']\s*$", re.MULTILINE)
_DOWN_REVISION_RE = re.compile(r"^down_revision\s*=\s*(?:None|[\"']([\w-]+)[\"'])\s*$", re.MULTILINE)


@cache
def head_revision(versions: Path = VERSIONS_DIR) -> str:
    """The newest revision of the migration scripts, read from their text: opening a file that is
    already up to date must not import Alembic (decision 6). ``revision = "..."`` and
    ``down_revision = ...`` are the lines Alembic itself reads; a test checks that this is the head
    that Alembic's ``ScriptDirectory`` finds."""
    parents: dict[str, str | None] = {}
    for script in sorted(versions.glob("*.py")):
        text = script.read_text("utf-8")
        revision, down = _REVISION_RE.search(text), _DOWN_REVISION_RE.search(text)
        if revision is None or down is None:
            continue  # __init__.py
        parents[revision.group(1)] = down.group(1)
    heads = set(parents) - {p for p in parents.values() if p}
    if len(heads) != 1:
        raise RuntimeError(
            f"the local store's migrations must have one head, found {sorted(heads)} in {versions}"
        )
    return heads.pop()


def _migration_engine(path: Path) -> Engine:
    """SQLAlchemy is only needed by Alembic, to create or migrate the file: imported here, not at start."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    from smartdesk.store.connection import connect

    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, creator=lambda: connect(path))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def integrity_problem(path: Path) -> str | None:
    """None when the file is sound, else SQLite's first complaint."""
    try:
        con = sqlite3.connect(path)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if row and row[0] == "ok" else (row[0] if row else "unknown problem")


def current_revision(path: Path) -> str | None:
    con = sqlite3.connect(path)
    try:
        exists = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not exists:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def copy_database(path: Path, target: Path) -> Path:
    """A consistent copy through SQLite's backup API (safe while WAL has uncheckpointed pages)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


def rotate_daily_backup(path: Path, today: date | None = None) -> Path | None:
    """Keep one copy per day, the last KEEP_DAILY_BACKUPS days."""
    folder = path.parent / BACKUP_DIR
    day = (today or date.today()).isoformat()
    target = folder / f"smartdesk-{day}.sqlite3"
    if target.exists() or not path.exists():
        return None
    copy_database(path, target)
    daily = sorted(folder.glob("smartdesk-????-??-??.sqlite3"))
    for old in daily[:-KEEP_DAILY_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def migrate(path: Path) -> None:
    """Bring the file to the head revision; copy it first when it already holds data."""
    revision = current_revision(path) if path.exists() else None
    head = head_revision()
    if revision == head:
        return
    if revision is not None:
        copy_database(path, path.parent / BACKUP_DIR / f"before-migration-{revision}-to-{head}.sqlite3")
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    engine = _migration_engine(path)
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except CommandError as exc:
                raise StoreError(
                    Message(
                        "This data file was written by another version of SmartDesk (schema {revision}), which this "
                        "version does not know. Install the latest SmartDesk; your data is untouched and a copy is "
                        "in {backups}.",
                        revision=revision,
                        backups=str(path.parent / BACKUP_DIR),
                    )
                ) from exc
            conn.commit()
    finally:
        engine.dispose()


STATE_SUFFIX = ".state.json"
FULL_CHECK_EVERY = timedelta(days=7)


def _state_path(path: Path) -> Path:
    return path.with_name(path.name + STATE_SUFFIX)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_state_path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(path: Path, **state: Any) -> None:
    target = _state_path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(state), "utf-8")
    tmp.replace(target)


def needs_full_check(path: Path, now: datetime | None = None) -> bool:
    """A full ``quick_check`` (seconds on a large store) is due unless SmartDesk closed the file
    cleanly, nothing touched it since (same size and modification time, no WAL left), and the last
    full check is less than a week old."""
    state = _read_state(path)
    if not state.get("clean"):
        return True
    try:
        stat = path.stat()
    except OSError:
        return True
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return True
    if (stat.st_size, stat.st_mtime_ns) != (state.get("size"), state.get("mtime_ns")):
        return True
    try:
        checked = datetime.fromisoformat(state.get("checked_at", ""))
    except ValueError:
        return True
    return (now or datetime.now(UTC)) - checked > FULL_CHECK_EVERY


def header_problem(path: Path) -> str | None:
    """Cheap check: SQLite can read the file header and schema."""
    try:
        con = sqlite3.connect(path)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def mark_open(path: Path, checked_at: str) -> None:
    _write_state(path, clean=False, checked_at=checked_at)


def mark_clean_close(path: Path) -> None:
    """After the last connection closed: remember that the file is whole, and how it looks."""
    state = _read_state(path)
    try:
        stat = path.stat()
    except OSError:
        return
    _write_state(
        path, clean=True, size=stat.st_size, mtime_ns=stat.st_mtime_ns, checked_at=state.get("checked_at", "")
    )


def open_database(folder: Path) -> tuple[Database, threading.Thread | None]:
    """Check, migrate and (in the background) back up the store in ``folder``.

    Returns (the database, the backup thread or None).
    """
    path = folder / DB_NAME
    checked_at = _read_state(path).get("checked_at", "")
    if path.exists():
        full = needs_full_check(path)
        problem = integrity_problem(path) if full else header_problem(path)
        if problem:
            raise StoreError(
                Message(
                    "The SmartDesk data file {path} is damaged ({problem}). Nothing was changed. "
                    "Restore yesterday's copy from {backups} (Settings > Backup > Restore, "
                    "or `smartdesk restore FILE`), or send the file to support.",
                    path=str(path),
                    problem=problem,
                    backups=str(folder / BACKUP_DIR),
                )
            )
        if full:
            checked_at = datetime.now(UTC).isoformat()
    else:
        checked_at = datetime.now(UTC).isoformat()
    try:
        migrate(path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            Message(
                "SmartDesk could not prepare its data file {path} ({problem}). "
                "A copy taken before the change is in {backups}.",
                path=str(path),
                problem=str(exc),
                backups=str(folder / BACKUP_DIR),
            )
        ) from exc
    mark_open(path, checked_at)
    backup = None
    if not (folder / BACKUP_DIR / f"smartdesk-{date.today().isoformat()}.sqlite3").exists():
        backup = threading.Thread(
            target=_backup_quietly, args=(path,), name="smartdesk-daily-backup", daemon=True
        )
        backup.start()
    return Database(path), backup


def _backup_quietly(path: Path) -> None:
    """The daily copy runs beside the work; a failure is logged, never fatal (the next start retries)."""
    try:
        rotate_daily_backup(path)
    except (OSError, sqlite3.Error) as exc:
        logging.getLogger(__name__).warning("daily backup of %s failed: %s", path, exc)


def restore_file(backup: Path, folder: Path) -> Path:
    """Replace the store with a backup copy (the current file is kept aside first)."""
    problem = integrity_problem(backup)
    if problem:
        raise StoreError(
            Message(
                "{backup} is not a usable SmartDesk backup ({problem}).", backup=str(backup), problem=problem
            )
        )
    path = folder / DB_NAME
    if path.exists():
        copy_database(path, folder / BACKUP_DIR / "before-restore.sqlite3")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)
    return path
