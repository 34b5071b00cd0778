"""Record storage shared by sync, advisor actions and the follow-up engine.

Every transaction that touches a member's data first bumps that member's revision counter (a row
lock on PostgreSQL, already serialised by BEGIN IMMEDIATE on SQLite); every record it writes carries
that revision, so a pull from revision N returns exactly what changed after N. Lock order is always
member revision -> records -> counters (no deadlock between push and advisor actions).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, insert, select, text, update

from smartdesk_server.db import accounts, is_sqlite, member_revs, meta, records


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=str
)  # built once, not per call


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)``."""
    return _ENCODER.encode(value)


@dataclass
class Record:
    type: str
    id: str
    member_id: str
    version: int
    rev: int
    deleted: bool
    body: dict[str, Any] | None
    field_versions: dict[str, int]
    status: str
    kind: str
    activity_id: str


def _row_to_record(row: Any) -> Record:
    return Record(
        row.type,
        row.id,
        row.member_id,
        int(row.version),
        int(row.rev),
        bool(row.deleted),
        json.loads(row.body) if row.body else None,
        json.loads(row.field_versions or "{}"),
        row.status,
        row.kind,
        row.activity_id,
    )


# hot statements as plain SQL: built once, no per-call statement construction
_COLS = "type, id, member_id, version, rev, deleted, body, field_versions, status, kind, activity_id"
_GET = text(f"SELECT {_COLS} FROM records WHERE type = :type AND id = :id")
_GET_LOCK = text(f"SELECT {_COLS} FROM records WHERE type = :type AND id = :id FOR UPDATE")
_INSERT = text(
    "INSERT INTO records (type, id, member_id, version, rev, deleted, body, field_versions, status, kind, "
    "activity_id, updated_at) VALUES (:type, :id, :member_id, :version, :rev, :deleted, :body, "
    ":field_versions, :status, :kind, :activity_id, :updated_at)"
)
_UPDATE = text(
    "UPDATE records SET member_id = :member_id, version = :version, rev = :rev, deleted = :deleted, "
    "body = :body, field_versions = :field_versions, status = :status, kind = :kind, "
    "activity_id = :activity_id, updated_at = :updated_at WHERE type = :type AND id = :id"
)


def get_record(conn: Connection, type_: str, id_: str, *, for_update: bool = False) -> Record | None:
    stmt = _GET_LOCK if for_update and not is_sqlite(conn) else _GET
    row = conn.execute(stmt, {"type": type_, "id": id_}).first()
    return _row_to_record(row) if row else None


def member_documents(
    conn: Connection, member_id: str, kind: str, *where: ColumnElement[bool]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(id, status, body) of the member's documents of a kind that are not deleted, with ``where``
    narrowing the rows in SQL: a scan the credit note and quote checks filter by a field of the body."""
    for row in conn.execute(
        select(records.c.id, records.c.status, records.c.body).where(
            and_(
                records.c.type == "document",
                records.c.member_id == member_id,
                records.c.kind == kind,
                records.c.deleted.is_(False),
                *where,
            )
        )
    ).all():
        if row.body:
            yield row.id, row.status, json.loads(row.body)


def ensure_member_rev(conn: Connection, member_id: str) -> None:
    exists = conn.execute(select(member_revs.c.rev).where(member_revs.c.member_id == member_id)).first()
    if exists is None:
        conn.execute(insert(member_revs).values(member_id=member_id, rev=0))


def bump_rev(conn: Connection, member_id: str) -> int:
    """Next revision of the member's data (locks the member's row until commit)."""
    rev = conn.execute(
        update(member_revs)
        .where(member_revs.c.member_id == member_id)
        .values(rev=member_revs.c.rev + 1)
        .returning(member_revs.c.rev)
    ).scalar()
    if rev is None:
        conn.execute(insert(member_revs).values(member_id=member_id, rev=1))
        return 1
    return int(rev)


def current_rev(conn: Connection, member_id: str) -> int:
    return int(
        conn.execute(select(member_revs.c.rev).where(member_revs.c.member_id == member_id)).scalar() or 0
    )


def member_entity(conn: Connection, member_id: str) -> str:
    """The cooperative entity (BE, FR) the member belongs to, from the account: it decides the
    document's entity and its numbering series, whatever a pushed document says."""
    from smartdesk.domain.entities import BUILTIN_ENTITIES

    entity = str(
        conn.execute(select(accounts.c.entity).where(accounts.c.id == member_id)).scalar() or "BE"
    ).upper()
    return entity if entity in BUILTIN_ENTITIES else "BE"


class Tx:
    """One write transaction on one member's data, at one revision."""

    def __init__(self, conn: Connection, member_id: str) -> None:
        self.conn = conn
        self.member_id = member_id
        self.rev = bump_rev(conn, member_id)
        self.at = now_iso()
        self._entity: str | None = None

    @property
    def entity(self) -> str:
        """The member's entity, read once per transaction."""
        if self._entity is None:
            self._entity = member_entity(self.conn, self.member_id)
        return self._entity

    def put(
        self,
        type_: str,
        id_: str,
        body: dict[str, Any],
        *,
        existing: Record | None,
        changed: list[str] | None = None,
        status: str = "",
        kind: str = "",
        activity_id: str = "",
    ) -> int:
        """Insert or update a record; ``changed`` fields get the new version (all fields when None)."""
        version = (existing.version if existing else 0) + 1
        fv = dict(existing.field_versions) if existing else {}
        for f in body.keys() if changed is None else changed:
            fv[f] = version
        values: dict[str, Any] = {
            "type": type_,
            "id": id_,
            "member_id": self.member_id,
            "version": version,
            "rev": self.rev,
            "deleted": False,
            "body": dumps(body),
            "field_versions": dumps(fv),
            "status": status,
            "kind": kind,
            "activity_id": activity_id,
            "updated_at": self.at,
        }
        self.write_row(values, type_, id_, body, is_new=existing is None)
        return version

    def write_row(
        self, values: dict[str, Any], type_: str, id_: str, body: dict[str, Any], *, is_new: bool
    ) -> None:
        """Write the values of one record :meth:`put` made (a batch writer collects them instead)."""
        self.conn.execute(_INSERT if is_new else _UPDATE, values)

    def tombstone(self, existing: Record) -> None:
        self.conn.execute(
            update(records)
            .where((records.c.type == existing.type) & (records.c.id == existing.id))
            .values(
                version=existing.version + 1,
                rev=self.rev,
                deleted=True,
                body=None,
                status="",
                updated_at=self.at,
            )
        )


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str) -> None:
    if get_meta(conn, key) is None:
        conn.execute(insert(meta).values(key=key, value=value))
    else:
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))


def ensure_epoch(conn: Connection) -> str:
    epoch = get_meta(conn, "epoch")
    if epoch is None:
        epoch = secrets.token_hex(8)
        set_meta(conn, "epoch", epoch)
    return epoch
