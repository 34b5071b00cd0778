"""The part of ``Store`` every table group builds on: opening the file, transactions, the outbox.

Also the small tables that need nothing else: sync state, settings, snippets and attachment metadata.
``client_store.py`` and ``document_store.py`` add the records; ``repository.py`` puts them together.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smartdesk.store import database
from smartdesk.store.connection import Connection
from smartdesk.store.rows import OutboxEntry, Snippet, now_iso
from smartdesk.store.tables import attachments as attachment_sql
from smartdesk.store.tables import outbox as outbox_sql
from smartdesk.store.tables import settings as settings_sql
from smartdesk.store.tables.settings import put_setting


def _outbox_entries(rows: Sequence[Sequence[Any]]) -> list[OutboxEntry]:
    return [OutboxEntry(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]


class StoreBase:
    """The local SQLite store of one data folder: the file, its transactions and its outbox."""

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
            return _outbox_entries(outbox_sql.entries(conn, after, limit))

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
            return _outbox_entries(outbox_sql.entries_named(conn, names))

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

    # --- attachments metadata, snippets --------------------------------------------------------
    def record_attachment(self, sha256: str, media_type: str, size: int, filename: str = "") -> None:
        with self.write() as conn:
            attachment_sql.record(conn, sha256, media_type, size, filename, now_iso())

    def forget_attachments(self, hashes: Sequence[str]) -> None:
        """Drop the metadata rows of attachment files that were removed (see services.cleanup)."""
        with self.write() as conn:
            attachment_sql.forget(conn, hashes)

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
