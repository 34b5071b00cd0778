"""Records as a sync brings them back from the cooperative: written into a real data folder with
``sync.local.apply_upsert``, the way the sync engine writes what it pulls, and read back through the
services. For what only the cooperative sets (a number, a validated status, payments, deliveries...)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import document_to_dict
from smartdesk.services import Workspace
from smartdesk.sync import local

# (entity, record id, the server's JSON, version), as in a pull
PulledRecord = tuple[str, str, dict[str, Any], int]


def pull(ws: Workspace, records: Iterable[PulledRecord]) -> None:
    """Write ``records`` in one transaction, as one pull does."""
    with ws.store.write() as conn:
        for entity, record_id, body, version in records:
            local.apply_upsert(ws.store, conn, entity, record_id, body, version)


def shooting_days(days: int = 2) -> Line:
    """``days`` shooting days at 400.00 excl. VAT (21 %): two come to 968.00 incl. VAT."""
    return Line(description="Shooting day", quantity=Decimal(days), unit_price=Decimal("400"))


def pulled_document(
    ws: Workspace, *, version: int = 3, records: Iterable[PulledRecord] = (), **fields: Any
) -> Document:
    """A document the cooperative has validated, as the sync brings it back, with the records that point
    at it (``records``) in the same pull. Unless ``fields`` say otherwise: invoice BE-INV-2026-000042 of
    1 October 2026, validated, for two shooting days (968.00 incl. VAT)."""
    doc = Document(
        **{
            "id": uuid7(),
            "kind": DocumentKind.INVOICE,
            "status": "validated",
            "number": "BE-INV-2026-000042",
            "issue_date": date(2026, 10, 1),
            "lines": [shooting_days()],
            **fields,
        }
    )
    pull(ws, [("document", doc.id, document_to_dict(doc), version), *records])
    return ws.documents.get(doc.id)


def pulled_invoice_to(
    ws: Workspace, client_name: str, *, records: Iterable[PulledRecord] = (), **fields: Any
) -> Document:
    """A pulled invoice (``pulled_document``) titled "Two days of shooting", to a new client named
    ``client_name``, in a new activity "Photography" (A-1) of the Belgian cooperative."""
    activity = ws.activities.save(Activity(id=uuid7(), name="Photography", code="A-1", entity="BE"))
    client = ws.clients.save(Client(id=uuid7(), name=client_name))
    return pulled_document(
        ws,
        activity_id=activity.id,
        client_id=client.id,
        title="Two days of shooting",
        records=records,
        **fields,
    )
