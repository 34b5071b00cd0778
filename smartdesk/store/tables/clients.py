"""Every SQL statement on ``clients``, ``clients_fts`` and ``activities``.

A client or an activity is one row with the columns lists show and sort on, and its full body in
the documented JSON form. Clients are never removed, only marked ``deleted`` (their documents keep
pointing to them); their full-text entry (rowid = the client's rowid) goes when they are.
The lists' sums over documents (open amounts, an activity's figures) are here too: they list clients
and activities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartdesk.domain.lifecycle import OPEN_INVOICE
from smartdesk.store.connection import Connection

_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit of bound parameters

_OPEN_IN = ", ".join(f"'{s}'" for s in OPEN_INVOICE)


# --- clients ---------------------------------------------------------------------------------------
def client_row(conn: Connection, client_id: str) -> Any:
    """(body, server_version, rowid) of a client (deleted or not), or None."""
    return conn.execute("SELECT body, server_version, rowid FROM clients WHERE id = ?", (client_id,)).first()


def client_name(conn: Connection, client_id: str) -> str:
    return str(conn.execute("SELECT name FROM clients WHERE id = ?", (client_id,)).scalar() or "")


def client_names(conn: Connection) -> dict[str, str]:
    """id -> name of every client, deleted ones included (old documents still name them)."""
    return dict(conn.execute("SELECT id, name FROM clients").tuples())


def insert_client(conn: Connection, client_id: str, values: Sequence[Any]) -> int:
    """``values``: name, country, vat_number, email, language, body, updated_at. Returns the rowid."""
    return conn.execute(
        "INSERT INTO clients (id, name, country, vat_number, email, language, body, "
        "updated_at, deleted, server_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
        (client_id, *values),
    ).lastrowid


def update_client(conn: Connection, client_id: str, values: Sequence[Any]) -> None:
    """Rewrite a client (``values`` as for ``insert_client``); a deleted client comes back."""
    conn.execute(
        "UPDATE clients SET name = ?, country = ?, vat_number = ?, email = ?, language = ?, "
        "body = ?, updated_at = ?, deleted = 0 WHERE id = ?",
        (*values, client_id),
    )


def set_client_server_version(conn: Connection, client_id: str, version: int) -> None:
    """A pulled client: the server's version, and present (not deleted)."""
    conn.execute("UPDATE clients SET server_version = ?, deleted = 0 WHERE id = ?", (version, client_id))


def index_client(conn: Connection, rowid: int, name: str, text: str) -> None:
    """The client's full-text entry, replacing the old one."""
    conn.execute("DELETE FROM clients_fts WHERE rowid = ?", (rowid,))
    conn.execute("INSERT INTO clients_fts(rowid, name, body) VALUES (?, ?, ?)", (rowid, name, text))


def mark_client_deleted(conn: Connection, client_id: str, rowid: int, updated_at: str) -> None:
    conn.execute("UPDATE clients SET deleted = 1, updated_at = ? WHERE id = ?", (updated_at, client_id))
    conn.execute("DELETE FROM clients_fts WHERE rowid = ?", (rowid,))


def client_rowid(conn: Connection, client_id: str) -> int | None:
    value = conn.execute("SELECT rowid FROM clients WHERE id = ?", (client_id,)).scalar()
    return None if value is None else int(value)


def list_clients(conn: Connection, fts: str | None) -> list[tuple[Any, ...]]:
    """(id, name, country, vat_number, email, language, open invoices in cents, documents) of the
    clients not deleted, by name; ``fts``: an FTS5 query on their name, VAT number, email and city."""
    sql = (
        "SELECT c.id, c.name, c.country, c.vat_number, c.email, c.language, "
        f"COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.status IN ({_OPEN_IN})), 0), "
        "COUNT(d.id) FROM clients c LEFT JOIN documents d ON d.client_id = c.id WHERE c.deleted = 0"
        + (" AND c.rowid IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)" if fts else "")
        + " GROUP BY c.id ORDER BY lower(c.name)"
    )
    return conn.execute(sql, (fts,) if fts else ()).tuples()


def search_clients(conn: Connection, fts: str, limit: int) -> list[tuple[Any, ...]]:
    """(id, name, snippet) of the clients (not deleted) matching an FTS5 query, best first."""
    return conn.execute(
        "SELECT c.id, c.name, snippet(clients_fts, 1, '[', ']', '…', 8) "
        "FROM clients_fts JOIN clients c ON c.rowid = clients_fts.rowid "
        "WHERE clients_fts MATCH ? AND c.deleted = 0 ORDER BY rank LIMIT ?",
        (fts, limit),
    ).tuples()


def client_choices(conn: Connection) -> list[tuple[str, str]]:
    """(id, name) of the clients not deleted, by name."""
    return [
        (r[0], r[1])
        for r in conn.execute("SELECT id, name FROM clients WHERE deleted = 0 ORDER BY lower(name)").tuples()
    ]


# --- activities ------------------------------------------------------------------------------------
def activity_row(conn: Connection, activity_id: str) -> Any:
    """(server_version, body) of an activity, or None."""
    return conn.execute("SELECT server_version, body FROM activities WHERE id = ?", (activity_id,)).first()


def activity_body(conn: Connection, activity_id: str) -> str | None:
    value = conn.execute("SELECT body FROM activities WHERE id = ?", (activity_id,)).scalar()
    return None if value is None else str(value)


def activity_ids(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM activities").tuples()}


def insert_activity(conn: Connection, activity_id: str, values: Sequence[Any]) -> None:
    """``values``: name, code, entity, body, updated_at."""
    conn.execute(
        "INSERT INTO activities (id, name, code, entity, body, updated_at, server_version) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        (activity_id, *values),
    )


def update_activity(conn: Connection, activity_id: str, values: Sequence[Any]) -> None:
    conn.execute(
        "UPDATE activities SET name = ?, code = ?, entity = ?, body = ?, updated_at = ? WHERE id = ?",
        (*values, activity_id),
    )


def set_activity_server_version(conn: Connection, activity_id: str, version: int) -> None:
    conn.execute("UPDATE activities SET server_version = ? WHERE id = ?", (version, activity_id))


def delete_activity(conn: Connection, activity_id: str) -> None:
    conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))


def list_activities(conn: Connection) -> list[tuple[Any, ...]]:
    """(id, name, code, entity, documents, quotes, invoiced, paid, expenses (sums in cents)) by name."""
    return conn.execute(
        "SELECT a.id, a.name, a.code, a.entity, COUNT(d.id), "
        "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'quote'), 0), "
        "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.number != ''), 0), "
        "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'invoice' AND d.status = 'paid'), 0), "
        "COALESCE(SUM(d.total_cents) FILTER (WHERE d.kind = 'expense-note'), 0) "
        "FROM activities a LEFT JOIN documents d ON d.activity_id = a.id GROUP BY a.id ORDER BY a.name"
    ).tuples()


def activity_choices(conn: Connection) -> list[tuple[str, str]]:
    """(id, name) of every activity, by name."""
    return [(r[0], r[1]) for r in conn.execute("SELECT id, name FROM activities ORDER BY name").tuples()]


def present(conn: Connection, table: str, ids: Sequence[str]) -> set[str]:
    """Which of these ids are rows of ``table`` ("clients" or "activities")."""
    if table not in ("clients", "activities"):
        raise ValueError(f"unknown table {table}")
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT id FROM {table} WHERE id IN ({', '.join('?' for _ in chunk)})", chunk
            ).tuples()
        )
    return found
