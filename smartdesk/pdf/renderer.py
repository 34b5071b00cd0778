"""Domain document + language + brand -> PDF bytes, drawn straight on a reportlab canvas. No Qt.

The document is laid out first, then drawn: every page as a list of drawing operations, so the
page count is known for "Page 2 / 7" and the carried totals are exact. :func:`render` creates one
:class:`~smartdesk.pdf.layout.Layout` (the shared state) and runs the layout passes on it in
reading order, each a function of the module that draws that part:

| module | what it lays out |
|---|---|
| ``layout.py`` | the page model (``Page``, ``Layout``: style, pages, pen), text and graphics primitives, flowing paragraphs, ``wrap``, ``fit_size``, colours |
| ``header.py`` | first-page brand and title blocks, the party block (client or member), title and introduction; the header of every further page |
| ``tables.py`` | tables over several pages (repeated header, carried / brought-forward rows); the lines table of quotes, invoices and credit notes |
| ``totals_block.py`` | the totals rows of quotes, invoices and credit notes and the totals block (expense notes too) |
| ``payment.py`` | the invoice's payment block, payment reference and EPC QR code |
| ``expenses.py`` | the expense note's table and totals, the receipts appendix |
| ``page_frame.py`` | the footer ("Page n / N", the cooperative's identity), the accent band, the draft watermark and provisional mark |
| ``renderer.py`` | the order of the passes; drawing the pages on the canvas (all of a page's text in one text object), the PDF metadata |

The legal sentences come from ``legal.py``, the allowance labels from ``allowances.py``, numbers and
dates from ``formatting.py``, fonts from ``fonts.py``, logos and receipts from ``images.py``, the
PDF/A parts from ``pdfa.py``. The names other code imports from here (``render``,
``RenderContext``, ``qr_path``, ``draw_texts``, ``wrap``, ``fit_size``, ``parse_colour``...) stay
importable from this module.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from smartdesk import APP_NAME
from smartdesk.domain.credits import with_credits
from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.totals import document_totals
from smartdesk.pdf.expenses import expense_table, receipt_pages
from smartdesk.pdf.fonts import BOLD, REGULAR, get_font, register_fonts, string_width
from smartdesk.pdf.header import continuation_header, first_header
from smartdesk.pdf.layout import (
    DEFAULT_ACCENT,
    INK,
    MUTED,
    PAGE_H,
    PAGE_W,
    RGB,
    RULE,
    WHITE,
    Layout,
    Op,
    Page,
    RenderContext,
    TextRun,
    fit_size,
    luminance,
    mix,
    parse_colour,
    wrap,
)
from smartdesk.pdf.legal import legal_mentions
from smartdesk.pdf.page_frame import add_footer, draw_background, footer_lines
from smartdesk.pdf.payment import payment_block, qr_path
from smartdesk.pdf.pdfa import add_output_intent, add_xmp_metadata
from smartdesk.pdf.tables import Column, Row, lines_table
from smartdesk.pdf.totals_block import totals_block, totals_height, totals_rows

__all__ = [
    "DEFAULT_ACCENT",
    "INK",
    "MUTED",
    "PAGE_H",
    "PAGE_W",
    "RGB",
    "RULE",
    "WHITE",
    "Column",
    "Op",
    "Page",
    "RenderContext",
    "Row",
    "TextRun",
    "draw_texts",
    "fit_size",
    "luminance",
    "mix",
    "parse_colour",
    "qr_path",
    "render",
    "wrap",
]


def render(ctx: RenderContext) -> bytes:
    register_fonts()
    lay = Layout(ctx, footer_lines=footer_lines, page_header=continuation_header)
    _lay_out(lay)
    return _draw(lay)


def _lay_out(lay: Layout) -> None:
    """Every part of the document, in reading order."""
    doc = lay.doc
    lay.new_page(first=True)
    first_header(lay)
    if doc.kind is DocumentKind.EXPENSE_NOTE:
        expense_table(lay)
        if doc.closing_text:
            lay.paragraph(doc.closing_text, gap_after=6)
        receipt_pages(lay)
        return
    totals = with_credits(document_totals(doc), doc)  # validated credit notes lower the amount due
    rows = totals_rows(lay, totals)
    lines_table(lay, totals, totals_height(lay, rows) + 10)
    totals_block(lay, rows)
    mentions = legal_mentions(doc, totals, lay.ctx.entity, lay.ctx.lang, lay.fmt, lay.ctx.client)
    if doc.kind is DocumentKind.QUOTE:
        due = doc.due_date or doc.compute_due_date()
        if due:
            mentions.insert(0, lay.cat["quote_valid"].format(date=lay.fmt.date(due)))
    lay.notes_block(mentions)
    if doc.kind is DocumentKind.INVOICE:
        payment_block(lay, totals)
    if doc.closing_text:
        lay.paragraph(doc.closing_text, gap_after=6)
    if doc.kind is DocumentKind.QUOTE:
        _quote_acceptance(lay)


def _quote_acceptance(lay: Layout) -> None:
    """The quote's acceptance sentence and a line to sign on, kept together on one page."""
    need = lay.lead * 5
    if lay.room() < need:
        lay.new_page()
    lay.y -= lay.lead
    lay.text_at(lay.left, lay.y, lay.cat["quote_accept"], BOLD)
    lay.y -= lay.lead * 3
    lay.hline(lay.left, lay.left + min(260, lay.width), lay.y, MUTED, 0.6)
    lay.y -= lay.lead


def _draw(lay: Layout) -> bytes:
    """The laid-out pages on a reportlab canvas, with the footers and the PDF's metadata."""
    ctx, e = lay.ctx, lay.ctx.entity
    buf = io.BytesIO()
    region = e.country.upper()
    c = Canvas(
        buf,
        pagesize=A4,
        pageCompression=1,
        lang=f"{ctx.lang}-{region}",
        initialFontName=REGULAR,
        initialFontSize=lay.size,
    )  # never reportlab's Helvetica
    title = f"{lay.title_text} {lay.number_text}"
    if ctx.client and ctx.client.name:
        title += f" – {ctx.client.name}"
    c.setTitle(title)
    author = ctx.profile.brand.display_name or ctx.profile.full_name or e.name
    subject = " ".join(line for line, font in lay.footer_lines if font == BOLD) or e.name
    c.setAuthor(author)
    c.setSubject(subject)
    c.setCreator(APP_NAME)
    c.setKeywords([lay.title_text, lay.number_text, e.name])
    add_output_intent(c)
    add_xmp_metadata(
        c,
        title=title,
        author=author,
        subject=subject,
        language=f"{ctx.lang}-{region}",
        created=datetime.now(UTC),
    )
    total = len(lay.pages)
    for number, page in enumerate(lay.pages, start=1):
        add_footer(lay, page, number, total)
        draw_background(lay, c)
        for fn in page.ops:
            fn(c)
        draw_texts(c, page.texts)
        c.showPage()
    c.save()
    return buf.getvalue()


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
