"""The totals block under a table, right-aligned: labelled rows, the last one on an accent fill.

For quotes, invoices and credit notes the rows come from ``smartdesk.domain.totals`` (subtotal and
allowances/charges when there are some, total excl. VAT, one row per VAT rate or category, the
grand total; for an invoice with payments or credit notes, what is left to pay): :func:`totals_rows`.
Expense notes build their own rows (``expenses.py``). The rows and how they add up: docs/totals.md.
"""

from __future__ import annotations

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.totals import Totals
from smartdesk.domain.vat import VatCategory
from smartdesk.pdf.allowances import allowance_label
from smartdesk.pdf.fonts import BOLD, REGULAR
from smartdesk.pdf.layout import INK, RULE, Layout, fit_size, wrap

TotalsRow = tuple[str, str, str]  # label, value, style: "", "strong" or "grand"


def totals_rows(lay: Layout, totals: Totals) -> list[TotalsRow]:
    """(label, value, style) with style "", "strong" or "grand"."""
    cat, fmt, doc = lay.cat, lay.fmt, lay.doc
    rows: list[TotalsRow] = []
    if totals.allowance_rows:
        rows.append((cat["subtotal"], fmt.money(totals.line_total), ""))
        several_vat = len({(b.category, b.rate) for b in totals.vat_breakdown}) > 1
        for ac, row in zip(doc.allowances, totals.allowance_rows, strict=True):
            value = fmt.money(row.amount if row.is_charge else -row.amount)
            rows.append((allowance_label(cat, fmt, ac.reason, row, several_vat), value, ""))
    rows.append((cat["total_excl"], fmt.money(totals.tax_exclusive), "strong"))
    for b in totals.vat_breakdown:
        if b.category is VatCategory.STANDARD:
            label = cat["vat_on"].format(rate=fmt.percent(b.rate), base=fmt.money(b.taxable))
        else:
            label = cat["vat_cat_on"].format(
                category=cat[f"vat_cat.{b.category.value}"], base=fmt.money(b.taxable)
            )
        rows.append((label, fmt.money(b.tax), ""))
    if len(totals.vat_breakdown) > 1:
        rows.append((cat["total_vat"], fmt.money(totals.vat_total), ""))
    if doc.kind is DocumentKind.CREDIT_NOTE:
        rows.append((cat["credit_total"], fmt.money(totals.tax_inclusive), "grand"))
    elif doc.kind is DocumentKind.INVOICE and (totals.paid or doc.credited_amount):
        rows.append((cat["total_incl"], fmt.money(totals.tax_inclusive), "strong"))
        if totals.paid:
            rows.append((cat["paid"], fmt.money(-totals.paid), ""))
        if doc.credited_amount:
            rows.append((cat["credited"], fmt.money(-doc.credited_amount), ""))
        rows.append((cat["amount_due"], fmt.money(totals.due), "grand"))
    else:
        rows.append((cat["total_incl"], fmt.money(totals.tax_inclusive), "grand"))
    return rows


def totals_height(lay: Layout, rows: list[TotalsRow]) -> float:
    """The height :func:`totals_block` takes for these rows (the table keeps its last row with it)."""
    box_w, value_w = _geometry(lay)
    h = 6.0
    for label, _, style in rows:
        size = lay.size + (2 if style == "grand" else 0)
        n = len(wrap(label, BOLD if style else REGULAR, size, box_w - value_w - 12))
        h += n * size * 1.3 + (8 if style == "grand" else 2)
    return h


def totals_block(lay: Layout, rows: list[TotalsRow]) -> None:
    box_w, value_w = _geometry(lay)
    h = totals_height(lay, rows)
    if lay.room() < h:
        lay.new_page()
    x0 = lay.right - box_w
    lay.y -= 8
    for label, value, style in rows:
        size = lay.size + (2 if style == "grand" else 0)
        font = BOLD if style else REGULAR
        lines = wrap(label, font, size, box_w - value_w - 12)
        row_h = len(lines) * size * 1.3 + (6 if style == "grand" else 0)
        if style == "grand":
            lay.y -= 2
            lay.rect(x0, lay.y - row_h, box_w, row_h, lay.accent)
            colour = lay.on_accent
        else:
            colour = INK
        y = lay.y - size - (3 if style == "grand" else 0)
        for line in lines:
            lay.text_at(x0 + 6, y, line, font, size, colour)
            y -= size * 1.3
        vsize = fit_size(value, font, size, value_w)
        lay.text_at(
            lay.right - 6,
            lay.y - size - (3 if style == "grand" else 0),
            value,
            font,
            vsize,
            colour,
            "right",
        )
        lay.y -= row_h + (0 if style == "grand" else 2)
        if style == "strong":
            lay.hline(x0, lay.right, lay.y + 1, RULE, 0.5)
    lay.y -= 10


def _geometry(lay: Layout) -> tuple[float, float]:
    """The block's width and the width of its value column."""
    box_w = min(lay.width, max(lay.width * 0.56, 270.0))
    value_w = 86 * lay.size / 8.6
    return box_w, value_w
