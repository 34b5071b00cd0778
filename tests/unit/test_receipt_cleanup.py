"""Unused receipt files are removed after 30 days, never while a record or a backup still uses them."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from smartdesk.cli import main as cli_main
from smartdesk.domain.documents import DocumentKind
from smartdesk.services import Workspace
from smartdesk.services.cleanup import KEEP_UNUSED, clean_receipts, clean_receipts_if_due, hashes_in_file
from smartdesk.store import database

DAY = 24 * 3600


def _photo(color: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buf, "JPEG")
    return buf.getvalue()


def _age(ws: Workspace, sha: str, days: float) -> None:
    """Pretend the file was last written (or last seen in use) ``days`` ago."""
    then = time.time() - days * DAY
    os.utime(ws.attachments.path(sha), (then, then))


def _note_with_receipt(ws: Workspace, color: str) -> tuple[str, str]:
    note = ws.documents.new(DocumentKind.EXPENSE_NOTE)
    sha = ws.receipts.add(note.id, [(_photo(color), f"{color}.jpg")]).hashes[0]
    return note.id, sha


def _no_backups(ws: Workspace) -> None:
    """Start from a data folder without backup copies (the daily one taken at open is removed)."""
    if ws.store._backup is not None:
        ws.store._backup.join()
    for f in (ws.folder / "backups").glob("*"):
        f.unlink()


def test_a_receipt_in_use_is_kept_however_old(workspace: Workspace) -> None:
    _, sha = _note_with_receipt(workspace, "red")
    _age(workspace, sha, 400)
    report = clean_receipts(workspace)
    assert workspace.attachments.exists(sha)
    assert report.removed == 0 and report.in_use == 1
    assert time.time() - workspace.attachments.path(sha).stat().st_mtime < 60, "its age starts again"


def test_an_unused_receipt_waits_30_days_then_goes_with_its_thumbnails_and_row(workspace: Workspace) -> None:
    _no_backups(workspace)
    note_id, sha = _note_with_receipt(workspace, "blue")
    workspace.attachments.thumbnail(sha, 128)
    workspace.documents.delete(note_id)
    with workspace.store.write() as conn:  # as after a sync: the deletion was sent
        workspace.store.drop_acknowledged(conn, 10**9)
    _age(workspace, sha, KEEP_UNUSED.days - 1)
    young = clean_receipts(workspace)
    assert (young.removed, young.waiting) == (0, 1) and workspace.attachments.exists(sha)

    _age(workspace, sha, KEEP_UNUSED.days + 1)
    dry = clean_receipts(workspace, dry_run=True)
    assert dry.removed == 1 and workspace.attachments.exists(sha), "a dry run removes nothing"

    size = workspace.attachments.path(sha).stat().st_size
    report = clean_receipts(workspace)
    assert (report.removed, report.freed_bytes) == (1, size)
    assert not workspace.attachments.exists(sha)
    assert not list((workspace.attachments.root / "thumbs").rglob(f"{sha}-*"))
    with workspace.store.read() as conn:
        assert conn.execute("SELECT COUNT(*) FROM attachments WHERE sha256 = ?", (sha,)).scalar_one() == 0


def test_a_backup_that_still_uses_a_receipt_keeps_it(workspace: Workspace, tmp_path: Path) -> None:
    _no_backups(workspace)
    note_id, sha = _note_with_receipt(workspace, "green")
    # a database copy in backups/ (the daily ones and the one taken by a restore are plain SQLite files;
    # complete backups, zips, carry their own receipts)
    database.copy_database(workspace.store.path, workspace.folder / "backups" / "before-restore.sqlite3")
    assert sha in hashes_in_file(workspace.folder / "backups" / "before-restore.sqlite3")
    workspace.documents.delete(note_id)
    with workspace.store.write() as conn:
        workspace.store.drop_acknowledged(conn, 10**9)
    _age(workspace, sha, 90)
    assert clean_receipts(workspace).removed == 0 and workspace.attachments.exists(sha)

    (workspace.folder / "backups" / "before-restore.sqlite3").write_bytes(b"not a database at all")
    report = clean_receipts(workspace)
    assert report.skipped_backups == ("before-restore.sqlite3",)
    assert report.removed == 0 and workspace.attachments.exists(sha), "an unreadable backup: remove nothing"


def test_an_unsent_deletion_and_the_brand_logo_keep_their_files(workspace: Workspace) -> None:
    _no_backups(workspace)
    note_id, sha = _note_with_receipt(workspace, "yellow")
    workspace.documents.delete(note_id)  # not synced: the outbox still holds the note's earlier puts
    logo = workspace.attachments.put_bytes(_photo("black"), "image/jpeg").sha256
    profile = workspace.profile.get()
    profile.brand.logo_sha256 = logo
    workspace.profile.save(profile)
    for h in (sha, logo):
        _age(workspace, h, 365)
    assert clean_receipts(workspace).removed == 0
    assert workspace.attachments.exists(sha) and workspace.attachments.exists(logo)


def test_the_app_cleans_once_a_week_and_the_cli_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        assert clean_receipts_if_due(ws) is not None
        assert clean_receipts_if_due(ws) is None, "not again within the week"
    assert cli_main(["--data-dir", str(folder), "receipt", "clean", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Would remove 0 receipt file(s) that no document has used for 30 days")
