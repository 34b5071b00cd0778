"""The writes of one statement import, in bulk: records kept in memory by a :class:`Batch` (through a
:class:`BatchTx`, a member's ``Tx``) and written at the end in a few ``executemany`` calls (``COPY``
on PostgreSQL); the members' revisions bumped at once; the garbage collector paused while the import
builds its objects (docs/decisions/0018-statement-import-batch.md).
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, insert, update

from smartdesk_server.db import is_sqlite, member_revs
from smartdesk_server.store import _INSERT, _UPDATE, Record, Tx

CHUNK = 500  # rows per query or per executemany call


class Batch:
    """The writes of one import, kept in memory and sent in a few ``executemany`` calls at the end."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[bool, dict[str, Any]]] = {}
        self.bodies: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, values: dict[str, Any], body: dict[str, Any], insert_row: bool) -> None:
        key = (values["type"], values["id"])
        first_insert = self.rows[key][0] if key in self.rows else insert_row
        self.rows[key] = (first_insert, values)
        self.bodies[key] = body

    def latest(self, type_: str, id_: str) -> Record | None:
        """The record as this batch left it (a second payment of the same invoice in one import)."""
        if (type_, id_) not in self.rows:
            return None
        v = self.rows[(type_, id_)][1]
        return Record(
            v["type"],
            v["id"],
            v["member_id"],
            v["version"],
            v["rev"],
            False,
            self.bodies[(type_, id_)],
            json.loads(v["field_versions"]),
            v["status"],
            v["kind"],
            v["activity_id"],
        )

    def flush(self, conn: Connection) -> None:
        inserts = [v for ins, v in self.rows.values() if ins]
        updates = [v for ins, v in self.rows.values() if not ins]
        if not is_sqlite(conn):
            _update_many_pg(conn, updates)
            _insert_many_pg(conn, "records", inserts)
            return
        for sql, rows in ((_UPDATE, updates), (_INSERT, inserts)):
            # the same plain statements as ``Tx.put``, handed to the driver's executemany directly
            # (their parameters are plain values: nothing for SQLAlchemy to convert, row by row)
            driver_sql = _driver_sql(conn, sql.text)
            for start in range(0, len(rows), CHUNK):
                conn.exec_driver_sql(driver_sql, rows[start : start + CHUNK])


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows of plain text and numbers (every column given) inserted through the driver's executemany."""
    if not rows:
        return
    if not is_sqlite(conn):
        _insert_many_pg(conn, table.name, rows)
        return
    quote = conn.dialect.identifier_preparer.quote
    names = list(rows[0])
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(':' + n for n in names)})"
    )
    driver_sql = _driver_sql(conn, sql)
    for start in range(0, len(rows), CHUNK):
        conn.exec_driver_sql(driver_sql, rows[start : start + CHUNK])


_RECORD_COLUMNS = (
    "type",
    "id",
    "member_id",
    "version",
    "rev",
    "deleted",
    "body",
    "field_versions",
    "status",
    "kind",
    "activity_id",
    "updated_at",
)


def _insert_many_pg(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows streamed by one ``COPY ... FROM STDIN`` (psycopg's ``Copy``: one statement,
    no parameter limit, no per-row round trip) in the import's transaction."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = list(rows[0])
    sql = f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    dbapi: Any = conn.connection.dbapi_connection
    with dbapi.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def _update_many_pg(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the records of ``rows`` (every column given, one row per (type, id)) copied into a
    temporary table (``COPY``) and rewritten by one ``UPDATE ... FROM``; the same columns as
    ``store._UPDATE``. The table lives until the commit (several files of one import share it, hence
    the ``TRUNCATE``); ``ANALYZE`` gives the planner its size (else it guesses and may scan ``records``)."""
    if not rows:
        return
    conn.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS records_batch (LIKE records) ON COMMIT DROP")
    _insert_many_pg(conn, "records_batch", rows)
    conn.exec_driver_sql("ANALYZE records_batch")
    sets = ", ".join(f"{n} = v.{n}" for n in _RECORD_COLUMNS if n not in ("type", "id"))
    conn.exec_driver_sql(
        f"UPDATE records SET {sets} FROM records_batch AS v WHERE records.type = v.type AND records.id = v.id"
    )
    conn.exec_driver_sql("TRUNCATE records_batch")


def _driver_sql(conn: Connection, sql: str) -> str:
    """A statement written with ``:name`` parameters in the driver's own parameter style."""
    style = conn.dialect.paramstyle
    if style == "named" or is_sqlite(
        conn
    ):  # the sqlite3 module takes :name with a mapping whatever its default
        return sql
    if style == "pyformat":
        return _PARAM_RE.sub(r"%(\1)s", sql)
    raise NotImplementedError(f"parameter style {style}")  # pragma: no cover - SQLite and psycopg only


_PARAM_RE = re.compile(r"(?<![:\w]):(\w+)")


class BatchTx(Tx):
    """A member's ``Tx`` whose writes go to a ``Batch`` (the revision is bumped for many members at once)."""

    def __init__(self, conn: Connection, member_id: str, rev: int, at: str, batch: Batch) -> None:
        self.conn, self.member_id, self.rev, self.at, self.batch = conn, member_id, rev, at, batch
        self._entity = None  # Tx.entity reads the member's entity once, on first use

    def write_row(
        self, values: dict[str, Any], type_: str, id_: str, body: dict[str, Any], *, is_new: bool
    ) -> None:
        self.batch.add(values, body, is_new and (type_, id_) not in self.batch.rows)


def bump_revs(conn: Connection, members: Iterable[str]) -> dict[str, int]:
    """Next revision of each member (row locks in member order, before any record: the house lock order)."""
    wanted = sorted(set(members))
    revs: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = conn.execute(
            update(member_revs)
            .where(member_revs.c.member_id.in_(chunk))
            .values(rev=member_revs.c.rev + 1)
            .returning(member_revs.c.member_id, member_revs.c.rev)
        ).all()
        revs.update({r.member_id: int(r.rev) for r in rows})
    missing = [m for m in wanted if m not in revs]
    if missing:
        conn.execute(insert(member_revs), [{"member_id": m, "rev": 1} for m in missing])
        revs.update({m: 1 for m in missing})
    return revs


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its tens of thousands of short-lived objects
    (records read, rows to write; none of them in cycles): the collector would walk them again and
    again, a sixth of the import's time. Reference counting still frees them; the collector runs again
    at the end (docs/decisions/0018-statement-import-batch.md)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
