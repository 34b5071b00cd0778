"""Saved databases of earlier releases open in today's SmartDesk, whole (ARCHITECTURE rule 8).

After Electrum's ``test_storage_upgrade``: the files under tests/fixtures/store-0001/ were written
once by the release that had revision 0001 (see their README); here they are upgraded to the head
revision and every document, client, receipt and setting in them is read back and compared with
``expected.json``, the values that went in (written from the inputs, not read from the files).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smartdesk.domain.documents import DocumentKind
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.store import database
from smartdesk.sync import local
from tests.support.processes import run_python

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "store-0001"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
SYNC_TABLES = {"sync_conflicts", "sync_rejections", "sync_blobs_done", "sync_records"}


def _schema(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Everything SQLite knows of a file's schema: (type, name) -> (table, CREATE statement)."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        con.close()
    return {(t, n): (tbl, sql) for t, n, tbl, sql in rows}


def _tables(path: Path) -> set[str]:
    return {name for (kind, name) in _schema(path) if kind == "table"}


def _revision(path: Path) -> str | None:
    return database.current_revision(path)


def _data_folder(tmp_path: Path, saved: str) -> Path:
    """A data folder holding a copy of a saved file and its receipts (the fixture itself never changes)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(FIXTURES / saved, folder / database.DB_NAME)
    shutil.copytree(FIXTURES / "attachments", folder / "attachments")
    return folder


def _fresh_file(tmp_path: Path) -> Path:
    folder = tmp_path / "fresh"
    Workspace.open(folder).close()
    return folder / database.DB_NAME


@pytest.mark.parametrize("saved", ["offline.sqlite3", "synced.sqlite3"])
def test_the_saved_files_are_at_revision_0001(saved: str) -> None:
    """The premise of every test below: the fixtures are the old schema, and the offline one has no
    sync tables (they were made on the fly by a first sync)."""
    path = FIXTURES / saved
    assert _revision(path) == "0001"
    assert SYNC_TABLES & _tables(path) == (SYNC_TABLES if saved == "synced.sqlite3" else set())


def test_head_is_read_from_the_scripts_as_alembic_reads_it() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(database.VERSIONS_DIR.parent))
    assert database.head_revision() == ScriptDirectory.from_config(config).get_current_head()
    assert database.head_revision() == "0003"


def test_a_second_head_is_refused(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    shutil.copytree(database.VERSIONS_DIR, versions, ignore=shutil.ignore_patterns("__pycache__"))
    (versions / "0003_other.py").write_text('revision = "0003"\ndown_revision = "0001"\n', "utf-8")
    with pytest.raises(RuntimeError, match="one head"):
        database.head_revision(versions)


@pytest.mark.parametrize("saved", ["offline.sqlite3", "synced.sqlite3"])
def test_an_upgraded_file_has_the_schema_of_a_fresh_one(tmp_path: Path, saved: str) -> None:
    folder = _data_folder(tmp_path, saved)
    Workspace.open(folder).close()
    upgraded = _schema(folder / database.DB_NAME)
    fresh = _schema(_fresh_file(tmp_path))
    assert upgraded == fresh
    assert _revision(folder / database.DB_NAME) == database.head_revision()


def test_0001_builds_exactly_the_saved_release_schema(tmp_path: Path) -> None:
    """The frozen 0001 and the tables that release made (from its own file, not from today's code)."""
    path = tmp_path / database.DB_NAME
    _upgrade_to(path, "0001")
    assert _schema(path) == _schema(FIXTURES / "offline.sqlite3")


def test_0002_makes_the_sync_tables_as_the_release_made_them_on_the_fly(tmp_path: Path) -> None:
    path = tmp_path / database.DB_NAME
    _upgrade_to(path, "0001")
    assert not SYNC_TABLES & _tables(path)
    _upgrade_to(path, "0002")  # later revisions add to it (0003: the home page's indexes)
    assert _schema(path) == _schema(FIXTURES / "synced.sqlite3")
    assert SYNC_TABLES <= _tables(path)


def test_0003_adds_the_home_page_indexes(tmp_path: Path) -> None:
    path = tmp_path / database.DB_NAME
    _upgrade_to(path, "0002")
    before = _schema(path)
    database.migrate(path)
    after = _schema(path)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else changes
    assert set(after) - set(before) == {
        ("index", "ix_documents_receivable"),
        ("index", "ix_documents_revenue"),
    }


def _upgrade_to(path: Path, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(database.VERSIONS_DIR.parent))
    engine = database._migration_engine(path)
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
    finally:
        engine.dispose()


@pytest.mark.parametrize("saved", ["offline.sqlite3", "synced.sqlite3"])
def test_a_copy_is_taken_before_migrating(tmp_path: Path, saved: str) -> None:
    folder = _data_folder(tmp_path, saved)
    before = (folder / database.DB_NAME).read_bytes()
    Workspace.open(folder).close()
    copy = folder / "backups" / f"before-migration-0001-to-{database.head_revision()}.sqlite3"
    assert copy.exists()
    assert _revision(copy) == "0001"
    assert _schema(copy) == _schema(FIXTURES / saved)
    con_old, con_copy = sqlite3.connect(FIXTURES / saved), sqlite3.connect(copy)
    try:
        for table in ("documents", "document_bodies", "clients", "outbox", "settings", "attachments"):
            query = f"SELECT * FROM {table} ORDER BY rowid"
            assert con_copy.execute(query).fetchall() == con_old.execute(query).fetchall(), table
    finally:
        con_old.close()
        con_copy.close()
    assert (folder / database.DB_NAME).read_bytes() != before, "the file itself was upgraded"
    Workspace.open(folder).close()  # at head now: no second copy, nothing to migrate
    assert sorted(p.name for p in (folder / "backups").glob("before-migration-*")) == [copy.name]


def _document_ids(saved: str) -> list[str]:
    pulled = EXPECTED["sync"]["pulled_document"]
    return [i for i in EXPECTED["documents"] if saved == "synced.sqlite3" or i != pulled]


@pytest.mark.parametrize("saved", ["offline.sqlite3", "synced.sqlite3"])
def test_every_document_client_and_receipt_reads_back(tmp_path: Path, saved: str) -> None:
    with Workspace.open(_data_folder(tmp_path, saved)) as ws:
        ids = _document_ids(saved)
        assert len(ids) >= 52
        rows = {r.id: r for r in ws.documents.list(DocumentQuery(limit=1000)).rows}
        assert set(rows) == set(ids)
        for doc_id in ids:
            want = EXPECTED["documents"][doc_id]
            doc = ws.documents.get(doc_id)
            got = {
                "kind": doc.kind.value,
                "status": doc.status,
                "number": doc.number,
                "title": doc.title,
                "client_id": doc.client_id,
                "activity_id": doc.activity_id,
                "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
                "due_date": doc.due_date.isoformat() if doc.due_date else None,
                "paid_amount": str(doc.paid_amount),
                "lines": [[x.description, str(x.quantity), str(x.unit_price)] for x in doc.lines],
                "expense_lines": [
                    [e.supplier, str(e.amount_incl), list(e.receipts)] for e in doc.expense_lines
                ],
            }
            assert got == {k: v for k, v in want.items() if k not in ("id", "total_incl")}, doc_id
            row = rows[doc_id]
            assert row.total_incl == Decimal(want["total_incl"]), doc_id
            assert (row.kind.value, row.status, row.number) == (want["kind"], want["status"], want["number"])
            assert row.issue_date == (date.fromisoformat(want["issue_date"]) if want["issue_date"] else None)
        live = {c.id for c in ws.clients.list()}
        assert live == {i for i, c in EXPECTED["clients"].items() if not c["deleted"]}
        for client_id, want in EXPECTED["clients"].items():
            client = ws.clients.get(client_id)
            assert (
                client.name,
                client.address.country,
                client.address.city,
                client.vat_number,
                client.email,
                client.language,
            ) == (
                want["name"],
                want["country"],
                want["city"],
                want["vat_number"],
                want["email"],
                want["language"],
            )
        assert {a.id: (a.name, a.code, a.entity) for a in ws.activities.list()} == {
            i: (a["name"], a["code"], a["entity"]) for i, a in EXPECTED["activities"].items()
        }
        receipts = EXPECTED["receipts"]
        assert len(receipts) == 2
        for sha in receipts:
            assert ws.attachments.verify(sha), "the receipt's file is whole (its bytes hash to its name)"
            assert ws.store.documents_with_receipt(sha) == [
                i for i, d in EXPECTED["documents"].items() if any(sha in e[2] for e in d["expense_lines"])
            ]
        assert ws.documents.search("SNCB")[0].kind == "document"


@pytest.mark.parametrize("saved", ["offline.sqlite3", "synced.sqlite3"])
def test_settings_outbox_and_followup_read_back(tmp_path: Path, saved: str) -> None:
    with Workspace.open(_data_folder(tmp_path, saved)) as ws:
        for key, value in EXPECTED["settings"].items():
            assert ws.settings.get(key) == value, key
        profile = ws.profile.get()
        assert (profile.id, profile.first_name, profile.last_name) == (
            EXPECTED["profile"]["id"],
            EXPECTED["profile"]["first_name"],
            EXPECTED["profile"]["last_name"],
        )
        [snippet] = [s for s in ws.snippets.list() if s.id == EXPECTED["snippet"]["id"]]
        assert (snippet.title, snippet.body) == (EXPECTED["snippet"]["title"], EXPECTED["snippet"]["body"])
        assert ws.store.outbox_count() == EXPECTED["outbox_count"]
        override = EXPECTED["followup_override"]
        effective = ws.followup.settings().effective(override["step"], override["document_id"])
        assert (effective.hold, effective.notify_days_before, effective.pending) == (
            override["hold"],
            override["notify_days_before"],
            True,
        )
        # and the file takes new work: an edit with its outbox entry
        doc = ws.documents.new(DocumentKind.QUOTE)
        assert ws.store.outbox_count() == EXPECTED["outbox_count"] + 1
        assert ws.documents.get(doc.id).status == "draft"


def test_the_synced_file_keeps_its_sync_state(tmp_path: Path) -> None:
    with Workspace.open(_data_folder(tmp_path, "synced.sqlite3")) as ws:
        want = EXPECTED["sync"]
        assert local.client_id(ws.store) == want["client_id"]
        assert local.get_cursor(ws.store) == want["cursor"]
        assert ws.store.server_version(want["pulled_document"]) == want["pulled_server_version"]
        [conflict] = local.list_conflicts(ws.store)
        assert (conflict.entity_id, conflict.state) == (want["held_conflict"], "held")
        assert conflict.server_value is not None and conflict.server_value["title"] == want["held_title"]
        assert [r.mutation_id for r in local.list_rejections(ws.store)] == [want["rejected_mutation"]]
        default = ws.followup.settings().effective(want["followup_default"]["step"])
        assert (default.hold, default.notify_days_before) == (
            want["followup_default"]["hold"],
            want["followup_default"]["notify_days_before"],
        )


def test_the_offline_file_gets_empty_sync_tables(tmp_path: Path) -> None:
    with Workspace.open(_data_folder(tmp_path, "offline.sqlite3")) as ws:
        assert local.list_conflicts(ws.store) == [] and local.list_rejections(ws.store) == []
        assert local.get_cursor(ws.store) is None
        with ws.store.write() as conn:  # the tables are there: a pull can write into them
            local.apply_upsert(ws.store, conn, "notice", "n-1", {"id": "n-1", "text": "Rappel"}, 1)
        assert local.list_records(ws.store, "notice") == [{"id": "n-1", "text": "Rappel"}]


def test_opening_an_up_to_date_file_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    """Decision 6: the head comes from the scripts' text, so a normal start stays light. Run in a child
    process: this test process has imported Alembic already."""
    folder = tmp_path / "data"
    Workspace.open(folder).close()  # created (and migrated) here
    code = (
        "import sys; from pathlib import Path; from smartdesk.services import Workspace; "
        f"Workspace.open(Path({str(folder)!r})).close(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    out = run_python(code, env={"PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
