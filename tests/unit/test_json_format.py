"""The documented JSON form: round trips, and errors reported with their JSON path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartdesk.domain.documents import AllowanceCharge, Document, DocumentKind, ExpenseLine, Line
from smartdesk.domain.serialize import bundle_from_dict, document_from_dict, document_to_dict
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import ValidationError

text = st.text(max_size=40)
lines = st.builds(
    Line,
    description=text,
    quantity=st.decimals(min_value=0, max_value=9999, places=3),
    unit_price=st.decimals(min_value=0, max_value=99999, places=2),
    vat_category=st.sampled_from(list(VatCategory)),
    vat_rate=st.sampled_from([Decimal(21), Decimal(6), Decimal(0)]),
)
docs = st.builds(
    Document,
    kind=st.sampled_from(list(DocumentKind)),
    title=text,
    lines=st.lists(lines, max_size=5),
    issue_date=st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1))),
    intro_text=text,
    expense_lines=st.lists(
        st.builds(ExpenseLine, supplier=text, amount_incl=st.decimals(min_value=0, max_value=999, places=2)),
        max_size=3,
    ),
    allowances=st.lists(
        st.builds(AllowanceCharge, amount=st.decimals(min_value=0, max_value=99, places=2)), max_size=2
    ),
)


@given(docs)
def test_round_trip(doc: Document) -> None:
    assert document_from_dict(document_to_dict(doc)) == doc


def test_every_problem_with_its_path() -> None:
    bad = {
        "format": "smartdesk",
        "version": 1,
        "documents": [
            {
                "kind": "invoice",
                "issue_date": "22/11/2026",
                "lines": [{"quantity": 1.5}, {"unit_price": "abc"}],
            },
            {"kind": "bill", "client_id": "not-a-uuid"},
        ],
    }
    with pytest.raises(ValidationError) as err:
        bundle_from_dict(bad, source="file.json")
    fields = [p.field for p in err.value.problems]
    assert fields == [
        "$.documents[0].issue_date",
        "$.documents[0].lines[0].quantity",
        "$.documents[0].lines[1].unit_price",
        "$.documents[1].kind",
        "$.documents[1].client_id",
    ]
    assert "file.json" in str(err.value)


def test_not_a_smartdesk_file() -> None:
    with pytest.raises(ValidationError, match="not a SmartDesk file"):
        bundle_from_dict({"hello": 1})
