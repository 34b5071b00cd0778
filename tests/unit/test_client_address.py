"""An invoice cannot be submitted without the client's address (Belgian and French invoices carry it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartdesk.domain.documents import Activity, Address, Client, DocumentKind, Line
from smartdesk.errors import ValidationError
from smartdesk.services import Workspace


def _invoice(ws: Workspace, address: Address, kind: DocumentKind = DocumentKind.INVOICE) -> str:
    client = ws.clients.save(Client(name="Atelier Nova", address=address, vat_number="BE0999123457"))
    activity = ws.activities.save(Activity(name="Photo", code="A-1"))
    doc = ws.documents.new(kind, client.id, activity.id)
    doc.lines = [Line(description="Shooting", quantity=Decimal(1), unit_price=Decimal("100"))]
    return ws.documents.save(doc).id


def test_an_invoice_without_the_clients_address_is_refused_in_plain_words(workspace: Workspace) -> None:
    doc_id = _invoice(workspace, Address(country="BE"))
    with pytest.raises(ValidationError, match="must carry the client's address.*Atelier Nova"):
        workspace.documents.submit(doc_id)
    assert workspace.documents.get(doc_id).status == "draft"


def test_with_the_address_it_goes_and_a_quote_never_needed_it(workspace: Workspace) -> None:
    full = _invoice(workspace, Address("Rue Haute 1", "1000", "Bruxelles", "BE"))
    assert workspace.documents.submit(full).status == "submitted"
    quote = _invoice(workspace, Address(country="BE"), DocumentKind.QUOTE)
    assert workspace.documents.submit(quote).status == "submitted"
