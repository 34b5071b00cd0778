"""Every SQL statement on ``documents``, ``document_bodies`` and ``documents_fts``.

A document is one narrow row with the columns lists filter and sort on (money as exact decimal text
plus integer cents for sorting), its full body in the documented JSON form
(smartdesk.domain.serialize) in ``document_bodies``, and one full-text entry whose rowid is the
row's rowid. The store's edits, the sync's pulled changes and the CLI all go through here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from smartdesk.store.connection import Connection

# the list row's columns that an edit writes (besides id, created_at and server_version)
COLUMNS = (
    "kind",
    "status",
    "number",
    "title",
    "client_id",
    "activity_id",
    "issue_date",
    "due_date",
    "currency",
    "total_incl",
    "total_cents",
    "paid_amount",
    "version",
    "updated_at",
)

# what each sort key of a list orders by (SQL expressions of the list query below)
SORT_COLUMNS: dict[str, str] = {
    "issue_date": "d.issue_date",
    "due_date": "d.due_date",
    "number": "d.number",
    "title": "d.title COLLATE NOCASE",  # as a person reads a list: "atelier" before "Zoom"
    "status": "d.status",
    "total": "d.total_cents",
    "client": "c.name COLLATE NOCASE",
    "activity": "a.name COLLATE NOCASE",
    "updated_at": "d.updated_at",
    "kind": "d.kind",
    # payment status columns (integer cents: exact, see store/tables/home.py)
    "paid": "CAST(ROUND(CAST(d.paid_amount AS REAL) * 100) AS INTEGER)",
    "still_due": "MAX(d.total_cents - CAST(ROUND(CAST(d.paid_amount AS REAL) * 100) AS INTEGER), 0)",
    "last_payment": (
        "(SELECT MAX(json_extract(r.body, '$.date')) FROM sync_records r WHERE r.entity = 'payment' "
        "AND r.id > d.id || ':' AND r.id < d.id || ';')"
    ),
}

SQL_CURRENT = (
    "SELECT b.body, d.server_version, d.version, d.rowid FROM documents d "
    "JOIN document_bodies b ON b.id = d.id WHERE d.id = ?"
)
SQL_BODY_UPSERT = (
    "INSERT INTO document_bodies (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body"
)
SQL_UPDATE = f"UPDATE documents SET {', '.join(c + ' = ?' for c in COLUMNS)} WHERE id = ?"
SQL_UPDATE_PULLED = (
    f"UPDATE documents SET {', '.join(c + ' = ?' for c in COLUMNS)}, server_version = ? WHERE id = ?"
)
SQL_INSERT = (
    f"INSERT INTO documents (id, created_at, server_version, {', '.join(COLUMNS)}) "
    f"VALUES (?, ?, ?, {', '.join('?' for _ in COLUMNS)})"
)
SQL_FTS_DELETE = "DELETE FROM documents_fts WHERE rowid = ?"
SQL_FTS_INSERT = "INSERT INTO documents_fts(rowid, title, body) VALUES (?, ?, ?)"
SQL_FTS_INSERT_BY_ID = (
    "INSERT INTO documents_fts(rowid, title, body) VALUES ((SELECT rowid FROM documents WHERE id = ?), ?, ?)"
)
SQL_LIST = (
    "SELECT d.id, d.kind, d.status, d.number, d.title, c.name, a.name, d.issue_date, d.due_date, "
    "d.total_incl, d.currency, d.updated_at, d.paid_amount FROM documents d "
    "LEFT JOIN clients c ON c.id = d.client_id LEFT JOIN activities a ON a.id = d.activity_id"
)
_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit of bound parameters
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def sql_value(value: Any) -> Any:
    """A value as the documents table stores it: money (Decimal) as exact decimal text."""
    return format(value, "f") if isinstance(value, Decimal) else value


def row_params(values: dict[str, Any]) -> tuple[Any, ...]:
    """The COLUMNS of ``values`` (made by ``Store._document_values``), in order, as stored."""
    return tuple(sql_value(values[c]) for c in COLUMNS)


def fts_query(text_in: str) -> str | None:
    """Turn what a person types into an FTS5 query: every word must match, as a prefix."""
    tokens = _TOKEN_RE.findall(text_in)
    if not tokens:
        return None
    return " AND ".join(f'"{t}"*' for t in tokens[:12])


# --- one document --------------------------------------------------------------------------------
def current(conn: Connection, doc_id: str) -> Any:
    """(body, server_version, version, rowid) of a stored document, or None."""
    return conn.execute(SQL_CURRENT, (doc_id,)).first()


def stored(conn: Connection, doc_id: str) -> Any:
    """(body, version, created_at, updated_at) of a stored document, or None: what it reads back as."""
    return conn.execute(
        "SELECT b.body, d.version, d.created_at, d.updated_at FROM documents d "
        "JOIN document_bodies b ON b.id = d.id WHERE d.id = ?",
        (doc_id,),
    ).first()


def body(conn: Connection, doc_id: str) -> str | None:
    """The JSON body of a stored document, or None."""
    value = conn.execute("SELECT body FROM document_bodies WHERE id = ?", (doc_id,)).scalar()
    return None if value is None else str(value)


def versions(conn: Connection, doc_id: str) -> Any:
    """(server_version, version, rowid, created_at) of a stored document, or None."""
    return conn.execute(
        "SELECT server_version, version, rowid, created_at FROM documents WHERE id = ?", (doc_id,)
    ).first()


def server_version(conn: Connection, doc_id: str) -> int | None:
    value = conn.execute("SELECT server_version FROM documents WHERE id = ?", (doc_id,)).scalar()
    return None if value is None else int(value)


def rowid(conn: Connection, doc_id: str) -> int | None:
    value = conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).scalar()
    return None if value is None else int(value)


def insert_row(
    conn: Connection, doc_id: str, created_at: str, params: Sequence[Any], server_version: int = 0
) -> int:
    """A new list row (``params``: the COLUMNS, see ``row_params``); returns its rowid."""
    return conn.execute(SQL_INSERT, (doc_id, created_at, server_version, *params)).lastrowid


def update_row(
    conn: Connection, doc_id: str, params: Sequence[Any], server_version: int | None = None
) -> None:
    """Rewrite a list row; with ``server_version`` (a pulled change), that one too."""
    if server_version is None:
        conn.execute(SQL_UPDATE, (*params, doc_id))
    else:
        conn.execute(SQL_UPDATE_PULLED, (*params, server_version, doc_id))


def put_body(conn: Connection, doc_id: str, body_json: str) -> None:
    conn.execute(SQL_BODY_UPSERT, (doc_id, body_json))


def drop_index_entry(conn: Connection, rowid_: int) -> None:
    conn.execute(SQL_FTS_DELETE, (rowid_,))


def write_body_and_index(
    conn: Connection, doc_id: str, title: str, rowid_: int, body_json: str, search_text: str
) -> None:
    """The document's JSON body and its full-text entry (the old entry, if any, already removed), after
    its list row was written: by a member's edit and by a pulled change alike."""
    conn.execute(SQL_BODY_UPSERT, (doc_id, body_json))
    conn.execute(SQL_FTS_INSERT, (rowid_, title, search_text))


def remove(conn: Connection, doc_id: str, rowid_: int) -> None:
    """A document's list row, body and full-text entry: gone, by a member's deletion or a pulled one."""
    conn.execute(SQL_FTS_DELETE, (rowid_,))
    conn.execute("DELETE FROM document_bodies WHERE id = ?", (doc_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def bulk_insert(
    conn: Connection,
    rows: Sequence[tuple[Any, ...]],
    bodies: Sequence[tuple[str, str]],
    index: Sequence[tuple[str, str, str]],
) -> None:
    """Many new documents at once: ``rows`` (id, created_at, *COLUMNS), ``bodies`` (id, body), ``index``
    (id, title, search text). No outbox entries: demo data and first pulls."""
    if not rows:
        return
    conn.executemany(SQL_INSERT, [(r[0], r[1], 0, *r[2:]) for r in rows])
    conn.executemany("INSERT INTO document_bodies (id, body) VALUES (?, ?)", bodies)
    conn.executemany(SQL_FTS_INSERT_BY_ID, index)


# --- several documents ---------------------------------------------------------------------------
def statuses(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """Status of each of these documents that is present (a few queries for a whole page of ids)."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        rows = conn.execute(
            f"SELECT id, status FROM documents WHERE id IN ({', '.join('?' for _ in chunk)})", chunk
        ).tuples()
        found.update({r[0]: r[1] for r in rows})
    return found


def present(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Which of these ids are stored documents."""
    return set(statuses(conn, ids))


def ids_by_number_or_prefix(conn: Connection, ident: str, limit: int = 2) -> list[str]:
    """Documents whose legal number is ``ident`` or whose id starts with it (what a person types)."""
    prefix = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        "SELECT id FROM documents WHERE number = ? OR id LIKE ? ESCAPE '\\' LIMIT ?", (ident, prefix, limit)
    ).tuples()
    return [str(r[0]) for r in rows]


def activity_in_use(conn: Connection, activity_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM documents WHERE activity_id = ? LIMIT 1", (activity_id,)).first()
        is not None
    )


def with_receipt(conn: Connection, sha256: str) -> list[str]:
    """Ids of expense notes that carry this receipt (duplicate detection)."""
    rows = conn.execute(
        "SELECT d.id FROM documents d JOIN document_bodies b ON b.id = d.id "
        "WHERE d.kind = 'expense-note' AND instr(b.body, ?) > 0",
        (sha256,),
    ).tuples()
    return [r[0] for r in rows]


def filters(
    kind: str | None,
    status: str | None,
    activity_id: str | None,
    client_id: str | None,
    date_from: str | None,
    date_to: str | None,
    text: str,
    statuses: Sequence[str] = (),
    due_from: str | None = None,
    due_to: str | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause of a list query (empty when nothing filters) and its parameters. ``statuses``:
    any of these (with ``status``: that one too); ``due_from``/``due_to``: due dates, inclusive."""
    conds: list[str] = []
    params: list[Any] = []
    if statuses:
        chosen = list(dict.fromkeys([*statuses, *([status] if status else [])]))
        conds.append(f"d.status IN ({', '.join('?' for _ in chosen)})")
        params.extend(chosen)
        status = None
    for sql, value in (("d.due_date >= ?", due_from), ("d.due_date <= ?", due_to)):
        if value is not None:
            conds.append(sql)
            params.append(value)
    for sql, value in (
        ("d.kind = ?", kind),
        ("d.status = ?", status or None),
        ("d.activity_id = ?", activity_id or None),
        ("d.client_id = ?", client_id or None),
        ("d.issue_date >= ?", date_from),
        ("d.issue_date <= ?", date_to),
        ("d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)", fts_query(text)),
    ):
        if value is not None:
            conds.append(sql)
            params.append(value)
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


def list_page(
    conn: Connection, where: str, params: Sequence[Any], sort: str, descending: bool, limit: int, offset: int
) -> list[tuple[Any, ...]]:
    """One page of list rows: (id, kind, status, number, title, client name, activity name, issue date,
    due date, total incl. as text, currency, updated_at, paid amount as text)."""
    direction = "DESC" if descending else "ASC"
    sql = (
        f"{SQL_LIST}{where} ORDER BY {SORT_COLUMNS.get(sort, 'd.issue_date')} {direction}, "
        f"d.id {direction} LIMIT ? OFFSET ?"
    )
    return conn.execute(sql, (*params, limit, offset)).tuples()


def count(conn: Connection, where: str, params: Sequence[Any]) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM documents d{where}", params).scalar_one())


def sums(conn: Connection, where: str, params: Sequence[Any]) -> tuple[int, int, int, int]:
    """(count, total, paid, still due) of every row matching a list query, money in cents."""
    paid = SORT_COLUMNS["paid"]
    row = conn.execute(
        f"SELECT COUNT(*), COALESCE(SUM(d.total_cents), 0), COALESCE(SUM({paid}), 0), "
        f"COALESCE(SUM({SORT_COLUMNS['still_due']}), 0) FROM documents d{where}",
        params,
    ).first()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3])) if row else (0, 0, 0, 0)


def last_payments(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The date (ISO text) of the newest payment pulled for each of these documents that has one."""
    found: dict[str, str] = {}
    for doc_id in ids:
        day = conn.execute(
            "SELECT MAX(json_extract(body, '$.date')) FROM sync_records WHERE entity = 'payment' "
            "AND id > ? AND id < ?",
            (f"{doc_id}:", f"{doc_id};"),
        ).scalar()
        if day:
            found[doc_id] = str(day)
    return found


def search(conn: Connection, query: str, limit: int) -> list[tuple[Any, ...]]:
    """(id, kind, number, title, snippet) of the newest documents matching an FTS5 query."""
    return conn.execute(
        "SELECT d.id, d.kind, d.number, d.title, snippet(documents_fts, 1, '[', ']', '…', 8) "
        "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
        "WHERE documents_fts MATCH ? ORDER BY documents_fts.rowid DESC LIMIT ?",
        (query, limit),
    ).tuples()


def partly_paid_by_activity(conn: Connection) -> dict[str, Decimal]:
    """What partly paid invoices received already, per activity (exact decimal text, summed here): it counts
    as paid in the activity figures beside the invoices paid in full."""
    partial: dict[str, Decimal] = {}
    rows = conn.execute(
        "SELECT activity_id, paid_amount FROM documents WHERE kind = 'invoice' AND status != 'paid' "
        "AND paid_amount NOT IN ('0', '0.00', '')"
    ).tuples()
    for activity_id, paid in rows:
        partial[activity_id] = partial.get(activity_id, Decimal(0)) + Decimal(paid)
    return partial


def made_from(conn: Connection, source_id: str, kind: str) -> list[Any]:
    """(body, version, created_at, updated_at) of the documents of ``kind`` made from ``source_id``
    (an invoice's quote): read from the bodies, only when a quote is opened or invoiced."""
    return list(
        conn.execute(
            "SELECT b.body, d.version, d.created_at, d.updated_at FROM documents d "
            "JOIN document_bodies b ON b.id = d.id "
            "WHERE d.kind = ? AND json_extract(b.body, '$.source_id') = ?",
            (kind, source_id),
        )
    )
