"""The documents of ``Store``: the list row, the JSON body and the full-text entry of each (tables in
``store/tables/documents.py``), written with their outbox entry."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable, kind_word, status_label
from smartdesk.domain.money import cents
from smartdesk.domain.serialize import MEMBER_DOCUMENT_FIELDS, document_from_dict, document_to_dict
from smartdesk.domain.totals import document_total
from smartdesk.errors import Message, NotFoundError, TransitionError
from smartdesk.store.base import StoreBase
from smartdesk.store.connection import Connection
from smartdesk.store.rows import (
    DocumentQuery,
    DocumentRow,
    ListSums,
    Page,
    day_or_none,
    money_of_cents,
    now_iso,
)
from smartdesk.store.tables import clients as client_sql
from smartdesk.store.tables import documents as doc_sql


def _document_search_text(doc: Document, client_name: str) -> str:
    parts = [doc.number, doc.reference, client_name, doc.intro_text, doc.closing_text]
    parts.extend(line.description for line in doc.lines)
    for e in doc.expense_lines:
        parts.extend((e.supplier, e.description, e.category))
    return "\n".join(p for p in parts if p)


def _stored_document(row: Any) -> Document:
    """A document read back: its JSON body with the version and time stamps of its row."""
    doc = document_from_dict(json.loads(row.body))
    doc.version, doc.created_at, doc.updated_at = row.version, row.created_at, row.updated_at
    return doc


class DocumentStore(StoreBase):
    """Documents: one transaction writes the list row, the body, the full-text entry and the outbox entry."""

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
        return _stored_document(row)

    def documents_made_from(self, source_id: str, kind: DocumentKind) -> list[Document]:
        """The documents of ``kind`` whose ``source_id`` is ``source_id`` (the invoices of a quote)."""
        with self.read() as conn:
            rows = doc_sql.made_from(conn, source_id, kind.value)
        return [_stored_document(row) for row in rows]

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
                    last_payment=day_or_none(last.get(r[0], "")),
                )
                for r in rows
            ],
            total=total,
        )

    def count_documents(self, q: DocumentQuery) -> int:
        with self.read() as conn:
            return doc_sql.count(conn, *self._filters(q))

    def sum_documents(self, q: DocumentQuery) -> ListSums:
        """Count, total, paid and still due of every document the query matches."""
        with self.read() as conn:
            n, total, paid, due = doc_sql.sums(conn, *self._filters(q))
        return ListSums(n, money_of_cents(total), money_of_cents(paid), money_of_cents(due))

    def documents_with_receipt(self, sha256: str) -> list[str]:
        """Ids of expense notes that already carry this receipt (duplicate detection)."""
        with self.read() as conn:
            return doc_sql.with_receipt(conn, sha256)
