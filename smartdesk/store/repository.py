"""The local store's façade (``Store``): callers get domain dataclasses or plain row dataclasses.

The SQL itself is in ``store/tables/``, one module per group of tables; this module holds none.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry
(mutation name, arguments, base version), so a crash keeps both or neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable, kind_word, status_label
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
from smartdesk.errors import Message, NotFoundError, TransitionError
from smartdesk.store import database
from smartdesk.store.connection import Connection
from smartdesk.store.tables import attachments as attachment_sql
from smartdesk.store.tables import clients as client_sql
from smartdesk.store.tables import documents as doc_sql
from smartdesk.store.tables import outbox as outbox_sql
from smartdesk.store.tables import settings as settings_sql
from smartdesk.store.tables.documents import SORT_COLUMNS, SQL_FTS_DELETE, fts_query, sql_value
from smartdesk.store.tables.settings import put_setting

__all__ = [
    "SORT_COLUMNS",
    "SQL_FTS_DELETE",
    "fts_query",
    "put_setting",
    "sql_value",
]  # kept importable from here

SCHEMA_VERSION = 1  # of the records' JSON form, told to the server (the file's own revision is Alembic's)


def _money(total_cents: int) -> Decimal:
    return Decimal(int(total_cents)).scaleb(-2)


def _day(text: str) -> date | None:
    """An ISO date pulled from the server, or None when it is missing or not a date."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


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
    statuses: tuple[str, ...] = ()  # any of these statuses (several at once; "all unpaid")
    due_from: date | None = None  # due dates, inclusive (overdue age bands)
    due_to: date | None = None


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
    paid: Decimal = Decimal(0)  # what the cooperative received (cooperative-owned)
    last_payment: date | None = None  # the newest payment pulled for it, if any


@dataclass(frozen=True)
class ListSums:
    """The totals of every row a list query matches (not only the page on screen)."""

    count: int
    total: Decimal
    paid: Decimal
    still_due: Decimal


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
        self.db, self._backup = database.open_database(folder)
        self.path = self.db.path

    def close(self) -> None:
        if self._backup is not None:
            self._backup.join()
        self.db.close()  # the last connection to close folds the WAL back into the file
        database.mark_clean_close(self.path)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed at the end of the block, rolled back on error."""
        with self.db.write() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One snapshot of the file for the statements of the block."""
        with self.db.read() as conn:
            yield conn

    # --- outbox ------------------------------------------------------------------------------
    @staticmethod
    def _enqueue(conn: Connection, name: str, entity_id: str, args: dict[str, Any], base_version: int) -> int:
        return outbox_sql.append(
            conn,
            name,
            entity_id,
            json.dumps(args, ensure_ascii=False, separators=(",", ":")),
            base_version,
            now_iso(),
        )

    def outbox_entries(self, limit: int = 1000, after: int = 0) -> list[OutboxEntry]:
        with self.read() as conn:
            rows = outbox_sql.entries(conn, after, limit)
        return [OutboxEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]

    def outbox_count(self) -> int:
        """Mutations not yet acknowledged by the server (one per saved edit)."""
        with self.read() as conn:
            return outbox_sql.count(conn)

    def outbox_head(self) -> int:
        """The id of the newest unsent mutation (0 when none): instant, unlike counting what waits."""
        with self.read() as conn:
            return outbox_sql.head(conn)

    def pending_records(self) -> int:
        """Records (documents, clients...) with changes not yet sent: what a member calls "changes
        waiting" (ten keystrokes in one title are one change)."""
        with self.read() as conn:
            return outbox_sql.pending_records(conn)

    def drop_acknowledged(self, conn: Connection, last_mutation_id: int) -> None:
        outbox_sql.drop_through(conn, last_mutation_id)

    # --- sync state / settings ---------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        with self.read() as conn:
            value = outbox_sql.get_state(conn, key)
        return default if value is None else json.loads(value)

    def set_state(self, conn: Connection, key: str, value: Any) -> None:
        outbox_sql.put_state(conn, key, json.dumps(value))

    def get_setting(self, key: str) -> Any:
        with self.read() as conn:
            value = settings_sql.get_setting(conn, key)
        return None if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            put_setting(conn, key, json.dumps(value))

    # --- activities --------------------------------------------------------------------------
    def put_activity(self, activity: Activity, *, enqueue: bool = True) -> Activity:
        with self.write() as conn:
            return self._put_activity(conn, activity, enqueue)

    def _put_activity(self, conn: Connection, activity: Activity, enqueue: bool) -> Activity:
        existing = client_sql.activity_row(conn, activity.id)
        if enqueue:
            # a member's edit: the cooperative's monthly figures stay as the server sent them
            stored = activity_from_dict(json.loads(existing.body)) if existing and existing.body else None
            activity.monthly = stored.monthly if stored else []
        body = activity_to_dict(activity)
        values = (
            activity.name,
            activity.code,
            activity.entity,
            json.dumps(body, ensure_ascii=False),
            now_iso(),
        )
        if existing:
            client_sql.update_activity(conn, activity.id, values)
        else:
            client_sql.insert_activity(conn, activity.id, values)
        if enqueue:
            sent = {k: v for k, v in body.items() if k not in COOPERATIVE_ACTIVITY_FIELDS}
            self._enqueue(
                conn,
                "activity.put",
                activity.id,
                {"activity": sent},
                existing.server_version if existing else 0,
            )
        return activity

    def get_activity(self, activity_id: str) -> Activity:
        with self.read() as conn:
            body = client_sql.activity_body(conn, activity_id)
        if body is None:
            raise NotFoundError.of("No activity with id {id}.", id=activity_id)
        return activity_from_dict(json.loads(body))

    def list_activities(self) -> list[ActivitySummary]:
        with self.read() as conn:
            rows = client_sql.list_activities(conn)
            partial = doc_sql.partly_paid_by_activity(conn)
        return [
            ActivitySummary(
                r[0],
                r[1],
                r[2],
                r[3],
                int(r[4]),
                _money(r[5]),
                _money(r[6]),
                _money(r[7]) + partial.get(r[0], Decimal(0)),
                _money(r[8]),
            )
            for r in rows
        ]

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of every activity and every client, by name: what list filters offer. No sums
        over documents, so it stays instant on a big store (``list_activities`` adds the figures)."""
        with self.read() as conn:
            return client_sql.activity_choices(conn), client_sql.client_choices(conn)

    # --- clients -----------------------------------------------------------------------------
    @staticmethod
    def _client_values(client: Client) -> tuple[Any, ...]:
        """name, country, vat_number, email, language, body, updated_at"""
        return (
            client.name,
            client.address.country,
            client.vat_number,
            client.email,
            client.language,
            json.dumps(client_to_dict(client), ensure_ascii=False),
            now_iso(),
        )

    def put_client(self, client: Client, *, enqueue: bool = True) -> Client:
        with self.write() as conn:
            return self._put_client(conn, client, enqueue)

    def _put_client(self, conn: Connection, client: Client, enqueue: bool) -> Client:
        row = client_sql.client_row(conn, client.id)
        if enqueue:
            # a member's edit: the cooperative's payment flag stays as the server sent it
            client.payment_flag = str(json.loads(row.body).get("payment_flag") or "") if row else ""
        new_body = client_to_dict(client)
        values = self._client_values(client)
        if row:
            old = json.loads(row.body)
            changed = [k for k in new_body if k != "id" and old.get(k) != new_body[k]]
            client_sql.update_client(conn, client.id, values)
            rowid = row.rowid
            base = row.server_version
        else:
            changed = [k for k in new_body if k != "id"]
            rowid = client_sql.insert_client(conn, client.id, values)
            base = 0
        client_sql.index_client(
            conn, rowid, client.name, " ".join((client.vat_number, client.email, client.address.city))
        )
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
            row = client_sql.client_row(conn, client_id)
        if row is None:
            raise NotFoundError.of("No client with id {id}.", id=client_id)
        client = client_from_dict(json.loads(row.body))
        client.version = row.server_version
        return client

    def delete_client(self, client_id: str) -> None:
        """Mark a client deleted (its documents keep pointing to it)."""
        with self.write() as conn:
            row = client_sql.client_row(conn, client_id)
            if row is None:
                raise NotFoundError.of("No client with id {id}.", id=client_id)
            client_sql.mark_client_deleted(conn, client_id, row.rowid, now_iso())
            self._enqueue(conn, "client.delete", client_id, {"id": client_id}, row.server_version)

    def list_clients(self, text_filter: str = "") -> list[ClientRow]:
        with self.read() as conn:
            rows = client_sql.list_clients(conn, fts_query(text_filter))
        return [ClientRow(r[0], r[1], r[2], r[3], r[4], r[5], _money(r[6]), int(r[7])) for r in rows]

    # --- documents ---------------------------------------------------------------------------
    def _document_values(
        self, conn: Connection, doc: Document, client_names: dict[str, str] | None = None
    ) -> tuple[dict[str, Any], str]:
        total = document_total(doc)
        client_name = ""
        if doc.client_id:
            if client_names is not None and doc.client_id in client_names:
                client_name = client_names[doc.client_id]
            else:
                client_name = client_sql.client_name(conn, doc.client_id)
        body = document_to_dict(doc)
        body["version"] = doc.version
        values = dict(
            kind=doc.kind.value,
            status=doc.status,
            number=doc.number,
            title=doc.title,
            client_id=doc.client_id or None,
            activity_id=doc.activity_id or None,
            issue_date=doc.issue_date.isoformat() if doc.issue_date else None,
            due_date=doc.due_date.isoformat() if doc.due_date else None,
            currency=doc.currency,
            total_incl=total,
            total_cents=cents(total),
            paid_amount=doc.paid_amount,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            version=doc.version,
            updated_at=doc.updated_at,
        )
        return values, _document_search_text(doc, client_name)

    def put_document(
        self,
        doc: Document,
        *,
        enqueue: bool = True,
        mutation: str = "document.put",
        member_edit: bool = False,
    ) -> Document:
        """Insert or update a document and append its outbox entry, in one transaction.

        ``member_edit``: a change of content by the member. It is refused (TransitionError) when the
        stored document is no longer editable, and the cooperative-owned fields are kept as stored.
        """
        with self.write() as conn:
            return self._put_document(conn, doc, enqueue, mutation, member_edit)

    def _put_document(
        self, conn: Connection, doc: Document, enqueue: bool, mutation: str, member_edit: bool = False
    ) -> Document:
        doc.updated_at = now_iso()
        row = doc_sql.current(conn, doc.id)
        old = json.loads(row.body) if row else None
        if member_edit and old is not None:
            if not is_editable(old["status"]):
                raise TransitionError.of(
                    "This {kind} is “{status}”: it can no longer be changed. Duplicate it to make a new draft.",
                    kind=kind_word(DocumentKind(old["kind"])),
                    status=Message(status_label(old["status"])),
                )
            if (
                (doc.status, doc.number, doc.remarks) != (old["status"], old["number"], old["remarks"])
                or doc.paid_amount != Decimal(old["paid_amount"])
                or len(doc.timeline) != len(old["timeline"])
            ):
                stored = document_from_dict(old)
                doc.status, doc.number, doc.paid_amount = stored.status, stored.number, stored.paid_amount
                doc.remarks, doc.timeline = stored.remarks, stored.timeline
        doc.version = (row.version if row else 0) + 1
        if not doc.created_at:
            doc.created_at = doc.updated_at
        values, search_text = self._document_values(conn, doc)
        params = doc_sql.row_params(values)
        if row:
            doc_sql.update_row(conn, doc.id, params)
            rowid, base = row.rowid, row.server_version
            doc_sql.drop_index_entry(conn, rowid)
        else:
            rowid = doc_sql.insert_row(conn, doc.id, doc.created_at, params)
            base = 0
        doc_sql.write_body_and_index(conn, doc.id, doc.title, rowid, values["body"], search_text)
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

    def import_all(
        self,
        activity_list: Sequence[Activity],
        client_list: Sequence[Client],
        document_list: Sequence[Document],
    ) -> None:
        """Everything or nothing: one transaction for a whole import file."""
        with self.write() as conn:
            for a in activity_list:
                self._put_activity(conn, a, True)
            for c in client_list:
                self._put_client(conn, c, True)
            for d in document_list:
                self._put_document(conn, d, True, "document.put")

    def ids_present(self, table: str, ids: set[str]) -> set[str]:
        if table not in ("clients", "activities", "documents"):
            raise ValueError(f"unknown table {table}")
        with self.read() as conn:
            if table == "documents":
                return doc_sql.present(conn, list(ids))
            return client_sql.present(conn, table, list(ids))

    def bulk_put_documents(self, docs: Sequence[Document]) -> None:
        """Insert many documents in one transaction without outbox entries (demo data, first pull)."""
        stamp = now_iso()
        with self.write() as conn:
            names = client_sql.client_names(conn)
            rows: list[tuple[Any, ...]] = []
            bodies: list[tuple[str, str]] = []
            fts: list[tuple[str, str, str]] = []
            for doc in docs:
                doc.updated_at = doc.updated_at or stamp
                doc.created_at = doc.created_at or stamp
                doc.version = doc.version or 1
                values, search_text = self._document_values(conn, doc, names)
                bodies.append((doc.id, values["body"]))
                rows.append((doc.id, doc.created_at, *doc_sql.row_params(values)))
                fts.append((doc.id, doc.title, search_text))
            doc_sql.bulk_insert(conn, rows, bodies, fts)

    def get_document(self, doc_id: str) -> Document:
        with self.read() as conn:
            row = doc_sql.stored(conn, doc_id)
        if row is None:
            raise NotFoundError.of("No document with id {id}. It may have been deleted.", id=doc_id)
        doc = document_from_dict(json.loads(row.body))
        doc.version, doc.created_at, doc.updated_at = row.version, row.created_at, row.updated_at
        return doc

    def documents_made_from(self, source_id: str, kind: DocumentKind) -> list[Document]:
        """The documents of ``kind`` whose ``source_id`` is ``source_id`` (the invoices of a quote)."""
        with self.read() as conn:
            rows = doc_sql.made_from(conn, source_id, kind.value)
        docs = []
        for row in rows:
            doc = document_from_dict(json.loads(row.body))
            doc.version, doc.created_at, doc.updated_at = row.version, row.created_at, row.updated_at
            docs.append(doc)
        return docs

    def find_document_ids(self, ident: str, limit: int = 2) -> list[str]:
        """Documents whose legal number is ``ident`` or whose id starts with it (what a person types on
        the command line); ``%`` and ``_`` in it are plain characters."""
        with self.read() as conn:
            return doc_sql.ids_by_number_or_prefix(conn, ident, limit)

    def document_statuses(self, ids: Sequence[str]) -> dict[str, str]:
        """The local status of each of these documents that is here (absent ids are left out)."""
        with self.read() as conn:
            return doc_sql.statuses(conn, list(ids))

    def server_version(self, doc_id: str) -> int:
        with self.read() as conn:
            return doc_sql.server_version(conn, doc_id) or 0

    def delete_document(self, doc_id: str) -> None:
        with self.write() as conn:
            row = doc_sql.versions(conn, doc_id)
            if row is None:
                raise NotFoundError.of("No document with id {id}.", id=doc_id)
            doc_sql.remove(conn, doc_id, row.rowid)
            self._enqueue(conn, "document.delete", doc_id, {"id": doc_id}, row.server_version)

    def transition_document(self, doc: Document, target: str, on: str = "", note: str = "") -> Document:
        """Record a member transition locally and queue it (the server re-checks it). ``on``: the day
        the member says it happened (ISO date, e.g. when the client accepted a quote), if not today."""
        doc.status = target
        doc.updated_at = now_iso()
        with self.write() as conn:
            row = doc_sql.versions(conn, doc.id)
            if row is None:
                raise NotFoundError.of("No document with id {id}.", id=doc.id)
            doc.version = row.version + 1
            values, _ = self._document_values(conn, doc)
            doc_sql.put_body(conn, doc.id, values["body"])
            doc_sql.update_row(conn, doc.id, doc_sql.row_params(values))
            args: dict[str, Any] = {"id": doc.id, "to": target}
            if on:
                args["on"] = on
            if note:
                args["note"] = note  # "undo" / "invoice": why the member's step was taken
            self._enqueue(conn, "document.transition", doc.id, args, row.server_version)
        return doc

    @staticmethod
    def _filters(q: DocumentQuery) -> tuple[str, list[Any]]:
        """The WHERE clause of a list query (empty when nothing filters) and its parameters."""
        return doc_sql.filters(
            q.kind.value if q.kind is not None else None,
            q.status,
            q.activity_id,
            q.client_id,
            q.date_from.isoformat() if q.date_from else None,
            q.date_to.isoformat() if q.date_to else None,
            q.text,
            q.statuses,
            q.due_from.isoformat() if q.due_from else None,
            q.due_to.isoformat() if q.due_to else None,
        )

    def list_documents(self, q: DocumentQuery, with_total: bool = True) -> Page:
        """One page of the list. ``with_total=False`` skips counting every match (the costly part of a
        word search on a big store): ``total`` is then only what this page proves, ``offset + rows``."""
        where, params = self._filters(q)
        with self.read() as conn:
            rows = doc_sql.list_page(conn, where, params, q.sort, q.descending, q.limit, q.offset)
            total = doc_sql.count(conn, where, params) if with_total else q.offset + len(rows)
            paid_ids = [r[0] for r in rows if r[1] == "invoice" and r[12] not in ("0", "0.00", "", None)]
            last = doc_sql.last_payments(conn, paid_ids)
        return Page(
            rows=[
                DocumentRow(
                    id=r[0],
                    kind=DocumentKind(r[1]),
                    status=r[2],
                    number=r[3],
                    title=r[4],
                    client_name=r[5] or "",
                    activity_name=r[6] or "",
                    issue_date=date.fromisoformat(r[7]) if r[7] else None,
                    due_date=date.fromisoformat(r[8]) if r[8] else None,
                    total_incl=Decimal(r[9]),
                    currency=r[10],
                    updated_at=r[11],
                    paid=Decimal(r[12] or 0),
                    last_payment=_day(last.get(r[0], "")),
                )
                for r in rows
            ],
            total=total,
        )

    @staticmethod
    def _count(conn: Connection, where: str, params: Sequence[Any]) -> int:
        return doc_sql.count(conn, where, params)

    def count_documents(self, q: DocumentQuery) -> int:
        with self.read() as conn:
            return doc_sql.count(conn, *self._filters(q))

    def sum_documents(self, q: DocumentQuery) -> ListSums:
        """Count, total, paid and still due of every document the query matches."""
        with self.read() as conn:
            n, total, paid, due = doc_sql.sums(conn, *self._filters(q))
        return ListSums(n, _money(total), _money(paid), _money(due))

    def search(self, text_in: str, limit: int = 20) -> list[SearchHit]:
        query = fts_query(text_in)
        if not query:
            return []
        with self.read() as conn:
            docs = doc_sql.search(conn, query, limit)
            cls = client_sql.search_clients(conn, query, limit)
        hits = [SearchHit("client", r[0], r[1], r[2]) for r in cls]
        hits += [SearchHit("document", r[0], r[3] or r[2] or r[1], r[4]) for r in docs]
        return hits[:limit]

    # --- attachments metadata, snippets --------------------------------------------------------
    def record_attachment(self, sha256: str, media_type: str, size: int, filename: str = "") -> None:
        with self.write() as conn:
            attachment_sql.record(conn, sha256, media_type, size, filename, now_iso())

    def forget_attachments(self, hashes: Sequence[str]) -> None:
        """Drop the metadata rows of attachment files that were removed (see services.cleanup)."""
        with self.write() as conn:
            attachment_sql.forget(conn, hashes)

    def documents_with_receipt(self, sha256: str) -> list[str]:
        """Ids of expense notes that already carry this receipt (duplicate detection)."""
        with self.read() as conn:
            return doc_sql.with_receipt(conn, sha256)

    def list_snippets(self, kind: str | None = None) -> list[Snippet]:
        with self.read() as conn:
            rows = settings_sql.snippets(conn, kind)
        return [Snippet(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def put_snippet(self, snippet: Snippet) -> Snippet:
        with self.write() as conn:
            settings_sql.put_snippet(
                conn,
                snippet.id,
                snippet.kind,
                snippet.title,
                json.dumps(snippet.body, ensure_ascii=False),
                now_iso(),
            )
        return snippet

    def delete_snippet(self, snippet_id: str) -> None:
        with self.write() as conn:
            settings_sql.delete_snippet(conn, snippet_id)

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
            rows = outbox_sql.entries_named(conn, names)
        return [OutboxEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


def write_body_and_index(conn: Connection, doc: Document, rowid: int, body: str, search_text: str) -> None:
    """The document's JSON body and its full-text entry (the old entry, if any, already removed), after
    its list row was written: by a member's edit and by a pulled change alike."""
    doc_sql.write_body_and_index(conn, doc.id, doc.title, rowid, body, search_text)


def remove_document_rows(conn: Connection, doc_id: str, rowid: int) -> None:
    """A document's list row, body and full-text entry: gone, by a member's deletion or a pulled one."""
    doc_sql.remove(conn, doc_id, rowid)


def profile_to_dict(p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(p)


def put_profile(store: Store, profile: Any) -> None:
    """Save the member profile and queue it, in one transaction."""
    body = profile_to_dict(profile)
    data = json.dumps(body, ensure_ascii=False)
    with store.write() as conn:
        put_setting(conn, "profile", data)
        Store._enqueue(conn, "profile.put", body["id"], {"profile": body}, 0)
