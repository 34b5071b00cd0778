"""Documents as a member really has them, for the layout tests and the screenshots: an invoice with five
lines, a long client name and (once validated) a legal number; an expense note with three receipts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, ExpenseLine, Line
from smartdesk.services import Workspace

LONG_CLIENT = "Association des Centres Culturels de la Région de Bruxelles-Capitale ASBL"
LEGAL_NUMBER = "BE-INV-2026-000317"
SUPPLIER_20 = "Librairie Filigranes"  # a supplier's name of 20 characters


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
            description="Reportage photo, journée complète",
            quantity=Decimal(2),
            unit="DAY",
            unit_price=Decimal("650"),
        ),
        Line(
            description="Retouche des photos choisies",
            quantity=Decimal("12.5"),
            unit="HUR",
            unit_price=Decimal("55"),
        ),
        Line(
            description="Déplacement Bruxelles – Liège",
            quantity=Decimal(186),
            unit="KMT",
            unit_price=Decimal("0.4269"),
        ),
        Line(
            description="Livre photo imprimé",
            quantity=Decimal(3),
            unit="H87",
            unit_price=Decimal("89.9"),
            vat_rate=Decimal(6),
        ),
        Line(
            description="Droits de diffusion (un an)",
            quantity=Decimal(1),
            unit="LS",
            unit_price=Decimal("1250"),
            discount_percent=Decimal(10),
        ),
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
    from tests.support.receipt_samples import look_for, make_truth, render_receipt

    buffer = io.BytesIO()
    render_receipt(make_truth(seed), look_for(seed, plain=True)).save(buffer, format="PNG")
    return buffer.getvalue()


def realistic_expense_note(ws: Workspace, receipts: bool = True) -> Document:
    """An expense note of three expenses (a train, a meal, a book of a supplier of 20 characters), each
    with its receipt when ``receipts``."""
    tour = ws.activities.save(Activity(name="Tournée Lumière", code="A-7"))
    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=tour.id)
    doc.title = "Tournée de mars"
    doc.expense_lines = [
        ExpenseLine(
            date=date(2026, 3, 2),
            supplier="SNCB",
            description="Bruxelles – Liège aller-retour",
            category="travel_public",
            amount_incl=Decimal("32.40"),
            vat_rate=Decimal("6"),
        ),
        ExpenseLine(
            date=date(2026, 3, 3),
            supplier="Brasserie du Parc",
            description="Repas avec l'organisateur",
            category="meals",
            amount_incl=Decimal("1248.00"),
            vat_rate=Decimal("12"),
            paid_with="coop",
        ),
        ExpenseLine(
            date=date(2026, 3, 14),
            supplier=SUPPLIER_20,
            description="Livres de photographie",
            category="documentation",
            amount_incl=Decimal("87.95"),
            vat_rate=Decimal("6"),
        ),
    ]
    ws.documents.save(doc)
    if receipts:
        for seed, line in enumerate(doc.expense_lines):
            ws.receipts.add(doc.id, [(_receipt_png(seed), f"receipt-{seed}.png")], line.id)
    return ws.documents.get(doc.id)
