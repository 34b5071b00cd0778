"""Complete backups: one verified zip with the database, every receipt and the logo; restore checks first."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from smartdesk.domain.documents import DocumentKind
from smartdesk.errors import NotFoundError, StoreError
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.services.backup import read_backup
from smartdesk.store import database


def _photo(color: str, size: tuple[int, int] = (320, 240)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG" if color == "logo" else "JPEG")
    return buf.getvalue()


def _logo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (120, 60), "purple").save(buf, "PNG")
    return buf.getvalue()


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _note_two_receipts_and_logo(ws: Workspace) -> str:
    note = ws.documents.new(DocumentKind.EXPENSE_NOTE)
    ws.receipts.add(note.id, [(_photo("red"), "red.jpg")])
    ws.receipts.add(note.id, [(_photo("blue"), "blue.jpg")])
    profile = ws.profile.get()
    profile.brand.logo_sha256 = ws.attachments.put_bytes(_logo(), "image/png").sha256
    ws.profile.save(profile)
    return note.id


def _wipe(folder: Path) -> None:
    shutil.rmtree(folder)


def test_backup_holds_receipts_and_logo_and_restore_brings_them_back(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "data")
    note_id = _note_two_receipts_and_logo(ws)
    before = ws.pdf.render(note_id)
    pages_before, images_before = len(PdfReader(io.BytesIO(before)).pages), _images(before)
    assert images_before >= 3  # the logo and two receipt photos
    contents = ws.backup.make(tmp_path / "mine.smartdesk-backup")
    ws.close()
    assert contents.attachments == 3 and contents.documents == 1 and not contents.old_format
    with zipfile.ZipFile(contents.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"manifest.json", "smartdesk.sqlite3", "settings.json"} <= names
    assert len([n for n in names if n.startswith("attachments/")]) == 3
    assert manifest["counts"]["attachments"] == 3 and manifest["app_version"]

    _wipe(tmp_path / "data")
    ws = Workspace.open(tmp_path / "data")
    try:
        with pytest.raises(NotFoundError):
            ws.pdf.render(note_id)  # the wiped folder has no such note
        restored = ws.backup.restore(contents.path)
        assert restored.documents == 1
        after = ws.pdf.render(note_id)
        assert len(PdfReader(io.BytesIO(after)).pages) == pages_before
        assert _images(after) == images_before
        assert ws.profile.get().brand.logo_sha256
    finally:
        ws.close()


def test_the_old_plain_sqlite_backup_lost_the_receipts(tmp_path: Path) -> None:
    """The defect: a backup that is only the SQLite file leaves the receipts out. A complete backup
    restored in a wiped folder renders the receipts; an old one is flagged as holding none."""
    ws = Workspace.open(tmp_path / "data")
    _note_two_receipts_and_logo(ws)
    database.copy_database(ws.store.path, tmp_path / "old.sqlite")
    ws.close()
    old = read_backup(tmp_path / "old.sqlite")
    assert old.old_format and old.attachments == 0 and old.documents == 1


def _backup(tmp_path: Path) -> tuple[Path, Path]:
    ws = Workspace.open(tmp_path / "data")
    _note_two_receipts_and_logo(ws)
    path = ws.backup.save(tmp_path / "b.smartdesk-backup")
    ws.documents.new(DocumentKind.INVOICE)  # the live data now differs from the backup
    ws.close()
    return path, tmp_path / "data"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "backups" not in p.parts and not p.name.endswith(("-wal", "-shm", ".state.json"))
    }


def _rewrite(src: Path, dst: Path, change: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if change == "drop-receipt" and item.filename.startswith("attachments/"):
                change = "done"
                continue
            if change == "flip-receipt" and item.filename.startswith("attachments/"):
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
                change = "done"
            zout.writestr(item, data)


@pytest.mark.parametrize("damage", ["truncated", "drop-receipt", "flip-receipt", "not-a-backup"])
def test_a_corrupt_or_incomplete_backup_is_refused_and_nothing_changes(tmp_path: Path, damage: str) -> None:
    good, folder = _backup(tmp_path)
    bad = tmp_path / "bad.smartdesk-backup"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "not-a-backup":
        bad.write_bytes(b"hello, this is a text file\n" * 10)
    else:
        _rewrite(good, bad, damage)
    ws = Workspace.open(folder)
    try:
        ws.store.close()
        snap = _snapshot(folder)
        ws.reopen()
        with pytest.raises(StoreError) as err:
            ws.backup.restore(bad)
        assert "Nothing was changed" in str(err.value)
        ws.store.close()
        assert _snapshot(folder) == snap
        ws.reopen()
    finally:
        ws.close()


def test_restore_keeps_the_replaced_data_as_a_complete_backup(tmp_path: Path) -> None:
    good, folder = _backup(tmp_path)
    ws = Workspace.open(folder)
    try:
        with sqlite3.connect(ws.store.path) as con:
            live_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        ws.backup.restore(good)
        kept = sorted((folder / "backups").glob("before-restore-*.smartdesk-backup"))
        assert len(kept) == 1
        assert read_backup(kept[0]).documents == live_docs == 2
        with sqlite3.connect(ws.store.path) as con:
            assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        ws.close()


def test_cli_backup_then_restore_asks_unless_yes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from smartdesk.cli import main as cli_main

    folder = tmp_path / "data"
    ws = Workspace.open(folder)
    note_id = _note_two_receipts_and_logo(ws)
    ws.close()
    target = tmp_path / "cli.smartdesk-backup"
    assert cli_main(["--data-dir", str(folder), "backup", str(target)]) == 0
    assert "3 files" in capsys.readouterr().out
    _wipe(folder)
    # standard input is not a terminal under pytest: without --yes nothing is replaced
    assert cli_main(["--data-dir", str(folder), "restore", str(target)]) == 1
    out = capsys.readouterr().out
    assert "1 documents" in out and "Nothing was changed" in out
    assert cli_main(["--data-dir", str(folder), "restore", str(target), "--yes"]) == 0
    assert "Restored" in capsys.readouterr().out
    ws = Workspace.open(folder)
    try:
        assert _images(ws.pdf.render(note_id)) >= 3
    finally:
        ws.close()
    bad = tmp_path / "bad.smartdesk-backup"
    bad.write_bytes(target.read_bytes()[:-200])
    assert cli_main(["--data-dir", str(folder), "restore", str(bad), "--yes"]) != 0
    assert "Nothing was changed" in capsys.readouterr().err


def test_demo_data_never_goes_into_the_members_own_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The defect: ``./scripts/start demo-data`` wrote sample invoices into the real data folder."""
    from smartdesk import paths
    from smartdesk.cli import main as cli_main

    own, demo = tmp_path / "own", tmp_path / "demo"
    monkeypatch.delenv(paths.ENV_DATA_DIR, raising=False)
    monkeypatch.setattr(
        paths, "user_data_dir", lambda app, org: str(demo if app == paths.DEMO_APP_NAME else own)
    )
    assert cli_main(["demo-data", "--documents", "5"]) == 0
    out = capsys.readouterr().out
    assert str(demo) in out and "not your own data" in out
    with Workspace.open(demo) as ws:
        assert ws.documents.count(DocumentQuery()) == 5
    assert not (own / database.DB_NAME).exists()
