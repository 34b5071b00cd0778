"""The e-invoice of a validated document: written, checked with the official rules, archived.

Runs inside the validation's write transaction (:func:`after_validation`), after the number is given:
a fatal rule raises :class:`~smartdesk_server.errors.ApiError` ``409 einvoice_refused`` with the
report, and the whole validation (number included) rolls back, so the number stays gap-free.

Which documents get one: invoices and credit notes to a business client (a private client has no
Peppol address and needs no e-invoice: it gets the PDF by e-mail). The syntax follows the client: CII
(Factur-X when sent) for a French client, Peppol BIS 3.0 UBL otherwise; the rule sets follow the
issuer (UBL.BE for the Belgian entity, the French CTC for the French one).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from smartdesk import einvoice
from smartdesk.domain.documents import Client, CooperativeEntity, Document, DocumentKind
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.serialize import client_from_dict, document_from_dict
from smartdesk.einvoice.model import client_endpoint
from smartdesk_server.delivery.tables import einvoice_documents, einvoice_files
from smartdesk_server.errors import ApiError
from smartdesk_server.store import Record, get_record, now_iso

log = logging.getLogger("smartdesk_server.einvoice")

DELIVERED_KINDS = ("invoice", "credit-note")
MAX_REPORTED = 20  # findings written into the refusal's message (all are in ``findings``)


@dataclass(frozen=True)
class Produced:
    syntax: str  # "ubl" | "cii"
    xml: bytes
    sha256: str
    rule_sets: tuple[str, ...]
    warnings: int


def client_of(conn: Connection, rec: Record, body: dict[str, Any]) -> Client | None:
    """The document's client, only when it is a live client of the SAME member (ownership checked)."""
    client_id = body.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        return None
    crec = get_record(conn, "client", client_id[:100])
    if crec is None or crec.deleted or not crec.body or crec.member_id != rec.member_id:
        return None
    return client_from_dict(crec.body)


def syntax_for(client: Client) -> einvoice.Syntax:
    return einvoice.Syntax.CII if client.country.upper() == "FR" else einvoice.Syntax.UBL


def needs_einvoice(doc: Document, client: Client | None) -> bool:
    return (
        doc.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
        and client is not None
        and client.is_business
    )


def peppol_id(client: Client) -> str:
    """``SCHEME:ID`` of the client on Peppol (its own electronic address, else derived from its
    numbers), or "" when it has none."""
    scheme, ident = client_endpoint(client)
    return f"{scheme}:{ident}" if scheme and ident else ""


def entity_of(doc: Document) -> CooperativeEntity:
    return BUILTIN_ENTITIES.get(doc.entity, BUILTIN_ENTITIES["BE"])


def _report(findings: list[einvoice.Finding]) -> str:
    lines = [f"{f.rule_id} ({f.rule_set}): {f.message_en}" for f in findings[:MAX_REPORTED]]
    more = len(findings) - MAX_REPORTED
    if more > 0:
        lines.append(f"... and {more} more")
    return "; ".join(lines)


def produce(doc: Document, client: Client, entity: CooperativeEntity) -> Produced:
    """Write and check the e-invoice of ``doc`` (already numbered); ApiError 409 on a fatal rule."""
    syntax = syntax_for(client)
    try:
        if syntax is einvoice.Syntax.UBL:
            xml = einvoice.write_ubl(doc, client=client, entity=entity)
        else:
            xml = einvoice.write_cii(doc, client=client, entity=entity)
        report = einvoice.check_xml(xml, issuer_country=entity.country)
    except einvoice.EInvoiceError as exc:
        raise ApiError(
            409,
            "einvoice_refused",
            f"No e-invoice can be made of this document: {exc.message}. Return it to the member.",
        ) from None
    except einvoice.ValidationSetupError as exc:
        raise ApiError(
            503,
            "einvoice_unavailable",
            f"The server cannot check e-invoices now ({exc.message}); nothing was validated.",
        ) from None
    fatal = report.fatal
    if fatal:
        raise ApiError(
            409,
            "einvoice_refused",
            f"The e-invoice of this document breaks {len(fatal)} official rule(s); return it to the "
            f"member with what to fill in: {_report(fatal)}",
            findings=[
                {
                    "rule_id": f.rule_id,
                    "rule_set": f.rule_set,
                    "field": f.field,
                    "message": f.message_en,
                    "message_fr": f.message_fr,
                    "message_nl": f.message_nl,
                    "rule_text": f.rule_text[:1000],
                }
                for f in fatal[:200]
            ],
        )
    return Produced(
        syntax=syntax.value,
        xml=xml,
        sha256=hashlib.sha256(xml).hexdigest(),
        rule_sets=report.rule_sets,
        warnings=len(report.findings) - len(fatal),
    )


def archive(conn: Connection, member_id: str, document_id: str, produced: Produced) -> None:
    """Keep the XML (content-addressed) and which document it belongs to, in the caller's transaction."""
    at = now_iso()
    known = conn.execute(
        select(einvoice_files.c.sha256).where(einvoice_files.c.sha256 == produced.sha256)
    ).first()
    if known is None:
        conn.execute(
            insert(einvoice_files).values(
                sha256=produced.sha256, size=len(produced.xml), content=produced.xml, created_at=at
            )
        )
    conn.execute(einvoice_documents.delete().where(einvoice_documents.c.document_id == document_id))
    conn.execute(
        insert(einvoice_documents).values(
            document_id=document_id,
            member_id=member_id,
            syntax=produced.syntax,
            sha256=produced.sha256,
            rule_sets=", ".join(produced.rule_sets),
            warnings=produced.warnings,
            created_at=at,
        )
    )


def archived(conn: Connection, document_id: str) -> tuple[str, bytes] | None:
    """(syntax, XML) archived for a document, the content verified against its hash."""
    row = conn.execute(
        select(einvoice_documents.c.syntax, einvoice_files.c.content, einvoice_files.c.sha256)
        .join(einvoice_files, einvoice_files.c.sha256 == einvoice_documents.c.sha256)
        .where(einvoice_documents.c.document_id == document_id)
    ).first()
    if row is None:
        return None
    content = bytes(row.content)
    if hashlib.sha256(content).hexdigest() != row.sha256:
        raise ApiError(500, "archive_damaged", "The archived e-invoice does not match its hash.")
    return str(row.syntax), content


def prepare(conn: Connection, rec: Record, body: dict[str, Any]) -> tuple[Document, Client | None]:
    return document_from_dict(body), client_of(conn, rec, body)


# --- warm-up ---------------------------------------------------------------------------------------
def warm_up() -> None:
    """Compile the rule sets once per process, at server start, so the first validation does not pay
    for it. Saxon holds the GIL while it compiles (about 1.5 s): ``serve`` runs this before it accepts
    connections rather than beside them. Missing rule sets are logged; validation then says so."""
    try:
        einvoice.warm_up()
    except einvoice.ValidationSetupError as exc:
        log.warning("e-invoice rules not available: %s", exc.message)
    except Exception:  # noqa: BLE001 - a warm-up failure shows again, clearly, at the first check
        log.exception("warming the e-invoice rules failed")
