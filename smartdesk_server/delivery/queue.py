"""The delivery queue: filled at validation, worked in the background, status back to the member.

- :func:`after_validation` runs inside the validation's transaction: the e-invoice (when one applies)
  is produced, checked and archived, and a ``deliveries`` row is queued, so a validated document is
  never without its delivery, and nothing is sent inside the request;
- :func:`process_due` (the server's background loop, or ``smartdesk-server deliveries --run``) takes
  the rows that are due, one at a time: a claim (``claimed_until``) keeps two workers off the same row;
  the sending happens outside any transaction, its outcome is written in one;
- the channel is chosen per client when sending: Peppol when the client has a Peppol id the access
  point finds, else e-mail (the PDF, the Factur-X for a French client, the UBL XML beside the PDF of a
  Belgian business client), else ``manual`` (the staff must send it themselves);
- a transient failure (server away, SMTP 4xx) is retried with exponential backoff, up to
  :data:`MAX_ATTEMPTS`, then ``failed``; ``rejected`` (access point), ``bounced`` (mail server, 5xx),
  ``failed`` and ``manual`` put the document back in the advisor's queue (:func:`needing_attention`);
  ``delivered`` moves a still-validated document to sent (an invoice on to awaiting payment);
- every change of a row is mirrored to the member's ``delivery`` record (id ``DOC_ID:DELIVERY_ID``),
  which the pull carries like a payment; an older app ignores the unknown record type.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select, update

from smartdesk.domain.documents import Client, CooperativeEntity, Document, MemberProfile
from smartdesk.domain.serialize import document_from_dict
from smartdesk.domain.totals import document_total
from smartdesk.einvoice.model import seller_legal_id
from smartdesk.errors import TransitionError
from smartdesk_server import archive
from smartdesk_server.config import Settings
from smartdesk_server.db import advisor_follows, read, records, write
from smartdesk_server.delivery import einvoices, mail
from smartdesk_server.delivery.accesspoint import AccessPoint, AccessPointUnavailable, HttpAccessPoint
from smartdesk_server.delivery.tables import deliveries
from smartdesk_server.errors import ApiError
from smartdesk_server.store import Record, Tx, get_record

log = logging.getLogger("smartdesk_server.delivery")

STATUSES = ("queued", "delivered", "rejected", "bounced", "failed", "manual")
ATTENTION = ("rejected", "bounced", "failed", "manual")  # back in the advisor's queue
MAX_ATTEMPTS = 8
BACKOFF_FIRST = 30.0  # seconds before the second attempt; doubles each time
BACKOFF_MAX = 6 * 3600.0
CLAIM_SECONDS = 300.0
HOLD_RECHECK = 3600.0  # a delivery the member holds is looked at again after this long


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    return float(min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


# --- at validation -----------------------------------------------------------------------------
def after_validation(tx: Tx, rec: Record, body: dict[str, Any], now: float | None = None) -> None:
    """The step after a document is validated, in the same transaction (ApiError rolls it all back)."""
    if rec.kind not in einvoices.DELIVERED_KINDS:
        return
    doc, client = einvoices.prepare(tx.conn, rec, body)
    einvoice_info: dict[str, str] | None = None
    if einvoices.needs_einvoice(doc, client):
        assert client is not None
        produced = einvoices.produce(doc, client, einvoices.entity_of(doc))
        einvoices.archive(tx.conn, rec.member_id, rec.id, produced)
        einvoice_info = {"syntax": produced.syntax, "sha256": produced.sha256}
    existing = tx.conn.execute(select(deliveries.c.id).where(deliveries.c.document_id == rec.id)).first()
    if existing is not None:  # validated again (cannot happen with today's lifecycle): queue it anew
        delivery_id = str(existing.id)
        tx.conn.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status="queued", reason="", attempts=0, next_at=now or time.time(), updated_at=tx.at)
        )
    else:
        delivery_id = secrets.token_hex(8)
        tx.conn.execute(
            insert(deliveries).values(
                id=delivery_id,
                document_id=rec.id,
                member_id=rec.member_id,
                status="queued",
                channel="",
                recipient="",
                reason="",
                attempts=0,
                next_at=now if now is not None else time.time(),
                claimed_until=0.0,
                message_id="",
                created_at=tx.at,
                updated_at=tx.at,
            )
        )
    _mirror(tx, rec.id, delivery_id, einvoice=einvoice_info)


def _mirror(tx: Tx, document_id: str, delivery_id: str, einvoice: dict[str, str] | None = None) -> None:
    """Write the member's ``delivery`` record from the row (same transaction)."""
    row = tx.conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()
    rid = f"{document_id}:{delivery_id}"
    existing = get_record(tx.conn, "delivery", rid)
    value: dict[str, Any] = {
        "id": rid,
        "document_id": document_id,
        "status": row.status,
        "channel": row.channel,
        "recipient": row.recipient,
        "reason": row.reason,
        "attempts": int(row.attempts),
        "at": tx.at,
    }
    if einvoice is not None:
        value["einvoice"] = einvoice
    elif existing is not None and existing.body and "einvoice" in existing.body:
        value["einvoice"] = existing.body["einvoice"]
    tx.put("delivery", rid, value, existing=existing)


# --- sending -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    status: str  # queued (transient: retry) | delivered | rejected | bounced | manual
    channel: str = ""
    recipient: str = ""
    reason: str = ""
    message_id: str = ""
    hold: bool = False  # the member holds sending: wait without counting an attempt


@dataclass
class Transports:
    access_point: AccessPoint | None
    smtp: mail.SmtpConfig | None
    sender: str  # From: of e-mails ("" = the entity's address)

    @classmethod
    def from_settings(cls, settings: Settings) -> Transports:
        return cls(
            access_point=HttpAccessPoint(settings.ap_url) if settings.ap_url else None,
            smtp=mail.SmtpConfig(
                settings.smtp_host,
                settings.smtp_port,
                settings.smtp_tls,
                settings.smtp_user,
                settings.smtp_password,
            )
            if settings.smtp_host
            else None,
            sender=settings.smtp_from,
        )


def _member_name(conn: Connection, member_id: str) -> str:
    from smartdesk_server.db import accounts

    return str(conn.execute(select(accounts.c.name).where(accounts.c.id == member_id)).scalar() or "")


def _pdf(doc: Document, client: Client | None, entity: CooperativeEntity, member: str) -> bytes:
    from smartdesk.pdf import render_document

    first, _, last = member.partition(" ")
    profile = MemberProfile(first_name=first, last_name=last, entity=doc.entity)
    return render_document(doc, client=client, activity=None, entity=entity, profile=profile)


def _letter(doc: Document, entity: CooperativeEntity, member: str, client: Client | None) -> mail.Letter:
    return mail.Letter(
        kind=doc.kind.value,
        number=doc.number,
        issue_date=doc.issue_date or date.today(),
        total=document_total(doc),
        currency=doc.currency or "EUR",
        issuer=entity.name,
        member=member,
        due_date=doc.due_date,
        iban=entity.iban,
        reference=doc.payment_reference or doc.number,
        language=(client.language if client is not None else "") or doc.language,
    )


def _held(conn: Connection, rec: Record) -> bool:
    from smartdesk_server.coop import _hold

    return _hold(conn, rec.member_id, rec.id, "sent")[0]


def attempt(engine: Engine, row: Any, transports: Transports) -> Outcome:
    """One try at delivering ``row``'s document (no transaction held while sending)."""
    with read(engine) as conn:
        rec = get_record(conn, "document", row.document_id)
        if rec is None or rec.deleted or not rec.body:
            return Outcome("manual", reason="The document is gone; nothing was sent.")
        if _held(conn, rec):
            return Outcome("queued", reason="The member holds sending of this document.", hold=True)
        doc = document_from_dict(rec.body)
        client = einvoices.client_of(conn, rec, rec.body)
        stored = einvoices.archived(conn, rec.id)
        issued = archive.issued_pdf(conn, rec.id)  # the PDF as issued: stamped identity, member's brand
        member = _member_name(conn, rec.member_id)
    entity = einvoices.entity_of(doc)
    # Peppol first, for a UBL e-invoice to a client the access point knows
    if stored is not None and stored[0] == "ubl" and client is not None and transports.access_point:
        receiver = einvoices.peppol_id(client)
        if receiver:
            try:
                if transports.access_point.lookup(receiver):
                    scheme_id, scheme = seller_legal_id(entity)
                    result = transports.access_point.send(f"{scheme}:{scheme_id}", receiver, stored[1])
                    if result.delivered:
                        return Outcome("delivered", "peppol", receiver, message_id=result.message_id)
                    return Outcome("rejected", "peppol", receiver, reason=result.reason)
            except AccessPointUnavailable as exc:
                return Outcome("queued", "peppol", receiver, reason=str(exc))
    if client is None or not client.email:
        return Outcome(
            "manual",
            reason="The client is not reachable on Peppol and has no e-mail address: send it yourself "
            "(post), then mark it as sent.",
        )
    if transports.smtp is None:
        return Outcome("queued", "email", client.email, reason="E-mail delivery is not configured (SMTP).")
    pdf = issued or _pdf(doc, client, entity, member)
    base = (doc.number or doc.id).replace("/", "-")
    attachments: list[mail.Attachment]
    if stored is not None and stored[0] == "cii":
        from smartdesk.einvoice.facturx import make_facturx

        attachments = [
            mail.Attachment(
                f"{base}.pdf", make_facturx(pdf, stored[1], doc=doc, entity=entity), "application/pdf"
            )
        ]
    else:
        attachments = [mail.Attachment(f"{base}.pdf", pdf, "application/pdf")]
        if stored is not None:
            attachments.append(mail.Attachment(f"{base}.xml", stored[1], "application/xml"))
    msg = mail.compose(
        _letter(doc, entity, member, client), transports.sender or entity.email, client.email, attachments
    )
    try:
        message_id = mail.send(transports.smtp, msg)
    except mail.MailError as exc:
        return Outcome("bounced" if exc.permanent else "queued", "email", client.email, reason=exc.message)
    return Outcome("delivered", "email", client.email, message_id=message_id)


def _mark_sent(tx: Tx, document_id: str) -> None:
    from smartdesk_server.coop import _check
    from smartdesk_server.mutations import set_status

    rec = get_record(tx.conn, "document", document_id, for_update=True)
    if rec is None or rec.status != "validated":
        return  # staff marked it already, or it moved on
    try:
        _check(rec, "sent")
    except TransitionError:
        log.warning("document %s was delivered but cannot be marked sent from %s", document_id, rec.status)
        return
    set_status(tx, rec, "sent", "cooperative", "delivered")
    if rec.kind == "invoice":
        rec2 = get_record(tx.conn, "document", document_id)
        assert rec2 is not None
        set_status(tx, rec2, "awaiting_payment", "cooperative")


def record(engine: Engine, row: Any, outcome: Outcome, now: float) -> str:
    """Write the outcome of one attempt (row, member record, document status) in one transaction."""
    attempts = int(row.attempts) + (0 if outcome.hold else 1)
    status = outcome.status
    next_at = float(row.next_at)
    reason = outcome.reason
    if status == "queued":
        if outcome.hold:
            next_at = now + HOLD_RECHECK
        elif attempts >= MAX_ATTEMPTS:
            status = "failed"
            reason = f"Gave up after {attempts} attempts: {outcome.reason}"
        else:
            next_at = now + backoff(attempts)
    with write(engine) as conn:
        tx = Tx(conn, row.member_id)
        _set(
            tx,
            row.id,
            status=status,
            channel=outcome.channel or row.channel,
            recipient=outcome.recipient or row.recipient,
            reason=reason[:4000],
            attempts=attempts,
            next_at=next_at,
            claimed_until=0.0,
            message_id=outcome.message_id[:200],
        )
        if status == "delivered":
            _mark_sent(tx, row.document_id)
        _mirror(tx, row.document_id, row.id)
    return status


def _set(tx: Tx, delivery_id: str, **values: Any) -> None:
    """A delivery's new state, written in the member's transaction (``tx``) that mirrors it."""
    tx.conn.execute(
        update(deliveries).where(deliveries.c.id == delivery_id).values(**values, updated_at=tx.at)
    )


def _claim(engine: Engine, delivery_id: str, now: float) -> Any:
    with write(engine) as conn:
        done = conn.execute(
            update(deliveries)
            .where(
                and_(
                    deliveries.c.id == delivery_id,
                    deliveries.c.status == "queued",
                    deliveries.c.claimed_until < now,
                )
            )
            .values(claimed_until=now + CLAIM_SECONDS)
        )
        if done.rowcount != 1:
            return None
        return conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()


def process_due(
    engine: Engine,
    transports: Transports,
    *,
    now: float | None = None,
    limit: int = 100,
    clock: Callable[[], float] = time.time,
) -> dict[str, int]:
    """Try every due delivery once; returns how many ended in each status."""
    start = clock() if now is None else now
    with read(engine) as conn:
        due = [
            r.id
            for r in conn.execute(
                select(deliveries.c.id)
                .where(
                    and_(
                        deliveries.c.status == "queued",
                        deliveries.c.next_at <= start,
                        deliveries.c.claimed_until < start,
                    )
                )
                .order_by(deliveries.c.next_at)
                .limit(limit)
            ).all()
        ]
    stats: dict[str, int] = {}
    for delivery_id in due:
        row = _claim(engine, delivery_id, start)
        if row is None:
            continue
        try:
            outcome = attempt(engine, row, transports)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
            log.exception("delivery %s failed", delivery_id)
            outcome = Outcome("queued", reason=f"Unexpected problem ({type(exc).__name__}); retried later.")
        try:
            status = record(engine, row, outcome, clock() if now is None else now)
        except Exception:  # noqa: BLE001 - the row stays claimed, is retried after CLAIM_SECONDS
            log.exception("the outcome of delivery %s (%s) could not be written", delivery_id, outcome.status)
            status = "unrecorded"
        stats[status] = stats.get(status, 0) + 1
    return stats


# --- staff -------------------------------------------------------------------------------------
# what the staff see of a delivery (not the worker's claim, the message id nor when it was queued)
_STAFF_VIEW = select(
    deliveries.c.id,
    deliveries.c.document_id,
    deliveries.c.member_id,
    deliveries.c.status,
    deliveries.c.channel,
    deliveries.c.recipient,
    deliveries.c.reason,
    deliveries.c.attempts,
    deliveries.c.next_at,
    deliveries.c.updated_at,
)


def list_deliveries(engine: Engine, status: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise ValueError(f"“{status}” is not a delivery status; use {', '.join(STATUSES)}")
    with read(engine) as conn:
        stmt = _STAFF_VIEW
        if status is not None:
            stmt = stmt.where(deliveries.c.status == status)
        rows = conn.execute(stmt.order_by(deliveries.c.updated_at.desc()).limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def retry(engine: Engine, delivery_id: str, now: float | None = None) -> dict[str, Any]:
    """Queue a delivery again now (after the staff fixed the client's address, for instance)."""
    with read(engine) as conn:
        row = conn.execute(select(deliveries).where(deliveries.c.id == delivery_id[:32])).first()
    if row is None:
        raise ApiError(
            404, "not_found", "There is no delivery with this id (see `smartdesk-server deliveries`)."
        )
    if row.status == "delivered":
        raise ApiError(409, "already_delivered", "This document was delivered already; nothing to retry.")
    with write(engine) as conn:
        tx = Tx(conn, row.member_id)
        _set(
            tx,
            row.id,
            status="queued",
            reason="",
            attempts=0,
            next_at=now if now is not None else time.time(),
            claimed_until=0.0,
        )
        _mirror(tx, row.document_id, row.id)
        again = conn.execute(_STAFF_VIEW.where(deliveries.c.id == row.id)).mappings().one()
    return dict(again)


# the delivery columns joined to each record in the advisor's queue (as ``delivery_<name>``)
_SUMMARY_FIELDS = ("id", "status", "channel", "reason")


def needing_attention(conn: Connection, advisor_id: str | None, limit: int = 200) -> list[Any]:
    """Validated documents whose delivery was rejected, bounced, failed or needs a hand: back in the
    advisor's queue (the advisor's activities only), with the delivery row joined."""
    stmt = (
        select(records, *(deliveries.c[name].label(f"delivery_{name}") for name in _SUMMARY_FIELDS))
        .join(deliveries, and_(records.c.type == "document", records.c.id == deliveries.c.document_id))
        .where(
            and_(
                deliveries.c.status.in_(ATTENTION),
                records.c.status == "validated",
                records.c.deleted.is_(False),
            )
        )
    )
    if advisor_id is not None:
        stmt = stmt.where(
            records.c.activity_id.in_(
                select(advisor_follows.c.activity_id).where(advisor_follows.c.advisor_id == advisor_id)
            )
        )
    return list(conn.execute(stmt.order_by(deliveries.c.updated_at).limit(limit)).all())


def delivery_summary(row: Any) -> dict[str, Any]:
    """What the advisor's queue shows of a document's delivery: a ``needing_attention`` row's
    ``delivery_*`` columns, without the prefix."""
    return {name: row._mapping[f"delivery_{name}"] for name in _SUMMARY_FIELDS}


def archived_einvoice(engine: Engine, document_id: str) -> tuple[str, bytes] | None:
    with read(engine) as conn:
        return einvoices.archived(conn, document_id)


__all__ = [
    "ATTENTION",
    "STATUSES",
    "Outcome",
    "Transports",
    "after_validation",
    "archived_einvoice",
    "list_deliveries",
    "needing_attention",
    "process_due",
    "retry",
]
