"""The handlers of the member's other records: clients, activities, follow-up choices, support
requests and the profile."""

from __future__ import annotations

from typing import Any

from smartdesk.domain import lifecycle
from smartdesk.domain.serialize import activity_from_dict, activity_to_dict, client_from_dict, client_to_dict
from smartdesk.sync import protocol as P
from smartdesk_server.errors import Rejection
from smartdesk_server.mutations.args import (
    Handler,
    changed_arg,
    id_arg,
    merge,
    owned,
    record_arg,
    text_arg,
    whole_number,
)
from smartdesk_server.store import Record, Tx, dumps, get_record

CLIENT_COOP_FIELDS = ("payment_flag",)


def _client_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    client = record_arg(args, "client", client_from_dict)
    incoming = client_to_dict(client)
    existing = owned(tx, "client", client.id)
    fields = tuple(k for k in incoming if k not in ("id", *CLIENT_COOP_FIELDS))
    changed = changed_arg(args, fields, list(fields))
    if existing is None or existing.deleted:
        incoming["payment_flag"] = ""
        body = incoming
        changed_fields = None
    else:
        body = merge(tx, existing, incoming, changed, base, "client", args.get("before"))
        changed_fields = changed
    tx.put("client", client.id, body, existing=existing, changed=changed_fields)


def _client_delete(tx: Tx, args: dict[str, Any], base: int) -> None:
    existing = owned(tx, "client", id_arg(args))
    if existing is not None and not existing.deleted:
        tx.tombstone(existing)


def _activity_put(tx: Tx, args: dict[str, Any], base: int) -> None:
    activity = record_arg(args, "activity", activity_from_dict)
    incoming = activity_to_dict(activity)
    existing = owned(tx, "activity", activity.id)
    if existing is None or existing.body is None:
        incoming["monthly"] = []
        tx.put("activity", activity.id, incoming, existing=existing)
        return
    body = dict(existing.body)
    changed = [k for k in ("name", "description") if body.get(k) != incoming[k]]
    for k in changed:
        body[k] = incoming[k]
    tx.put("activity", activity.id, body, existing=existing, changed=changed)


def _followup_invoice(tx: Tx, args: dict[str, Any]) -> str:
    """The member's own document a follow-up choice is about (refused when it is not theirs or gone)."""
    doc_id = id_arg(args, "document_id")
    rec = owned(tx, "document", doc_id, for_update=False)
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
    if notify is not None and (not whole_number(notify) or not 0 <= notify <= 365):
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
    rid = id_arg(args)
    service = args.get("service")
    if service not in P.SERVICES:
        raise Rejection("invalid", f"“service” must be one of {SERVICES_TEXT}.")
    subject = text_arg(args, "subject", max_len=300)
    text = text_arg(args, "body")
    doc_id = args.get("document_id")
    if doc_id is not None:
        doc_id = id_arg(args, "document_id")
        owned(tx, "document", doc_id, for_update=False)
    existing = owned(tx, "request", rid)
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
    rec = owned(tx, "request", id_arg(args))
    if rec is None or rec.deleted:
        raise Rejection("not_found", "This request does not exist on the server.")
    add_request_message(tx, rec, "member", text_arg(args, "body"), "open")


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


HANDLERS: dict[str, Handler] = {
    P.CLIENT_PUT: _client_put,
    P.CLIENT_DELETE: _client_delete,
    P.ACTIVITY_PUT: _activity_put,
    P.FOLLOWUP_SET: _followup_set,
    P.FOLLOWUP_CLEAR: _followup_clear,
    P.REQUEST_OPEN: _request_open,
    P.REQUEST_REPLY: _request_reply,
    P.PROFILE_PUT: _profile_put,
}
