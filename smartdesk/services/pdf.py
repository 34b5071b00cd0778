"""PDF: a document as the client will see it, and a sensible file name for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartdesk.domain.documents import Activity, Client, Document
from smartdesk.domain.entities import entity_for
from smartdesk.errors import NotFoundError

if TYPE_CHECKING:
    from smartdesk.services.workspace import Workspace


class PdfService:
    """``ws.pdf``."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def render(self, doc: Document | str, language: str | None = None, theme: str | None = None) -> bytes:
        """The document as the client will see it (PDF bytes), in its own language unless told."""
        from smartdesk.pdf import render_document

        ws = self._ws
        if isinstance(doc, str):
            doc = ws.store.get_document(doc)
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
            entity=entity_for(doc.entity),
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
