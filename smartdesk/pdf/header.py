"""The headers and the parties: what stands above the table.

First page: the member's brand block (logo, name, tagline, contact) on the theme's side, the title
block (kind, number, dates, references, activity) on the other, then the party block — the client,
or for an expense note the member — at the envelope-window side, then the document's title and
introduction. Every further page starts with a one-line header: brand, kind, number and client.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from smartdesk.domain.documents import Client, DocumentKind
from smartdesk.pdf import images
from smartdesk.pdf.fonts import BOLD, REGULAR, string_width
from smartdesk.pdf.layout import INK, MUTED, RGB, Layout, fit_size, wrap
from smartdesk.pdf.legal import client_id_line, delivery_line, supply_line


def continuation_header(lay: Layout) -> None:
    brand = lay.ctx.profile.brand.display_name or lay.ctx.profile.full_name
    size = lay.size
    right = f"{lay.title_text} {lay.number_text}"
    if lay.ctx.client and lay.ctx.client.name:
        right += f" – {lay.ctx.client.name}"
    right_w = string_width(right, REGULAR, size)
    brand_size = fit_size(brand, BOLD, size + 1, max(lay.width - right_w - 20, 40))
    lay.y -= size + 1
    lay.text_at(lay.left, lay.y, brand, BOLD, brand_size, lay.accent_text)
    lay.text_at(
        lay.right,
        lay.y,
        right,
        REGULAR,
        fit_size(right, REGULAR, size, lay.width * 0.6),
        MUTED,
        align="right",
    )
    lay.y -= 6
    lay.hline(lay.left, lay.right, lay.y, lay.accent, 0.8)
    lay.y -= 12


def first_header(lay: Layout) -> None:
    """The brand and title blocks side by side, then the party block under the lower of the two."""
    ctx, t, cat, fmt, doc = lay.ctx, lay.t, lay.cat, lay.fmt, lay.doc
    brand = ctx.profile.brand
    top = lay.y
    half = lay.width * 0.48
    brand_x = lay.left if t.brand_side == "left" else lay.right - half
    title_x = lay.right - half if t.brand_side == "left" else lay.left
    # brand block: logo, name, tagline, contact
    y = top
    if ctx.logo is not None:
        max_w, max_h = t.logo_max
        scale = min(max_w / ctx.logo.width, max_h / ctx.logo.height)
        lw, lh = ctx.logo.width * scale, ctx.logo.height * scale
        lx = brand_x if t.brand_side == "left" else lay.right - lw
        _logo_op(lay, lx, y - lh, lw, lh)
        y -= lh + 8
    name = brand.display_name or ctx.profile.full_name
    align = "left" if t.brand_side == "left" else "right"
    ax = brand_x if align == "left" else lay.right
    if name:
        size = fit_size(name, BOLD, lay.size + 4, half)
        y -= size
        lay.text_at(ax, y, name, BOLD, size, lay.accent_text, align)
        y -= 3
    small = t.small_size + 0.6
    for line in wrap(brand.tagline, REGULAR, small, half) if brand.tagline else []:
        y -= small * 1.3
        lay.text_at(ax, y, line, REGULAR, small, MUTED, align)
    contact = " · ".join(p for p in (brand.email, brand.phone, brand.website) if p)
    for line in wrap(contact, REGULAR, small, half) if contact else []:
        y -= small * 1.3
        lay.text_at(ax, y, line, REGULAR, small, MUTED, align)
    brand_bottom = y
    # title block: kind, number, dates
    y = top
    tsize = fit_size(lay.title_text, BOLD, t.title_size, half)
    y -= tsize
    lay.text_at(title_x, y, lay.title_text, BOLD, tsize, lay.accent_text)
    y -= 8
    meta: list[tuple[str, str]] = [(cat["number"], lay.number_text)]
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
    label_w = min(max(string_width(k, REGULAR, lay.size) for k, _ in meta) + 8, half * 0.5)
    for label, value in meta:
        lines = wrap(value, BOLD, lay.size, half - label_w)
        y -= lay.lead
        lay.text_at(title_x, y, label, REGULAR, fit_size(label, REGULAR, lay.size, label_w - 4), MUTED)
        for i, line in enumerate(lines):
            if i:
                y -= lay.lead
            lay.text_at(title_x + label_w, y, line, BOLD, lay.size)
    title_bottom = y
    lay.y = min(brand_bottom, title_bottom) - 16
    _party_block(lay)


def _logo_op(lay: Layout, x: float, y: float, w: float, h: float) -> None:
    logo = lay.ctx.logo
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

    lay.op(draw)


def _party_block(lay: Layout) -> None:
    """The client (or, for an expense note, the member) in a block at the envelope-window side,
    then the document's title and introduction."""
    ctx, cat, doc = lay.ctx, lay.cat, lay.doc
    half = lay.width * 0.48
    x = lay.right - half if lay.t.brand_side == "left" else lay.left
    lines: list[tuple[str, str, RGB]] = []
    if doc.kind is DocumentKind.EXPENSE_NOTE:
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
            lines.append((lay.fmt.country_name(client.address.country), REGULAR, INK))
        if client.vat_number:
            lines.append((f"{cat['vat_number']} {client.vat_number}", REGULAR, INK))
        for extra in (client_id_line(client, cat), delivery_line(doc, ctx.client, cat, lay.fmt)):
            if extra:
                lines.append((extra, REGULAR, INK))
    y = lay.y
    hsize = lay.t.small_size + 0.4
    y -= hsize
    lay.text_at(x, y, heading.upper(), BOLD, hsize, lay.accent_text)
    y -= 3
    size = lay.size + 0.8
    for s, font, colour in lines:
        for part in wrap(s, font, size, half):
            y -= size * 1.3
            lay.text_at(x, y, part, font, size, colour)
    lay.y = y - 18
    if doc.title:
        lay.paragraph(doc.title, BOLD, lay.size + 2, gap_after=3)
    if doc.intro_text:
        lay.paragraph(doc.intro_text, gap_after=4)
    lay.y -= 6
