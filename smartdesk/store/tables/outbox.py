"""Every SQL statement on ``outbox`` (the member's unsent mutations) and ``sync_state`` (JSON values
by key: client id, cursor, last success...).

An outbox row is appended in the same transaction as the edit it describes, and dropped in the same
transaction as the pull that acknowledges it (ARCHITECTURE, sync protocol).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartdesk.store.connection import Connection

COLUMNS = "mutation_id, name, entity_id, args, base_version, created_at"
SQL_INSERT = "INSERT INTO outbox (name, entity_id, args, base_version, created_at) VALUES (?, ?, ?, ?, ?)"


def append(
    conn: Connection, name: str, entity_id: str, args_json: str, base_version: int, created_at: str
) -> int:
    """Queue one mutation; returns its id (ids only grow: AUTOINCREMENT never reuses one)."""
    return int(conn.execute(SQL_INSERT, (name, entity_id, args_json, base_version, created_at)).lastrowid)


def entries(conn: Connection, after: int, limit: int) -> list[tuple[Any, ...]]:
    """(COLUMNS) of the mutations after ``after``, oldest first."""
    return conn.execute(
        f"SELECT {COLUMNS} FROM outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?", (after, limit)
    ).tuples()


def entries_named(conn: Connection, names: Sequence[str]) -> list[tuple[Any, ...]]:
    """(COLUMNS) of the mutations with one of these names, oldest first."""
    return conn.execute(
        f"SELECT {COLUMNS} FROM outbox WHERE name IN ({', '.join('?' for _ in names)}) ORDER BY mutation_id",
        tuple(names),
    ).tuples()


def entry(conn: Connection, mutation_id: int) -> Any:
    """(name, entity_id, args) of one queued mutation, or None."""
    return conn.execute(
        "SELECT name, entity_id, args FROM outbox WHERE mutation_id = ?", (mutation_id,)
    ).first()


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM outbox").scalar_one())


def head(conn: Connection) -> int:
    """The newest mutation id, 0 when nothing waits."""
    return int(conn.execute("SELECT COALESCE(MAX(mutation_id), 0) FROM outbox").scalar_one())


def pending_records(conn: Connection) -> int:
    """How many records (documents, clients...) have unsent mutations."""
    return int(conn.execute("SELECT COUNT(DISTINCT entity_id) FROM outbox").scalar_one())


def pending_ids(conn: Connection, after: int = 0) -> set[str]:
    """Records with mutations above ``after`` (not acknowledged)."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT entity_id FROM outbox WHERE mutation_id > ?", (after,)
        ).tuples()
    }


def drop_through(conn: Connection, last_mutation_id: int) -> None:
    """Drop the mutations the server acknowledged (ids up to ``last_mutation_id``)."""
    conn.execute("DELETE FROM outbox WHERE mutation_id <= ?", (last_mutation_id,))


# --- sync_state --------------------------------------------------------------------------------------
def get_state(conn: Connection, key: str) -> str | None:
    """The JSON text stored under ``key``, or None."""
    value = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).scalar()
    return None if value is None else str(value)


def put_state(conn: Connection, key: str, value_json: str) -> None:
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value_json),
    )
