"""The handlers of documents: put (the member's fields only, checked references), delete (drafts
only) and the member's transitions (submission checked: ``submit_problems``, an invoice within its
quote); ``set_status``, the one way a document changes status on the server."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from smartdesk.domain import lifecycle
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.lifecycle import Actor
from smartdesk.domain.serialize import (
    COOPERATIVE_DOCUMENT_FIELDS,
    MEMBER_DOCUMENT_FIELDS,
    client_from_dict,
    document_from_dict,
    document_to_dict,
)
from smartdesk.domain.validation import validate_document
from smartdesk.errors import TransitionError
from smartdesk.sync import protocol as P
from smartdesk_server import quotes
from smartdesk_server.db import blob_owners
from smartdesk_server.errors import Rejection
from smartdesk_server.mutations.args import Handler, changed_arg, id_arg, merge, owned, record_arg, text_arg
from smartdesk_server.store import Record, Tx, get_record


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
            owned(tx, type_, str(body[key]), for_update=False)
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
            credited = owned(tx, "document", str(body["corrects_id"]), for_update=False)
        if credited is not None and credited.body is not None and not credited.deleted:
            body["corrects_number"] = str(credited.body.get("number") or "")


def _document_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    doc = record_arg(args, "document", document_from_dict)
    if (
        len(doc.lines) > P.MAX_LINES
        or len(doc.expense_lines) > P.MAX_LINES
        or len(doc.allowances) > P.MAX_LINES
    ):
        raise Rejection("invalid", f"A document has at most {P.MAX_LINES} lines.")
    incoming = document_to_dict(doc)
    incoming["entity"] = tx.entity  # the member's entity (the account's), never the pushed one
    existing = owned(tx, "document", doc.id)
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
    changed = changed_arg(args, member_fields, list(member_fields))
    if "kind" in changed and incoming["kind"] != existing.body.get("kind") and status != "draft":
        raise Rejection("document_locked", "The kind of a document can only change while it is a draft.")
    # the advisor's reasons on expense lines are the cooperative's: keep them
    reasons = {
        ln.get("id"): ln.get("rejection_reason", "") for ln in existing.body.get("expense_lines") or []
    }
    for line in incoming["expense_lines"]:
        line["rejection_reason"] = reasons.get(line["id"], "")
    body = merge(tx, existing, incoming, changed, base, "document", args.get("before"))
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
    existing = owned(tx, "document", id_arg(args))
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
    doc_id = id_arg(args)
    target = text_arg(args, "to", max_len=40)
    rec = owned(tx, "document", doc_id)
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


HANDLERS: dict[str, Handler] = {
    P.DOCUMENT_PUT: _document_put,
    P.DOCUMENT_DELETE: _document_delete,
    P.DOCUMENT_TRANSITION: _document_transition,
}
