"""The activities and clients of ``Store`` (tables in ``store/tables/clients.py``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import Activity, Client
from smartdesk.domain.serialize import (
    COOPERATIVE_ACTIVITY_FIELDS,
    COOPERATIVE_CLIENT_FIELDS,
    activity_from_dict,
    activity_to_dict,
    client_from_dict,
    client_to_dict,
)
from smartdesk.errors import NotFoundError
from smartdesk.store.base import StoreBase
from smartdesk.store.connection import Connection
from smartdesk.store.rows import ActivitySummary, ClientRow, money_of_cents, now_iso
from smartdesk.store.tables import clients as client_sql
from smartdesk.store.tables import documents as doc_sql
from smartdesk.store.tables.documents import fts_query


def _row_values(body: dict[str, Any], *columns: Any) -> tuple[Any, ...]:
    """A record as its table stores it: the list columns, then the JSON body and the time stamp."""
    return (*columns, json.dumps(body, ensure_ascii=False), now_iso())


class ClientStore(StoreBase):
    """Activities and clients: written with their outbox entry, read back as domain dataclasses."""

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
        values = _row_values(body, activity.name, activity.code, activity.entity)
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
                money_of_cents(r[5]),
                money_of_cents(r[6]),
                money_of_cents(r[7]) + partial.get(r[0], Decimal(0)),
                money_of_cents(r[8]),
            )
            for r in rows
        ]

    # --- clients -----------------------------------------------------------------------------
    @staticmethod
    def _client_values(client: Client) -> tuple[Any, ...]:
        """name, country, vat_number, email, language, body, updated_at"""
        return _row_values(
            client_to_dict(client),
            client.name,
            client.address.country,
            client.vat_number,
            client.email,
            client.language,
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
        return [ClientRow(r[0], r[1], r[2], r[3], r[4], r[5], money_of_cents(r[6]), int(r[7])) for r in rows]
