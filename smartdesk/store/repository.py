"""All SQL of the local store. Callers get domain dataclasses or plain row dataclasses, never ORM objects.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry
(mutation name, arguments, base version), so a crash keeps both or neither.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select, text
from sqlalchemy.sql import ColumnElement

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable, status_label
from smartdesk.domain.money import cents
from smartdesk.domain.serialize import (
    COOPERATIVE_ACTIVITY_FIELDS,
    COOPERATIVE_CLIENT_FIELDS,
    MEMBER_DOCUMENT_FIELDS,
    activity_from_dict,
    activity_to_dict,
    client_from_dict,
    client_to_dict,
    document_from_dict,
    document_to_dict,
)
from smartdesk.domain.totals import document_total
from smartdesk.errors import NotFoundError, TransitionError
from smartdesk.store import database
from smartdesk.store.schema import (
    activities,
    attachments,
    clients,
    document_bodies,
    documents,
    outbox,
    settings,
    snippets,
    sync_state,
)


def _money(total_cents: int) -> Decimal:
    return Decimal(int(total_cents)).scaleb(-2)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class DocumentQuery:
    kind: DocumentKind | None = None
    status: str | None = None
    activity_id: str | None = None
    client_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    sort: str = "issue_date"
    descending: bool = True
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True)
class DocumentRow:
    id: str
    kind: DocumentKind
    status: str
    number: str
    title: str
    client_name: str
    activity_name: str
    issue_date: date | None
    due_date: date | None
    total_incl: Decimal
    currency: str
    updated_at: str


@dataclass(frozen=True)
class Page:
    rows: list[DocumentRow]
    total: int


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    country: str
    vat_number: str
    email: str
    language: str
    open_amount: Decimal
    document_count: int


@dataclass(frozen=True)
class ActivitySummary:
    id: str
    name: str
    code: str
    entity: str
    document_count: int
    quotes_total: Decimal
    invoiced_total: Decimal
    paid_total: Decimal
    expenses_total: Decimal


@dataclass(frozen=True)
class OutboxEntry:
    mutation_id: int
    name: str
    entity_id: str
    args: dict[str, Any]
    base_version: int
    created_at: str


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "document" or "client"
    id: str
    title: str
    snippet: str


@dataclass
class Snippet:
    id: str
    kind: str  # "line" or "text"
    title: str
    body: dict[str, Any] = field(default_factory=dict)


SORT_COLUMNS: dict[str, ColumnElement[Any]] = {
    "issue_date": documents.c.issue_date,
    "due_date": documents.c.due_date,
    "number": documents.c.number,
    "title": documents.c.title,
    "status": documents.c.status,
    "total": documents.c.total_cents,
    "client": clients.c.name,
    "activity": activities.c.name,
    "updated_at": documents.c.updated_at,
    "kind": documents.c.kind,
}

# Pre-built statements for hot paths: parameters are bound at execution, so SQLAlchemy's compiled
# cache serves them and an edit costs little more than SQLite's own work.
_DOC_INSERT = documents.insert()
_BODY_INSERT = document_bodies.insert()
_FTS_DOC_INSERT_BY_ID = text("INSERT INTO documents_fts(rowid, title, body) "
                             "VALUES ((SELECT rowid FROM documents WHERE id = :id), :t, :b)")
_OUTBOX_INSERT = outbox.insert()
# The edit path in plain SQL (executed through the same SQLAlchemy transaction): every edit of the
# session goes through it, so it skips statement compilation altogether.
_DOC_COLUMNS = ("kind", "status", "number", "title", "client_id", "activity_id", "issue_date", "due_date",
                "currency", "total_incl", "total_cents", "paid_amount", "version", "updated_at")
_SQL_DOC_CURRENT = ("SELECT b.body, d.server_version, d.version, d.rowid FROM documents d "
                    "JOIN document_bodies b ON b.id = d.id WHERE d.id = ?")
_SQL_BODY_UPSERT = ("INSERT INTO document_bodies (id, body) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET body = excluded.body")
_SQL_DOC_UPDATE = f"UPDATE documents SET {', '.join(c + ' = ?' for c in _DOC_COLUMNS)} WHERE id = ?"
_SQL_DOC_INSERT = (f"INSERT INTO documents (id, created_at, server_version, {', '.join(_DOC_COLUMNS)}) "
                   f"VALUES (?, ?, 0, {', '.join('?' for _ in _DOC_COLUMNS)})")
_SQL_FTS_DELETE = "DELETE FROM documents_fts WHERE rowid = ?"
_SQL_FTS_INSERT = "INSERT INTO documents_fts(rowid, title, body) VALUES (?, ?, ?)"
_SQL_OUTBOX_INSERT = "INSERT INTO outbox (name, entity_id, args, base_version, created_at) VALUES (?, ?, ?, ?, ?)"


def _sql_value(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value

OPEN_STATUSES = ("validated", "sent", "awaiting_payment", "reminder_1", "reminder_2", "formal_notice",
                 "litigation", "partially_paid")

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def fts_query(text_in: str) -> str | None:
    """Turn what a person types into an FTS5 query: every word must match, as a prefix."""
    tokens = _TOKEN_RE.findall(text_in)
    if not tokens:
        return None
    return " AND ".join(f'"{t}"*' for t in tokens[:12])


def _document_search_text(doc: Document, client_name: str) -> str:
    parts = [doc.number, doc.reference, client_name, doc.intro_text, doc.closing_text]
    parts.extend(line.description for line in doc.lines)
    for e in doc.expense_lines:
        parts.extend((e.supplier, e.description, e.category))
    return "\n".join(p for p in parts if p)


class Store:
    """The local SQLite store of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path, self.reader, self.writer, self._backup = database.open_database(folder)

    def close(self) -> None:
        if self._backup is not None:
            self._backup.join()
        self.reader.dispose()
        self.writer.dispose()  # the last connection to close folds the WAL back into the file
        database.mark_clean_close(self.path)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn:
            yield conn

    # --- outbox ------------------------------------------------------------------------------
    @staticmethod
    def _enqueue(conn: Connection, name: str, entity_id: str, args: dict[str, Any], base_version: int) -> int:
        result = conn.exec_driver_sql(_SQL_OUTBOX_INSERT, (
            name, entity_id, json.dumps(args, ensure_ascii=False, separators=(",", ":")), base_version, now_iso()))
        return int(result.lastrowid)

    def outbox_entries(self, limit: int = 1000, after: int = 0) -> list[OutboxEntry]:
        with self.read() as conn:
            rows = conn.execute(select(outbox).where(outbox.c.mutation_id > after)
                                .order_by(outbox.c.mutation_id).limit(limit)).all()
        return [OutboxEntry(r.mutation_id, r.name, r.entity_id, json.loads(r.args), r.base_version, r.created_at)
                for r in rows]

    def outbox_count(self) -> int:
        """Mutations not yet acknowledged by the server (one per saved edit)."""
        with self.read() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox)).scalar_one())

    def pending_records(self) -> int:
        """Records (documents, clients...) with changes not yet sent: what a member calls "changes
        waiting" (ten keystrokes in one title are one change)."""
        with self.read() as conn:
            return int(conn.execute(select(func.count(func.distinct(outbox.c.entity_id)))).scalar_one())

    def drop_acknowledged(self, conn: Connection, last_mutation_id: int) -> None:
        conn.execute(outbox.delete().where(outbox.c.mutation_id <= last_mutation_id))

    # --- sync state / settings ---------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        with self.read() as conn:
            value = conn.execute(select(sync_state.c.value).where(sync_state.c.key == key)).scalar()
        return default if value is None else json.loads(value)

    def set_state(self, conn: Connection, key: str, value: Any) -> None:
        data = json.dumps(value)
        updated = conn.execute(sync_state.update().where(sync_state.c.key == key).values(value=data)).rowcount
        if not updated:
            conn.execute(sync_state.insert().values(key=key, value=data))

    def get_setting(self, key: str) -> Any:
        with self.read() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return None if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        data = json.dumps(value)
        with self.write() as conn:
            updated = conn.execute(settings.update().where(settings.c.key == key).values(value=data)).rowcount
            if not updated:
                conn.execute(settings.insert().values(key=key, value=data))

    # --- activities --------------------------------------------------------------------------
    def put_activity(self, activity: Activity, *, enqueue: bool = True) -> Activity:
        with self.write() as conn:
            return self._put_activity(conn, activity, enqueue)

    def _put_activity(self, conn: Connection, activity: Activity, enqueue: bool) -> Activity:
        existing = conn.execute(select(activities.c.server_version, activities.c.body)
                                .where(activities.c.id == activity.id)).first()
        if enqueue:
            # a member's edit: the cooperative's monthly figures stay as the server sent them
            stored = activity_from_dict(json.loads(existing.body)) if existing and existing.body else None
            activity.monthly = stored.monthly if stored else []
        body = activity_to_dict(activity)
        values = dict(name=activity.name, code=activity.code, entity=activity.entity,
                      body=json.dumps(body, ensure_ascii=False), updated_at=now_iso())
        if existing:
            conn.execute(activities.update().where(activities.c.id == activity.id).values(**values))
        else:
            conn.execute(activities.insert().values(id=activity.id, **values))
        if enqueue:
            sent = {k: v for k, v in body.items() if k not in COOPERATIVE_ACTIVITY_FIELDS}
            self._enqueue(conn, "activity.put", activity.id, {"activity": sent},
                          existing.server_version if existing else 0)
        return activity

    def get_activity(self, activity_id: str) -> Activity:
        with self.read() as conn:
            body = conn.execute(select(activities.c.body).where(activities.c.id == activity_id)).scalar()
        if body is None:
            raise NotFoundError(f"No activity with id {activity_id}.")
        return activity_from_dict(json.loads(body))

    def list_activities(self) -> list[ActivitySummary]:
        d = documents.c
        stmt = (
            select(
                activities.c.id, activities.c.name, activities.c.code, activities.c.entity,
                func.count(d.id),
                func.coalesce(func.sum(d.total_cents).filter(d.kind == "quote"), 0),
                func.coalesce(func.sum(d.total_cents).filter(and_(d.kind == "invoice", d.number != "")), 0),
                func.coalesce(func.sum(d.total_cents).filter(and_(d.kind == "invoice", d.status == "paid")), 0),
                func.coalesce(func.sum(d.total_cents).filter(d.kind == "expense-note"), 0),
            )
            .select_from(activities.outerjoin(documents, d.activity_id == activities.c.id))
            .group_by(activities.c.id)
            .order_by(activities.c.name)
        )
        with self.read() as conn:
            rows = conn.execute(stmt).all()
        return [ActivitySummary(r[0], r[1], r[2], r[3], int(r[4]), _money(r[5]), _money(r[6]),
                                _money(r[7]), _money(r[8])) for r in rows]

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of every activity and every client, by name: what list filters offer. No sums
        over documents, so it stays instant on a big store (``list_activities`` adds the figures)."""
        with self.read() as conn:
            acts = conn.execute(select(activities.c.id, activities.c.name).order_by(activities.c.name)).all()
            cls = conn.execute(select(clients.c.id, clients.c.name).where(clients.c.deleted.is_(False))
                               .order_by(func.lower(clients.c.name))).all()
        return [(r[0], r[1]) for r in acts], [(r[0], r[1]) for r in cls]

    # --- clients -----------------------------------------------------------------------------
    def _client_values(self, client: Client) -> dict[str, Any]:
        return dict(name=client.name, country=client.address.country, vat_number=client.vat_number,
                    email=client.email, language=client.language,
                    body=json.dumps(client_to_dict(client), ensure_ascii=False), updated_at=now_iso())

    def put_client(self, client: Client, *, enqueue: bool = True) -> Client:
        with self.write() as conn:
            return self._put_client(conn, client, enqueue)

    def _put_client(self, conn: Connection, client: Client, enqueue: bool) -> Client:
        row = conn.execute(select(clients.c.body, clients.c.server_version, text("rowid"))
                           .where(clients.c.id == client.id)).first()
        if enqueue:
            # a member's edit: the cooperative's payment flag stays as the server sent it
            client.payment_flag = str(json.loads(row.body).get("payment_flag") or "") if row else ""
        new_body = client_to_dict(client)
        values = self._client_values(client)
        if row:
            old = json.loads(row.body)
            changed = [k for k in new_body if k != "id" and old.get(k) != new_body[k]]
            conn.execute(clients.update().where(clients.c.id == client.id).values(deleted=False, **values))
            rowid = row.rowid
            base = row.server_version
        else:
            changed = [k for k in new_body if k != "id"]
            rowid = conn.execute(clients.insert().values(id=client.id, **values)).lastrowid
            base = 0
        conn.execute(text("DELETE FROM clients_fts WHERE rowid = :r"), {"r": rowid})
        conn.execute(text("INSERT INTO clients_fts(rowid, name, body) VALUES (:r, :n, :b)"),
                     {"r": rowid, "n": client.name,
                      "b": " ".join((client.vat_number, client.email, client.address.city))})
        if enqueue:
            changed = [k for k in changed if k not in COOPERATIVE_CLIENT_FIELDS]
            sent = {k: v for k, v in new_body.items() if k not in COOPERATIVE_CLIENT_FIELDS}
            args: dict[str, Any] = {"client": sent, "changed": changed}
            if row:
                args["before"] = {k: old.get(k) for k in changed}
            self._enqueue(conn, "client.put", client.id, args, base)
        client.version += 1
        return client

    def get_client(self, client_id: str) -> Client:
        with self.read() as conn:
            row = conn.execute(select(clients.c.body, clients.c.server_version)
                               .where(clients.c.id == client_id)).first()
        if row is None:
            raise NotFoundError(f"No client with id {client_id}.")
        client = client_from_dict(json.loads(row.body))
        client.version = row.server_version
        return client

    def delete_client(self, client_id: str) -> None:
        """Mark a client deleted (its documents keep pointing to it)."""
        with self.write() as conn:
            row = conn.execute(select(clients.c.server_version, text("rowid"))
                               .where(clients.c.id == client_id)).first()
            if row is None:
                raise NotFoundError(f"No client with id {client_id}.")
            conn.execute(clients.update().where(clients.c.id == client_id).values(deleted=True, updated_at=now_iso()))
            conn.execute(text("DELETE FROM clients_fts WHERE rowid = :r"), {"r": row.rowid})
            self._enqueue(conn, "client.delete", client_id, {"id": client_id}, row.server_version)

    def list_clients(self, text_filter: str = "") -> list[ClientRow]:
        d = documents.c
        open_cents = func.coalesce(func.sum(d.total_cents).filter(
            and_(d.kind == "invoice", d.status.in_(OPEN_STATUSES))), 0)
        stmt = (select(clients.c.id, clients.c.name, clients.c.country, clients.c.vat_number, clients.c.email,
                       clients.c.language, open_cents, func.count(d.id))
                .select_from(clients.outerjoin(documents, d.client_id == clients.c.id))
                .where(clients.c.deleted.is_(False))
                .group_by(clients.c.id).order_by(func.lower(clients.c.name)))
        query = fts_query(text_filter)
        if query:
            stmt = stmt.where(text("clients.rowid IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH :q)")
                              .bindparams(q=query))
        with self.read() as conn:
            rows = conn.execute(stmt).all()
        return [ClientRow(r[0], r[1], r[2], r[3], r[4], r[5], _money(r[6]), int(r[7])) for r in rows]

    # --- documents ---------------------------------------------------------------------------
    def _document_values(self, conn: Connection, doc: Document,
                         client_names: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
        total = document_total(doc)
        client_name = ""
        if doc.client_id:
            if client_names is not None and doc.client_id in client_names:
                client_name = client_names[doc.client_id]
            else:
                client_name = conn.exec_driver_sql("SELECT name FROM clients WHERE id = ?",
                                                   (doc.client_id,)).scalar() or ""
        body = document_to_dict(doc)
        body["version"] = doc.version
        values = dict(
            kind=doc.kind.value, status=doc.status, number=doc.number, title=doc.title,
            client_id=doc.client_id or None, activity_id=doc.activity_id or None,
            issue_date=doc.issue_date.isoformat() if doc.issue_date else None,
            due_date=doc.due_date.isoformat() if doc.due_date else None,
            currency=doc.currency, total_incl=total, total_cents=cents(total), paid_amount=doc.paid_amount,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")), version=doc.version,
            updated_at=doc.updated_at,
        )
        return values, _document_search_text(doc, client_name)

    def put_document(self, doc: Document, *, enqueue: bool = True, mutation: str = "document.put",
                     member_edit: bool = False) -> Document:
        """Insert or update a document and append its outbox entry, in one transaction.

        ``member_edit``: a change of content by the member. It is refused (TransitionError) when the
        stored document is no longer editable, and the cooperative-owned fields are kept as stored.
        """
        with self.write() as conn:
            return self._put_document(conn, doc, enqueue, mutation, member_edit)

    def _put_document(self, conn: Connection, doc: Document, enqueue: bool, mutation: str,
                      member_edit: bool = False) -> Document:
        doc.updated_at = now_iso()
        row = conn.exec_driver_sql(_SQL_DOC_CURRENT, (doc.id,)).first()
        old = json.loads(row.body) if row else None
        if member_edit and old is not None:
            if not is_editable(old["status"]):
                raise TransitionError(
                    f"This {old['kind'].replace('-', ' ')} is “{status_label(old['status'])}”: it can no longer "
                    f"be changed. Duplicate it to make a new draft.")
            if (doc.status, doc.number, doc.remarks) != (old["status"], old["number"], old["remarks"]) or \
                    doc.paid_amount != Decimal(old["paid_amount"]) or len(doc.timeline) != len(old["timeline"]):
                stored = document_from_dict(old)
                doc.status, doc.number, doc.paid_amount = stored.status, stored.number, stored.paid_amount
                doc.remarks, doc.timeline = stored.remarks, stored.timeline
        doc.version = (row.version if row else 0) + 1
        if not doc.created_at:
            doc.created_at = doc.updated_at
        values, search_text = self._document_values(conn, doc)
        params = tuple(_sql_value(values[c]) for c in _DOC_COLUMNS)
        if row:
            conn.exec_driver_sql(_SQL_DOC_UPDATE, (*params, doc.id))
            rowid, base = row.rowid, row.server_version
            conn.exec_driver_sql(_SQL_FTS_DELETE, (rowid,))
        else:
            rowid = conn.exec_driver_sql(_SQL_DOC_INSERT, (doc.id, doc.created_at, *params)).lastrowid
            base = 0
        conn.exec_driver_sql(_SQL_BODY_UPSERT, (doc.id, values["body"]))
        conn.exec_driver_sql(_SQL_FTS_INSERT, (rowid, doc.title, search_text))
        if enqueue:
            new_body = json.loads(values["body"])
            new_body.pop("version", None)
            args: dict[str, Any] = {"document": new_body}
            if old is not None:
                changed = [k for k in MEMBER_DOCUMENT_FIELDS if old.get(k) != new_body.get(k)]
                # the values this edit started from: the server tells a later edit of this same device
                # (still based on the same server version) from a real same-field conflict
                args["before"] = {k: old.get(k) for k in changed}
            else:
                changed = list(MEMBER_DOCUMENT_FIELDS)
            args["changed"] = changed
            self._enqueue(conn, mutation, doc.id, args, base)
        return doc

    def import_all(self, activity_list: Sequence[Activity], client_list: Sequence[Client],
                   document_list: Sequence[Document]) -> None:
        """Everything or nothing: one transaction for a whole import file."""
        with self.write() as conn:
            for a in activity_list:
                self._put_activity(conn, a, True)
            for c in client_list:
                self._put_client(conn, c, True)
            for d in document_list:
                self._put_document(conn, d, True, "document.put")

    def ids_present(self, table: str, ids: set[str]) -> set[str]:
        tbl = {"clients": clients, "activities": activities, "documents": documents}[table]
        if not ids:
            return set()
        with self.read() as conn:
            return {r[0] for r in conn.execute(select(tbl.c.id).where(tbl.c.id.in_(list(ids)))).all()}

    def bulk_put_documents(self, docs: Sequence[Document]) -> None:
        """Insert many documents in one transaction without outbox entries (demo data, first pull)."""
        stamp = now_iso()
        with self.write() as conn:
            names = {r[0]: r[1] for r in conn.execute(select(clients.c.id, clients.c.name)).all()}
            rows: list[dict[str, Any]] = []
            bodies: list[dict[str, Any]] = []
            fts: list[dict[str, Any]] = []
            for doc in docs:
                doc.updated_at = doc.updated_at or stamp
                doc.created_at = doc.created_at or stamp
                doc.version = doc.version or 1
                values, search_text = self._document_values(conn, doc, names)
                bodies.append({"id": doc.id, "body": values.pop("body")})
                rows.append({"id": doc.id, "created_at": doc.created_at, **values})
                fts.append({"id": doc.id, "t": doc.title, "b": search_text})
            if rows:
                conn.execute(_DOC_INSERT, rows)
                conn.execute(_BODY_INSERT, bodies)
                conn.execute(_FTS_DOC_INSERT_BY_ID, fts)

    def get_document(self, doc_id: str) -> Document:
        with self.read() as conn:
            row = conn.execute(select(document_bodies.c.body, documents.c.version, documents.c.created_at,
                                      documents.c.updated_at)
                               .join_from(documents, document_bodies, document_bodies.c.id == documents.c.id)
                               .where(documents.c.id == doc_id)).first()
        if row is None:
            raise NotFoundError(f"No document with id {doc_id}. It may have been deleted.")
        doc = document_from_dict(json.loads(row.body))
        doc.version, doc.created_at, doc.updated_at = row.version, row.created_at, row.updated_at
        return doc

    def server_version(self, doc_id: str) -> int:
        with self.read() as conn:
            return int(conn.execute(select(documents.c.server_version)
                                    .where(documents.c.id == doc_id)).scalar() or 0)

    def delete_document(self, doc_id: str) -> None:
        with self.write() as conn:
            row = conn.execute(select(documents.c.server_version, text("rowid"))
                               .where(documents.c.id == doc_id)).first()
            if row is None:
                raise NotFoundError(f"No document with id {doc_id}.")
            conn.execute(text("DELETE FROM documents_fts WHERE rowid = :r"), {"r": row.rowid})
            conn.execute(document_bodies.delete().where(document_bodies.c.id == doc_id))
            conn.execute(documents.delete().where(documents.c.id == doc_id))
            self._enqueue(conn, "document.delete", doc_id, {"id": doc_id}, row.server_version)

    def transition_document(self, doc: Document, target: str) -> Document:
        """Record a member transition locally and queue it (the server re-checks it)."""
        doc.status = target
        doc.updated_at = now_iso()
        with self.write() as conn:
            row = conn.execute(select(documents.c.server_version, documents.c.version)
                               .where(documents.c.id == doc.id)).first()
            if row is None:
                raise NotFoundError(f"No document with id {doc.id}.")
            doc.version = row.version + 1
            values, _ = self._document_values(conn, doc)
            conn.exec_driver_sql(_SQL_BODY_UPSERT, (doc.id, values.pop("body")))
            conn.execute(documents.update().where(documents.c.id == doc.id).values(**values))
            self._enqueue(conn, "document.transition", doc.id, {"id": doc.id, "to": target}, row.server_version)
        return doc

    def _filters(self, q: DocumentQuery) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if q.kind is not None:
            conds.append(documents.c.kind == q.kind.value)
        if q.status:
            conds.append(documents.c.status == q.status)
        if q.activity_id:
            conds.append(documents.c.activity_id == q.activity_id)
        if q.client_id:
            conds.append(documents.c.client_id == q.client_id)
        if q.date_from:
            conds.append(documents.c.issue_date >= q.date_from.isoformat())
        if q.date_to:
            conds.append(documents.c.issue_date <= q.date_to.isoformat())
        query = fts_query(q.text)
        if query:
            conds.append(text("documents.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q)")
                         .bindparams(q=query))
        return conds

    def list_documents(self, q: DocumentQuery, with_total: bool = True) -> Page:
        """One page of the list. ``with_total=False`` skips counting every match (the costly part of a
        word search on a big store): ``total`` is then only what this page proves, ``offset + rows``."""
        conds = self._filters(q)
        sort_col = SORT_COLUMNS.get(q.sort, documents.c.issue_date)
        order = [sort_col.desc() if q.descending else sort_col.asc(),
                 documents.c.id.desc() if q.descending else documents.c.id.asc()]
        stmt = (select(documents.c.id, documents.c.kind, documents.c.status, documents.c.number, documents.c.title,
                       clients.c.name, activities.c.name, documents.c.issue_date, documents.c.due_date,
                       documents.c.total_incl, documents.c.currency, documents.c.updated_at)
                .select_from(documents.outerjoin(clients, clients.c.id == documents.c.client_id)
                             .outerjoin(activities, activities.c.id == documents.c.activity_id))
                .where(*conds).order_by(*order).offset(q.offset).limit(q.limit))
        with self.read() as conn:
            rows = conn.execute(stmt).all()
            total = self._count(conn, conds) if with_total else q.offset + len(rows)
        return Page(rows=[DocumentRow(
            id=r[0], kind=DocumentKind(r[1]), status=r[2], number=r[3], title=r[4], client_name=r[5] or "",
            activity_name=r[6] or "", issue_date=date.fromisoformat(r[7]) if r[7] else None,
            due_date=date.fromisoformat(r[8]) if r[8] else None, total_incl=r[9], currency=r[10],
            updated_at=r[11]) for r in rows], total=total)

    @staticmethod
    def _count(conn: Connection, conds: Sequence[ColumnElement[bool]]) -> int:
        return int(conn.execute(select(func.count()).select_from(documents).where(*conds)).scalar_one())

    def count_documents(self, q: DocumentQuery) -> int:
        with self.read() as conn:
            return self._count(conn, self._filters(q))

    def search(self, text_in: str, limit: int = 20) -> list[SearchHit]:
        query = fts_query(text_in)
        if not query:
            return []
        with self.read() as conn:
            docs = conn.execute(text(
                "SELECT d.id, d.kind, d.number, d.title, snippet(documents_fts, 1, '[', ']', '…', 8) "
                "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                "WHERE documents_fts MATCH :q ORDER BY documents_fts.rowid DESC LIMIT :n"), {"q": query, "n": limit}).all()
            cls = conn.execute(text(
                "SELECT c.id, c.name, snippet(clients_fts, 1, '[', ']', '…', 8) "
                "FROM clients_fts JOIN clients c ON c.rowid = clients_fts.rowid "
                "WHERE clients_fts MATCH :q AND c.deleted = 0 ORDER BY rank LIMIT :n"), {"q": query, "n": limit}).all()
        hits = [SearchHit("client", r[0], r[1], r[2]) for r in cls]
        hits += [SearchHit("document", r[0], r[3] or r[2] or r[1], r[4]) for r in docs]
        return hits[:limit]

    # --- attachments metadata, snippets --------------------------------------------------------
    def record_attachment(self, sha256: str, media_type: str, size: int, filename: str = "") -> None:
        with self.write() as conn:
            exists = conn.execute(select(attachments.c.sha256).where(attachments.c.sha256 == sha256)).first()
            if not exists:
                conn.execute(attachments.insert().values(sha256=sha256, media_type=media_type, size=size,
                                                         filename=filename, created_at=now_iso()))

    def documents_with_receipt(self, sha256: str) -> list[str]:
        """Ids of expense notes that already carry this receipt (duplicate detection)."""
        with self.read() as conn:
            rows = conn.execute(select(documents.c.id)
                                .join_from(documents, document_bodies, document_bodies.c.id == documents.c.id)
                                .where(documents.c.kind == "expense-note")
                                .where(document_bodies.c.body.contains(sha256))).all()
        return [r[0] for r in rows]

    def list_snippets(self, kind: str | None = None) -> list[Snippet]:
        stmt = select(snippets).order_by(snippets.c.title)
        if kind:
            stmt = stmt.where(snippets.c.kind == kind)
        with self.read() as conn:
            rows = conn.execute(stmt).all()
        return [Snippet(r.id, r.kind, r.title, json.loads(r.body)) for r in rows]

    def put_snippet(self, snippet: Snippet) -> Snippet:
        with self.write() as conn:
            conn.execute(snippets.delete().where(snippets.c.id == snippet.id))
            conn.execute(snippets.insert().values(id=snippet.id, kind=snippet.kind, title=snippet.title,
                                                  body=json.dumps(snippet.body, ensure_ascii=False),
                                                  updated_at=now_iso()))
        return snippet

    def delete_snippet(self, snippet_id: str) -> None:
        with self.write() as conn:
            conn.execute(snippets.delete().where(snippets.c.id == snippet_id))

    # --- support requests (no table of their own: the outbox row is the pending copy) ---------------
    def enqueue_member_message(self, name: str, entity_id: str, args: dict[str, Any]) -> int:
        """Queue a mutation that only the server applies (``request.open`` / ``request.reply``), in
        one transaction. Until a pull brings the server's version back (in the same transaction that
        drops this row), the outbox row is what the member sees of it."""
        with self.write() as conn:
            return self._enqueue(conn, name, entity_id, args, 0)

    def outbox_entries_named(self, names: Sequence[str]) -> list[OutboxEntry]:
        """Unsent mutations with one of these names, oldest first."""
        with self.read() as conn:
            rows = conn.execute(select(outbox).where(outbox.c.name.in_(list(names)))
                                .order_by(outbox.c.mutation_id)).all()
        return [OutboxEntry(r.mutation_id, r.name, r.entity_id, json.loads(r.args), r.base_version, r.created_at)
                for r in rows]


def profile_to_dict(p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(p)


def put_profile(store: Store, profile: Any) -> None:
    """Save the member profile and queue it, in one transaction."""
    body = profile_to_dict(profile)
    data = json.dumps(body, ensure_ascii=False)
    with store.write() as conn:
        updated = conn.execute(settings.update().where(settings.c.key == "profile").values(value=data)).rowcount
        if not updated:
            conn.execute(settings.insert().values(key="profile", value=data))
        Store._enqueue(conn, "profile.put", body["id"], {"profile": body}, 0)
