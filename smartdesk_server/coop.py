"""The cooperative's side: advisor queue and actions, gap-free legal numbering, follow-up engine,
answers to support requests, monthly figures of activities.

``advisor_id=None`` means staff acting through the server's command line (no scoping); otherwise the
advisor must follow the document's activity.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.exc import OperationalError

from smartdesk.domain import lifecycle
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import Actor
from smartdesk.domain.money import round2
from smartdesk.domain.payments import ogm_for_document
from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_total, expense_totals
from smartdesk.errors import TransitionError
from smartdesk_server import archive, credits, identities, issuing, quotes
from smartdesk_server.config import DEFAULT_SCHEDULE
from smartdesk_server.db import advisor_follows, read, records, write
from smartdesk_server.delivery import queue as delivery
from smartdesk_server.errors import ApiError, Rejection
from smartdesk_server.limits import MAX_DATE, MAX_PAYMENT_TERMS_DAYS, MIN_DATE, sane_date
from smartdesk_server.mutations import add_request_message, set_status, submit_problems
from smartdesk_server.store import Record, Tx, get_record, member_entity

log = logging.getLogger("smartdesk_server.followup")

SERIES = {"invoice": "INV", "credit-note": "CN", "quote": "Q", "expense-note": "EXP"}
DUNNING_FROM = ("awaiting_payment", "reminder_1", "reminder_2", "formal_notice", "partially_paid")


def today() -> date:
    return issuing.clock().astimezone(UTC).date()


def _follows(conn: Connection, advisor_id: str, activity_id: str) -> bool:
    if not activity_id:
        return False
    return (
        conn.execute(
            select(advisor_follows.c.activity_id).where(
                and_(advisor_follows.c.advisor_id == advisor_id, advisor_follows.c.activity_id == activity_id)
            )
        ).first()
        is not None
    )


def _visible(conn: Connection, advisor_id: str | None, rec: Record | None) -> Record:
    if (
        rec is None
        or rec.deleted
        or (advisor_id is not None and not _follows(conn, advisor_id, rec.activity_id))
    ):
        raise ApiError(404, "not_found", "This document does not exist or is not in an activity you follow.")
    return rec


def _run(engine: Engine, advisor_id: str | None, doc_id: str, action: Any) -> dict[str, Any]:
    """Run ``action(tx, record)`` in one write transaction: member revision locked first, then the
    document (lock order), access checked again inside the transaction."""
    with read(engine) as conn:
        first = _visible(conn, advisor_id, get_record(conn, "document", doc_id))
    try:
        with write(engine) as conn:
            tx = Tx(conn, first.member_id)
            rec = _visible(conn, advisor_id, get_record(conn, "document", doc_id, for_update=True))
            body = action(tx, rec)
    except TransitionError as exc:
        raise ApiError(409, "invalid_transition", exc.message) from None
    except Rejection as exc:
        raise ApiError(409, exc.code, exc.message) from None
    return {"id": rec.id, "status": body["status"], "number": body.get("number", ""), "document": body}


_ALLOWED: set[tuple[str, str, str]] = set()  # (kind, status, target) the cooperative may take: a fixed table


def _check(rec: Record, target: str) -> None:
    """Raise TransitionError unless the cooperative may move the document to ``target``. The lifecycle
    table never changes while the server runs, so a transition once allowed is remembered (a statement
    import checks the same few thousands of times)."""
    key = (rec.kind, rec.status, target)
    if key in _ALLOWED:
        return
    lifecycle.check_transition(DocumentKind(rec.kind), rec.status, target, Actor.COOPERATIVE)
    _ALLOWED.add(key)


def validate(engine: Engine, advisor_id: str | None, doc_id: str) -> dict[str, Any]:
    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        _check(rec, "validated")
        problems = submit_problems(tx.conn, rec)
        if problems:
            raise Rejection(
                "invalid", "The document is not complete: " + "; ".join(p["message"] for p in problems)
            )
        body = rec.body or {}
        # the series comes from the server's own records: the member's entity, never the pushed field
        entity = member_entity(tx.conn, rec.member_id)
        issue = body.get("issue_date") or today().isoformat()
        if not sane_date(issue):
            raise Rejection(
                "invalid",
                f"The issue date {str(issue)[:20]} is not a date between {MIN_DATE.year} "
                f"and {MAX_DATE.year}; return the document to the member.",
            )
        terms = body.get("payment_terms_days")
        if terms is not None and (
            isinstance(terms, bool) or not isinstance(terms, int) or not 0 <= terms <= MAX_PAYMENT_TERMS_DAYS
        ):
            raise Rejection(
                "invalid",
                f"Payment terms are 0 to {MAX_PAYMENT_TERMS_DAYS} days; return the document to the member.",
            )
        if not sane_date(body.get("due_date")):
            raise Rejection("invalid", "The due date is not a sane date; return the document to the member.")
        series = SERIES[rec.kind]
        # the identity stamped on the document: the one the cooperative configured (set-entity)
        identity = identities.stamp(tx.conn, entity)
        extra: dict[str, Any] = {"entity": entity, "remarks": "", "issuer": identity}
        credit = credits.check_credit(tx, rec, entity) if rec.kind == "credit-note" else None
        # an invoice made from a quote: counted again with the quote's row locked (issue 16)
        quotes.check_quote_invoicing(tx, rec, quotes.FOR_ADVISOR)
        if credit is not None:
            extra.update(credits.note_fields(credit))
        # number and issue date together, chronological within the series (smartdesk_server/issuing.py)
        n, issued_on = issuing.number_and_date(tx.conn, entity, series, str(identity.get("time_zone") or ""))
        year = issued_on.year
        number = f"{entity}-{series}-{year}-{n:06d}"
        if credit is not None:
            credits.apply_credit(tx, credit, number)
        dates, changed = issuing.dates_at_issue(body, issued_on)
        extra.update({"number": number, **dates})
        if rec.kind == "invoice" and not body.get("payment_reference"):
            extra["payment_reference"] = ogm_for_document(rec.id, number) if entity == "BE" else number
        issued = {**body, **extra, "status": "validated"}
        archived = (
            archive.render_issued(tx.conn, rec.member_id, issued) if rec.kind != "expense-note" else None
        )
        if archived is not None:
            extra["archive_sha256"] = archived.sha256
        note = f"number {number}" + (f"; {changed}" if changed else "")
        validated = set_status(tx, rec, "validated", "cooperative", note, extra)
        issuing.after_validation(tx, rec.id, validated, archived)
        # e-invoice produced, checked (a fatal rule rolls all of this back) and archived; delivery queued
        delivery.after_validation(tx, rec, validated)
        return validated

    return _run(engine, advisor_id, doc_id, action)


def return_document(engine: Engine, advisor_id: str | None, doc_id: str, remarks: str) -> dict[str, Any]:
    if not remarks.strip():
        raise ApiError(400, "invalid_request", "Write the remarks that tell the member what to change.")

    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        target = "rejected" if rec.kind == "expense-note" else "returned"
        _check(rec, target)
        return set_status(tx, rec, target, "cooperative", remarks[:2000], {"remarks": remarks[:10_000]})

    return _run(engine, advisor_id, doc_id, action)


def reject_line(
    engine: Engine, advisor_id: str | None, doc_id: str, line_id: str, reason: str
) -> dict[str, Any]:
    if not reason.strip():
        raise ApiError(400, "invalid_request", "Write the reason for refusing this expense.")

    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        if rec.kind != "expense-note" or rec.status != "submitted":
            raise Rejection("invalid_transition", "Only expenses of a submitted expense note can be refused.")
        body = dict(rec.body or {})
        lines = [dict(ln) for ln in body.get("expense_lines", [])]
        hit = [ln for ln in lines if ln.get("id") == line_id]
        if not hit:
            raise ApiError(404, "not_found", "This expense note has no such line.")
        hit[0]["rejection_reason"] = reason[:2000]
        body["expense_lines"] = lines
        tx.put(
            "document",
            rec.id,
            body,
            existing=rec,
            changed=["expense_lines"],
            status=rec.status,
            kind=rec.kind,
            activity_id=rec.activity_id,
        )
        return body

    return _run(engine, advisor_id, doc_id, action)


def _hold(conn: Connection, member_id: str, doc_id: str, step: str) -> tuple[bool, int | None]:
    """(hold, notify_days_before) of a follow-up step: the document's override, else the member default."""
    for rid in (f"{member_id}:{doc_id}:{step}", f"{member_id}:*:{step}"):
        rec = get_record(conn, "followup", rid)
        if rec is not None and rec.body and not rec.deleted:
            return bool(rec.body.get("hold")), rec.body.get("notify_days_before")
    return False, None


def mark_sent(engine: Engine, advisor_id: str | None, doc_id: str) -> dict[str, Any]:
    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        _check(rec, "sent")
        hold, _ = _hold(tx.conn, rec.member_id, rec.id, "sent")
        if hold:
            raise Rejection("on_hold", "The member put sending on hold for this document.")
        body = set_status(tx, rec, "sent", "cooperative")
        if rec.kind == "invoice":
            rec2 = get_record(tx.conn, "document", rec.id)
            assert rec2 is not None
            body = set_status(tx, rec2, "awaiting_payment", "cooperative")
        return body

    return _run(engine, advisor_id, doc_id, action)


_AMOUNT_RE = re.compile(r"[0-9]{1,13}(?:[.,][0-9]{1,2})?", re.ASCII)


def _amount(text: str) -> Decimal:
    if not _AMOUNT_RE.fullmatch(str(text)):
        raise ApiError(
            400,
            "invalid_request",
            "An amount is written with the digits 0-9 and at most 2 decimals, like 123.45.",
        )
    try:
        value = Decimal(str(text).replace(",", "."))
    except InvalidOperation:
        raise ApiError(400, "invalid_request", f"“{text}” is not an amount; write it like 123.45.") from None
    if not value.is_finite() or value <= 0 or value > Decimal("1e12") or value != round2(value):
        raise ApiError(400, "invalid_request", "An amount is more than 0 with at most 2 decimals.")
    return value


def apply_payment(
    tx: Tx,
    rec: Record,
    value: Decimal,
    *,
    how: str = "advisor",
    on: date | None = None,
    payment_id: str = "",
    total: Decimal | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record a payment of ``value`` on an invoice inside ``tx``: paid amount, status (paid or partially
    paid; the follow-up engine only follows unpaid statuses) and a ``payment`` record the member pulls
    (date, amount, how it was found: advisor, structured, invoice_number, staff)."""
    body = rec.body or {}
    paid = Decimal(str(body.get("paid_amount") or "0")) + value
    if total is None:
        total = document_total(document_from_dict({**body, "paid_amount": "0"}))
    credited = Decimal(str(body.get("credited_amount") or "0"))  # validated credit notes lower what is due
    target = "paid" if paid + credited >= total else "partially_paid"
    if not (target == rec.status == "partially_paid"):
        _check(rec, target)
    new_body = set_status(
        tx, rec, target, "cooperative", f"payment {value}", {"paid_amount": format(paid, "f")}
    )
    pid = payment_id or secrets.token_hex(8)
    record_id = f"{rec.id}:{pid}"
    tx.put(
        "payment",
        record_id,
        {
            "id": record_id,
            "document_id": rec.id,
            "date": (on or today()).isoformat(),
            "amount": format(value, "f"),
            "currency": str(body.get("currency") or "EUR"),
            "how": how,
            **(details or {}),
        },
        existing=None,
    )
    return new_body


def record_payment(engine: Engine, advisor_id: str | None, doc_id: str, amount: str) -> dict[str, Any]:
    value = _amount(amount)

    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        return apply_payment(tx, rec, value)

    return _run(engine, advisor_id, doc_id, action)


def reimburse(engine: Engine, advisor_id: str | None, doc_id: str) -> dict[str, Any]:
    def action(tx: Tx, rec: Record) -> dict[str, Any]:
        _check(rec, "reimbursed")
        doc = document_from_dict(rec.body or {})
        accepted = expense_totals(doc.expense_lines).accepted_incl
        return set_status(tx, rec, "reimbursed", "cooperative", f"reimbursed {accepted}")

    return _run(engine, advisor_id, doc_id, action)


def _doc_summary(r: Any) -> dict[str, Any]:
    body = json.loads(r.body) if r.body else {}
    return {
        "id": r.id,
        "kind": r.kind,
        "status": r.status,
        "member_id": r.member_id,
        "activity_id": r.activity_id,
        "title": body.get("title", ""),
        "number": body.get("number", ""),
        "updated_at": r.updated_at,
        "version": int(r.version),
    }


def queue(engine: Engine, advisor_id: str | None, limit: int = 200) -> list[dict[str, Any]]:
    """Submitted documents waiting for the advisor, oldest first."""
    with read(engine) as conn:
        stmt = select(records).where(
            and_(records.c.type == "document", records.c.status == "submitted", records.c.deleted.is_(False))
        )
        if advisor_id is not None:
            stmt = stmt.where(
                records.c.activity_id.in_(
                    select(advisor_follows.c.activity_id).where(advisor_follows.c.advisor_id == advisor_id)
                )
            )
        rows = conn.execute(stmt.order_by(records.c.updated_at).limit(limit)).all()
        # validated documents whose delivery went wrong come back, with the reason
        back = delivery.needing_attention(conn, advisor_id, limit)
    return [_doc_summary(r) for r in rows] + [
        {**_doc_summary(r), "delivery": delivery.delivery_summary(r)} for r in back
    ]


def get_document(engine: Engine, advisor_id: str | None, doc_id: str) -> dict[str, Any]:
    with read(engine) as conn:
        rec = _visible(conn, advisor_id, get_record(conn, "document", doc_id))
    return {"id": rec.id, "version": rec.version, "member_id": rec.member_id, "document": rec.body}


def _visible_request(conn: Connection, advisor_id: str | None, rec: Record | None) -> Record:
    if rec is None or rec.deleted:
        raise ApiError(404, "not_found", "No such request.")
    if advisor_id is None:
        return rec
    followed = conn.execute(
        select(records.c.id)
        .where(
            and_(
                records.c.type == "activity",
                records.c.member_id == rec.member_id,
                records.c.id.in_(
                    select(advisor_follows.c.activity_id).where(advisor_follows.c.advisor_id == advisor_id)
                ),
            )
        )
        .limit(1)
    ).first()
    if followed is None:
        raise ApiError(404, "not_found", "No such request among the members you follow.")
    return rec


def requests_list(engine: Engine, advisor_id: str | None) -> list[dict[str, Any]]:
    with read(engine) as conn:
        stmt = select(records).where(and_(records.c.type == "request", records.c.deleted.is_(False)))
        if advisor_id is not None:
            members = select(records.c.member_id).where(
                and_(
                    records.c.type == "activity",
                    records.c.id.in_(
                        select(advisor_follows.c.activity_id).where(
                            advisor_follows.c.advisor_id == advisor_id
                        )
                    ),
                )
            )
            stmt = stmt.where(records.c.member_id.in_(members))
        rows = conn.execute(stmt.order_by(records.c.updated_at).limit(500)).all()
    return [{"id": r.id, "member_id": r.member_id, "status": r.status, **json.loads(r.body)} for r in rows]


def answer_request(
    engine: Engine, advisor_id: str | None, request_id: str, text: str, close: bool = False
) -> dict[str, Any]:
    if not text.strip() or len(text) > 10_000:
        raise ApiError(400, "invalid_request", "Write an answer (at most 10,000 characters).")
    with read(engine) as conn:
        first = _visible_request(conn, advisor_id, get_record(conn, "request", request_id))
    with write(engine) as conn:
        tx = Tx(conn, first.member_id)
        rec = _visible_request(conn, advisor_id, get_record(conn, "request", request_id, for_update=True))
        add_request_message(tx, rec, "staff", text, "closed" if close else "answered")
        rec2 = get_record(conn, "request", request_id)
    assert rec2 is not None
    return {"id": request_id, "status": rec2.status, "request": rec2.body}


def set_payment_flag(engine: Engine, advisor_id: str | None, client_id: str, flag: str) -> dict[str, Any]:
    if flag not in ("", "late", "bad"):
        raise ApiError(400, "invalid_request", "The payment flag is empty, “late” or “bad”.")
    with read(engine) as conn:
        rec = get_record(conn, "client", client_id)
        if rec is None or rec.deleted:
            raise ApiError(404, "not_found", "No such client.")
        _visible_request(conn, advisor_id, rec)  # same rule: a member the advisor follows
    with write(engine) as conn:
        tx = Tx(conn, rec.member_id)
        rec = get_record(conn, "client", client_id, for_update=True)
        assert rec is not None and rec.body is not None
        body = {**rec.body, "payment_flag": flag}
        tx.put("client", client_id, body, existing=rec, changed=["payment_flag"])
    return {"id": client_id, "payment_flag": flag}


FIGURE_KEYS = ("revenue_invoiced", "revenue_paid", "expenses", "wages", "hours")


def set_figures(
    engine: Engine, advisor_id: str | None, activity_id: str, month: str, figures: dict[str, str]
) -> dict[str, Any]:
    """Monthly figures of an activity (cooperative-owned): {month: "2026-03", revenue_invoiced: "1200.00", ...}."""
    try:
        datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise ApiError(400, "invalid_request", "The month is written YYYY-MM.") from None
    clean: dict[str, str] = {"month": month}
    for k in FIGURE_KEYS:
        try:
            value = Decimal(str(figures.get(k, "0")))
        except InvalidOperation:
            raise ApiError(400, "invalid_request", f"{k}: “{figures.get(k)}” is not a number.") from None
        if not value.is_finite() or abs(value) > Decimal("1e12"):
            raise ApiError(400, "invalid_request", f"{k} is out of range.")
        clean[k] = format(value, "f")
    with read(engine) as conn:
        rec = get_record(conn, "activity", activity_id)
        if (
            rec is None
            or rec.deleted
            or (advisor_id is not None and not _follows(conn, advisor_id, activity_id))
        ):
            raise ApiError(404, "not_found", "No such activity among those you follow.")
    with write(engine) as conn:
        tx = Tx(conn, rec.member_id)
        rec = get_record(conn, "activity", activity_id, for_update=True)
        assert rec is not None and rec.body is not None
        monthly = [m for m in rec.body.get("monthly", []) if m.get("month") != month]
        monthly = sorted([*monthly, clean], key=lambda m: m["month"])
        tx.put("activity", activity_id, {**rec.body, "monthly": monthly}, existing=rec, changed=["monthly"])
    return {"id": activity_id, "monthly": monthly}


# --- follow-up engine ----------------------------------------------------------------------------
def _due(body: dict[str, Any]) -> date | None:
    """The due date of an invoice, or None when it has none or holds nonsense (never an exception)."""
    try:
        if body.get("due_date"):
            return date.fromisoformat(str(body["due_date"]))
        terms = body.get("payment_terms_days")
        if body.get("issue_date") and isinstance(terms, int) and not isinstance(terms, bool):
            return date.fromisoformat(str(body["issue_date"])) + timedelta(days=terms)
    except (ValueError, OverflowError, TypeError):
        return None
    return None


def _followup_one(
    engine: Engine, doc_id: str, on: date, schedule: dict[str, int], stats: dict[str, int]
) -> None:
    """One invoice's follow-up step, in its own write transaction."""
    with write(engine) as conn:
        rec = get_record(conn, "document", doc_id)
        if rec is None or rec.status not in DUNNING_FROM or rec.body is None:
            return
        due = _due(rec.body)
        if due is None:
            return
        step = lifecycle.next_dunning_step(
            rec.status, [str(e.get("status")) for e in rec.body.get("timeline", [])]
        )
        if step is None:  # litigation reached: nothing more to do here
            return
        try:
            when = due + timedelta(days=schedule[step])
        except OverflowError:
            stats["skipped"] += 1
            return
        hold, notify = _hold(conn, rec.member_id, rec.id, step)
        if hold:
            stats["held"] += 1
            return
        if on >= when:
            tx = Tx(conn, rec.member_id)
            rec = get_record(conn, "document", doc_id, for_update=True)
            assert rec is not None
            set_status(tx, rec, step, "cooperative", "automatic follow-up")
            stats["advanced"] += 1
            return
        if not isinstance(notify, int) or isinstance(notify, bool) or not 0 <= notify <= 365:
            return
        if on >= when - timedelta(days=notify):
            nid = f"{rec.id}:{step}"
            if get_record(conn, "notice", nid) is None:
                tx = Tx(conn, rec.member_id)
                tx.put(
                    "notice",
                    nid,
                    {
                        "id": nid,
                        "document_id": rec.id,
                        "step": step,
                        "on": when.isoformat(),
                        "title": (rec.body or {}).get("title", ""),
                        "number": (rec.body or {}).get("number", ""),
                    },
                    existing=None,
                )
                stats["notices"] += 1


def tick(engine: Engine, on: date | None = None, schedule: dict[str, int] | None = None) -> dict[str, int]:
    """One pass of the follow-up engine. Moves each overdue invoice at most one step, never onto a step
    the member holds, and posts an "upcoming action" notice ``notify_days_before`` days ahead.

    Each invoice is handled in its own transaction: one that cannot be handled (a bug, a record
    holding nonsense) is logged by id, counted in ``failed`` and skipped; the others move on."""
    on = on or today()
    schedule = schedule or DEFAULT_SCHEDULE
    stats = {"advanced": 0, "held": 0, "notices": 0, "skipped": 0, "failed": 0}
    with read(engine) as conn:
        rows = conn.execute(
            select(records.c.id, records.c.member_id).where(
                and_(
                    records.c.type == "document",
                    records.c.kind == "invoice",
                    records.c.status.in_(DUNNING_FROM),
                    records.c.deleted.is_(False),
                )
            )
        ).all()
    for row in rows:
        try:
            _followup_one(engine, row.id, on, schedule, stats)
        except OperationalError:
            raise  # the database is away: the next tick retries everything
        except Exception as exc:  # noqa: BLE001 - one bad invoice must not stop the others
            stats["failed"] += 1
            log.warning(
                "follow-up of document %s failed (%s); skipped until it is fixed", row.id, type(exc).__name__
            )
    return stats
