"""The local store's connections: the standard ``sqlite3`` module, pooled, with explicit transactions.

The desktop app talks to its one SQLite file through this small layer instead of SQLAlchemy (see
docs/decisions/0006-local-store-on-plain-sqlite3.md): every query of the store is written in SQL
already, and importing SQLAlchemy cost the app more than a third of its start-up time.

- ``Database.read()`` lends a connection inside a deferred transaction (``BEGIN``): the statements of
  one block see one snapshot of the file, and the block always ends in a rollback.
- ``Database.write()`` lends a connection inside ``BEGIN IMMEDIATE``: the write lock is taken at the
  start, so two writers wait for each other (busy timeout) instead of deadlocking. The block commits
  when it ends normally and rolls back when it raises.
- Connections are kept in two small pools and may be used by one thread at a time, from any thread
  (the GUI thread, the worker pool, the sync thread).
- Results give rows as named tuples (``row.body`` or ``row[0]``) and the usual shortcuts
  (``scalar()``, ``first()``, ``all()``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Params = Sequence[Any] | dict[str, Any]
BUSY_TIMEOUT_S = 10
_IDLE_KEPT = 4  # idle connections kept per pool; more are opened when threads need them

_ROW_CLASSES: dict[tuple[str, ...], type] = {}
_ROW_CLASSES_LOCK = threading.Lock()


def _row_class(description: Sequence[Sequence[Any]]) -> type:
    names = tuple(d[0] for d in description)
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        with _ROW_CLASSES_LOCK:
            cls = _ROW_CLASSES.get(names)
            if cls is None:
                cls = namedtuple("Row", names, rename=True)  # type: ignore[misc]  # noqa: PYI024
                _ROW_CLASSES[names] = cls
    return cls


class Result:
    """What one statement returned: rows (named tuples), or the row count and last row id of a write."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int:
        return int(self._cursor.lastrowid or 0)

    def all(self) -> list[Any]:
        rows = self._cursor.fetchall()
        if not rows:
            return []
        make = _row_class(self._cursor.description)._make
        return [make(r) for r in rows]

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as plain tuples: the fastest form, for loops over many rows."""
        return self._cursor.fetchall()

    def first(self) -> Any:
        row = self._cursor.fetchone()
        made = None if row is None else _row_class(self._cursor.description)._make(row)
        self._cursor.close()
        return made

    def scalar(self) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self._cursor.fetchone()
        self._cursor.close()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        """The single value of a statement that returns exactly one row (a count, say)."""
        rows = self._cursor.fetchmany(2)
        if len(rows) != 1:
            raise LookupError(f"expected exactly one row, got {len(rows)}")
        return rows[0][0]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.all())


class Connection:
    """One pooled SQLite connection, lent for one ``read()`` or ``write()`` block."""

    __slots__ = ("raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Params = ()) -> Result:
        return Result(self.raw.execute(sql, params))

    def executemany(self, sql: str, rows: Iterable[Params]) -> Result:
        return Result(self.raw.executemany(sql, rows))


def connect(path: Path) -> sqlite3.Connection:
    """A new connection with the store's settings: WAL, full fsync, foreign keys, busy timeout."""
    raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={BUSY_TIMEOUT_S * 1000}",
        "temp_store=MEMORY",
        "cache_size=-32000",
    ):
        raw.execute(f"PRAGMA {pragma}")
    return raw


class _Pool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def take(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return connect(self.path)

    def give_back(self, raw: sqlite3.Connection) -> None:
        if raw.in_transaction:  # a block left by an error that even the rollback did not clear
            raw.close()
            return
        with self._lock:
            if not self._closed and len(self._idle) < _IDLE_KEPT:
                self._idle.append(raw)
                return
        raw.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()


class Database:
    """The pools of one SQLite file: ``read()`` and ``write()`` blocks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._readers = _Pool(path)
        self._writers = _Pool(path)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        raw = self._readers.take()
        try:
            raw.execute("BEGIN")
            yield Connection(raw)
        finally:
            _end(raw, commit=False)
            self._readers.give_back(raw)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        raw = self._writers.take()
        try:
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield Connection(raw)
            except BaseException:
                _end(raw, commit=False)
                raise
            _end(raw, commit=True)
        finally:
            self._writers.give_back(raw)

    def close(self) -> None:
        """Close the idle connections; a connection still lent is closed when it comes back."""
        self._readers.close()
        self._writers.close()


def _end(raw: sqlite3.Connection, *, commit: bool) -> None:
    if not raw.in_transaction:
        return
    if commit:
        raw.execute("COMMIT")
        return
    try:
        raw.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the connection is dropped by give_back when the rollback could not end the transaction
