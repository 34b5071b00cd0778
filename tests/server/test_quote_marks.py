"""The member's quote steps as the server takes them: a day and a reason, both checked as hostile."""

from __future__ import annotations

from typing import Any

import pytest

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.serialize import document_to_dict

from .conftest import Member, invoice, server_doc


def _draft_quote(member: Member) -> str:
    doc = invoice(member, kind=DocumentKind.QUOTE, title="Website")
    res = member.api.push(("document.put", {"document": document_to_dict(doc)}))
    assert res["results"][0]["status"] == "ok", res
    return doc.id


def test_a_quote_invoiced_on_a_day_keeps_the_day_and_reason_on_its_timeline(member_a: Member) -> None:
    quote_id = _draft_quote(member_a)
    res = member_a.api.push(
        ("document.transition", {"id": quote_id, "to": "invoiced", "on": "2026-11-28", "note": "invoice"})
    )
    assert res["results"][0]["status"] == "ok", res
    body = server_doc(member_a, quote_id)
    assert body is not None and body["status"] == "invoiced"
    last = body["timeline"][-1]
    assert (last["status"], last["on"], last["note"], last["actor"]) == (
        "invoiced",
        "2026-11-28",
        "invoice",
        "member",
    )
    # undo is a member step too
    res = member_a.api.push(("document.transition", {"id": quote_id, "to": "won", "note": "undo"}))
    assert res["results"][0]["status"] == "ok", res


@pytest.mark.parametrize(
    "extra",
    [
        {"on": "2999-01-01"},
        {"on": "1999-12-31"},
        {"on": "28/11/2026"},
        {"on": 20261128},
        {"on": "2026-11-28" * 1000},
        {"note": "anything the client likes"},
        {"note": ["undo"]},
    ],
)
def test_a_bad_day_or_reason_is_refused_and_nothing_changes(member_a: Member, extra: dict[str, Any]) -> None:
    quote_id = _draft_quote(member_a)
    res = member_a.api.push(("document.transition", {"id": quote_id, "to": "invoiced", **extra}))
    result = res["results"][0]
    assert result["status"] != "ok", res
    body = server_doc(member_a, quote_id)
    assert body is not None and body["status"] == "draft"
