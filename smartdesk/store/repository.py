"""The local store's façade (``Store``): callers get domain dataclasses or plain row dataclasses.

The SQL itself is in ``store/tables/``, one module per group of tables; this module holds none.
``Store`` is made of one part per group of tables: ``base.py`` (the file, transactions, the outbox,
settings, snippets), ``client_store.py`` (activities, clients) and ``document_store.py`` (documents);
what spans several of them is here. The row dataclasses are in ``rows.py``.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that also appends its outbox entry
(mutation name, arguments, base version), so a crash keeps both or neither.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from smartdesk.domain.documents import Activity, Client, Document
from smartdesk.store.client_store import ClientStore
from smartdesk.store.document_store import DocumentStore
from smartdesk.store.rows import OutboxEntry, SearchHit, now_iso
from smartdesk.store.tables import clients as client_sql
from smartdesk.store.tables import documents as doc_sql
from smartdesk.store.tables.documents import SORT_COLUMNS, SQL_FTS_DELETE, fts_query, sql_value
from smartdesk.store.tables.settings import put_setting

__all__ = [
    "SORT_COLUMNS",
    "SQL_FTS_DELETE",
    "OutboxEntry",
    "fts_query",
    "now_iso",
    "put_setting",
    "sql_value",
]  # kept importable from here

SCHEMA_VERSION = 1  # of the records' JSON form, told to the server (the file's own revision is Alembic's)


class Store(DocumentStore, ClientStore):
    """The local SQLite store of one data folder."""

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, name) of every activity and every client, by name: what list filters offer. No sums
        over documents, so it stays instant on a big store (``list_activities`` adds the figures)."""
        with self.read() as conn:
            return client_sql.activity_choices(conn), client_sql.client_choices(conn)

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


def profile_to_dict(p: Any) -> dict[str, Any]:
    return asdict(p)


def put_profile(store: Store, profile: Any) -> None:
    """Save the member profile and queue it, in one transaction."""
    body = profile_to_dict(profile)
    data = json.dumps(body, ensure_ascii=False)
    with store.write() as conn:
        put_setting(conn, "profile", data)
        Store._enqueue(conn, "profile.put", body["id"], {"profile": body}, 0)
