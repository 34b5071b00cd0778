"""Expense notes: the expense table with its totals, then the receipts appendix.

The table has one row per expense (line, date, supplier / description, category, paid with, VAT,
amount incl. VAT; an advisor's rejection under the description), then the totals and the amount
to reimburse (own expenses not rejected). The appendix gives each receipt a page of its own, scaled
to fit and captioned with its line; receipts are matched to lines by SHA-256, or in order when no
line lists hashes.
"""

from __future__ import annotations

import hashlib

from reportlab.pdfgen.canvas import Canvas

from smartdesk.domain.documents import ExpenseLine
from smartdesk.domain.money import ZERO
from smartdesk.domain.totals import expense_totals, expense_vat
from smartdesk.i18n.documents import expense_category_label
from smartdesk.pdf import images
from smartdesk.pdf.fonts import BOLD, REGULAR
from smartdesk.pdf.layout import MUTED, RULE, Layout
from smartdesk.pdf.tables import Row, column_layout, make_row, table
from smartdesk.pdf.totals_block import TotalsRow, totals_block, totals_height


def expense_table(lay: Layout) -> None:
    cat, fmt, doc = lay.cat, lay.fmt, lay.doc
    specs: list[tuple[str, str, float, str]] = [
        ("line", cat["col.line"], 28, "right"),
        ("date", cat["col.date"], 72, "left"),
        ("description", f"{cat['col.supplier']} / {cat['col.description']}", 0, "left"),
        ("category", cat["col.category"], 92, "left"),
        ("paid_with", cat["col.paid_with"], 82, "left"),
        ("vat", cat["col.vat_amount"], 60, "right"),
        ("amount", cat["col.amount_incl"], 74, "right"),
    ]
    cols = column_layout(lay, specs)
    rows: list[Row] = []
    for i, line in enumerate(doc.expense_lines, start=1):
        desc = line.supplier or "–"
        if line.description:
            desc += "\n" + line.description
        if line.rejection_reason:
            desc += "\n" + cat["rejected"].format(reason=line.rejection_reason)
        paid = cat["paid_with.coop"] if line.paid_with == "coop" else cat["paid_with.own"]
        category = expense_category_label(lay.ctx.lang, line.category, lay.ctx.expense_categories)
        values = [
            str(i),
            fmt.date(line.date) or "–",
            desc,
            category or "–",
            paid,
            fmt.amount(expense_vat(line)),
            fmt.amount(line.amount_incl),
        ]
        rows.append(make_row(lay, cols, values, line.amount_incl))
    totals = expense_totals(doc.expense_lines)
    trows: list[TotalsRow] = [
        (cat["total_excl"], fmt.money(totals.total_excl), ""),
        (cat["total_vat"], fmt.money(totals.total_vat), ""),
        (cat["total_incl"], fmt.money(totals.total_incl), "strong"),
    ]
    if totals.accepted_incl != totals.total_incl:
        trows.append((cat["total_accepted"], fmt.money(totals.accepted_incl), "strong"))
    own = sum(
        (ln.amount_incl for ln in doc.expense_lines if ln.paid_with != "coop" and not ln.rejection_reason),
        ZERO,
    )
    trows.append((cat["reimbursement"], fmt.money(own), "grand"))
    table(lay, cols, rows, totals_height(lay, trows) + 10)
    totals_block(lay, trows)


def receipt_pages(lay: Layout) -> None:
    """One page per receipt, after the note: a caption naming its line, the image scaled to fit."""
    doc, cat, fmt = lay.doc, lay.cat, lay.fmt
    count = len(lay.ctx.receipts)
    assigned = _assign_receipts(doc.expense_lines, lay.ctx.receipts)
    for index, (data, line_no) in enumerate(assigned, start=1):
        label = cat["receipt_count"].format(index=index, count=count)
        image = images.load_receipt(data, label, index, count)
        lay.new_page()
        if line_no is not None:
            line = doc.expense_lines[line_no - 1]
            caption = cat["receipt_for"].format(
                line=line_no,
                supplier=line.supplier or "–",
                date=fmt.date(line.date) or "–",
                amount=fmt.money(line.amount_incl),
            )
        else:
            caption = label
        lay.paragraph(caption, BOLD, lay.size + 1.5, lay.accent_text)
        if line_no is not None:
            lay.paragraph(label, REGULAR, lay.size, MUTED)
        lay.y -= 8
        avail_w, avail_h = lay.width, lay.room() - 4
        scale = min(avail_w / image.width, avail_h / image.height)
        w, h = image.width * scale, image.height * scale
        x = lay.left + (avail_w - w) / 2
        y = lay.y - h
        reader = images.image_reader(image)

        def draw(
            c: Canvas, reader: object = reader, x: float = x, y: float = y, w: float = w, h: float = h
        ) -> None:
            c.drawImage(reader, x, y, w, h)
            c.setStrokeColorRGB(*RULE)
            c.setLineWidth(0.5)
            c.rect(x, y, w, h, stroke=1, fill=0)

        lay.op(draw)
        lay.y = y


def _assign_receipts(lines: list[ExpenseLine], receipts: list[bytes]) -> list[tuple[bytes, int | None]]:
    """Pair each receipt with its expense line: by content hash (ExpenseLine.receipts), else in order."""
    by_hash: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for digest in line.receipts:
            by_hash.setdefault(digest.lower(), number)
    out: list[tuple[bytes, int | None]] = []
    for position, data in enumerate(receipts):
        line_number = by_hash.get(hashlib.sha256(data).hexdigest())
        if line_number is None and not by_hash and position < len(lines):
            line_number = position + 1
        out.append((data, line_number))
    return out
