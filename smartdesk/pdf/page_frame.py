"""What frames the content of every page: the footer and what lies under the content.

The footer carries the affiliation line ("Issued by <cooperative> on behalf of ..."), the
cooperative's identity and contact, and "Page n / N"; its lines are known before the layout starts
(their height sets where every page's content ends), the page numbers once every page is laid out.
Under the content: the theme's accent band, the DRAFT watermark and, on a draft whose cooperative
details are still the app's built-in ones, the red "provisional" line at the top.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from smartdesk.pdf.fonts import BOLD, REGULAR, string_width
from smartdesk.pdf.layout import MUTED, PAGE_H, PAGE_W, RULE, FooterLine, Layout, Page, wrap


def footer_lines(lay: Layout) -> list[FooterLine]:
    ctx, cat, e = lay.ctx, lay.cat, lay.ctx.entity
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
            ", ".join(e.address.lines() + [lay.fmt.country_name(e.country)]),
            f"{cat['vat_number']} {e.vat_number}",
            e.registration,
        )
        if p
    )
    contact = " · ".join(p for p in (e.mentions_in(ctx.lang), e.email, e.phone, e.website) if p)
    width = lay.width - 70  # room for "Page 12 / 14"
    lines: list[FooterLine] = []
    for s, font in ((affiliation, BOLD), (identity, REGULAR), (contact, REGULAR)):
        if s:
            lines.extend((line, font) for line in wrap(s, font, lay.t.small_size, width))
    return lines


def add_footer(lay: Layout, page: Page, number: int, total: int) -> None:
    """The footer of page ``number`` of ``total``, added to the page once the count is known."""
    size = lay.t.small_size
    lead = size * 1.3
    top = lay.t.margin_bottom + lead * (len(lay.footer_lines) - 1)
    left, right = lay.left, lay.right

    def rule(c: Canvas) -> None:
        c.setStrokeColorRGB(*RULE)
        c.setLineWidth(0.5)
        c.line(left, top + lead + 2, right, top + lead + 2)

    page.ops.append(rule)
    y = top
    for line, font in lay.footer_lines:
        page.texts.append((lay.left, y, line, font, size, lay.accent_text if font == BOLD else MUTED, "left"))
        y -= lead
    page.texts.append(
        (
            lay.right,
            top,
            lay.cat["page"].format(page=number, pages=total),
            REGULAR,
            size,
            MUTED,
            "right",
        )
    )


def draw_background(lay: Layout, c: Canvas) -> None:
    """Drawn on the canvas before a page's own operations: the accent band, the draft marks."""
    if lay.t.side_band:
        c.setFillColorRGB(*lay.accent)
        c.rect(0, 0, lay.t.margin_x - 14, PAGE_H, stroke=0, fill=1)
    if lay.is_draft:
        c.saveState()
        word = lay.cat["watermark"]
        size = min(110.0, 560 / max(string_width(word, BOLD, 1), 1))
        c.setFillColorRGB(0.90, 0.90, 0.92)
        c.setFont(BOLD, size)
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(50)
        c.drawCentredString(0, -size * 0.35, word)
        c.restoreState()
    if lay.is_draft and lay.ctx.entity.provisional:
        _provisional_mark(lay, c)


def _provisional_mark(lay: Layout, c: Canvas) -> None:
    """Before the first sync the cooperative's details are the app's built-in ones: say so on
    every page of the draft, in the document's language."""
    text = lay.cat["provisional_identity"]
    size = lay.t.small_size
    c.saveState()
    c.setFillColorRGB(0.75, 0.1, 0.1)
    c.setFont(BOLD, size)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 16, text)
    c.restoreState()
