"""The archive of issued documents: at validation the server renders the PDF once (``smartdesk.pdf``,
decision 0022) with the stamped identity and the member's brand as submitted, and keeps it in the
database, content-addressed (SHA-256), with the stamped document body, in the same transaction as the
validation (no validated document without its archive, no archive without its validation).

The member downloads it at ``GET /sync/v1/archives/{sha256}``: only the member whose document it is
(another account, even one that knows the hash, gets 404). The bytes never change afterwards: a
later brand, theme or identity change re-renders drafts only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    select,
)

from smartdesk.domain.documents import Activity, Brand, Client, Document, MemberProfile
from smartdesk.domain.serialize import activity_from_dict, client_from_dict, document_from_dict
from smartdesk.errors import SmartDeskError, ValidationError
from smartdesk_server.archive_table import issued_archives
from smartdesk_server.auth import Principal
from smartdesk_server.blobs import check_sha
from smartdesk_server.db import blob_owners, read
from smartdesk_server.errors import ApiError, Rejection
from smartdesk_server.store import dumps, get_record, now_iso

log = logging.getLogger("smartdesk_server.archive")

# where the blob store of each engine lives (the logo of the member's brand is a blob)
_BLOB_ROOTS: dict[int, Path] = {}
_GUARD = threading.Lock()


def configure(engine: Engine, blob_root: Path) -> None:
    """Tell the archive where the blobs of this engine's server are (``create_app`` and the CLI do)."""
    with _GUARD:
        _BLOB_ROOTS[id(engine)] = Path(blob_root)


def _blob_root(conn: Connection) -> Path | None:
    with _GUARD:
        return _BLOB_ROOTS.get(id(conn.engine))


@dataclass(frozen=True)
class Archived:
    sha256: str
    pdf: bytes


def _profile(raw: dict[str, Any] | None) -> MemberProfile:
    raw = dict(raw or {})
    brand_raw = raw.pop("brand", None)
    known_brand = {f.name for f in fields(Brand)}
    brand = Brand(
        **{
            k: v
            for k, v in (brand_raw or {}).items()
            if k in known_brand and isinstance(v, str) and len(v) <= 1000
        }
    )
    known = {f.name for f in fields(MemberProfile)} - {"brand"}
    values: dict[str, Any] = {}
    for k, v in raw.items():
        if k not in known:
            continue
        if k == "default_payment_terms_days":
            if isinstance(v, int) and not isinstance(v, bool):
                values[k] = v
        elif isinstance(v, str) and len(v) <= 1000:
            values[k] = v
    return MemberProfile(brand=brand, **values)


def submitted_profile(conn: Connection, member_id: str) -> dict[str, Any]:
    """The member's profile (name and brand) as the server has it now: kept on a document when it is
    submitted, so the issued PDF wears the brand the member submitted it with."""
    rec = get_record(conn, "profile", member_id)
    if rec is None or rec.deleted or not rec.body:
        return {}
    body = rec.body
    brand = body.get("brand") if isinstance(body.get("brand"), dict) else {}
    keep = ("first_name", "last_name", "email", "default_language")
    return {**{k: body[k] for k in keep if isinstance(body.get(k), str)}, "brand": dict(brand or {})}


def _logo(conn: Connection, member_id: str, sha: str) -> bytes | None:
    """The brand's logo, when the member uploaded it (ownership as for any blob)."""
    if not sha:
        return None
    try:
        check_sha(sha)
    except ApiError:
        return None
    owned = conn.execute(
        select(blob_owners.c.sha256).where(
            and_(blob_owners.c.sha256 == sha, blob_owners.c.member_id == member_id)
        )
    ).first()
    root = _blob_root(conn)
    if owned is None or root is None:
        return None
    path = root / sha[:2] / sha
    try:
        return path.read_bytes()
    except OSError:
        log.warning("the logo %s of member %s is registered but missing on disk", sha[:12], member_id)
        return None


def _owned_record(conn: Connection, type_: str, id_: str, member_id: str) -> dict[str, Any] | None:
    if not id_:
        return None
    rec = get_record(conn, type_, id_)
    if rec is None or rec.deleted or rec.member_id != member_id or not rec.body:
        return None
    return rec.body


def render_issued(conn: Connection, member_id: str, body: dict[str, Any]) -> Archived:
    """The PDF of the document as issued (``body`` is the validated body, identity stamped), or a
    Rejection saying why it cannot be made (then the document is not validated)."""
    from smartdesk.pdf import render_document

    try:
        doc: Document = document_from_dict(body)
    except ValidationError as exc:
        raise Rejection("invalid", f"The document cannot be printed: {exc}") from None
    if doc.issuer is None:
        raise Rejection("invalid", "The document has no stamped identity; it cannot be issued.")
    client: Client | None = None
    activity: Activity | None = None
    try:
        raw = _owned_record(conn, "client", doc.client_id, member_id)
        client = client_from_dict(raw) if raw else None
        raw = _owned_record(conn, "activity", doc.activity_id, member_id)
        activity = activity_from_dict({**raw, "monthly": []}) if raw else None
    except ValidationError:
        client = client if client is not None else None
    profile_raw = body.get("submitted_profile")
    if not isinstance(profile_raw, dict) or not profile_raw:
        profile_raw = submitted_profile(conn, member_id)
    profile = _profile(profile_raw)
    logo = _logo(conn, member_id, profile.brand.logo_sha256)
    try:
        pdf = render_document(
            doc,
            client=client,
            activity=activity,
            entity=doc.issuer,
            profile=profile,
            logo_bytes=logo,
        )
    except SmartDeskError as exc:
        if logo is None:
            raise Rejection("invalid", f"The PDF cannot be made: {exc}") from None
        log.warning("the logo of member %s cannot be drawn (%s); issued without it", member_id, exc)
        pdf = render_document(doc, client=client, activity=activity, entity=doc.issuer, profile=profile)
    return Archived(hashlib.sha256(pdf).hexdigest(), pdf)


def store(tx: Any, doc_id: str, body: dict[str, Any], archived: Archived) -> None:
    """Keep the issued PDF and the stamped body (inside the validation transaction)."""
    from sqlalchemy import insert

    tx.conn.execute(
        insert(issued_archives).values(
            document_id=doc_id,
            member_id=tx.member_id,
            sha256=archived.sha256,
            size=len(archived.pdf),
            pdf=archived.pdf,
            stamped=dumps(body),
            created_at=now_iso(),
        )
    )


def reissue(tx: Any, doc_id: str, member_id: str, body: dict[str, Any]) -> str:
    """A validated document whose amount due the cooperative changed afterwards (a credit note): its PDF
    is rendered again from the stamped body and the brand captured at submission, and archived beside
    the original (both kept); returns the new SHA-256 for the document's ``archive_sha256``."""
    archived = render_issued(tx.conn, member_id, body)
    exists = tx.conn.execute(
        select(issued_archives.c.sha256).where(
            and_(issued_archives.c.document_id == doc_id, issued_archives.c.sha256 == archived.sha256)
        )
    ).first()
    if exists is None:
        store(tx, doc_id, body, archived)
    return archived.sha256


def fetch(engine: Engine, principal: Principal, sha: str) -> bytes:
    """The archived PDF named ``sha``, for the member whose document it is; 404 for anyone else."""
    check_sha(sha)
    if principal.role != "member":
        raise ApiError(404, "not_found", "No such archived document for this account.")
    with read(engine) as conn:
        row = conn.execute(
            select(issued_archives.c.pdf)
            .where(and_(issued_archives.c.sha256 == sha, issued_archives.c.member_id == principal.account_id))
            .limit(1)
        ).first()
    if row is None:
        raise ApiError(404, "not_found", "No such archived document for this account.")
    data = bytes(row.pdf)
    if hashlib.sha256(data).hexdigest() != sha:  # never serve damaged bytes under a name they do not have
        log.error("archive %s does not match its SHA-256", sha[:12])
        raise ApiError(500, "archive_damaged", "This archived document is damaged; contact the cooperative.")
    return data


def issued_pdf(conn: Connection, doc_id: str) -> bytes | None:
    """The PDF archived when ``doc_id`` was validated (what the cooperative sends the client), if any."""
    row = conn.execute(
        select(issued_archives.c.pdf)
        .where(issued_archives.c.document_id == doc_id)
        .order_by(issued_archives.c.created_at.desc())
        .limit(1)
    ).first()
    return bytes(row.pdf) if row else None


def stamped_of(engine: Engine, doc_id: str) -> dict[str, Any] | None:
    """The stamped body kept with a document's archive (staff tools and tests)."""
    with read(engine) as conn:
        row = conn.execute(
            select(issued_archives.c.stamped)
            .where(issued_archives.c.document_id == doc_id)
            .order_by(issued_archives.c.created_at)
            .limit(1)
        ).first()
    return json.loads(row.stamped) if row else None
