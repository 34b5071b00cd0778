"""The document fields of issue 13 in the JSON body: an older body without them still loads, they round-trip,
and a wrong goods/services value is refused with its path; credited_amount belongs to the cooperative."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartdesk.domain.documents import Address, Document, DocumentKind
from smartdesk.domain.serialize import COOPERATIVE_DOCUMENT_FIELDS, document_from_dict, document_to_dict
from smartdesk.errors import ValidationError


def test_an_older_body_without_the_new_fields_loads_with_defaults() -> None:
    body = document_to_dict(Document(kind=DocumentKind.INVOICE))
    for key in ("credited_amount", "supply_type", "delivery_address"):
        del body[key]
    doc = document_from_dict(body)
    assert (doc.credited_amount, doc.supply_type, doc.delivery_address) == (Decimal(0), "", None)


def test_new_fields_round_trip() -> None:
    doc = Document(
        kind=DocumentKind.INVOICE,
        supply_type="both",
        delivery_address=Address("Quai Rambaud 4", "69002", "Lyon", "FR"),
        credited_amount=Decimal("12.50"),
    )
    again = document_from_dict(document_to_dict(doc))
    assert (again.supply_type, again.delivery_address, again.credited_amount) == (
        "both",
        Address("Quai Rambaud 4", "69002", "Lyon", "FR"),
        Decimal("12.50"),
    )


def test_an_unknown_supply_type_is_refused_with_its_path() -> None:
    body = document_to_dict(Document(kind=DocumentKind.INVOICE))
    body["supply_type"] = "software"
    with pytest.raises(ValidationError) as refused:
        document_from_dict(body)
    assert [p.field for p in refused.value.problems] == ["$.supply_type"]


def test_credited_amount_is_the_cooperatives() -> None:
    assert "credited_amount" in COOPERATIVE_DOCUMENT_FIELDS
