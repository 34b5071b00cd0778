"""The payment block of an invoice and its EPC "scan to pay" QR code.

Payment terms and the date to pay by, then the beneficiary (the cooperative), IBAN, BIC and the
payment reference (a valid structured communication as given, else the reference given, else for
Belgium a structured communication made from the document, else the number). The QR code
(EPC069-12) carries the amount due; a draft shows a note instead of a reference and no code.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

from smartdesk.domain.payments import epc_qr_payload, format_ogm, is_valid_ogm, ogm_for_document
from smartdesk.domain.totals import Totals
from smartdesk.pdf.fonts import BOLD, REGULAR, string_width
from smartdesk.pdf.layout import INK, MUTED, Layout, fit_size, wrap


def payment_block(lay: Layout, totals: Totals) -> None:
    doc, cat, fmt, entity = lay.doc, lay.cat, lay.fmt, lay.ctx.entity
    due = doc.due_date or doc.compute_due_date()
    terms: list[str] = []
    if doc.payment_terms_days:
        terms.append(cat["payment_terms"].format(days=doc.payment_terms_days))
    elif doc.payment_terms_days == 0:
        terms.append(cat["pay_on_receipt"])
    if due and totals.due > 0:
        terms.append(cat["pay_by"].format(amount=fmt.money(totals.due), date=fmt.date(due)))
    reference, ref_label = payment_reference(lay)
    rows: list[tuple[str, str]] = [(cat["beneficiary"], entity.name)]
    if entity.iban:
        rows.append((cat["iban"], _group_iban(entity.iban)))
    if entity.bic:
        rows.append((cat["bic"], entity.bic))
    if reference:
        rows.append((ref_label, reference))
    payload = None
    if not lay.is_draft and doc.currency == "EUR" and entity.iban:
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
    text_w = lay.width - (qr_size + 24 if payload else 0)
    label_w = min(max(string_width(k, REGULAR, lay.size) for k, _ in rows) + 10, text_w * 0.45)
    lines_h = sum(len(wrap(t, REGULAR, lay.size, text_w)) for t in terms) * lay.lead
    rows_h = len(rows) * (lay.lead + 2) + 4
    note_h = 0.0
    if lay.is_draft:
        note_h = len(wrap(cat["draft_payment"], REGULAR, lay.size - 0.6, text_w)) * lay.lead
    block_h = max(lines_h + rows_h + note_h, qr_size + 14) + lay.size * 1.3 + 14
    if lay.room() < block_h:
        lay.new_page()
    lay.block_heading(cat["payment"])
    top = lay.y
    for t in terms:
        for line in wrap(t, REGULAR, lay.size, text_w):
            lay.y -= lay.lead
            lay.text_at(lay.left, lay.y, line)
    lay.y -= 4
    for label, value in rows:
        lay.y -= lay.lead + 2
        strong = label == ref_label
        lay.text_at(lay.left, lay.y, label, REGULAR, fit_size(label, REGULAR, lay.size, label_w - 4), MUTED)
        vsize = lay.size + (1.5 if strong else 0)
        lay.text_at(
            lay.left + label_w, lay.y, value, BOLD, fit_size(value, BOLD, vsize, text_w - label_w), INK
        )
    if lay.is_draft:
        lay.y -= 4
        for line in wrap(cat["draft_payment"], REGULAR, lay.size - 0.6, text_w):
            lay.y -= lay.lead
            lay.text_at(lay.left, lay.y, line, REGULAR, lay.size - 0.6, MUTED)
    if payload:
        qx = lay.right - qr_size
        qy = top - qr_size - 2
        _qr_op(lay, payload, qx, qy, qr_size)
        label = cat["scan_to_pay"]
        lay.text_at(
            qx + qr_size / 2,
            qy - lay.t.small_size - 2,
            label,
            BOLD,
            fit_size(label, BOLD, lay.t.small_size, qr_size + 20),
            MUTED,
            "center",
        )
        lay.y = min(lay.y, qy - lay.t.small_size - 6)
    lay.y -= 12


def payment_reference(lay: Layout) -> tuple[str, str]:
    """The reference the invoice asks to pay with, and its label (``einvoice.model.payment_id``
    gives the e-invoice the same reference, BT-83)."""
    doc, cat, entity = lay.doc, lay.cat, lay.ctx.entity
    given = doc.payment_reference.strip()
    if given and is_valid_ogm(given):
        return format_ogm(given), cat["structured_communication"]
    if given:
        return given, cat["payment_reference"]
    if lay.is_draft:
        return "", cat["payment_reference"]
    if entity.country == "BE":
        return ogm_for_document(doc.id, doc.number), cat["structured_communication"]
    return doc.number, cat["payment_reference"]


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


def _qr_op(lay: Layout, payload: str, x: float, y: float, size: float) -> None:
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

    lay.op(draw)


def _group_iban(iban: str) -> str:
    raw = iban.replace(" ", "").upper()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
