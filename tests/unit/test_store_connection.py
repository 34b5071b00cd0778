"""The store's own SQLite layer (smartdesk.store.connection): transactions, snapshots, threads, rows.

And the reason it exists: the desktop app starts without importing SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.domain.documents import DocumentKind
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.store.connection import Database
from tests.support.processes import run_python

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    path = tmp_path / "t.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    con.close()
    database = Database(path)
    yield database
    database.close()


def test_a_write_block_commits_and_a_failing_one_leaves_nothing(db: Database) -> None:
    with db.write() as conn:
        assert conn.execute("INSERT INTO t (name) VALUES (?)", ("kept",)).lastrowid == 1
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute("INSERT INTO t (name) VALUES (?)", ("lost",))
        raise RuntimeError("crash in the middle of an edit")
    with db.read() as conn:
        assert [r.name for r in conn.execute("SELECT name FROM t ORDER BY id").all()] == ["kept"]
    # the connection that saw the error went back to the pool clean: the next write works
    with db.write() as conn:
        assert conn.execute("UPDATE t SET name = ? WHERE id = 1", ("renamed",)).rowcount == 1
    with db.read() as conn:
        assert conn.execute("SELECT name FROM t WHERE id = 1").scalar() == "renamed"


def test_a_read_block_sees_one_snapshot(db: Database) -> None:
    with db.write() as conn:
        conn.execute("INSERT INTO t (name) VALUES ('a')")
    with db.read() as reader:
        first = reader.execute("SELECT COUNT(*) FROM t").scalar_one()
        with db.write() as writer:  # another connection commits meanwhile (WAL: readers never block it)
            writer.execute("INSERT INTO t (name) VALUES ('b')")
        assert reader.execute("SELECT COUNT(*) FROM t").scalar_one() == first == 1
    with db.read() as reader:
        assert reader.execute("SELECT COUNT(*) FROM t").scalar_one() == 2


def test_rows_scalars_and_first(db: Database) -> None:
    with db.write() as conn:
        conn.executemany("INSERT INTO t (name) VALUES (?)", [("x",), ("y",)])
    with db.read() as conn:
        row = conn.execute("SELECT id, name, COUNT(*) OVER () FROM t ORDER BY id").first()
        assert (row.id, row.name, row[2]) == (1, "x", 2)
        assert conn.execute("SELECT name FROM t WHERE id = 99").first() is None
        assert conn.execute("SELECT name FROM t WHERE id = 99").scalar() is None
        assert conn.execute("SELECT id, name FROM t ORDER BY id").tuples() == [(1, "x"), (2, "y")]
        assert [r.name for r in conn.execute("SELECT name FROM t ORDER BY id")] == ["x", "y"]
        with pytest.raises(LookupError):
            conn.execute("SELECT id FROM t").scalar_one()


def test_two_writers_on_two_threads_wait_for_each_other(db: Database) -> None:
    """BEGIN IMMEDIATE takes the write lock first: no deadlock, no lost update, no 'database is locked'."""
    errors: list[BaseException] = []

    def bump(n: int) -> None:
        try:
            for _ in range(n):
                with db.write() as conn:
                    value = int(conn.execute("SELECT COUNT(*) FROM t").scalar_one())
                    conn.execute("INSERT INTO t (name) VALUES (?)", (str(value),))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(50,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as conn:
        names = [int(r[0]) for r in conn.execute("SELECT name FROM t ORDER BY id").tuples()]
    assert names == list(range(200)), "each writer saw the count the previous one committed"


def test_closing_keeps_lent_connections_working_until_they_come_back(db: Database) -> None:
    with db.read() as conn:
        db.close()
        assert conn.execute("SELECT COUNT(*) FROM t").scalar_one() == 0


def test_the_store_gives_money_back_exact(workspace: Workspace) -> None:
    """Totals are stored as decimal text; lists read them back as Decimal, never as a float."""
    doc = workspace.documents.new(DocumentKind.INVOICE)
    line = workspace.documents.new_line(doc)
    line.description, line.quantity, line.unit_price = "Mix", Decimal("3"), Decimal("0.10")
    line.vat_rate = Decimal("21")
    doc.lines.append(line)
    workspace.documents.save(doc)
    row = workspace.documents.list(DocumentQuery(kind=DocumentKind.INVOICE)).rows[0]
    assert isinstance(row.total_incl, Decimal)
    # 3 x 0.10 = 0.30 (0.30000000000000004 in binary floats); VAT 21 %: 0.063 -> 0.06; 0.36 exactly
    assert row.total_incl == Decimal("0.36")


def test_the_desktop_app_starts_without_sqlalchemy() -> None:
    """Start-up cost: SQLAlchemy (about 0.2 s to import) is only for Alembic migrations and the server."""
    code = (
        "import sys; import smartdesk.gui.app, smartdesk.services, smartdesk.gui.main_window, "
        "smartdesk.gui.sync.ui, smartdesk.cli.commands; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))"
    )
    out = run_python(
        code, cwd=ROOT, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout
