"""Documents as a member really has them, for the layout tests and the screenshots: an invoice with five
lines, a long client name and (once validated) a legal number; an expense note with three receipts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.services import Workspace

LONG_CLIENT = "Association des Centres Culturels de la Région de Bruxelles-Capitale ASBL"
LEGAL_NUMBER = "BE-INV-2026-000317"
SUPPLIER_20 = "Librairie Filigranes"  # a supplier's name of 20 characters

# description, quantity, unit, unit price, VAT %, discount %
INVOICE_LINES = (
    ("Reportage photo, journée complète", "2", "DAY", "650", "21", "0"),
    ("Retouche des photos choisies", "12.5", "HUR", "55", "21", "0"),
    ("Déplacement Bruxelles – Liège", "186", "KMT", "0.4269", "21", "0"),
    ("Livre photo imprimé", "3", "H87", "89.9", "6", "0"),
    ("Droits de diffusion (un an)", "1", "LS", "1250", "21", "10"),
)

# date, paid to, description, category, amount incl. VAT, VAT %, paid with
EXPENSES = (
    (date(2026, 3, 2), "SNCB", "Bruxelles – Liège aller-retour", "travel_public", "32.40", "6", "own"),
    (
        date(2026, 3, 3),
        "Hôtel de la Couronne",
        "Deux nuits à Liège",
        "accommodation",
        "1248.00",
        "12",
        "coop",
    ),
    (date(2026, 3, 14), SUPPLIER_20, "Livres de photographie", "documentation", "87.95", "6", "own"),
)


def expense_line(
    day: date, supplier: str, description: str, category: str, amount_incl: str, vat_rate: str, **more: Any
) -> ExpenseLine:
    """An expense as a member writes it on a note: the day, who was paid, what for, the category code, the
    amount incl. VAT and the VAT % as text (read as exact Decimals); ``more`` sets the other fields of the
    line (``paid_with``, ``receipts``...)."""
    return ExpenseLine(
        date=day,
        supplier=supplier,
        description=description,
        category=category,
        amount_incl=Decimal(amount_incl),
        vat_rate=Decimal(vat_rate),
        **more,
    )


def realistic_invoice(ws: Workspace, validated: bool = False) -> Document:
    """An invoice of five lines to a client with a long name; ``validated``: as a sync brings it back
    once the cooperative gave it its legal number."""
    client = ws.clients.save(
        Client(
            name=LONG_CLIENT,
            address=Address("Rue de la Loi 155", "1040", "Etterbeek", "BE"),
            vat_number="BE0123456749",
            language="fr",
        )
    )
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id)
    doc.title = "Reportage photo du festival d'automne"
    doc.issue_date = date(2026, 11, 2)
    doc.lines = [
        Line(
            description=text,
            quantity=Decimal(qty),
            unit=unit,
            unit_price=Decimal(price),
            vat_rate=Decimal(vat),
            discount_percent=Decimal(discount),
        )
        for text, qty, unit, price, vat, discount in INVOICE_LINES
    ]
    ws.documents.save(doc)
    if not validated:
        return ws.documents.get(doc.id)
    from smartdesk.domain.serialize import document_to_dict
    from smartdesk.sync import local

    stored = ws.documents.get(doc.id)
    stored.status = "validated"
    stored.number = LEGAL_NUMBER
    with ws.store.write() as conn:
        local.apply_upsert(ws.store, conn, "document", stored.id, document_to_dict(stored), 2)
    return ws.documents.get(doc.id)


def _receipt_png(seed: int) -> bytes:
    from PIL import Image

    from tests.support.receipt_samples import look_for, make_truth, render_receipt

    ticket = render_receipt(make_truth(seed), look_for(seed, plain=True))
    # a photo of a till receipt is taller than wide: the ticket on a portrait sheet
    sheet = Image.new("RGB", (ticket.width, max(ticket.height, ticket.width * 4 // 3)), (255, 255, 255))
    sheet.paste(ticket, (0, 0))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()


def realistic_expense_note(ws: Workspace, receipts: bool = True) -> Document:
    """An expense note of three expenses (a train, a meal, a book of a supplier of 20 characters), each
    with its receipt when ``receipts``."""
    tour = ws.activities.save(Activity(name="Tournée Lumière", code="A-7"))
    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=tour.id)
    doc.title = "Tournée de mars"
    doc.expense_lines = [
        expense_line(day, supplier, text, category, amount, vat, paid_with=paid_with)
        for day, supplier, text, category, amount, vat, paid_with in EXPENSES
    ]
    ws.documents.save(doc)
    if receipts:
        for seed, line in enumerate(doc.expense_lines):
            ws.receipts.add(doc.id, [(_receipt_png(seed), f"receipt-{seed}.png")], line.id)
    return ws.documents.get(doc.id)
