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
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from smartdesk.domain import lifecycle
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.lifecycle import Actor
from smartdesk.domain.serialize import (
    COOPERATIVE_DOCUMENT_FIELDS,
    MEMBER_DOCUMENT_FIELDS,
    activity_from_dict,
    activity_to_dict,
    client_from_dict,
    client_to_dict,
    document_from_dict,
    document_to_dict,
)
from smartdesk.domain.validation import validate_document
from smartdesk.errors import TransitionError, ValidationError
from smartdesk.sync import protocol as P
from smartdesk_server import catalogues, quotes
from smartdesk_server.auth import Principal
from smartdesk_server.db import blob_owners, is_sqlite, read, records, results, sync_clients, write
from smartdesk_server.errors import ApiError, Rejection, bad_request
from smartdesk_server.limits import check_record, is_canonical_uuid
from smartdesk_server.store import Record, Tx, current_rev, dumps, ensure_epoch, get_meta, get_record, now_iso

log = logging.getLogger("smartdesk_server.sync")

CLIENT_COOP_FIELDS = ("payment_flag",)


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


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
        if not _int(mid) or not 0 < mid < 2**62:
            raise bad_request(f"mutations[{i}].mutation_id must be a positive whole number.")
        base = m.get("base_version", 0)
        if base is None:
            base = 0
        if not _int(base) or not 0 <= base < 2**31:
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
    if not _int(limit) or not 1 <= limit <= P.MAX_PULL_LIMIT:
        raise bad_request(f"limit must be a whole number from 1 to {P.MAX_PULL_LIMIT}.")
    if cursor is not None:
        if (
            not isinstance(cursor, dict)
            or not isinstance(cursor.get("epoch"), str)
            or not _int(cursor.get("rev"))
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


# --- mutations -----------------------------------------------------------------------------------
def _args(args: Any) -> dict[str, Any]:
    if not isinstance(args, dict):
        raise Rejection("invalid", "The mutation's args must be an object.")
    return args


def _text_arg(args: dict[str, Any], key: str, *, max_len: int = P.MAX_TEXT, required: bool = True) -> str:
    value = args.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Rejection("invalid", f"“{key}” must be text.")
    if len(value) > max_len:
        raise Rejection("invalid", f"“{key}” is too long (at most {max_len} characters).")
    return value


def _id_arg(args: dict[str, Any], key: str = "id") -> str:
    value = args.get(key)
    if not is_canonical_uuid(value):
        raise Rejection("invalid", f"“{key}” must be an identifier (a UUID of 36 characters).")
    return str(value)


def _owned(tx: Tx, type_: str, id_: str, *, for_update: bool = True) -> Record | None:
    rec = get_record(tx.conn, type_, id_, for_update=for_update)
    if rec is not None and rec.member_id != tx.member_id:
        raise Rejection("not_found", f"This {type_} does not exist or is not yours.")
    return rec


def _changed(args: dict[str, Any], allowed: tuple[str, ...], default: list[str]) -> list[str]:
    changed = args.get("changed")
    if changed is None:
        return default
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed) or len(changed) > 100:
        raise Rejection("invalid", "“changed” must be a list of field names.")
    return [c for c in dict.fromkeys(changed) if c in allowed]


def _problems(exc: ValidationError) -> list[dict[str, str]]:
    return [p.as_dict() for p in exc.problems][:100]


def _merge(
    tx: Tx,
    existing: Record | None,
    incoming: dict[str, Any],
    changed: list[str],
    base: int,
    what: str,
    before: Any = None,
) -> dict[str, Any]:
    """Apply ``changed`` fields of ``incoming`` over the server value; conflict on a same-field change.

    ``before`` (optional): the values the client's edit started from. A field the server changed since
    ``base`` but that still holds the client's starting value is no conflict: it is the client's own
    earlier edit (several edits of one device queued against the same base version).
    """
    if existing is None or existing.deleted or existing.body is None:
        return incoming
    server = existing.body
    started = before if isinstance(before, dict) else {}
    clashing = [
        f
        for f in changed
        if existing.field_versions.get(f, 0) > base
        and server.get(f) != incoming.get(f)
        and not (f in started and server.get(f) == started[f])
    ]
    if clashing:
        raise Rejection(
            "conflict",
            f"This {what} was changed elsewhere ({', '.join(clashing)}) since you last "
            "synced. Choose which version to keep.",
            status=P.STATUS_CONFLICT,
            server_value=server,
            server_version=existing.version,
        )
    merged = dict(server)
    for f in changed:
        merged[f] = incoming.get(f)
    return merged


def _client_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    try:
        client = client_from_dict(args.get("client"), "client")
    except ValidationError as exc:
        raise Rejection("invalid", str(exc), problems=_problems(exc)) from None
    incoming = client_to_dict(client)
    existing = _owned(tx, "client", client.id)
    fields = tuple(k for k in incoming if k not in ("id", *CLIENT_COOP_FIELDS))
    changed = _changed(args, fields, list(fields))
    if existing is None or existing.deleted:
        incoming["payment_flag"] = ""
        body = incoming
        changed_fields = None
    else:
        body = _merge(tx, existing, incoming, changed, base, "client", args.get("before"))
        changed_fields = changed
    tx.put("client", client.id, body, existing=existing, changed=changed_fields)


def _client_delete(tx: Tx, args: dict[str, Any], base: int) -> None:
    existing = _owned(tx, "client", _id_arg(args))
    if existing is not None and not existing.deleted:
        tx.tombstone(existing)


def _activity_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    try:
        activity = activity_from_dict(args.get("activity"), "activity")
    except ValidationError as exc:
        raise Rejection("invalid", str(exc), problems=_problems(exc)) from None
    incoming = activity_to_dict(activity)
    existing = _owned(tx, "activity", activity.id)
    if existing is None or existing.body is None:
        incoming["monthly"] = []
        tx.put("activity", activity.id, incoming, existing=existing)
        return
    body = dict(existing.body)
    changed = [k for k in ("name", "description") if body.get(k) != incoming[k]]
    for k in changed:
        body[k] = incoming[k]
    tx.put("activity", activity.id, body, existing=existing, changed=changed)


def _document_activity(body: dict[str, Any]) -> str:
    if body.get("activity_id"):
        return str(body["activity_id"])
    for line in body.get("expense_lines") or []:
        if line.get("activity_id"):
            return str(line["activity_id"])
    return ""


def _check_refs(tx: Tx, body: dict[str, Any]) -> None:
    """Every reference of a pushed document is the member's own (or not on the server yet): the
    document's activity and each expense line's, the client, the credited and the source document.
    The credited invoice's number is taken from the server's record when the id is given (validation
    checks a number given alone against the member's own invoices)."""
    for type_, key in (
        ("activity", "activity_id"),
        ("client", "client_id"),
        ("document", "corrects_id"),
        ("document", "source_id"),
    ):
        if body.get(key):
            _owned(tx, type_, str(body[key]), for_update=False)
    for i, line in enumerate(body.get("expense_lines") or []):
        if line.get("activity_id"):
            rec = get_record(tx.conn, "activity", str(line["activity_id"]))
            if rec is not None and rec.member_id != tx.member_id:
                raise Rejection(
                    "not_found", f"Expense {i + 1}: this activity does not exist or is not yours."
                )
    if body.get("kind") == "credit-note":
        credited = None
        if body.get("corrects_id"):
            credited = _owned(tx, "document", str(body["corrects_id"]), for_update=False)
        if credited is not None and credited.body is not None and not credited.deleted:
            body["corrects_number"] = str(credited.body.get("number") or "")


def _document_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    raw = args.get("document")
    try:
        doc = document_from_dict(raw, "document")
    except ValidationError as exc:
        raise Rejection("invalid", str(exc), problems=_problems(exc)) from None
    if (
        len(doc.lines) > P.MAX_LINES
        or len(doc.expense_lines) > P.MAX_LINES
        or len(doc.allowances) > P.MAX_LINES
    ):
        raise Rejection("invalid", f"A document has at most {P.MAX_LINES} lines.")
    incoming = document_to_dict(doc)
    incoming["entity"] = tx.entity  # the member's entity (the account's), never the pushed one
    existing = _owned(tx, "document", doc.id)
    member_fields = MEMBER_DOCUMENT_FIELDS
    if existing is None or existing.deleted or existing.body is None:
        if existing is not None and existing.deleted:
            raise Rejection("not_found", "This document was deleted; make a new one.")
        for f in COOPERATIVE_DOCUMENT_FIELDS:  # a new document is a draft without any cooperative fact
            incoming[f] = document_to_dict(type(doc)(id=doc.id, kind=doc.kind))[f]
        for line in incoming["expense_lines"]:
            line["rejection_reason"] = ""
        incoming["timeline"] = [{"at": tx.at, "status": "draft", "actor": "member", "note": "created"}]
        _check_refs(tx, incoming)
        tx.put(
            "document",
            doc.id,
            incoming,
            existing=None,
            status="draft",
            kind=doc.kind.value,
            activity_id=_document_activity(incoming),
        )
        return
    status = existing.status
    if status not in lifecycle.EDITABLE:
        raise Rejection(
            "document_locked",
            f"This document is {lifecycle.status_label(status)}: its content can no "
            "longer change. Make a copy or a credit note instead.",
        )
    changed = _changed(args, member_fields, list(member_fields))
    if "kind" in changed and incoming["kind"] != existing.body.get("kind") and status != "draft":
        raise Rejection("document_locked", "The kind of a document can only change while it is a draft.")
    # the advisor's reasons on expense lines are the cooperative's: keep them
    reasons = {
        ln.get("id"): ln.get("rejection_reason", "") for ln in existing.body.get("expense_lines") or []
    }
    for line in incoming["expense_lines"]:
        line["rejection_reason"] = reasons.get(line["id"], "")
    body = _merge(tx, existing, incoming, changed, base, "document", args.get("before"))
    _check_refs(tx, body)
    tx.put(
        "document",
        doc.id,
        body,
        existing=existing,
        changed=changed,
        status=status,
        kind=str(body.get("kind")),
        activity_id=_document_activity(body),
    )


def _document_delete(tx: Tx, args: dict[str, Any], base: int) -> None:
    existing = _owned(tx, "document", _id_arg(args))
    if existing is None or existing.deleted:
        return
    if existing.status not in lifecycle.DELETABLE or (existing.body or {}).get("number"):
        raise Rejection(
            "not_deletable",
            "Only drafts can be deleted: this document went through the "
            "cooperative. Cancel it with a credit note instead.",
        )
    tx.tombstone(existing)


def set_status(
    tx: Tx,
    rec: Record,
    target: str,
    actor: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
    on: str = "",
) -> dict[str, Any]:
    body = dict(rec.body or {})
    body["status"] = target
    event = {"at": tx.at, "status": target, "actor": actor, "note": note}
    if on:
        event["on"] = on  # the day the member gave (checked by _transition_day)
    body["timeline"] = [*body.get("timeline", []), event]
    changed = ["status", "timeline"]
    for k, v in (extra or {}).items():
        body[k] = v
        changed.append(k)
    tx.put(
        "document",
        rec.id,
        body,
        existing=rec,
        changed=changed,
        status=target,
        kind=rec.kind,
        activity_id=rec.activity_id,
    )
    return body


def submit_problems(conn: Connection, rec: Record) -> list[dict[str, str]]:
    body = rec.body or {}
    doc = document_from_dict(body)
    client = None
    if doc.client_id:
        crec = get_record(conn, "client", doc.client_id)
        if crec is not None and crec.body and not crec.deleted and crec.member_id == rec.member_id:
            client = client_from_dict(crec.body)
    entity = BUILTIN_ENTITIES.get(doc.entity)
    problems = [p.as_dict() for p in validate_document(doc, client=client, entity=entity, for_submit=True)]
    if doc.kind is DocumentKind.EXPENSE_NOTE:
        owned = {
            r[0]
            for r in conn.execute(
                select(blob_owners.c.sha256).where(blob_owners.c.member_id == rec.member_id)
            ).all()
        }
        for i, line in enumerate(doc.expense_lines):
            for sha in line.receipts:
                if sha not in owned:
                    problems.append(
                        {
                            "field": f"expense_lines[{i}].receipts",
                            "code": "receipt_missing",
                            "message": f"Expense {i + 1}: its receipt was not uploaded yet. Sync again.",
                        }
                    )
    return problems


def _document_transition(tx: Tx, args: dict[str, Any], base: int) -> None:
    doc_id = _id_arg(args)
    target = _text_arg(args, "to", max_len=40)
    rec = _owned(tx, "document", doc_id)
    if rec is None or rec.deleted:
        raise Rejection("not_found", "This document does not exist on the server.")
    on = _transition_day(args, tx.at)
    note = args.get("note")
    if note is not None and note not in MEMBER_TRANSITION_NOTES:
        raise Rejection(
            "invalid", "“note” of a step must be one of: " + ", ".join(MEMBER_TRANSITION_NOTES) + "."
        )
    if rec.status == target:
        return  # already there (the same change made on another device)
    try:
        lifecycle.check_transition(DocumentKind(rec.kind), rec.status, target, Actor.MEMBER)
    except TransitionError as exc:
        raise Rejection("invalid_transition", exc.message) from None
    if target == "submitted":
        problems = submit_problems(tx.conn, rec)
        if problems:
            raise Rejection(
                "invalid",
                f"{len(problems)} thing(s) to fix before sending it for validation.",
                problems=problems,
            )
        # an invoice made from a quote stays within the quote (the quote's row locked: issue 16)
        quotes.check_quote_invoicing(tx, rec, quotes.FOR_MEMBER)
        # the brand the member submits with is the one the issued PDF wears (decision 0022)
        from smartdesk_server.archive import submitted_profile

        set_status(
            tx,
            rec,
            target,
            "member",
            note=note or "",
            on=on,
            extra={"submitted_profile": submitted_profile(tx.conn, tx.member_id)},
        )
        return
    set_status(tx, rec, target, "member", note=note or "", on=on)


# why a member took a step (the app's quote follow-up): nothing else is recorded from the client
MEMBER_TRANSITION_NOTES = ("undo", "invoice")


def _transition_day(args: dict[str, Any], at: str) -> str:
    """The optional day a member gives for a step ("accepted on 28/11"): an ISO date from 2000-01-01 to
    tomorrow (the member's time zone may be ahead of the server's), else refused."""
    value = args.get("on")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) != 10:
        raise Rejection("invalid", "“on” must be a date (YYYY-MM-DD).")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Rejection("invalid", "“on” must be a date (YYYY-MM-DD).") from None
    try:
        today = datetime.fromisoformat(at).date()
    except ValueError:
        today = date.today()
    if not date(2000, 1, 1) <= day <= today + timedelta(days=1):
        raise Rejection("invalid", "“on” must be a day between 2000-01-01 and today.")
    return value


def _followup_invoice(tx: Tx, args: dict[str, Any]) -> str:
    """The member's own document a follow-up choice is about (refused when it is not theirs or gone)."""
    doc_id = _id_arg(args, "document_id")
    rec = _owned(tx, "document", doc_id, for_update=False)
    if rec is None or rec.deleted:
        raise Rejection("not_found", "This document does not exist on the server.")
    return doc_id


def _followup_step(args: dict[str, Any]) -> str:
    step = args.get("step")
    if step not in [s.value for s in lifecycle.FOLLOW_UP_STEPS]:
        raise Rejection(
            "invalid", "“step” must be one of " + ", ".join(s.value for s in lifecycle.FOLLOW_UP_STEPS)
        )
    return str(step)


def _followup_set(tx: Tx, args: dict[str, Any], base: int) -> None:
    doc_id = _followup_invoice(tx, args) if args.get("document_id") is not None else None
    step = _followup_step(args)
    hold = args.get("hold")
    if not isinstance(hold, bool):
        raise Rejection("invalid", "“hold” must be true or false.")
    notify = args.get("notify_days_before")
    if notify is not None and (not _int(notify) or not 0 <= notify <= 365):
        raise Rejection("invalid", "“notify_days_before” must be empty or a number of days from 0 to 365.")
    rid = f"{tx.member_id}:{doc_id or '*'}:{step}"
    existing = get_record(tx.conn, "followup", rid, for_update=True)
    body = {"id": rid, "document_id": doc_id, "step": step, "hold": hold, "notify_days_before": notify}
    tx.put("followup", rid, body, existing=existing)


def _followup_clear(tx: Tx, args: dict[str, Any], base: int) -> None:
    """One invoice follows the member's default again for a step: its own choice is dropped (tombstone)."""
    doc_id = _followup_invoice(tx, args)
    step = _followup_step(args)
    # the member's own record only: the id carries the member's account
    existing = get_record(tx.conn, "followup", f"{tx.member_id}:{doc_id}:{step}", for_update=True)
    if existing is not None and not existing.deleted:
        tx.tombstone(existing)


SERVICES_TEXT = ", ".join(P.SERVICES)


def _request_open(tx: Tx, args: dict[str, Any], base: int) -> None:
    rid = _id_arg(args)
    service = args.get("service")
    if service not in P.SERVICES:
        raise Rejection("invalid", f"“service” must be one of {SERVICES_TEXT}.")
    subject = _text_arg(args, "subject", max_len=300)
    text = _text_arg(args, "body")
    doc_id = args.get("document_id")
    if doc_id is not None:
        doc_id = _id_arg(args, "document_id")
        _owned(tx, "document", doc_id, for_update=False)
    existing = _owned(tx, "request", rid)
    if existing is not None:
        return  # opened already (replayed from another path)
    body = {
        "id": rid,
        "service": service,
        "subject": subject,
        "document_id": doc_id,
        "status": "open",
        "opened_at": tx.at,
        "messages": [{"at": tx.at, "author": "member", "body": text}],
    }
    tx.put("request", rid, body, existing=None, status="open", kind=service)


MAX_REQUEST_MESSAGES = 200
MAX_REQUEST_TEXT = 100_000  # characters of all messages of one request


def add_request_message(tx: Tx, rec: Record, author: str, text: str, status: str) -> None:
    body = dict(rec.body or {})
    messages = body.get("messages", [])
    # each message rewrites the whole request: its size is bounded so that a reply stays cheap
    if (
        len(messages) >= MAX_REQUEST_MESSAGES
        or sum(len(str(m.get("body", ""))) for m in messages) + len(text) > MAX_REQUEST_TEXT
    ):
        raise Rejection("invalid", "This request is full (too many or too long messages); open a new one.")
    body["messages"] = [*body.get("messages", []), {"at": tx.at, "author": author, "body": text}]
    body["status"] = status
    tx.put(
        "request", rec.id, body, existing=rec, changed=["messages", "status"], status=status, kind=rec.kind
    )


def _request_reply(tx: Tx, args: dict[str, Any], base: int) -> None:
    rec = _owned(tx, "request", _id_arg(args))
    if rec is None or rec.deleted:
        raise Rejection("not_found", "This request does not exist on the server.")
    add_request_message(tx, rec, "member", _text_arg(args, "body"), "open")


PROFILE_KEYS = {
    "id",
    "first_name",
    "last_name",
    "email",
    "entity",
    "brand",
    "default_language",
    "default_payment_terms_days",
}


def _profile_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    profile = args.get("profile")
    if not isinstance(profile, dict):
        raise Rejection("invalid", "“profile” must be an object.")
    clean = {k: v for k, v in profile.items() if k in PROFILE_KEYS}
    if len(dumps(clean)) > 20_000:
        raise Rejection("invalid", "The profile is too large.")
    for k, v in clean.items():
        if k == "brand":
            if not isinstance(v, dict) or not all(isinstance(x, str | int | bool | None) for x in v.values()):
                raise Rejection("invalid", "“brand” must be an object of simple values.")
        elif not isinstance(v, str | int) or isinstance(v, bool):
            raise Rejection("invalid", f"“{k}” must be text or a number.")
    existing = get_record(tx.conn, "profile", tx.member_id, for_update=True)
    body = dict(existing.body or {}) if existing else {}
    changed = [k for k, v in clean.items() if body.get(k) != v]
    body.update(clean)
    tx.put("profile", tx.member_id, body, existing=existing, changed=changed)


HANDLERS: dict[str, Callable[[Tx, dict[str, Any], int], None]] = {
    P.CLIENT_PUT: _client_put,
    P.CLIENT_DELETE: _client_delete,
    P.ACTIVITY_PUT: _activity_put,
    P.DOCUMENT_PUT: _document_put,
    P.DOCUMENT_DELETE: _document_delete,
    P.DOCUMENT_TRANSITION: _document_transition,
    P.FOLLOWUP_SET: _followup_set,
    P.FOLLOWUP_CLEAR: _followup_clear,
    P.REQUEST_OPEN: _request_open,
    P.REQUEST_REPLY: _request_reply,
    P.PROFILE_PUT: _profile_put,
}


def apply_mutation(tx: Tx, name: Any, args: Any, base: int) -> dict[str, Any] | None:
    handler = HANDLERS.get(name) if isinstance(name, str) else None
    if handler is None:
        raise Rejection(
            "unknown_mutation", f"“{str(name)[:60]}” is not a change this server knows. Update SmartDesk."
        )
    handler(tx, _args(args), base)
    return None


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


__all__ = ["push", "pull", "apply_mutation", "set_status", "submit_problems", "now_iso", "init_epoch"]
