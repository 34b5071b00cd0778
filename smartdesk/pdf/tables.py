"""Tables that run over as many pages as they need, and the lines table of quotes and invoices.

:func:`table` draws rows under a header repeated on every page; when the rows overflow, the page
ends with a *carried forward* row and the next starts with *brought forward* (the running sum of
the rows' amounts). A row taller than a page is cut into page-sized pieces, and the last row moves
to the next page with the block that follows it (the totals) when that block would not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from smartdesk.domain.money import ZERO
from smartdesk.domain.totals import Totals
from smartdesk.domain.vat import VatCategory
from smartdesk.i18n.documents import unit_label
from smartdesk.pdf.fonts import BOLD, REGULAR, string_width
from smartdesk.pdf.layout import INK, PAGE_H, RULE, WHITE, Layout, fit_size, mix, wrap


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float
    align: str  # "left" or "right"


@dataclass
class Row:
    cells: list[list[str]]  # wrapped lines per column
    height: float
    amount: Decimal  # what this row adds to the carried total


def column_layout(lay: Layout, specs: Sequence[tuple[str, str, float, str]]) -> list[Column]:
    """specs: key, label, width (0 = takes the rest), align; widths scale with the font size."""
    scale = lay.size / 8.6
    fixed = sum(w * scale for _, _, w, _ in specs if w)
    flex = max(lay.width - fixed, 80)
    return [Column(k, label, (w * scale) if w else flex, a) for k, label, w, a in specs]


def make_row(lay: Layout, cols: list[Column], values: list[str], amount: Decimal) -> Row:
    pad = lay.t.cell_pad
    cells: list[list[str]] = []
    for col, value in zip(cols, values, strict=True):
        inner = col.width - 2 * pad
        if col.align == "right":
            cells.append([value])
        else:
            cells.append(wrap(value, REGULAR, lay.size, inner))
    n = max(len(c) for c in cells)
    return Row(cells=cells, height=n * lay.lead + 2 * pad, amount=amount)


def table(lay: Layout, cols: list[Column], rows: list[Row], tail_height: float) -> None:
    """Rows over as many pages as needed: repeated header, carried/brought-forward totals.

    ``tail_height`` is the block (the totals) that should follow the last row on its page: when it
    does not fit, the last row moves to the next page with it, so totals never stand alone.
    """
    carry_h = lay.lead + 2 * lay.t.cell_pad
    header_h, _ = _header_height(lay, cols)
    fresh = PAGE_H - lay.t.margin_top - (lay.size + 19) - lay.bottom
    capacity = fresh - header_h - 2 * carry_h
    rows = [part for row in rows for part in _split_tall(lay, row, capacity)]
    first_h = rows[0].height if rows else 0.0
    if lay.room() < header_h + first_h + carry_h:
        lay.new_page()
    _draw_header(lay, cols)
    running = ZERO
    for i, row in enumerate(rows):
        last = i == len(rows) - 1
        after = tail_height if last and row.height + tail_height <= capacity + carry_h else carry_h
        if row.height + after > lay.room():
            if i > 0:
                _carry_row(lay, lay.cat["carried_forward"], running, cols)
            lay.new_page()
            _draw_header(lay, cols)
            if i > 0:
                _carry_row(lay, lay.cat["brought_forward"], running, cols)
        _draw_row(lay, cols, row, i)
        running += row.amount


def lines_table(lay: Layout, totals: Totals, tail_height: float) -> None:
    """The document's lines: description, quantity, unit, unit price, VAT, discount (when a line
    has one) and net amount; ``tail_height`` is the totals block that follows."""
    cat, fmt, doc = lay.cat, lay.fmt, lay.doc
    has_discount = any(line.discount_percent for line in doc.lines)
    specs: list[tuple[str, str, float, str]] = [
        ("description", cat["col.description"], 0, "left"),
        ("quantity", cat["col.quantity"], 52, "right"),
        ("unit", cat["col.unit"], 54, "left"),
        ("price", cat["col.unit_price"], 72, "right"),
        ("vat", cat["col.vat"], 40, "right"),
    ]
    if has_discount:
        specs.append(("discount", cat["col.discount"], 50, "right"))
    specs.append(("amount", cat["col.amount"], 76, "right"))
    cols = column_layout(lay, specs)
    rows: list[Row] = []
    for line, amounts in zip(doc.lines, totals.lines, strict=True):
        vat = fmt.percent(line.vat_rate if line.vat_category is VatCategory.STANDARD else ZERO)
        values = [
            line.description or "–",
            fmt.quantity(line.quantity),
            unit_label(lay.ctx.lang, line.unit),
            fmt.price(line.unit_price),
            vat,
        ]
        if has_discount:
            values.append(fmt.percent(line.discount_percent) if line.discount_percent else "")
        values.append(fmt.amount(amounts.net))
        rows.append(make_row(lay, cols, values, amounts.net))
    table(lay, cols, rows, tail_height)


# --- the parts of a table ----------------------------------------------------------------------------


def _header_height(lay: Layout, cols: list[Column]) -> tuple[float, list[list[str]]]:
    pad = lay.t.cell_pad
    labels = [wrap(c.label, BOLD, _header_size(lay, c), c.width - 2 * pad) for c in cols]
    return max(len(x) for x in labels) * (lay.size - 0.4) * 1.25 + 2 * pad, labels


def _header_size(lay: Layout, col: Column) -> float:
    """Header labels wrap between words; a word too long for its column makes the label smaller."""
    longest = max(col.label.split(), key=lambda w: string_width(w, BOLD, 1), default="")
    return fit_size(longest, BOLD, lay.size - 0.4, col.width - 2 * lay.t.cell_pad)


def _draw_header(lay: Layout, cols: list[Column]) -> None:
    h, labels = _header_height(lay, cols)
    pad, size = lay.t.cell_pad, lay.size - 0.4
    top = lay.y
    if lay.t.table_header == "fill":
        lay.rect(lay.left, top - h, lay.width, h, lay.accent)
        colour = lay.on_accent
    elif lay.t.table_header == "grey":
        lay.rect(lay.left, top - h, lay.width, h, (0.91, 0.92, 0.93))
        colour = INK
    else:
        colour = lay.accent_text
    x = lay.left
    for col, lines in zip(cols, labels, strict=True):
        y = top - pad - size
        csize = _header_size(lay, col)
        for line in lines:
            if col.align == "right":
                lay.text_at(x + col.width - pad, y, line, BOLD, csize, colour, "right")
            else:
                lay.text_at(x + pad, y, line, BOLD, csize, colour)
            y -= size * 1.25
        x += col.width
    lay.y = top - h
    if lay.t.table_header == "rule":
        lay.hline(lay.left, lay.right, lay.y, lay.accent, 1.0)


def _carry_row(lay: Layout, label: str, amount: Decimal, cols: list[Column]) -> None:
    h = lay.lead + 2 * lay.t.cell_pad
    top = lay.y
    lay.rect(lay.left, top - h, lay.width, h, lay.tint)
    base = top - lay.t.cell_pad - lay.size
    last = cols[-1]
    lay.text_at(lay.right - last.width - lay.t.cell_pad, base, label, BOLD, lay.size, INK, "right")
    value = lay.fmt.amount(amount)
    size = fit_size(value, BOLD, lay.size, last.width - 2 * lay.t.cell_pad)
    lay.text_at(lay.right - lay.t.cell_pad, base, value, BOLD, size, INK, "right")
    lay.y = top - h


def _draw_row(lay: Layout, cols: list[Column], row: Row, index: int) -> None:
    pad = lay.t.cell_pad
    top = lay.y
    if lay.t.zebra and index % 2 == 1:
        lay.rect(lay.left, top - row.height, lay.width, row.height, mix(lay.tint, WHITE, 0.45))
    x = lay.left
    for col, lines in zip(cols, row.cells, strict=True):
        y = top - pad - lay.size
        inner = col.width - 2 * pad
        for line in lines:
            font = REGULAR
            if col.align == "right":
                lay.text_at(
                    x + col.width - pad,
                    y,
                    line,
                    font,
                    fit_size(line, font, lay.size, inner),
                    INK,
                    "right",
                )
            else:
                lay.text_at(x + pad, y, line, font, lay.size, INK)
            y -= lay.lead
        x += col.width
    lay.y = top - row.height
    if not lay.t.zebra:
        lay.hline(lay.left, lay.right, lay.y, RULE, 0.4)


def _split_tall(lay: Layout, row: Row, capacity: float) -> list[Row]:
    """A row taller than a page (a very long description) is cut into page-sized pieces."""
    pad = lay.t.cell_pad
    per_page = max(int((capacity - 2 * pad) // lay.lead), 1)
    n = max(len(c) for c in row.cells)
    if n <= per_page:
        return [row]
    parts: list[Row] = []
    for start in range(0, n, per_page):
        cells = [c[start : start + per_page] if len(c) > 1 or start == 0 else [] for c in row.cells]
        cells = [c or [""] for c in cells]
        count = max(len(c) for c in cells)
        parts.append(
            Row(cells=cells, height=count * lay.lead + 2 * pad, amount=row.amount if start == 0 else ZERO)
        )
    return parts
