"""Push and pull: exactly-once mutations, field ownership, conflicts, tombstones, epochs.

Push: one transaction per request. The client's ``last_mutation_id`` is read (locked), mutations at
or below it are skipped, a gap is refused, each remaining mutation runs in its own savepoint (a
refused one leaves no trace but its result) and the new ``last_mutation_id`` is written in the SAME
transaction as the effects. Pull: one read snapshot from a cursor ``{epoch, rev}``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from smartdesk.sync import protocol as P
from smartdesk_server import catalogues
from smartdesk_server.auth import Principal
from smartdesk_server.db import is_sqlite, read, records, results, sync_clients, write
from smartdesk_server.errors import ApiError, Rejection, bad_request
from smartdesk_server.limits import check_record
from smartdesk_server.mutations import add_request_message, apply_mutation, set_status, submit_problems
from smartdesk_server.mutations.args import whole_number
from smartdesk_server.store import Tx, current_rev, dumps, ensure_epoch, get_meta, now_iso

log = logging.getLogger("smartdesk_server.sync")


# --- request checks ------------------------------------------------------------------------------
def check_versions(body: dict[str, Any]) -> None:
    pv, sv = body.get("protocol_version"), body.get("schema_version")
    for name, value, supported in (
        ("protocol_version", pv, P.SUPPORTED_PROTOCOL_VERSIONS),
        ("schema_version", sv, P.SUPPORTED_SCHEMA_VERSIONS),
    ):
        if value is None:
            raise ApiError(
                400, "version_not_supported", f"The request does not say its {name}. Update SmartDesk."
            )
        if isinstance(value, bool) or not isinstance(value, int) or value not in supported:
            raise ApiError(
                400,
                "version_not_supported",
                f"This server does not speak {name} {value!r} (it speaks "
                f"{', '.join(str(v) for v in sorted(supported))}). Install the latest SmartDesk; "
                "your changes are kept on your computer.",
                supported=sorted(supported),
            )


def _client_id(body: dict[str, Any]) -> str:
    cid = body.get("client_id")
    if not isinstance(cid, str) or not 1 <= len(cid) <= 64:
        raise bad_request("client_id must be text of 1 to 64 characters.")
    return cid


def _parse_mutations(body: dict[str, Any]) -> list[dict[str, Any]]:
    muts = body.get("mutations")
    if not isinstance(muts, list):
        raise bad_request("mutations must be a list.")
    if len(muts) > P.MAX_MUTATIONS_PER_PUSH:
        raise ApiError(
            413,
            "too_many_mutations",
            f"At most {P.MAX_MUTATIONS_PER_PUSH} mutations per push; send the rest in the next request.",
        )
    out = []
    for i, m in enumerate(muts):
        if not isinstance(m, dict):
            raise bad_request(f"mutations[{i}] must be an object.")
        mid = P.mutation_id_of(m)
        if not whole_number(mid) or not 0 < mid < 2**62:
            raise bad_request(f"mutations[{i}].mutation_id must be a positive whole number.")
        base = m.get("base_version", 0)
        if base is None:
            base = 0
        if not whole_number(base) or not 0 <= base < 2**31:
            raise bad_request(f"mutations[{i}].base_version must be a whole number, 0 or more.")
        out.append(
            {
                "id": mid,
                "name": m.get("name"),
                "args": m.get("args"),
                "base": base,
                "pre": precheck(m.get("name"), m.get("args")),
            }
        )
    for a, b in zip(out, out[1:], strict=False):
        if b["id"] <= a["id"]:
            raise bad_request("mutations must be in increasing mutation_id order.")
    return out


_RECORD_ARG = {P.CLIENT_PUT: "client", P.ACTIVITY_PUT: "activity", P.DOCUMENT_PUT: "document"}


def precheck(name: Any, args: Any) -> Rejection | None:
    """The refusal of a mutation that can be decided from its own bytes, before the write transaction
    (line counts, number syntax, dates, identifiers): the write lock is never held for bad input."""
    key = _RECORD_ARG.get(name) if isinstance(name, str) else None
    if key is None or not isinstance(args, dict):
        return None
    problems = check_record(args.get(key), key)
    if problems:
        return Rejection(
            "invalid",
            f"{len(problems)} problem(s) in the {key}: {problems[0]['message']}.",
            problems=problems,
        )
    return None


def _claim_client(conn: Connection, client_id: str, account_id: str, *, lock: bool) -> int:
    stmt = select(sync_clients).where(sync_clients.c.client_id == client_id)
    if lock and not is_sqlite(conn):
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        if not lock:
            return 0
        conn.execute(
            insert(sync_clients).values(client_id=client_id, account_id=account_id, last_mutation_id=0)
        )
        return 0
    if row.account_id != account_id:
        raise ApiError(
            403,
            "client_id_taken",
            "This client id is used by another account. Reset the sync data "
            "of this SmartDesk (it will make a new client id).",
        )
    return int(row.last_mutation_id)


def _member_only(principal: Principal) -> None:
    if principal.role != "member":
        raise ApiError(403, "forbidden", "Only members sync their data; advisors use the advisor API.")


# --- push ----------------------------------------------------------------------------------------
def push(engine: Engine, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    check_versions(body)
    _member_only(principal)
    client_id = _client_id(body)
    mutations = _parse_mutations(body)
    out: list[dict[str, Any]] = []
    with write(engine) as conn:
        tx = Tx(conn, principal.account_id)  # lock order: member revision first
        last = _claim_client(conn, client_id, principal.account_id, lock=True)
        todo = [m for m in mutations if m["id"] > last]
        if todo and todo[0]["id"] != last + 1:
            raise ApiError(
                409,
                "mutation_gap",
                f"Mutation {last + 1} is missing (the server has everything up to "
                f"{last}, this batch starts at {todo[0]['id']}). Send the mutations in order.",
                last_mutation_id=last,
            )
        for a, b in zip(todo, todo[1:], strict=False):
            if b["id"] != a["id"] + 1:
                raise ApiError(
                    409,
                    "mutation_gap",
                    f"Mutation {a['id'] + 1} is missing from the batch.",
                    last_mutation_id=last,
                )
        if not todo:
            conn.rollback()
            return {"last_mutation_id": last, "results": []}
        for m in todo:
            if m["pre"] is not None:
                res = m["pre"].result(m["id"])
                conn.execute(
                    insert(results).values(
                        client_id=client_id, mutation_id=m["id"], rev=tx.rev, body=dumps(res)
                    )
                )
                out.append(res)
                continue
            # a savepoint per mutation (plain SQL: the same on SQLite and PostgreSQL, nothing to compile)
            conn.exec_driver_sql("SAVEPOINT mutation")
            try:
                extra = apply_mutation(tx, m["name"], m["args"], m["base"])
                conn.exec_driver_sql("RELEASE SAVEPOINT mutation")
                res = {"mutation_id": m["id"], "status": P.STATUS_OK, "code": "ok", "message": ""}
                if extra:
                    res.update(extra)
            except Rejection as rej:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT mutation")
                conn.exec_driver_sql("RELEASE SAVEPOINT mutation")
                res = rej.result(m["id"])
            except DBAPIError:
                raise  # transient: the whole batch is rolled back, the client retries
            except Exception:  # noqa: BLE001 - a bug must not block the member's queue forever
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT mutation")
                conn.exec_driver_sql("RELEASE SAVEPOINT mutation")
                log.exception("mutation %s (%s) failed", m["id"], m["name"])
                res = Rejection(
                    "invalid",
                    "The server could not apply this change. It was set aside; contact "
                    "support if it matters.",
                ).result(m["id"])
            if res["status"] != P.STATUS_OK:
                conn.execute(
                    insert(results).values(
                        client_id=client_id, mutation_id=m["id"], rev=tx.rev, body=dumps(res)
                    )
                )
            out.append(res)
        new_last = todo[-1]["id"]
        conn.execute(
            update(sync_clients)
            .where(sync_clients.c.client_id == client_id)
            .values(last_mutation_id=new_last)
        )
    return {"last_mutation_id": new_last, "results": out}


# --- pull ----------------------------------------------------------------------------------------
def _change(row: Any) -> dict[str, Any]:
    value = None if row.deleted or not row.body else json.loads(row.body)
    return {
        "entity": row.type,
        "id": row.id,
        "version": int(row.version),
        "deleted": bool(row.deleted),
        "value": value,
    }


def _pull_args(body: dict[str, Any]) -> tuple[str, dict[str, Any] | None, int]:
    check_versions(body)
    client_id = _client_id(body)
    cursor = body.get("cursor")
    limit = body.get("limit", P.DEFAULT_PULL_LIMIT)
    if not whole_number(limit) or not 1 <= limit <= P.MAX_PULL_LIMIT:
        raise bad_request(f"limit must be a whole number from 1 to {P.MAX_PULL_LIMIT}.")
    if cursor is not None:
        if (
            not isinstance(cursor, dict)
            or not isinstance(cursor.get("epoch"), str)
            or not whole_number(cursor.get("rev"))
            or not 0 <= cursor["rev"] < 2**62
            or len(cursor["epoch"]) > 64
        ):
            raise bad_request('cursor must be null or {"epoch": text, "rev": whole number}.')
    return client_id, cursor, limit


# the no-change pull in ONE statement: the session, the member's revision, the epoch, the catalogue
# version and the client's last mutation id; most pulls of a synced app stop here
_QUICK_PULL = text(
    "SELECT s.account_id, s.access_expires, s.revoked, a.role, "
    "(SELECT value FROM meta WHERE key = 'epoch') AS epoch, "
    "(SELECT value FROM meta WHERE key = :catalogue_key) AS catalogue_version, "
    "(SELECT rev FROM member_revs WHERE member_id = s.account_id) AS rev, "
    "(SELECT account_id FROM sync_clients WHERE client_id = :client_id) AS client_owner, "
    "(SELECT last_mutation_id FROM sync_clients WHERE client_id = :client_id) AS last_mutation_id "
    "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.access_hash = :access_hash"
)


def quick_pull(engine: Engine, access_hash: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """The answer to a pull with nothing new, from one cheap statement; None when there is something
    to send or anything to explain (then :func:`pull` runs, with its own checks and messages)."""
    client_id, cursor, _limit = _pull_args(body)
    if cursor is None:
        return None
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # one statement is its own snapshot: no BEGIN/ROLLBACK round trips around it
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        row = conn.execute(
            _QUICK_PULL,
            {"access_hash": access_hash, "client_id": client_id, "catalogue_key": catalogues.VERSION_KEY},
        ).first()
        conn.rollback()
    if (
        row is None
        or row.revoked
        or row.access_expires < time.time()
        or row.role != "member"
        or (row.client_owner is not None and row.client_owner != row.account_id)
        or row.epoch is None
        or cursor["epoch"] != row.epoch
        or cursor["rev"] != int(row.rev or 0)
    ):
        return None
    return {
        "cursor": {"epoch": row.epoch, "rev": cursor["rev"]},
        "changes": [],
        "last_mutation_id": int(row.last_mutation_id or 0),
        "results": [],
        "more": False,
        "catalogue_version": row.catalogue_version or catalogues.builtin_version(),
    }


def pull(engine: Engine, principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    client_id, cursor, limit = _pull_args(body)
    _member_only(principal)
    member = principal.account_id
    with read(engine) as conn:
        epoch = get_meta(conn, "epoch") or ""
        rev_now = current_rev(conn, member)
        last = _claim_client(conn, client_id, member, lock=False)
        catalogue_version = catalogues.current_version(conn)
        if cursor is not None and (cursor["epoch"] != epoch or cursor["rev"] > rev_now):
            return {
                "reset_required": True,
                "cursor": None,
                "changes": [],
                "last_mutation_id": last,
                "results": [],
                "more": False,
                "catalogue_version": catalogue_version,
            }
        since = cursor["rev"] if cursor else 0
        changes: list[dict[str, Any]] = []
        upto = rev_now
        more = False
        if since < rev_now:
            cond = and_(records.c.member_id == member, records.c.rev > since, records.c.rev <= rev_now)
            if cursor is None:
                cond = and_(cond, records.c.deleted.is_(False))
            rows = conn.execute(
                select(records)
                .where(cond)
                .order_by(records.c.rev, records.c.type, records.c.id)
                .limit(limit + 1)
            ).all()
            if len(rows) > limit:
                more = True
                boundary = rows[limit].rev
                kept: Sequence[Row[Any]] = [r for r in rows if r.rev < boundary]
                if not kept:  # one revision bigger than the page: send it whole
                    kept = conn.execute(
                        select(records)
                        .where(and_(cond, records.c.rev == boundary))
                        .order_by(records.c.type, records.c.id)
                    ).all()
                    upto = int(boundary)
                else:
                    upto = int(kept[-1].rev)
                rows = kept
                more = upto < rev_now
            changes = [_change(r) for r in rows]
        res_rows = (
            conn.execute(
                select(results.c.body)
                .where(and_(results.c.client_id == client_id, results.c.rev > since, results.c.rev <= upto))
                .order_by(results.c.mutation_id.desc())
                .limit(1000)
            ).all()
            if since < upto
            else []
        )
    return {
        "cursor": {"epoch": epoch, "rev": upto},
        "changes": changes,
        "last_mutation_id": last,
        "results": [json.loads(r.body) for r in reversed(res_rows)],
        "more": more,
        "catalogue_version": catalogue_version,
    }


def reset_epoch(engine: Engine) -> str:
    """Start a new epoch: every client re-pulls everything (and keeps its outbox)."""
    import secrets

    from smartdesk_server.store import set_meta

    with write(engine) as conn:
        epoch = secrets.token_hex(8)
        set_meta(conn, "epoch", epoch)
    return epoch


def init_epoch(engine: Engine) -> str:
    with write(engine) as conn:
        return ensure_epoch(conn)


# the handlers' names, importable from here as before the split (issue 15)
__all__ = [
    "push",
    "pull",
    "quick_pull",
    "check_versions",
    "apply_mutation",
    "set_status",
    "submit_problems",
    "add_request_message",
    "now_iso",
    "init_epoch",
    "reset_epoch",
]
