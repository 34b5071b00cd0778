"""Domain document + language + brand -> PDF bytes, drawn straight on a reportlab canvas.

The renderer lays the document out first (every page as a list of drawing operations, so the
page count is known for "Page 2 / 7" and the carried totals are exact), then draws it. No Qt.

About 1,000 lines, over the house's ~600: the layout passes (header, parties, lines table with carried
totals, VAT table, payment block, receipts appendix) share one ``Layout`` state and are split next, with
the legal-core work (issue 13), which rewrites the totals rows from the allowances and charges; splitting
it now would have been rewritten at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

import segno
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from smartdesk import APP_NAME
from smartdesk.domain.credits import with_credits
from smartdesk.domain.documents import (
    Activity,
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
    ExpenseLine,
    MemberProfile,
)
from smartdesk.domain.expenses import ExpenseCategory
from smartdesk.domain.money import ZERO
from smartdesk.domain.payments import epc_qr_payload, format_ogm, is_valid_ogm, ogm_for_document
from smartdesk.domain.printable import printable_text
from smartdesk.domain.totals import Totals, document_totals, expense_totals, expense_vat
from smartdesk.domain.vat import VatCategory
from smartdesk.i18n.documents import catalogue, expense_category_label, unit_label
from smartdesk.pdf import images
from smartdesk.pdf.allowances import allowance_label
from smartdesk.pdf.fonts import BOLD, REGULAR, get_font, register_fonts, string_width
from smartdesk.pdf.formatting import Formatter
from smartdesk.pdf.legal import client_id_line, delivery_line, document_wording, legal_mentions, supply_line
from smartdesk.pdf.pdfa import add_output_intent, add_xmp_metadata
from smartdesk.pdf.themes import Theme

PAGE_W, PAGE_H = A4
Op = Callable[[Canvas], None]
RGB = tuple[float, float, float]

INK: RGB = (0.13, 0.14, 0.16)
MUTED: RGB = (0.38, 0.40, 0.44)
RULE: RGB = (0.80, 0.82, 0.85)
WHITE: RGB = (1.0, 1.0, 1.0)
DEFAULT_ACCENT = "#1F6FEB"
_BREAK_AFTER = re.compile(r"(?<=[-/‐–—])")
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


# --- small helpers ---------------------------------------------------------------------------------


def parse_colour(value: str) -> RGB:
    match = _HEX.match((value or "").strip())
    raw = match.group(1) if match else DEFAULT_ACCENT[1:]
    if len(raw) == 3:
        raw = "".join(ch * 2 for ch in raw)
    return (int(raw[0:2], 16) / 255, int(raw[2:4], 16) / 255, int(raw[4:6], 16) / 255)


def luminance(c: RGB) -> float:
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap that keeps the author's line breaks and breaks words too long for a line."""
    out: list[str] = []
    space = string_width(" ", font, size)
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n"):
        words = paragraph.split(" ")
        line = ""
        line_w = 0.0
        for word in words:
            w = string_width(word, font, size)
            if line and line_w + space + w <= width:
                line += " " + word
                line_w += space + w
                continue
            if line:
                out.append(line)
            if w <= width:
                line, line_w = word, w
                continue
            # a word wider than the line: cut after its hyphens and slashes, else between letters
            piece = ""
            for part in _BREAK_AFTER.split(word):
                if not part:
                    continue
                if string_width(piece + part, font, size) <= width:
                    piece += part
                    continue
                if piece:
                    out.append(piece)
                    piece = ""
                for ch in part:
                    if piece and string_width(piece + ch, font, size) > width:
                        out.append(piece)
                        piece = ch
                    else:
                        piece += ch
            line, line_w = piece, string_width(piece, font, size)
        out.append(line)
    while len(out) > 1 and out[-1] == "":
        out.pop()
    return out or [""]


def fit_size(text: str, font: str, size: float, width: float) -> float:
    """The font size at which a one-line text fits a width (never larger than ``size``)."""
    w = string_width(text, font, size)
    if w <= width or w == 0:
        return size
    return max(3.0, size * width / w * 0.999)


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


TextRun = tuple[float, float, str, str, float, RGB, str]  # x, y, text, font, size, colour, align


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)  # graphics, drawn first
    texts: list[TextRun] = field(default_factory=list)  # all text, drawn on top in one text object


@dataclass
class RenderContext:
    doc: Document
    client: Client | None
    activity: Activity | None
    entity: CooperativeEntity
    profile: MemberProfile
    lang: str
    theme: Theme
    logo: images.Logo | None
    receipts: list[bytes]
    expense_categories: list[ExpenseCategory] | None = None  # None: the built-in list


# --- the renderer ------------------------------------------------------------------------------------


class _Renderer:
    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.t = ctx.theme
        self.cat = document_wording(catalogue(ctx.lang), ctx.entity)
        self.fmt = Formatter(ctx.lang, ctx.entity.country, ctx.doc.currency or "EUR")
        self.accent = parse_colour(ctx.profile.brand.accent_color)
        # accent text stays readable on white; text on an accent fill is white or ink
        self.accent_text = self.accent if luminance(self.accent) < 0.55 else mix(self.accent, INK, 0.55)
        self.on_accent = WHITE if luminance(self.accent) < 0.6 else INK
        self.tint = mix(self.accent, WHITE, 0.90)
        self.left = self.t.margin_x + (8 if self.t.side_band else 0)
        self.right = PAGE_W - self.t.margin_x
        self.width = self.right - self.left
        self.size = self.t.body_size
        self.lead = self.size * 1.28
        self.pages: list[Page] = []
        self.page: Page = Page()
        self.y = 0.0
        self.bottom = 0.0
        self.is_draft = not ctx.doc.number.strip()
        self.number_text = ctx.doc.number.strip() or self.cat["draft"]
        self.title_text = self.cat[f"title.{ctx.doc.kind.value}"]
        self.footer_lines = self._footer_lines()
        footer_h = len(self.footer_lines) * self.t.small_size * 1.3 + 8
        self.bottom = self.t.margin_bottom + footer_h + 8

    # ----- pages
    def new_page(self, first: bool = False) -> None:
        self.page = Page()
        self.pages.append(self.page)
        self.y = PAGE_H - self.t.margin_top
        if not first:
            self._continuation_header()

    def op(self, fn: Op) -> None:
        self.page.ops.append(fn)

    def room(self) -> float:
        return self.y - self.bottom

    # ----- text primitives (queued as operations)
    def text_at(
        self,
        x: float,
        y: float,
        s: str,
        font: str = REGULAR,
        size: float | None = None,
        colour: RGB = INK,
        align: str = "left",
    ) -> None:
        self.page.texts.append((x, y, printable_text(s), font, size or self.size, colour, align))

    def rect(self, x: float, y: float, w: float, h: float, fill: RGB) -> None:
        def draw(c: Canvas) -> None:
            c.setFillColorRGB(*fill)
            c.rect(x, y, w, h, stroke=0, fill=1)

        self.op(draw)

    def hline(self, x1: float, x2: float, y: float, colour: RGB = RULE, width: float = 0.6) -> None:
        def draw(c: Canvas) -> None:
            c.setStrokeColorRGB(*colour)
            c.setLineWidth(width)
            c.line(x1, y, x2, y)

        self.op(draw)

    def paragraph(
        self,
        s: str,
        font: str = REGULAR,
        size: float | None = None,
        colour: RGB = INK,
        x: float | None = None,
        width: float | None = None,
        gap_after: float = 0.0,
    ) -> None:
        """Flowing text: wraps, and continues on a new page when the page is full."""
        size = size or self.size
        x = self.left if x is None else x
        width = self.width if width is None else width
        lead = size * 1.3
        for line in wrap(s, font, size, width):
            if self.room() < lead:
                self.new_page()
            self.y -= lead
            self.text_at(x, self.y + lead * 0.25, line, font, size, colour)
        self.y -= gap_after

    # ----- header and footer
    def _footer_lines(self) -> list[tuple[str, str]]:
        ctx, cat, e = self.ctx, self.cat, self.ctx.entity
        if ctx.activity and ctx.activity.name:
            activity = ctx.activity.name + (f" ({ctx.activity.code})" if ctx.activity.code else "")
            affiliation = cat["issued_by"].format(cooperative=e.name, activity=activity)
        else:
            member = ctx.profile.brand.display_name or ctx.profile.full_name
            affiliation = cat["issued_by_member"].format(cooperative=e.name, member=member)
        identity = " · ".join(
            p
            for p in (
                e.name,
                ", ".join(e.address.lines() + [self.fmt.country_name(e.country)]),
                f"{cat['vat_number']} {e.vat_number}",
                e.registration,
            )
            if p
        )
        contact = " · ".join(p for p in (e.mentions_in(ctx.lang), e.email, e.phone, e.website) if p)
        width = self.width - 70  # room for "Page 12 / 14"
        lines: list[tuple[str, str]] = []
        for s, font in ((affiliation, BOLD), (identity, REGULAR), (contact, REGULAR)):
            if s:
                lines.extend((line, font) for line in wrap(s, font, self.t.small_size, width))
        return lines

    def _footer(self, page: Page, number: int, total: int) -> None:
        size = self.t.small_size
        lead = size * 1.3
        top = self.t.margin_bottom + lead * (len(self.footer_lines) - 1)
        left, right = self.left, self.right

        def rule(c: Canvas) -> None:
            c.setStrokeColorRGB(*RULE)
            c.setLineWidth(0.5)
            c.line(left, top + lead + 2, right, top + lead + 2)

        page.ops.append(rule)
        y = top
        for line, font in self.footer_lines:
            page.texts.append(
                (self.left, y, line, font, size, self.accent_text if font == BOLD else MUTED, "left")
            )
            y -= lead
        page.texts.append(
            (
                self.right,
                top,
                self.cat["page"].format(page=number, pages=total),
                REGULAR,
                size,
                MUTED,
                "right",
            )
        )

    def _draw_background(self, c: Canvas) -> None:
        if self.t.side_band:
            c.setFillColorRGB(*self.accent)
            c.rect(0, 0, self.t.margin_x - 14, PAGE_H, stroke=0, fill=1)
        if self.is_draft:
            c.saveState()
            word = self.cat["watermark"]
            size = min(110.0, 560 / max(string_width(word, BOLD, 1), 1))
            c.setFillColorRGB(0.90, 0.90, 0.92)
            c.setFont(BOLD, size)
            c.translate(PAGE_W / 2, PAGE_H / 2)
            c.rotate(50)
            c.drawCentredString(0, -size * 0.35, word)
            c.restoreState()
        if self.is_draft and self.ctx.entity.provisional:
            self._provisional_mark(c)

    def _provisional_mark(self, c: Canvas) -> None:
        """Before the first sync the cooperative's details are the app's built-in ones: say so on
        every page of the draft, in the document's language."""
        text = self.cat["provisional_identity"]
        size = self.t.small_size
        c.saveState()
        c.setFillColorRGB(0.75, 0.1, 0.1)
        c.setFont(BOLD, size)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 16, text)
        c.restoreState()

    def _continuation_header(self) -> None:
        brand = self.ctx.profile.brand.display_name or self.ctx.profile.full_name
        size = self.size
        right = f"{self.title_text} {self.number_text}"
        if self.ctx.client and self.ctx.client.name:
            right += f" – {self.ctx.client.name}"
        right_w = string_width(right, REGULAR, size)
        brand_size = fit_size(brand, BOLD, size + 1, max(self.width - right_w - 20, 40))
        self.y -= size + 1
        self.text_at(self.left, self.y, brand, BOLD, brand_size, self.accent_text)
        self.text_at(
            self.right,
            self.y,
            right,
            REGULAR,
            fit_size(right, REGULAR, size, self.width * 0.6),
            MUTED,
            align="right",
        )
        self.y -= 6
        self.hline(self.left, self.right, self.y, self.accent, 0.8)
        self.y -= 12

    def first_header(self) -> None:
        ctx, t, cat, fmt, doc = self.ctx, self.t, self.cat, self.fmt, self.doc
        brand = ctx.profile.brand
        top = self.y
        half = self.width * 0.48
        brand_x = self.left if t.brand_side == "left" else self.right - half
        title_x = self.right - half if t.brand_side == "left" else self.left
        # brand block: logo, name, tagline, contact
        y = top
        if ctx.logo is not None:
            max_w, max_h = t.logo_max
            scale = min(max_w / ctx.logo.width, max_h / ctx.logo.height)
            lw, lh = ctx.logo.width * scale, ctx.logo.height * scale
            lx = brand_x if t.brand_side == "left" else self.right - lw
            self._logo_op(lx, y - lh, lw, lh)
            y -= lh + 8
        name = brand.display_name or ctx.profile.full_name
        align = "left" if t.brand_side == "left" else "right"
        ax = brand_x if align == "left" else self.right
        if name:
            size = fit_size(name, BOLD, self.size + 4, half)
            y -= size
            self.text_at(ax, y, name, BOLD, size, self.accent_text, align)
            y -= 3
        small = t.small_size + 0.6
        for line in wrap(brand.tagline, REGULAR, small, half) if brand.tagline else []:
            y -= small * 1.3
            self.text_at(ax, y, line, REGULAR, small, MUTED, align)
        contact = " · ".join(p for p in (brand.email, brand.phone, brand.website) if p)
        for line in wrap(contact, REGULAR, small, half) if contact else []:
            y -= small * 1.3
            self.text_at(ax, y, line, REGULAR, small, MUTED, align)
        brand_bottom = y
        # title block: kind, number, dates
        y = top
        tsize = fit_size(self.title_text, BOLD, t.title_size, half)
        y -= tsize
        self.text_at(title_x, y, self.title_text, BOLD, tsize, self.accent_text)
        y -= 8
        meta: list[tuple[str, str]] = [(cat["number"], self.number_text)]
        meta.append((cat["issue_date"], fmt.date(doc.issue_date) or "–"))
        due = doc.due_date or doc.compute_due_date()
        if doc.kind is DocumentKind.QUOTE and due:
            meta.append((cat["valid_until"], fmt.date(due)))
        elif doc.kind is DocumentKind.INVOICE and due:
            meta.append((cat["due_date"], fmt.date(due)))
        if doc.delivery_date and doc.delivery_date != doc.issue_date:
            meta.append((cat["delivery_date"], fmt.date(doc.delivery_date)))
        if doc.kind is DocumentKind.CREDIT_NOTE and doc.corrects_number:
            meta.append((cat["corrects_invoice"], doc.corrects_number))
            if doc.corrects_date is not None:
                meta.append((cat["corrects_invoice_date"], fmt.date(doc.corrects_date)))
        supply = supply_line(doc, cat)
        if supply is not None:
            meta.append(supply)
        if doc.reference:
            meta.append((cat["your_reference"], doc.reference))
        if ctx.activity and ctx.activity.name:
            meta.append((cat["activity"], ctx.activity.name))
        label_w = min(max(string_width(k, REGULAR, self.size) for k, _ in meta) + 8, half * 0.5)
        for label, value in meta:
            lines = wrap(value, BOLD, self.size, half - label_w)
            y -= self.lead
            self.text_at(title_x, y, label, REGULAR, fit_size(label, REGULAR, self.size, label_w - 4), MUTED)
            for i, line in enumerate(lines):
                if i:
                    y -= self.lead
                self.text_at(title_x + label_w, y, line, BOLD, self.size)
        title_bottom = y
        self.y = min(brand_bottom, title_bottom) - 16
        self._party_block()

    def _logo_op(self, x: float, y: float, w: float, h: float) -> None:
        logo = self.ctx.logo
        assert logo is not None

        def draw(c: Canvas) -> None:
            if logo.image is not None:
                images.draw_logo(c, logo, x, y, w, h)
            else:
                from reportlab.graphics import renderPDF

                c.saveState()
                c.translate(x, y)
                c.scale(w / logo.width, h / logo.height)
                renderPDF.draw(logo.drawing, c, 0, 0)
                c.restoreState()

        self.op(draw)

    def _party_block(self) -> None:
        """The client (or, for an expense note, the member) in a block at the envelope-window side."""
        ctx, cat = self.ctx, self.cat
        half = self.width * 0.48
        x = self.right - half if self.t.brand_side == "left" else self.left
        lines: list[tuple[str, str, RGB]] = []
        if self.doc.kind is DocumentKind.EXPENSE_NOTE:
            heading = cat["member"]
            lines.append((ctx.profile.full_name or ctx.profile.brand.display_name, BOLD, INK))
            if ctx.profile.email:
                lines.append((ctx.profile.email, REGULAR, INK))
        else:
            heading = cat["client"]
            client = ctx.client or Client(name="–")
            lines.append((client.name or "–", BOLD, INK))
            for line in client.address.lines():
                lines.append((line, REGULAR, INK))
            if client.address.country and client.address.country.upper() != ctx.entity.country:
                lines.append((self.fmt.country_name(client.address.country), REGULAR, INK))
            if client.vat_number:
                lines.append((f"{cat['vat_number']} {client.vat_number}", REGULAR, INK))
            for extra in (client_id_line(client, cat), delivery_line(self.doc, ctx.client, cat, self.fmt)):
                if extra:
                    lines.append((extra, REGULAR, INK))
        y = self.y
        hsize = self.t.small_size + 0.4
        y -= hsize
        self.text_at(x, y, heading.upper(), BOLD, hsize, self.accent_text)
        y -= 3
        size = self.size + 0.8
        for s, font, colour in lines:
            for part in wrap(s, font, size, half):
                y -= size * 1.3
                self.text_at(x, y, part, font, size, colour)
        self.y = y - 18
        doc = self.doc
        if doc.title:
            self.paragraph(doc.title, BOLD, self.size + 2, gap_after=3)
        if doc.intro_text:
            self.paragraph(doc.intro_text, gap_after=4)
        self.y -= 6

    # ----- tables
    def _column_layout(self, specs: Sequence[tuple[str, str, float, str]]) -> list[Column]:
        """specs: key, label, width (0 = takes the rest), align; widths scale with the font size."""
        scale = self.size / 8.6
        fixed = sum(w * scale for _, _, w, _ in specs if w)
        flex = max(self.width - fixed, 80)
        return [Column(k, label, (w * scale) if w else flex, a) for k, label, w, a in specs]

    def _make_row(self, cols: list[Column], values: list[str], amount: Decimal) -> Row:
        pad = self.t.cell_pad
        cells: list[list[str]] = []
        for col, value in zip(cols, values, strict=True):
            inner = col.width - 2 * pad
            if col.align == "right":
                cells.append([value])
            else:
                cells.append(wrap(value, REGULAR, self.size, inner))
        n = max(len(c) for c in cells)
        return Row(cells=cells, height=n * self.lead + 2 * pad, amount=amount)

    def _header_height(self, cols: list[Column]) -> tuple[float, list[list[str]]]:
        pad = self.t.cell_pad
        labels = [wrap(c.label, BOLD, self._header_size(c), c.width - 2 * pad) for c in cols]
        return max(len(x) for x in labels) * (self.size - 0.4) * 1.25 + 2 * pad, labels

    def _header_size(self, col: Column) -> float:
        """Header labels wrap between words; a word too long for its column makes the label smaller."""
        longest = max(col.label.split(), key=lambda w: string_width(w, BOLD, 1), default="")
        return fit_size(longest, BOLD, self.size - 0.4, col.width - 2 * self.t.cell_pad)

    def _draw_table_header(self, cols: list[Column]) -> None:
        h, labels = self._header_height(cols)
        pad, size = self.t.cell_pad, self.size - 0.4
        top = self.y
        if self.t.table_header == "fill":
            self.rect(self.left, top - h, self.width, h, self.accent)
            colour = self.on_accent
        elif self.t.table_header == "grey":
            self.rect(self.left, top - h, self.width, h, (0.91, 0.92, 0.93))
            colour = INK
        else:
            colour = self.accent_text
        x = self.left
        for col, lines in zip(cols, labels, strict=True):
            y = top - pad - size
            csize = self._header_size(col)
            for line in lines:
                if col.align == "right":
                    self.text_at(x + col.width - pad, y, line, BOLD, csize, colour, "right")
                else:
                    self.text_at(x + pad, y, line, BOLD, csize, colour)
                y -= size * 1.25
            x += col.width
        self.y = top - h
        if self.t.table_header == "rule":
            self.hline(self.left, self.right, self.y, self.accent, 1.0)

    def _carry_row(self, label: str, amount: Decimal, cols: list[Column]) -> None:
        h = self.lead + 2 * self.t.cell_pad
        top = self.y
        self.rect(self.left, top - h, self.width, h, self.tint)
        base = top - self.t.cell_pad - self.size
        last = cols[-1]
        self.text_at(self.right - last.width - self.t.cell_pad, base, label, BOLD, self.size, INK, "right")
        value = self.fmt.amount(amount)
        size = fit_size(value, BOLD, self.size, last.width - 2 * self.t.cell_pad)
        self.text_at(self.right - self.t.cell_pad, base, value, BOLD, size, INK, "right")
        self.y = top - h

    def _draw_row(self, cols: list[Column], row: Row, index: int) -> None:
        pad = self.t.cell_pad
        top = self.y
        if self.t.zebra and index % 2 == 1:
            self.rect(self.left, top - row.height, self.width, row.height, mix(self.tint, WHITE, 0.45))
        x = self.left
        for col, lines in zip(cols, row.cells, strict=True):
            y = top - pad - self.size
            inner = col.width - 2 * pad
            for line in lines:
                font = REGULAR
                if col.align == "right":
                    self.text_at(
                        x + col.width - pad,
                        y,
                        line,
                        font,
                        fit_size(line, font, self.size, inner),
                        INK,
                        "right",
                    )
                else:
                    self.text_at(x + pad, y, line, font, self.size, INK)
                y -= self.lead
            x += col.width
        self.y = top - row.height
        if not self.t.zebra:
            self.hline(self.left, self.right, self.y, RULE, 0.4)

    def table(self, cols: list[Column], rows: list[Row], tail_height: float) -> None:
        """Rows over as many pages as needed: repeated header, carried/brought-forward totals.

        ``tail_height`` is the block (the totals) that should follow the last row on its page: when it
        does not fit, the last row moves to the next page with it, so totals never stand alone.
        """
        carry_h = self.lead + 2 * self.t.cell_pad
        header_h, _ = self._header_height(cols)
        fresh = PAGE_H - self.t.margin_top - (self.size + 19) - self.bottom
        capacity = fresh - header_h - 2 * carry_h
        rows = [part for row in rows for part in self._split_tall(row, capacity)]
        first_h = rows[0].height if rows else 0.0
        if self.room() < header_h + first_h + carry_h:
            self.new_page()
        self._draw_table_header(cols)
        running = ZERO
        for i, row in enumerate(rows):
            last = i == len(rows) - 1
            after = tail_height if last and row.height + tail_height <= capacity + carry_h else carry_h
            if row.height + after > self.room():
                if i > 0:
                    self._carry_row(self.cat["carried_forward"], running, cols)
                self.new_page()
                self._draw_table_header(cols)
                if i > 0:
                    self._carry_row(self.cat["brought_forward"], running, cols)
            self._draw_row(cols, row, i)
            running += row.amount

    def _split_tall(self, row: Row, capacity: float) -> list[Row]:
        """A row taller than a page (a very long description) is cut into page-sized pieces."""
        pad = self.t.cell_pad
        per_page = max(int((capacity - 2 * pad) // self.lead), 1)
        n = max(len(c) for c in row.cells)
        if n <= per_page:
            return [row]
        parts: list[Row] = []
        for start in range(0, n, per_page):
            cells = [c[start : start + per_page] if len(c) > 1 or start == 0 else [] for c in row.cells]
            cells = [c or [""] for c in cells]
            count = max(len(c) for c in cells)
            parts.append(
                Row(
                    cells=cells, height=count * self.lead + 2 * pad, amount=row.amount if start == 0 else ZERO
                )
            )
        return parts

    # ----- invoice-like documents
    def lines_table(self, totals: Totals) -> None:
        cat, fmt, doc = self.cat, self.fmt, self.doc
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
        cols = self._column_layout(specs)
        rows: list[Row] = []
        for line, amounts in zip(doc.lines, totals.lines, strict=True):
            vat = fmt.percent(line.vat_rate if line.vat_category is VatCategory.STANDARD else ZERO)
            values = [
                line.description or "–",
                fmt.quantity(line.quantity),
                unit_label(self.ctx.lang, line.unit),
                fmt.price(line.unit_price),
                vat,
            ]
            if has_discount:
                values.append(fmt.percent(line.discount_percent) if line.discount_percent else "")
            values.append(fmt.amount(amounts.net))
            rows.append(self._make_row(cols, values, amounts.net))
        totals_rows = self._totals_rows(totals)
        tail = self._totals_height(totals_rows) + 10
        self.table(cols, rows, tail)

    def _totals_rows(self, totals: Totals) -> list[tuple[str, str, str]]:
        """(label, value, style) with style "", "strong" or "grand"."""
        cat, fmt, doc = self.cat, self.fmt, self.doc
        rows: list[tuple[str, str, str]] = []
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

    def _totals_geometry(self) -> tuple[float, float]:
        box_w = min(self.width, max(self.width * 0.56, 270.0))
        value_w = 86 * self.size / 8.6
        return box_w, value_w

    def _totals_height(self, rows: list[tuple[str, str, str]]) -> float:
        box_w, value_w = self._totals_geometry()
        h = 6.0
        for label, _, style in rows:
            size = self.size + (2 if style == "grand" else 0)
            n = len(wrap(label, BOLD if style else REGULAR, size, box_w - value_w - 12))
            h += n * size * 1.3 + (8 if style == "grand" else 2)
        return h

    def totals_block(self, rows: list[tuple[str, str, str]]) -> None:
        box_w, value_w = self._totals_geometry()
        h = self._totals_height(rows)
        if self.room() < h:
            self.new_page()
        x0 = self.right - box_w
        self.y -= 8
        for label, value, style in rows:
            size = self.size + (2 if style == "grand" else 0)
            font = BOLD if style else REGULAR
            lines = wrap(label, font, size, box_w - value_w - 12)
            row_h = len(lines) * size * 1.3 + (6 if style == "grand" else 0)
            if style == "grand":
                self.y -= 2
                self.rect(x0, self.y - row_h, box_w, row_h, self.accent)
                colour = self.on_accent
            else:
                colour = INK
            y = self.y - size - (3 if style == "grand" else 0)
            for line in lines:
                self.text_at(x0 + 6, y, line, font, size, colour)
                y -= size * 1.3
            vsize = fit_size(value, font, size, value_w)
            self.text_at(
                self.right - 6,
                self.y - size - (3 if style == "grand" else 0),
                value,
                font,
                vsize,
                colour,
                "right",
            )
            self.y -= row_h + (0 if style == "grand" else 2)
            if style == "strong":
                self.hline(x0, self.right, self.y + 1, RULE, 0.5)
        self.y -= 10

    def block_heading(self, s: str) -> None:
        size = self.size + 1
        if self.room() < size * 1.3 + self.lead * 2:
            self.new_page()
        self.y -= size * 1.3
        self.text_at(self.left, self.y, s.upper(), BOLD, size, self.accent_text)
        self.y -= 4

    def payment_block(self, totals: Totals) -> None:
        doc, cat, fmt, entity = self.doc, self.cat, self.fmt, self.ctx.entity
        due = doc.due_date or doc.compute_due_date()
        terms: list[str] = []
        if doc.payment_terms_days:
            terms.append(cat["payment_terms"].format(days=doc.payment_terms_days))
        elif doc.payment_terms_days == 0:
            terms.append(cat["pay_on_receipt"])
        if due and totals.due > 0:
            terms.append(cat["pay_by"].format(amount=fmt.money(totals.due), date=fmt.date(due)))
        reference, ref_label = self.payment_reference()
        rows: list[tuple[str, str]] = [(cat["beneficiary"], entity.name)]
        if entity.iban:
            rows.append((cat["iban"], _group_iban(entity.iban)))
        if entity.bic:
            rows.append((cat["bic"], entity.bic))
        if reference:
            rows.append((ref_label, reference))
        payload = None
        if not self.is_draft and doc.currency == "EUR" and entity.iban:
            try:
                payload = epc_qr_payload(
                    name=entity.name,
                    iban=entity.iban,
                    bic=entity.bic,
                    amount=totals.due,
                    structured_reference=reference,
                    text="" if reference else (doc.number or ""),
                )
            except ValueError:  # nothing to pay, or more than a scan-to-pay code can carry
                payload = None
        qr_size = 92.0 if payload else 0.0
        text_w = self.width - (qr_size + 24 if payload else 0)
        label_w = min(max(string_width(k, REGULAR, self.size) for k, _ in rows) + 10, text_w * 0.45)
        lines_h = sum(len(wrap(t, REGULAR, self.size, text_w)) for t in terms) * self.lead
        rows_h = len(rows) * (self.lead + 2) + 4
        note_h = 0.0
        if self.is_draft:
            note_h = len(wrap(cat["draft_payment"], REGULAR, self.size - 0.6, text_w)) * self.lead
        block_h = max(lines_h + rows_h + note_h, qr_size + 14) + self.size * 1.3 + 14
        if self.room() < block_h:
            self.new_page()
        self.block_heading(cat["payment"])
        top = self.y
        for t in terms:
            for line in wrap(t, REGULAR, self.size, text_w):
                self.y -= self.lead
                self.text_at(self.left, self.y, line)
        self.y -= 4
        for label, value in rows:
            self.y -= self.lead + 2
            strong = label == ref_label
            self.text_at(
                self.left, self.y, label, REGULAR, fit_size(label, REGULAR, self.size, label_w - 4), MUTED
            )
            vsize = self.size + (1.5 if strong else 0)
            self.text_at(
                self.left + label_w, self.y, value, BOLD, fit_size(value, BOLD, vsize, text_w - label_w), INK
            )
        if self.is_draft:
            self.y -= 4
            for line in wrap(cat["draft_payment"], REGULAR, self.size - 0.6, text_w):
                self.y -= self.lead
                self.text_at(self.left, self.y, line, REGULAR, self.size - 0.6, MUTED)
        if payload:
            qx = self.right - qr_size
            qy = top - qr_size - 2
            self._qr_op(payload, qx, qy, qr_size)
            label = cat["scan_to_pay"]
            self.text_at(
                qx + qr_size / 2,
                qy - self.t.small_size - 2,
                label,
                BOLD,
                fit_size(label, BOLD, self.t.small_size, qr_size + 20),
                MUTED,
                "center",
            )
            self.y = min(self.y, qy - self.t.small_size - 6)
        self.y -= 12

    def payment_reference(self) -> tuple[str, str]:
        doc, cat, entity = self.doc, self.cat, self.ctx.entity
        given = doc.payment_reference.strip()
        if given and is_valid_ogm(given):
            return format_ogm(given), cat["structured_communication"]
        if given:
            return given, cat["payment_reference"]
        if self.is_draft:
            return "", cat["payment_reference"]
        if entity.country == "BE":
            return ogm_for_document(doc.id, doc.number), cat["structured_communication"]
        return doc.number, cat["payment_reference"]

    def _qr_op(self, payload: str, x: float, y: float, size: float) -> None:
        path, n = qr_path(payload)
        module = size / (n + 8)  # 4 modules of quiet zone on each side

        def draw(c: Canvas) -> None:
            c.setFillColorRGB(1, 1, 1)
            c.rect(x, y, size, size, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            # the modules as one path in module units, placed by a transformation matrix
            c._code.append(
                f"q {module:.5f} 0 0 {-module:.5f} {x + 4 * module:.3f} {y + size - 4 * module:.3f} cm\n"
                f"{path}\nf Q"
            )

        self.op(draw)

    def notes_block(self, sentences: list[str], size: float | None = None, colour: RGB = MUTED) -> None:
        for s in sentences:
            self.paragraph(s, REGULAR, size or self.t.small_size + 0.6, colour, gap_after=2)
        if sentences:
            self.y -= 6

    def quote_acceptance(self) -> None:
        need = self.lead * 5
        if self.room() < need:
            self.new_page()
        self.y -= self.lead
        self.text_at(self.left, self.y, self.cat["quote_accept"], BOLD)
        self.y -= self.lead * 3
        self.hline(self.left, self.left + min(260, self.width), self.y, MUTED, 0.6)
        self.y -= self.lead

    # ----- expense notes
    def expense_table(self) -> None:
        cat, fmt, doc = self.cat, self.fmt, self.doc
        specs: list[tuple[str, str, float, str]] = [
            ("line", cat["col.line"], 28, "right"),
            ("date", cat["col.date"], 72, "left"),
            ("description", f"{cat['col.supplier']} / {cat['col.description']}", 0, "left"),
            ("category", cat["col.category"], 92, "left"),
            ("paid_with", cat["col.paid_with"], 82, "left"),
            ("vat", cat["col.vat_amount"], 60, "right"),
            ("amount", cat["col.amount_incl"], 74, "right"),
        ]
        cols = self._column_layout(specs)
        rows: list[Row] = []
        for i, line in enumerate(doc.expense_lines, start=1):
            desc = line.supplier or "–"
            if line.description:
                desc += "\n" + line.description
            if line.rejection_reason:
                desc += "\n" + cat["rejected"].format(reason=line.rejection_reason)
            paid = cat["paid_with.coop"] if line.paid_with == "coop" else cat["paid_with.own"]
            category = expense_category_label(self.ctx.lang, line.category, self.ctx.expense_categories)
            values = [
                str(i),
                fmt.date(line.date) or "–",
                desc,
                category or "–",
                paid,
                fmt.amount(expense_vat(line)),
                fmt.amount(line.amount_incl),
            ]
            rows.append(self._make_row(cols, values, line.amount_incl))
        totals = expense_totals(doc.expense_lines)
        trows = [
            (cat["total_excl"], fmt.money(totals.total_excl), ""),
            (cat["total_vat"], fmt.money(totals.total_vat), ""),
            (cat["total_incl"], fmt.money(totals.total_incl), "strong"),
        ]
        if totals.accepted_incl != totals.total_incl:
            trows.append((cat["total_accepted"], fmt.money(totals.accepted_incl), "strong"))
        own = sum(
            (
                ln.amount_incl
                for ln in doc.expense_lines
                if ln.paid_with != "coop" and not ln.rejection_reason
            ),
            ZERO,
        )
        trows.append((cat["reimbursement"], fmt.money(own), "grand"))
        self.table(cols, rows, self._totals_height(trows) + 10)
        self.totals_block(trows)

    def receipt_pages(self) -> None:
        doc, cat, fmt = self.doc, self.cat, self.fmt
        count = len(self.ctx.receipts)
        assigned = _assign_receipts(doc.expense_lines, self.ctx.receipts)
        for index, (data, line_no) in enumerate(assigned, start=1):
            label = cat["receipt_count"].format(index=index, count=count)
            image = images.load_receipt(data, label, index, count)
            self.new_page()
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
            self.paragraph(caption, BOLD, self.size + 1.5, self.accent_text)
            if line_no is not None:
                self.paragraph(label, REGULAR, self.size, MUTED)
            self.y -= 8
            avail_w, avail_h = self.width, self.room() - 4
            scale = min(avail_w / image.width, avail_h / image.height)
            w, h = image.width * scale, image.height * scale
            x = self.left + (avail_w - w) / 2
            y = self.y - h
            reader = images.image_reader(image)

            def draw(
                c: Canvas, reader: object = reader, x: float = x, y: float = y, w: float = w, h: float = h
            ) -> None:
                c.drawImage(reader, x, y, w, h)
                c.setStrokeColorRGB(*RULE)
                c.setLineWidth(0.5)
                c.rect(x, y, w, h, stroke=1, fill=0)

            self.op(draw)
            self.y = y

    # ----- whole document
    def layout(self) -> None:
        doc = self.doc
        self.new_page(first=True)
        self.first_header()
        if doc.kind is DocumentKind.EXPENSE_NOTE:
            self.expense_table()
            if doc.closing_text:
                self.paragraph(doc.closing_text, gap_after=6)
            self.receipt_pages()
            return
        totals = with_credits(document_totals(doc), doc)  # validated credit notes lower the amount due
        self.lines_table(totals)
        self.totals_block(self._totals_rows(totals))
        mentions = legal_mentions(doc, totals, self.ctx.entity, self.ctx.lang, self.fmt, self.ctx.client)
        if doc.kind is DocumentKind.QUOTE:
            due = doc.due_date or doc.compute_due_date()
            if due:
                mentions.insert(0, self.cat["quote_valid"].format(date=self.fmt.date(due)))
        self.notes_block(mentions)
        if doc.kind is DocumentKind.INVOICE:
            self.payment_block(totals)
        if doc.closing_text:
            self.paragraph(doc.closing_text, gap_after=6)
        if doc.kind is DocumentKind.QUOTE:
            self.quote_acceptance()

    def draw(self) -> bytes:
        ctx, e = self.ctx, self.ctx.entity
        buf = io.BytesIO()
        region = e.country.upper()
        c = Canvas(
            buf,
            pagesize=A4,
            pageCompression=1,
            lang=f"{ctx.lang}-{region}",
            initialFontName=REGULAR,
            initialFontSize=self.size,
        )  # never reportlab's Helvetica
        title = f"{self.title_text} {self.number_text}"
        if ctx.client and ctx.client.name:
            title += f" – {ctx.client.name}"
        c.setTitle(title)
        author = ctx.profile.brand.display_name or ctx.profile.full_name or e.name
        subject = " ".join(line for line, font in self.footer_lines if font == BOLD) or e.name
        c.setAuthor(author)
        c.setSubject(subject)
        c.setCreator(APP_NAME)
        c.setKeywords([self.title_text, self.number_text, e.name])
        add_output_intent(c)
        add_xmp_metadata(
            c,
            title=title,
            author=author,
            subject=subject,
            language=f"{ctx.lang}-{region}",
            created=datetime.now(UTC),
        )
        total = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            self._footer(page, number, total)
            self._draw_background(c)
            for fn in page.ops:
                fn(c)
            draw_texts(c, page.texts)
            c.showPage()
        c.save()
        return buf.getvalue()


@lru_cache(maxsize=256)
def qr_path(payload: str) -> tuple[str, int]:
    """The EPC QR code as PDF path operators in module units (row r from the top, runs of dark
    modules merged), and its size in modules. Error level M, UTF-8, level not boosted (EPC069-12).
    Cached per payload: encoding (mask selection) costs several milliseconds."""
    qr = segno.make(payload, error="m", micro=False, boost_error=False, encoding="utf-8")
    ops: list[str] = []
    size = 0
    for r, row in enumerate(qr.matrix):
        cells = list(row)
        size = len(cells)
        col = 0
        while col < size:
            if cells[col]:
                start = col
                while col < size and cells[col]:
                    col += 1
                ops.append(f"{start} {r} {col - start} 1 re")
            else:
                col += 1
    return "\n".join(ops), size


def draw_texts(c: Canvas, runs: list[TextRun]) -> None:
    """All the text of a page in one PDF text object (one ``BT .. ET``), written as raw operators
    through reportlab's font-subset API (``splitString`` / ``getSubsetInternalName``): several times
    cheaper than one ``drawString`` per run, and the text stays above the page's fills."""
    if not runs:
        return
    doc = c._doc
    escape = c._escape
    out = ["BT"]
    current_font: tuple[str, float] | None = None
    current_colour: RGB | None = None
    for x, y, s, font, size, colour, align in runs:
        if not s:
            continue
        if colour != current_colour:
            out.append(f"{colour[0]:.4f} {colour[1]:.4f} {colour[2]:.4f} rg")
            current_colour = colour
        if align == "right":
            x -= string_width(s, font, size)
        elif align == "center":
            x -= string_width(s, font, size) / 2
        out.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
        face = get_font(font)
        for subset, chunk in face.splitString(s, doc):
            name = face.getSubsetInternalName(subset, doc)
            if (name, size) != current_font:
                out.append(f"{name} {size:.3f} Tf")
                current_font = (name, size)
            out.append(f"({escape(chunk)}) Tj")
    out.append("ET")
    c._code.append("\n".join(out))


def _group_iban(iban: str) -> str:
    raw = iban.replace(" ", "").upper()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _assign_receipts(lines: list[ExpenseLine], receipts: list[bytes]) -> list[tuple[bytes, int | None]]:
    """Pair each receipt with its expense line: by content hash (ExpenseLine.receipts), else in order."""
    import hashlib

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


def render(ctx: RenderContext) -> bytes:
    register_fonts()
    renderer = _Renderer(ctx)
    renderer.layout()
    return renderer.draw()
