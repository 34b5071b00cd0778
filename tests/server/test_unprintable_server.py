"""The server refuses to take for validation a document with characters the document font cannot draw
(the same table as the app, smartdesk.domain.printable), naming them: nothing prints as empty boxes."""

from __future__ import annotations

from smartdesk.domain.serialize import document_to_dict

from .conftest import Member, invoice


def test_submit_with_cjk_text_is_refused_with_the_characters(member_a: Member) -> None:
    doc = invoice(member_a)
    doc.lines[0].description = "Shooting day 日本"
    res = member_a.api.push(
        ("document.put", {"document": document_to_dict(doc)}),
        ("document.transition", {"id": doc.id, "to": "submitted"}),
    )
    put, submit = res["results"]
    assert put["status"] == "ok" and submit["status"] == "rejected"
    [problem] = [p for p in submit["problems"] if p["code"] == "text.unprintable"]
    assert problem["field"] == "lines[0].description" and "日 本" in problem["message"]
