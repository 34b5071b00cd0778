"""The local side of sync: state, shadow writes, conflicts and rejections, all in the local SQLite store.

Everything here takes an open write connection (``store.write()``) so the sync engine can put the
pulled changes, the acknowledgements (outbox rows dropped) and the new cursor into ONE transaction.
Nothing here enqueues outbox entries: rows written by sync are the server's, not edits of the member.

The tables of sync (``sync_conflicts``, ``sync_rejections``, ``sync_blobs_done``, ``sync_records``)
are made by the store's migration 0002 (smartdesk/store/migrations/versions/0002_sync_tables.py):

- ``sync_conflicts``: a server value that arrived while the member still had unsent changes to the
  same record. The local version is kept; the server value is kept beside it, shown to the member
  (keep mine / keep theirs) and never discarded silently.
- ``sync_rejections``: mutations the server refused for good, with its reason. They leave the outbox
  (a poison mutation must not block the queue) but stay listed until the member dismisses them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from smartdesk.domain.copies import new_draft_from
from smartdesk.domain.documents import Activity, Document
from smartdesk.domain.serialize import activity_from_dict, client_from_dict, document_from_dict
from smartdesk.errors import ValidationError
from smartdesk.store.connection import Connection
from smartdesk.store.repository import SCHEMA_VERSION, Store, now_iso, put_setting
from smartdesk.store.rows import MutationRecord
from smartdesk.store.tables import clients as client_sql
from smartdesk.store.tables import documents as doc_sql
from smartdesk.store.tables import outbox as outbox_sql
from smartdesk.store.tables import settings as settings_sql

KEY_CLIENT_ID = "client_id"
KEY_CURSOR = "cursor"
KEY_SERVER = "server"
KEY_EMAIL = "email"  # the last sign-in's e-mail address (never the password): offered next time
KEY_LAST_SUCCESS = "last_success_at"
KEY_LAST_ERROR = "last_error"
KEY_RESET = "reset_pending"

# entity kinds kept as they come in ``sync_records``
OTHER_ENTITIES = ("followup", "request", "notice", "payment", "delivery")

ENTITY_TABLES = {"document": "documents", "client": "clients", "activity": "activities"}


@dataclass(frozen=True)
class Conflict:
    id: int
    entity: str
    entity_id: str
    server_version: int
    server_value: dict[str, Any] | None
    local_value: dict[str, Any] | None
    state: str
    created_at: str


@dataclass(frozen=True)
class Rejection(MutationRecord):
    """A mutation the server refused for good, with its reason (``code``: one of ``RESULT_CODES``)."""

    code: str
    reason: str
    created_at: str


# --- state ---------------------------------------------------------------------------------------
def client_id(store: Store) -> str:
    """A stable id for this local store (one outbox = one client for the server)."""
    value = store.get_state(KEY_CLIENT_ID)
    if value:
        return str(value)
    with store.write() as conn:
        row = outbox_sql.get_state(conn, KEY_CLIENT_ID)
        if row:
            return str(json.loads(row))
        new = str(uuid.uuid4())
        store.set_state(conn, KEY_CLIENT_ID, new)
        store.set_state(conn, "schema_version", SCHEMA_VERSION)
        return new


def get_cursor(store: Store) -> dict[str, Any] | None:
    value = store.get_state(KEY_CURSOR)
    return value if isinstance(value, dict) else None


def pending_ids(conn: Connection, after: int = 0) -> set[str]:
    """Entities that still have unsent (unacknowledged: id above ``after``) mutations in the outbox."""
    return outbox_sql.pending_ids(conn, after)


def document_statuses(conn: Connection, ids: list[str]) -> dict[str, str]:
    """Local status of these documents (those present), a few queries for a whole page."""
    return doc_sql.statuses(conn, ids)


def max_mutation_id(conn: Connection) -> int:
    return outbox_sql.head(conn)


# --- writing the server shadow -------------------------------------------------------------------
def _local_body(conn: Connection, entity: str, entity_id: str) -> dict[str, Any] | None:
    if entity == "document":
        raw = doc_sql.body(conn, entity_id)
    elif entity in ENTITY_TABLES:
        raw = conn.execute(f"SELECT body FROM {ENTITY_TABLES[entity]} WHERE id = ?", (entity_id,)).scalar()
    elif entity == "profile":
        raw = settings_sql.get_setting(conn, "profile")
    else:
        return None
    return json.loads(raw) if raw else None


def _present(conn: Connection, table: str, entity_id: str | None) -> bool:
    if not entity_id:
        return False
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (entity_id,)).first() is not None


@dataclass
class Parents:
    """Clients (id -> name) and activities present locally, read once for a page of documents."""

    client_names: dict[str, str]
    activity_ids: set[str]

    @classmethod
    def load(cls, conn: Connection) -> Parents:
        return cls(client_sql.client_names(conn), client_sql.activity_ids(conn))


def apply_upsert(
    store: Store,
    conn: Connection,
    entity: str,
    entity_id: str,
    value: dict[str, Any],
    version: int,
    parents: Parents | None = None,
) -> None:
    """Write the server's row as the local row (no outbox entry), with its server version.

    ``parents``: the local clients and activities, when the caller writes many documents at once and
    no client or activity changes in between (the engine applies parents first)."""
    if entity == "document":
        _apply_document(store, conn, value, version, parents)
    elif entity == "client":
        client = client_from_dict(value)
        store._put_client(conn, client, False)
        client_sql.set_client_server_version(conn, client.id, version)
    elif entity == "activity":
        store._put_activity(conn, _pulled_activity(value), False)
        client_sql.set_activity_server_version(conn, entity_id, version)
    elif entity == "profile":
        put_setting(conn, "profile", json.dumps(_profile_value(conn, value), ensure_ascii=False))
    elif entity in OTHER_ENTITIES:
        conn.execute(
            "INSERT INTO sync_records (entity, id, version, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(entity, id) DO UPDATE SET version = excluded.version, body = excluded.body",
            (entity, entity_id, version, json.dumps(value, ensure_ascii=False)),
        )
    # unknown entity kinds (a newer server) are ignored: mutation and entity names never change meaning


def _pulled_activity(value: dict[str, Any]) -> Activity:
    """The server's activity with the cooperative's monthly figures; figures this SmartDesk cannot read
    (a newer server's form) are left out rather than holding back the activity itself."""
    try:
        return activity_from_dict(value)
    except ValidationError:
        if not value.get("monthly"):
            raise
        return activity_from_dict({**value, "monthly": []})


def _profile_value(conn: Connection, value: dict[str, Any]) -> dict[str, Any]:
    """The server's profile over the local one, keeping only the fields this SmartDesk knows."""
    from dataclasses import fields

    from smartdesk.domain.documents import Brand, MemberProfile

    raw = conn.execute("SELECT value FROM settings WHERE key = 'profile'").scalar()
    merged: dict[str, Any] = json.loads(raw) if raw else {}
    known = {f.name for f in fields(MemberProfile)}
    merged.update({k: v for k, v in value.items() if k in known and k != "brand"})
    brand = value.get("brand")
    if isinstance(brand, dict):
        brand_known = {f.name for f in fields(Brand)}
        merged["brand"] = {
            **(merged.get("brand") or {}),
            **{k: v for k, v in brand.items() if k in brand_known},
        }
    return merged


def _apply_document(
    store: Store, conn: Connection, value: dict[str, Any], version: int, parents: Parents | None = None
) -> None:
    doc = document_from_dict(value)
    row = doc_sql.versions(conn, doc.id)
    doc.version = (row.version if row else 0) + 1
    doc.updated_at = str(value.get("updated_at") or now_iso())
    doc.created_at = str(row.created_at if row else value.get("created_at") or doc.updated_at)
    values, search_text = store._document_values(conn, doc, parents.client_names if parents else None)
    body = values.pop("body")
    # a pulled document may name a client or activity this store does not hold (yet): keep the id in
    # the body, leave the foreign key empty rather than refuse the whole pull
    if parents is not None:
        if values["client_id"] not in parents.client_names:
            values["client_id"] = None
        if values["activity_id"] not in parents.activity_ids:
            values["activity_id"] = None
    else:
        if not _present(conn, "clients", values["client_id"]):
            values["client_id"] = None
        if not _present(conn, "activities", values["activity_id"]):
            values["activity_id"] = None
    params = doc_sql.row_params(values)
    if row:
        doc_sql.update_row(conn, doc.id, params, server_version=version)
        rowid = row.rowid
        doc_sql.drop_index_entry(conn, rowid)
    else:
        rowid = doc_sql.insert_row(conn, doc.id, doc.created_at, params, server_version=version)
    doc_sql.write_body_and_index(conn, doc.id, doc.title, rowid, body, search_text)


def apply_delete(conn: Connection, entity: str, entity_id: str) -> None:
    """A tombstone from the server: the record is gone (clients are only marked deleted locally)."""
    if entity == "document":
        rowid = doc_sql.rowid(conn, entity_id)
        if rowid is None:
            return
        doc_sql.remove(conn, entity_id, rowid)
    elif entity == "client":
        rowid = client_sql.client_rowid(conn, entity_id)
        if rowid is not None:
            client_sql.mark_client_deleted(conn, entity_id, rowid, now_iso())
    elif entity in OTHER_ENTITIES:
        conn.execute("DELETE FROM sync_records WHERE entity = ? AND id = ?", (entity, entity_id))
    elif entity == "activity":
        if not doc_sql.activity_in_use(conn, entity_id):
            client_sql.delete_activity(conn, entity_id)


def list_records(store: Store, entity: str) -> list[dict[str, Any]]:
    """The cooperative's follow-up settings, requests (with answers) or notices, as the server sent them
    (none before the first sync)."""
    with store.read() as conn:
        rows = conn.execute("SELECT body FROM sync_records WHERE entity = ? ORDER BY id", (entity,)).tuples()
    return [json.loads(r[0]) for r in rows]


def records_of(store: Store, entity: str, parent_id: str) -> list[dict[str, Any]]:
    """The records of one parent (ids ``PARENT_ID:CHILD_ID``, e.g. an invoice's payments), as pulled."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT body FROM sync_records WHERE entity = ? AND id > ? AND id < ? ORDER BY id",
            (entity, f"{parent_id}:", f"{parent_id};"),
        ).tuples()
    return [json.loads(r[0]) for r in rows]


def synced_ids(conn: Connection, entity: str) -> set[str]:
    """Local rows that came from the server at some point (server_version > 0)."""
    table = ENTITY_TABLES[entity]
    extra = " AND deleted = 0" if entity == "client" else ""
    return {r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE server_version > 0{extra}").all()}


# --- conflicts ---------------------------------------------------------------------------------
def _unresolved_conflict(conn: Connection, entity_id: str) -> Any:
    """(id, server_version) of the record's open or held conflict, or None: one per record at a time."""
    return conn.execute(
        "SELECT id, server_version FROM sync_conflicts WHERE entity_id = ? AND state IN ('open', 'held')",
        (entity_id,),
    ).first()


def hold_server_value(
    conn: Connection, entity: str, entity_id: str, value: dict[str, Any] | None, version: int
) -> None:
    """The server changed a record the member is still editing: keep both, the local one in place."""
    local = _local_body(conn, entity, entity_id)
    existing = _unresolved_conflict(conn, entity_id)
    data = None if value is None else json.dumps(value, ensure_ascii=False)
    local_data = None if local is None else json.dumps(local, ensure_ascii=False)
    if existing:
        if version >= existing.server_version:
            conn.execute(
                "UPDATE sync_conflicts SET server_version = ?, server_value = ?, local_value = ? "
                "WHERE id = ?",
                (version, data, local_data, existing.id),
            )
        return
    conn.execute(
        "INSERT INTO sync_conflicts (entity, entity_id, server_version, server_value, local_value, state, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'held', ?)",
        (entity, entity_id, version, data, local_data, now_iso()),
    )


def open_conflict(
    conn: Connection,
    entity: str,
    entity_id: str,
    server_value: dict[str, Any] | None,
    server_version: int,
    local_value: dict[str, Any] | None,
) -> None:
    """The server refused my change of this record (same field changed elsewhere, or locked by the
    cooperative): keep both values for the member. ``local_value`` is the record as my refused edit
    made it (from the mutation itself: the local row may already hold the server's value)."""
    existing = _unresolved_conflict(conn, entity_id)
    data = None if server_value is None else json.dumps(server_value, ensure_ascii=False)
    mine = None if local_value is None else json.dumps(local_value, ensure_ascii=False)
    if existing:
        if mine is not None:
            conn.execute("UPDATE sync_conflicts SET local_value = ? WHERE id = ?", (mine, existing.id))
        if data is not None and server_version >= existing.server_version:
            conn.execute(
                "UPDATE sync_conflicts SET server_version = ?, server_value = ? WHERE id = ?",
                (server_version, data, existing.id),
            )
        return
    if data is None:  # an old server without server_value: the local row holds the last pulled value
        data = json.dumps(_local_body(conn, entity, entity_id), ensure_ascii=False)
    conn.execute(
        "INSERT INTO sync_conflicts (entity, entity_id, server_version, server_value, local_value, state, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'open', ?)",
        (entity, entity_id, server_version, data, mine, now_iso()),
    )


def open_conflict_ids(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT entity_id FROM sync_conflicts WHERE state = 'open'").all()}


def refresh_open_conflict(
    conn: Connection, entity_id: str, value: dict[str, Any] | None, version: int
) -> None:
    """A newer server value of a record in an open conflict: show the newest beside mine."""
    conn.execute(
        "UPDATE sync_conflicts SET server_version = ?, server_value = ? "
        "WHERE entity_id = ? AND state = 'open' AND server_version <= ?",
        (version, None if value is None else json.dumps(value, ensure_ascii=False), entity_id, version),
    )


def settle_held(store: Store, conn: Connection, pending: set[str], rejected_ids: set[str]) -> None:
    """Held server values whose record has no unsent change left.

    - The server has since sent a newer version (our change went through, merged by the server): the
      held value is outdated; the conflict is resolved.
    - Otherwise the held value is the server's truth: it replaces the local row. When our change was
      rejected, the conflict stays open (with our version kept in ``local_value``) so the member sees
      it and can keep theirs, or re-apply or copy theirs.
    """
    rows = conn.execute(
        "SELECT id, entity, entity_id, server_version, server_value FROM sync_conflicts WHERE state = 'held'"
    ).all()
    for r in rows:
        if r.entity_id in pending:
            continue
        current = _server_version(conn, r.entity, r.entity_id)
        if current is not None and current >= r.server_version:
            conn.execute(
                "UPDATE sync_conflicts SET state = 'resolved', resolved_at = ? WHERE id = ?",
                (now_iso(), r.id),
            )
            continue
        if r.server_value is None:
            apply_delete(conn, r.entity, r.entity_id)
        else:
            apply_upsert(store, conn, r.entity, r.entity_id, json.loads(r.server_value), r.server_version)
        state = "open" if r.entity_id in rejected_ids else "resolved"
        conn.execute(
            "UPDATE sync_conflicts SET state = ?, resolved_at = ? WHERE id = ?",
            (state, None if state == "open" else now_iso(), r.id),
        )


def _server_version(conn: Connection, entity: str, entity_id: str) -> int | None:
    table = ENTITY_TABLES.get(entity)
    if table is None:
        return None
    value = conn.execute(f"SELECT server_version FROM {table} WHERE id = ?", (entity_id,)).scalar()
    return None if value is None else int(value)


def waiting_counts(store: Store) -> tuple[int, int, int]:
    """(records with changes not yet sent, open conflicts, refusals not yet dismissed): what the
    status bar and ``smartdesk sync-status`` show."""
    with store.read() as conn:
        conflicts = int(
            conn.execute("SELECT COUNT(*) FROM sync_conflicts WHERE state = 'open'").scalar() or 0
        )
        rejections = int(
            conn.execute("SELECT COUNT(*) FROM sync_rejections WHERE dismissed = 0").scalar() or 0
        )
    return store.pending_records(), conflicts, rejections


def list_conflicts(store: Store, include_held: bool = True) -> list[Conflict]:
    states = ("open", "held") if include_held else ("open",)
    with store.read() as conn:
        rows = conn.execute(
            "SELECT id, entity, entity_id, server_version, server_value, local_value, state, created_at "
            f"FROM sync_conflicts WHERE state IN ({', '.join('?' for _ in states)}) ORDER BY id",
            states,
        ).all()
    return [
        Conflict(
            r.id,
            r.entity,
            r.entity_id,
            r.server_version,
            json.loads(r.server_value) if r.server_value else None,
            json.loads(r.local_value) if r.local_value else None,
            r.state,
            r.created_at,
        )
        for r in rows
    ]


def resolve_conflict(
    store: Store, conflict_id: int, keep: str, new_draft: Callable[[Document], Document] = new_draft_from
) -> str | None:
    """Close a conflict, keeping one side, in ONE transaction. Returns the id of the new draft for
    ``keep="copy"``.

    - ``keep="theirs"``: the server value stays (it is already in place for open conflicts).
    - ``keep="mine"``: my version is written again as a new edit, queued against the server version
      (refused with a plain TransitionError when the cooperative has locked the document).
    - ``keep="copy"`` (documents only): the server value stays and my version becomes a new draft,
      made by ``new_draft`` (the copy rules of ``smartdesk.domain.copies``; ``ws.sync.resolve`` passes
      ``ws.documents.draft_copy``, which also gives it today's date and terms like "Duplicate").
    """
    if keep not in ("mine", "theirs", "copy"):
        raise ValueError("keep must be 'mine', 'theirs' or 'copy'")
    with store.write() as conn:
        row = conn.execute(
            "SELECT entity, entity_id, local_value FROM sync_conflicts WHERE id = ?", (conflict_id,)
        ).first()
        if row is None:
            return None
        if keep == "copy" and row.entity != "document":
            raise ValueError("only a document can be copied to a new draft")
        conn.execute(
            "UPDATE sync_conflicts SET state = 'resolved', resolved_at = ? WHERE id = ?",
            (now_iso(), conflict_id),
        )
        if keep == "theirs" or row.local_value is None:
            return None
        mine = json.loads(row.local_value)
        if keep == "copy":
            copy = new_draft(document_from_dict(mine))
            store._put_document(conn, copy, True, "document.put")
            return copy.id
        if row.entity == "document":
            store._put_document(conn, document_from_dict(mine), True, "document.put", member_edit=True)
        elif row.entity == "client":
            store._put_client(conn, client_from_dict(mine), True)
        elif row.entity == "activity":
            store._put_activity(conn, activity_from_dict(mine), True)
    return None


# --- rejections --------------------------------------------------------------------------------
def record_rejections(conn: Connection, rejected: Iterable[tuple[int, str, str, str, str, str]]) -> None:
    """(mutation_id, name, entity_id, args JSON, code, reason): kept until the member dismisses them."""
    for mutation_id, name, entity_id, args, code, reason in rejected:
        conn.execute(
            "INSERT INTO sync_rejections (mutation_id, name, entity_id, args, code, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mutation_id) DO NOTHING",
            (mutation_id, name, entity_id, args, code, reason, now_iso()),
        )


def list_rejections(store: Store, include_dismissed: bool = False) -> list[Rejection]:
    where = "" if include_dismissed else " WHERE dismissed = 0"
    with store.read() as conn:
        rows = conn.execute(
            "SELECT mutation_id, name, entity_id, args, code, reason, created_at "
            f"FROM sync_rejections{where} ORDER BY mutation_id"
        ).all()
    return [
        Rejection(r.mutation_id, r.name, r.entity_id, json.loads(r.args), r.code, r.reason, r.created_at)
        for r in rows
    ]


def dismiss_rejection(store: Store, mutation_id: int) -> None:
    with store.write() as conn:
        conn.execute("UPDATE sync_rejections SET dismissed = 1 WHERE mutation_id = ?", (mutation_id,))
