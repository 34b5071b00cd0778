"""Branded, multilingual PDF documents (reportlab, no Qt).

``render_document`` turns a quote, invoice, credit note or expense note into PDF bytes in any of
the six document languages, with the member's brand, the cooperative's legal identity, the legal
mentions the VAT situation requires and, for invoices, an EPC "scan to pay" QR code.
"""

from __future__ import annotations

from smartdesk.domain.documents import Activity, Client, CooperativeEntity, Document, MemberProfile
from smartdesk.domain.expenses import ExpenseCategory
from smartdesk.i18n.documents import DOCUMENT_LANGUAGES, catalogue
from smartdesk.pdf import images
from smartdesk.pdf.renderer import RenderContext, render
from smartdesk.pdf.themes import available_themes, get_theme

__all__ = ["DOCUMENT_LANGUAGES", "available_themes", "render_document"]


def render_document(
    doc: Document,
    *,
    client: Client | None,
    activity: Activity | None,
    entity: CooperativeEntity,
    profile: MemberProfile,
    language: str | None = None,
    theme: str | None = None,
    logo_bytes: bytes | None = None,
    receipts: list[bytes] | None = None,
    expense_categories: list[ExpenseCategory] | None = None,
) -> bytes:
    """PDF bytes of ``doc``.

    ``language`` defaults to the document's own language (independent of the interface language),
    ``theme`` to the member's brand theme. ``logo_bytes`` is a PNG, JPEG or SVG logo; ``receipts``
    are the expense note's receipt files (JPEG, PNG, HEIC or PDF), matched to their lines by SHA-256;
    ``expense_categories`` the list their categories are labelled from (default: the built-in list).
    Raises ``SmartDeskError`` (or ``AttachmentError`` for an unreadable logo or receipt) with a
    plain-language message.
    """
    lang = (language or doc.language or profile.default_language or "fr").lower()
    catalogue(lang)  # clear error for a language without catalogue
    if theme is None and profile.brand.theme not in available_themes():
        theme = "classic"  # a stale theme name saved in the profile: fall back rather than fail
    chosen = get_theme(theme or profile.brand.theme)
    logo = images.load_logo(logo_bytes) if logo_bytes else None
    ctx = RenderContext(
        doc=doc,
        client=client,
        activity=activity,
        entity=entity,
        profile=profile,
        lang=lang.split("_")[0].split("-")[0],
        theme=chosen,
        logo=logo,
        receipts=list(receipts or []),
        expense_categories=expense_categories,
    )
    return render(ctx)
