"""Complete backups of the local data: one zip file, verified after writing, and putting one back.

A backup (``*.smartdesk-backup``, a zip, decision 0025) holds:

- ``smartdesk.sqlite3``: a consistent copy of the database made by SQLite's backup API (documents,
  clients, activities, the settings, unsent changes);
- ``attachments/<sha256>``: every file the copy refers to (receipt photos and PDFs, the brand logo),
  found the way the receipt clean-up finds them (``services.cleanup.hashes_in_file``);
- ``settings.json``: the settings as readable JSON (the database holds them too; this is for people);
- ``manifest.json``: format, date, app version, counts and the SHA-256 and size of every member.

The file is written next to its target as ``.part``, read back and checked (SQLite ``quick_check`` of
the copy and every member's hash) and only then renamed into place. Restoring reads and checks the
whole backup *before* anything is changed: a corrupt or incomplete backup is refused and the data
folder is left as it was. The data being replaced is first saved as a complete backup itself in
``backups/before-restore-<time>.smartdesk-backup``.

Old backups (a plain SQLite file, as SmartDesk made them up to 0.1) are still restored, with a
warning that they hold no receipts nor logo: files already in the data folder are kept, so the
restored documents find the receipts that are still there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartdesk import __version__
from smartdesk.errors import Message, StoreError
from smartdesk.services.cleanup import hashes_in_file
from smartdesk.store import database

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace

FORMAT = "smartdesk-backup"
FORMAT_VERSION = 1
SUFFIX = ".smartdesk-backup"
MANIFEST = "manifest.json"
DATABASE = "smartdesk.sqlite3"
SETTINGS = "settings.json"
ATTACHMENTS = "attachments/"
# bounds while reading a file someone hands us: a manifest is small, members are few and known by name
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
MAX_MEMBERS = 1_000_000
_SQLITE_MAGIC = b"SQLite format 3\x00"
_COUNTED = ("documents", "clients", "activities")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds, shown before it is restored."""

    path: Path
    created_at: datetime | None  # None for an old-format backup (a plain SQLite file)
    app_version: str
    documents: int
    clients: int
    activities: int
    attachments: int  # files inside the backup (receipts, logo)
    old_format: bool = False
    missing: tuple[str, ...] = field(default=())  # files the data referred to but could not be found


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _counts(db_path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            t: (int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) if t in tables else 0)
            for t in _COUNTED
        }
    finally:
        con.close()


def _settings(db_path: Path) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        out: dict[str, Any] = {}
        for key, value in con.execute("SELECT key, value FROM settings ORDER BY key"):
            try:
                out[str(key)] = json.loads(value)
            except (TypeError, ValueError):
                out[str(key)] = value
        return out
    except sqlite3.Error:
        return {}
    finally:
        con.close()


def _refused(path: Path, reason: Message) -> StoreError:
    return StoreError(
        Message("{backup} cannot be restored: {reason} Nothing was changed.", backup=str(path), reason=reason)
    )


def write_backup(
    db_path: Path, attachments_root: Path, target: Path, now: datetime | None = None
) -> BackupContents:
    """Write a complete backup of the database at ``db_path`` to ``target`` and verify it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    created = (now or datetime.now(UTC)).astimezone(UTC)
    with tempfile.TemporaryDirectory(prefix="smartdesk-backup-") as tmp:
        copy = Path(tmp) / DATABASE
        database.copy_database(db_path, copy)
        members: dict[str, dict[str, Any]] = {
            DATABASE: {"sha256": _sha256_file(copy), "size": copy.stat().st_size}
        }
        found: list[tuple[str, Path]] = []
        missing: list[str] = []
        for sha in sorted(hashes_in_file(copy)):
            source = attachments_root / sha[:2] / sha
            if source.is_file() and _sha256_file(source) == sha:
                found.append((sha, source))
                members[ATTACHMENTS + sha] = {"sha256": sha, "size": source.stat().st_size}
            else:
                # referred to but not here (or damaged): recorded and shown, never silently left out
                missing.append(sha)
        settings = json.dumps(_settings(copy), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        members[SETTINGS] = {"sha256": hashlib.sha256(settings).hexdigest(), "size": len(settings)}
        counts = _counts(copy)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "app_version": __version__,
            "counts": {**counts, "attachments": len(found)},
            "missing": missing,
            "members": members,
        }
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            zf.write(copy, DATABASE)
            zf.writestr(SETTINGS, settings)
            for sha, source in found:
                # photos and PDFs are compressed already: store them as they are
                zf.write(source, ATTACHMENTS + sha, compress_type=zipfile.ZIP_STORED)
    try:
        contents = read_backup(part)
    except StoreError:
        part.unlink(missing_ok=True)
        raise StoreError(
            Message(
                "The backup written to {path} did not read back correctly; it was removed.", path=str(target)
            )
        ) from None
    part.replace(target)
    return BackupContents(**{**contents.__dict__, "path": target})


def _read_manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise _refused(
            path, Message("it has no manifest (it is not a SmartDesk backup, or it is incomplete).")
        ) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refused(path, Message("its manifest is too large."))
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError):
        raise _refused(path, Message("its manifest cannot be read.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused(path, Message("it is not a SmartDesk backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refused(path, Message("it was made by a newer SmartDesk; update SmartDesk first."))
    members = manifest.get("members")
    if not isinstance(members, dict) or DATABASE not in members or len(members) > MAX_MEMBERS:
        raise _refused(path, Message("its list of files is damaged."))
    return manifest


def _check_members(
    zf: zipfile.ZipFile, manifest: dict[str, Any], path: Path, extract_to: Path | None
) -> None:
    """Every member listed, present, of the right size and hash (and no file outside the list)."""
    names = set(zf.namelist()) - {MANIFEST}
    listed = set(manifest["members"])
    if listed - names:
        raise _refused(path, Message("{n} of its files are missing.", n=len(listed - names)))
    if names - listed:
        raise _refused(path, Message("it holds files its manifest does not list."))
    for name, meta in manifest["members"].items():
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            raise _refused(path, Message("its list of files is damaged."))
        if name.startswith(ATTACHMENTS) and (
            name[len(ATTACHMENTS) :] != meta["sha256"] or "/" in name[len(ATTACHMENTS) :]
        ):
            raise _refused(path, Message("its list of files is damaged."))
        if name not in (DATABASE, SETTINGS) and not name.startswith(ATTACHMENTS):
            raise _refused(path, Message("its list of files is damaged."))
        info = zf.getinfo(name)
        if info.file_size != meta.get("size"):
            raise _refused(path, Message("the file {name} inside it is damaged.", name=name))
        digest = hashlib.sha256()
        out = None
        if extract_to is not None:
            dest = extract_to / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            out = dest.open("wb")
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError):
            raise _refused(path, Message("the file {name} inside it is damaged.", name=name)) from None
        finally:
            if out is not None:
                out.close()
        if digest.hexdigest() != meta["sha256"]:
            raise _refused(path, Message("the file {name} inside it is damaged.", name=name))


def _is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def read_backup(path: Path, extract_to: Path | None = None) -> BackupContents:
    """Check a whole backup (every hash, the database's integrity) and say what it holds.

    With ``extract_to``, its files are written there while they are checked. Raises ``StoreError``
    with a plain sentence for anything that is not a sound, complete SmartDesk backup.
    """
    path = Path(path)
    if not path.is_file():
        raise _refused(path, Message("the file does not exist."))
    if _is_plain_sqlite(path):
        problem = database.integrity_problem(path)
        if problem:
            raise _refused(path, Message("its database is damaged ({problem}).", problem=problem))
        if extract_to is not None:
            extract_to.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, extract_to / DATABASE)
        counts = _counts(path)
        return BackupContents(
            path, None, "", counts["documents"], counts["clients"], counts["activities"], 0, True
        )
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(zf, path)
            with tempfile.TemporaryDirectory(prefix="smartdesk-check-") as tmp:
                target = extract_to if extract_to is not None else Path(tmp)
                _check_members(zf, manifest, path, target)
                problem = database.integrity_problem(target / DATABASE)
                if problem:
                    raise _refused(path, Message("its database is damaged ({problem}).", problem=problem))
                counts = _counts(target / DATABASE)
    except zipfile.BadZipFile:
        raise _refused(path, Message("it is damaged or incomplete (not a readable zip file).")) from None
    try:
        created: datetime | None = datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        created = None
    attachments = sum(1 for n in manifest["members"] if n.startswith(ATTACHMENTS))
    missing = manifest.get("missing")
    return BackupContents(
        path,
        created,
        str(manifest.get("app_version", ""))[:40],
        counts["documents"],
        counts["clients"],
        counts["activities"],
        attachments,
        False,
        tuple(str(m)[:64] for m in missing[:1000]) if isinstance(missing, list) else (),
    )


class BackupService:
    """``ws.backup``: complete backups of the local data, and putting one back."""

    def __init__(self, ws: Workspace, clock: Callable[[], datetime] | None = None) -> None:
        self._ws = ws
        self._clock = clock or (lambda: datetime.now(UTC))
        self.replaced: Path | None = None  # the backup of the data the last restore replaced

    def save(self, target: Path) -> Path:
        """Write a complete, verified backup; returns its path."""
        return self.make(target).path

    def make(self, target: Path) -> BackupContents:
        ws = self._ws
        return write_backup(ws.store.path, ws.attachments.root, Path(target), now=self._clock())

    def inspect(self, backup: Path) -> BackupContents:
        """Check a backup fully and say what it holds (nothing is changed)."""
        return read_backup(Path(backup))

    def restore(self, backup: Path) -> BackupContents:
        """Replace the local data with a backup.

        The backup is checked and unpacked first: if anything is wrong nothing changes. The data being
        replaced is saved as a complete backup in ``backups/`` (its path is ``replaced``); then the
        database is put in place, the attachments are added (files already there are kept) and the
        workspace reopens its store, so every service sees the restored data.
        """
        ws = self._ws
        folder = ws.store.folder
        with tempfile.TemporaryDirectory(prefix="smartdesk-restore-", dir=folder) as tmp:
            unpacked = Path(tmp)
            contents = read_backup(Path(backup), extract_to=unpacked)
            stamp = self._clock().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
            self.replaced = write_backup(
                ws.store.path,
                ws.attachments.root,
                folder / database.BACKUP_DIR / f"before-restore-{stamp}{SUFFIX}",
                now=self._clock(),
            ).path
            attachments = ws.attachments
            source = unpacked / ATTACHMENTS
            if source.is_dir():
                for item in sorted(source.iterdir()):
                    attachments.put_file(item, "application/octet-stream", expected_sha256=item.name)
            ws.store.close()
            try:
                database.restore_file(unpacked / DATABASE, folder)
            finally:
                ws.reopen()
        return contents
