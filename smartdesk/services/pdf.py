"""PDF: a document as the client will see it, and a sensible file name for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartdesk.domain.documents import Activity, Client, CooperativeEntity, Document
from smartdesk.domain.entities import issuer_of
from smartdesk.domain.identity import STATE_KEY as ENTITIES_KEY
from smartdesk.domain.identity import identities_by_code
from smartdesk.errors import NotFoundError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class PdfService:
    """``ws.pdf``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def published_entities(self) -> dict[str, CooperativeEntity]:
        """The identities the cooperative published (kept at sync), by entity code; empty before."""
        return identities_by_code(self._ws.store.get_state(ENTITIES_KEY))

    def issuer(self, doc: Document) -> CooperativeEntity:
        """The identity ``doc`` prints: stamped once issued, else the published one, else the built-in
        (provisional) one."""
        return issuer_of(doc, self.published_entities())

    def provisional(self, doc: Document) -> bool:
        """True when the document would print cooperative details not confirmed by the cooperative yet."""
        return self.issuer(doc).provisional

    def archived(self, doc: Document) -> bytes | None:
        """The PDF the cooperative archived when it issued ``doc`` (downloaded at sync), or None."""
        files = self._ws.attachments
        sha = doc.archive_sha256
        if not sha or not files.exists(sha):
            return None
        return files.read(sha)

    def render(self, doc: Document | str, language: str | None = None, theme: str | None = None) -> bytes:
        """The document as the client will see it (PDF bytes), in its own language unless told.

        An issued document is its archived PDF, whatever the language, theme or brand now (the file
        the client received); only drafts (and an issued document whose archive has not arrived yet,
        with its stamped identity) are rendered here."""
        from smartdesk.pdf import render_document

        ws = self._ws
        if isinstance(doc, str):
            doc = ws.store.get_document(doc)
        archived = self.archived(doc)
        if archived is not None:
            return archived
        client: Client | None = None
        activity: Activity | None = None
        if doc.client_id:
            try:
                client = ws.store.get_client(doc.client_id)
            except NotFoundError:
                client = None
        if doc.activity_id:
            try:
                activity = ws.store.get_activity(doc.activity_id)
            except NotFoundError:
                activity = None
        profile = ws.profile.get()
        files = ws.attachments
        logo = None
        if profile.brand.logo_sha256 and files.exists(profile.brand.logo_sha256):
            logo = files.read(profile.brand.logo_sha256)
        receipts = [files.read(h) for line in doc.expense_lines for h in line.receipts if files.exists(h)]
        return render_document(
            doc,
            client=client,
            activity=activity,
            entity=self.issuer(doc),
            profile=profile,
            language=language,
            theme=theme or ws.settings.pdf_theme,
            logo_bytes=logo,
            receipts=receipts,
            expense_categories=ws.receipts.expense_categories() if doc.is_expense else None,
        )

    def file_name(self, doc: Document, language: str | None = None) -> str:
        """A sensible file name, in the document's language: "Facture FBE-2026-00012 - Client.pdf"."""
        from smartdesk.i18n.documents import text

        lang = language or doc.language
        kind = text(lang, f"title.{doc.kind.value}")
        ident = doc.number or f"{text(lang, 'draft')} {doc.issue_date or ''}".strip()
        who = ""
        if doc.client_id:
            try:
                who = self._ws.store.get_client(doc.client_id).name
            except NotFoundError:
                who = ""
        name = " - ".join(p for p in (f"{kind} {ident}", who) if p)
        safe = "".join(ch for ch in name if ch not in '<>:"/\\|?*' and ord(ch) >= 32).strip(". ")
        return (safe[:120] or "document") + ".pdf"
