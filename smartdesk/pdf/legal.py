"""Which legal sentences a document needs, by issuing country, kind and VAT situation."""

from __future__ import annotations

from decimal import Decimal

from smartdesk.domain.documents import Client, CooperativeEntity, Document, DocumentKind
from smartdesk.domain.identifiers import format_siren, siren_of
from smartdesk.domain.legal_basis import legal_basis
from smartdesk.domain.totals import Totals
from smartdesk.i18n.documents import text
from smartdesk.pdf.formatting import Formatter

RECOVERY_INDEMNITY_EUR = Decimal("40")  # France, art. D441-5 Code de commerce
HT_PREFIX = "ht."  # French-entity wording (HT / TTC) of the amount labels


def document_wording(cat: dict[str, str], entity: CooperativeEntity) -> dict[str, str]:
    """The catalogue a document is printed with: on the French entity's documents the amount labels
    say HT / TTC (hors taxes / toutes taxes comprises) instead of the Belgian HTVA / TVAC."""
    if entity.country != "FR":
        return cat
    return {**cat, **{k[len(HT_PREFIX) :]: v for k, v in cat.items() if k.startswith(HT_PREFIX)}}


def legal_mentions(
    doc: Document,
    totals: Totals | None,
    entity: CooperativeEntity,
    lang: str,
    fmt: Formatter,
    client: Client | None = None,
) -> list[str]:
    """The sentences in the order they are printed (VAT situation first, then country rules)."""
    out: list[str] = []
    if doc.kind is DocumentKind.CREDIT_NOTE and doc.corrects_number:
        if doc.corrects_date is not None:
            out.append(
                text(
                    lang,
                    "legal.credit_corrects_dated",
                    number=doc.corrects_number,
                    date=fmt.date(doc.corrects_date),
                )
            )
        else:
            out.append(text(lang, "legal.credit_corrects", number=doc.corrects_number))
    if totals is not None:
        seen: set[str] = set()
        client_country = client.address.country if client is not None else ""
        for row in totals.vat_breakdown:
            basis = legal_basis(row.category, entity.country, client_country)
            if basis is not None and basis.text_key not in seen:
                seen.add(basis.text_key)
                out.append(text(lang, basis.text_key))
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


def client_id_line(client: Client, cat: dict[str, str]) -> str:
    """The client's company number under its address: for a French company its SIREN, labelled
    "SIREN" (derived from its SIRET or French VAT number when that is what the member typed)."""
    if client.address.country.upper() == "FR" and client.is_business:
        siren = siren_of(client.vat_number, client.enterprise_number)
        if siren:
            return f"{cat['siren']} {format_siren(siren)}"
    if client.enterprise_number and client.enterprise_number != client.vat_number:
        return f"{cat['enterprise_number']} {client.enterprise_number}"
    return ""


def delivery_line(doc: Document, client: Client | None, cat: dict[str, str], fmt: Formatter) -> str:
    """ "Delivery address: ..." when the document has one that differs from the client's address."""
    a = doc.delivery_address
    if a is None or not a.lines():
        return ""
    if client is not None and (a.lines(), a.country.upper()) == (
        client.address.lines(),
        client.address.country.upper(),
    ):
        return ""
    parts = a.lines()
    if a.country:
        parts.append(fmt.country_name(a.country))
    return cat["delivery_address"].format(address=", ".join(parts))


def supply_line(doc: Document, cat: dict[str, str]) -> tuple[str, str] | None:
    """(label, value) of the nature of the supply (goods / services / both) for the header."""
    if not doc.supply_type:
        return None
    return cat["supply_type"], cat[f"supply.{doc.supply_type}"]
