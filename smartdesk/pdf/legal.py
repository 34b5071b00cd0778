"""Which legal sentences a document needs, by issuing country, kind and VAT situation."""

from __future__ import annotations

from decimal import Decimal

from smartdesk.domain.documents import CooperativeEntity, Document, DocumentKind
from smartdesk.domain.totals import Totals
from smartdesk.domain.vat import VatCategory
from smartdesk.i18n.documents import text
from smartdesk.pdf.formatting import Formatter

RECOVERY_INDEMNITY_EUR = Decimal("40")  # France, art. D441-5 Code de commerce

_CATEGORY_SENTENCE = {
    VatCategory.REVERSE_CHARGE: "legal.reverse_charge",
    VatCategory.INTRA_COMMUNITY: "legal.intra_eu",
    VatCategory.EXPORT: "legal.export",
    VatCategory.EXEMPT: "legal.exempt",
    VatCategory.OUT_OF_SCOPE: "legal.out_of_scope",
    VatCategory.ZERO: "legal.zero",
}


def legal_mentions(
    doc: Document, totals: Totals | None, entity: CooperativeEntity, lang: str, fmt: Formatter
) -> list[str]:
    """The sentences in the order they are printed (VAT situation first, then country rules)."""
    out: list[str] = []
    if doc.kind is DocumentKind.CREDIT_NOTE and doc.corrects_number:
        out.append(text(lang, "legal.credit_corrects", number=doc.corrects_number))
    if totals is not None:
        seen: set[VatCategory] = set()
        for row in totals.vat_breakdown:
            key = _CATEGORY_SENTENCE.get(row.category)
            if key and row.category not in seen:
                seen.add(row.category)
                out.append(text(lang, key))
        if doc.kind is DocumentKind.CREDIT_NOTE and entity.country == "BE" and totals.vat_total != 0:
            out.append(text(lang, "legal.be_credit_vat"))
    if doc.kind is DocumentKind.INVOICE and entity.country == "FR":
        out.append(
            text(
                lang,
                "legal.fr_penalties",
                rate=fmt.percent(entity.late_penalty_rate),
                indemnity=Formatter(lang, entity.country, "EUR").money(RECOVERY_INDEMNITY_EUR),
            )
        )
        out.append(text(lang, "legal.fr_no_discount"))
    return out
