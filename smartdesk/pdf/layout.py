"""The page model every layout pass writes into, and its drawing primitives.

A document is laid out before anything is drawn: each :class:`Page` is a list of graphics
operations (fills, rules, images; drawn first) and a list of text runs (drawn on top, all in one
text object by ``renderer.draw_texts``). :class:`Layout` is the state the passes share: the
document's style (wording, formatter, colours, margins, type size), the pages so far and the pen
(``y``, going down the page). Its primitives queue text and graphics on the current page and start a
new page when the current one is full. Also here: colours, word wrap and fitting a text to a width.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from smartdesk.domain.documents import Activity, Client, CooperativeEntity, Document, MemberProfile
from smartdesk.domain.expenses import ExpenseCategory
from smartdesk.domain.printable import printable_text
from smartdesk.i18n.documents import catalogue
from smartdesk.pdf import images
from smartdesk.pdf.fonts import BOLD, REGULAR, string_width
from smartdesk.pdf.formatting import Formatter
from smartdesk.pdf.legal import document_wording
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


# --- the page model ----------------------------------------------------------------------------------


TextRun = tuple[float, float, str, str, float, RGB, str]  # x, y, text, font, size, colour, align
FooterLine = tuple[str, str]  # text, font


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


class Layout:
    """The document's style, the pages laid out so far and the pen, shared by every layout pass.

    ``footer_lines`` gives the footer's lines (their height sets where the content of every page
    ends, ``bottom``); ``page_header`` lays out the header that starts every page after the first.
    """

    def __init__(
        self,
        ctx: RenderContext,
        *,
        footer_lines: Callable[[Layout], list[FooterLine]],
        page_header: Callable[[Layout], None],
    ) -> None:
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
        self.is_draft = not ctx.doc.number.strip()
        self.number_text = ctx.doc.number.strip() or self.cat["draft"]
        self.title_text = self.cat[f"title.{ctx.doc.kind.value}"]
        self._page_header = page_header
        self.footer_lines = footer_lines(self)
        footer_h = len(self.footer_lines) * self.t.small_size * 1.3 + 8
        self.bottom = self.t.margin_bottom + footer_h + 8

    # ----- pages
    def new_page(self, first: bool = False) -> None:
        self.page = Page()
        self.pages.append(self.page)
        self.y = PAGE_H - self.t.margin_top
        if not first:
            self._page_header(self)

    def op(self, fn: Op) -> None:
        self.page.ops.append(fn)

    def room(self) -> float:
        return self.y - self.bottom

    # ----- text and graphics (queued on the current page)
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

    # ----- flowing text
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

    def notes_block(self, sentences: list[str], size: float | None = None, colour: RGB = MUTED) -> None:
        """Small sentences one after the other (the legal mentions)."""
        for s in sentences:
            self.paragraph(s, REGULAR, size or self.t.small_size + 0.6, colour, gap_after=2)
        if sentences:
            self.y -= 6

    def block_heading(self, s: str) -> None:
        """A block's title in capitals, on a new page unless two lines of the block fit under it."""
        size = self.size + 1
        if self.room() < size * 1.3 + self.lead * 2:
            self.new_page()
        self.y -= size * 1.3
        self.text_at(self.left, self.y, s.upper(), BOLD, size, self.accent_text)
        self.y -= 4
