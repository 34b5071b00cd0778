"""Invoices made from a quote, over HTTP on the real server (SQLite, and PostgreSQL when
$SMARTDESK_TEST_PG_URL is set): the server counts the quote's invoices from its own records, at
submission and again at validation, and refuses one that takes the quote beyond its total excluding
VAT, one made from a refused quote, from another member's quote, from a document that is not a quote,
or for another client (issue 16). The quote here is 2 days x 400 = 800.00 excluding VAT."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import AllowanceCharge, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import client_to_dict

from .conftest import Api, Member, RunningServer, invoice, new_advisor, put_doc, server_doc


def _quote(member: Member) -> Document:
    doc = invoice(member, kind=DocumentKind.QUOTE, title="Website")
    assert put_doc(member, doc)["results"][0]["status"] == "ok"
    return doc


def _invoice_from(member: Member, source_id: str, amount: str, client_id: str = "") -> Document:
    """A draft invoice of one line of ``amount`` excluding VAT (21 %), made from ``source_id``."""
    doc = invoice(member, source_id=source_id)
    doc.client_id = client_id or doc.client_id
    doc.lines = [Line(description="Website, part", quantity=Decimal(1), unit_price=Decimal(amount))]
    assert put_doc(member, doc)["results"][0]["status"] == "ok"
    return doc


def _submit(member: Member, doc_id: str) -> dict[str, Any]:
    result = member.api.push(("document.transition", {"id": doc_id, "to": "submitted"}))["results"][0]
    return dict(result)


def _status(member: Member, doc_id: str) -> str:
    body = server_doc(member, doc_id)
    assert body is not None
    return str(body["status"])


def _validate(advisor: Api, doc_id: str) -> Any:
    return advisor.post(f"/advisor/v1/documents/{doc_id}/validate", {})


def test_a_deposit_and_the_rest_are_submitted_and_validated(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    quote = _quote(member_a)
    deposit = _invoice_from(member_a, quote.id, "240.00")  # 30 %
    assert _submit(member_a, deposit.id)["status"] == "ok"
    # the rest: the quote's lines, less what the deposit took (800.00 - 240.00 = 560.00)
    rest = invoice(member_a, source_id=quote.id)
    rest.allowances = [AllowanceCharge(amount=Decimal("240.00"), reason="Already invoiced")]
    assert put_doc(member_a, rest)["results"][0]["status"] == "ok"
    assert _submit(member_a, rest.id)["status"] == "ok"
    for doc_id in (deposit.id, rest.id):
        r = _validate(advisor, doc_id)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "validated"


def test_an_invoice_beyond_the_quote_is_refused_and_says_what_is_left(member_a: Member) -> None:
    quote = _quote(member_a)
    doc = _invoice_from(member_a, quote.id, "800.01")
    result = _submit(member_a, doc.id)
    assert (result["status"], result["code"]) == ("rejected", "over_quote")
    assert "at most 800.00 is left to invoice" in result["message"]
    assert _status(member_a, doc.id) == "draft"


def test_invoices_that_together_exceed_the_quote_are_refused(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    quote = _quote(member_a)
    first = _invoice_from(member_a, quote.id, "500.00")
    second = _invoice_from(member_a, quote.id, "400.00")
    assert _submit(member_a, first.id)["status"] == "ok"
    result = _submit(member_a, second.id)
    assert result["code"] == "over_quote"
    assert "(500.00)" in result["message"] and "at most 300.00 is left" in result["message"]
    assert _status(member_a, second.id) == "draft"
    # the advisor returns the first one: back in the member's hands, it no longer counts
    r = advisor.post(f"/advisor/v1/documents/{first.id}/return", {"remarks": "Split it otherwise."})
    assert r.status_code == 200, r.text
    assert _submit(member_a, second.id)["status"] == "ok"
    again = _submit(member_a, first.id)
    assert again["code"] == "over_quote" and "at most 400.00 is left" in again["message"]


def test_a_withdrawn_or_cancelled_invoice_no_longer_bills_the_quote(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    quote = _quote(member_a)
    first = _invoice_from(member_a, quote.id, "800.00")
    assert _submit(member_a, first.id)["status"] == "ok"
    second = _invoice_from(member_a, quote.id, "800.00")
    assert _submit(member_a, second.id)["code"] == "over_quote"
    # withdrawn by the member (back to draft): it no longer counts, the second one goes
    back = member_a.api.push(("document.transition", {"id": first.id, "to": "draft"}))["results"][0]
    assert back["status"] == "ok", back
    assert _submit(member_a, second.id)["status"] == "ok"
    assert _submit(member_a, first.id)["code"] == "over_quote"
    # the second one is validated, sent, then credited in full: cancelled, the first one goes
    assert _validate(advisor, second.id).status_code == 200
    assert advisor.post(f"/advisor/v1/documents/{second.id}/mark-sent", {}).status_code == 200
    note = invoice(member_a, kind=DocumentKind.CREDIT_NOTE, corrects_id=second.id)
    note.lines = [Line(description="Website, part", quantity=Decimal(1), unit_price=Decimal("800.00"))]
    assert put_doc(member_a, note)["results"][0]["status"] == "ok"
    assert _submit(member_a, note.id)["status"] == "ok"
    assert _validate(advisor, note.id).status_code == 200
    assert _status(member_a, second.id) == "cancelled"
    assert _submit(member_a, first.id)["status"] == "ok"


def test_two_concurrent_submissions_never_both_pass(srv: RunningServer, member_a: Member) -> None:
    quote = _quote(member_a)
    docs = [_invoice_from(member_a, quote.id, "500.00") for _ in range(2)]  # one fits, not both
    start = threading.Barrier(len(docs))
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def work(doc_id: str) -> None:
        api = Api(srv.url, member_a.api.token)  # another device of the member: its own client id
        mutation = api.mutation("document.transition", {"id": doc_id, "to": "submitted"})
        start.wait()
        r = api.push_raw([mutation])
        with lock:
            results.append(r.json()["results"][0])
        api.close()

    threads = [threading.Thread(target=work, args=(d.id,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["code"] for r in results) == ["ok", "over_quote"]
    assert sorted(_status(member_a, d.id) for d in docs) == ["draft", "submitted"]


def test_validation_counts_again_with_the_quote_as_it_is_now(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    quote = _quote(member_a)
    doc = _invoice_from(member_a, quote.id, "600.00")
    assert _submit(member_a, doc.id)["status"] == "ok"
    # the quote is still a draft: the member lowers it to 500.00 after the invoice went
    quote.lines = [Line(description="Website", quantity=Decimal(1), unit_price=Decimal("500"))]
    assert put_doc(member_a, quote, changed=["lines"], base=1)["results"][0]["status"] == "ok"
    r = _validate(advisor, doc.id)
    assert r.status_code == 409 and r.json()["error"]["code"] == "over_quote"
    message = r.json()["error"]["message"]
    assert "at most 500.00 is left" in message and "Return it to the member" in message
    assert _status(member_a, doc.id) == "submitted"


def test_an_invoice_from_another_members_quote_is_refused(member_a: Member, member_b: Member) -> None:
    theirs = _quote(member_b)
    doc = invoice(member_a, source_id=theirs.id)
    result = put_doc(member_a, doc)["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "not_found")
    assert server_doc(member_a, doc.id) is None


def test_an_invoice_from_a_credit_note_is_refused(member_a: Member) -> None:
    note = invoice(member_a, kind=DocumentKind.CREDIT_NOTE)
    assert put_doc(member_a, note)["results"][0]["status"] == "ok"
    doc = _invoice_from(member_a, note.id, "10.00")
    result = _submit(member_a, doc.id)
    assert (result["status"], result["code"]) == ("rejected", "invalid")
    assert "made from a credit note" in result["message"]
    assert _status(member_a, doc.id) == "draft"


def test_a_copy_of_an_invoice_is_not_checked_against_any_quote(member_a: Member) -> None:
    original = invoice(member_a)
    assert put_doc(member_a, original)["results"][0]["status"] == "ok"
    copy = _invoice_from(member_a, original.id, "5000.00")  # "Duplicate": source_id is the invoice
    assert _submit(member_a, copy.id)["status"] == "ok"


def test_an_invoice_from_a_refused_quote_is_refused(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    quote = _quote(member_a)
    assert _submit(member_a, quote.id)["status"] == "ok"
    assert _validate(advisor, quote.id).status_code == 200
    lost = member_a.api.push(("document.transition", {"id": quote.id, "to": "lost"}))["results"][0]
    assert lost["status"] == "ok", lost
    doc = _invoice_from(member_a, quote.id, "100.00")
    result = _submit(member_a, doc.id)
    assert result["code"] == "invalid" and "was refused" in result["message"]


def test_an_invoice_for_another_client_than_its_quote_is_refused(member_a: Member) -> None:
    other = Client(id=uuid7(), name="Atelier Zuid", email="zuid@example.org", is_business=False)
    other.address = member_a.client.address
    member_a.api.push(("client.put", {"client": client_to_dict(other), "changed": []}))
    quote = _quote(member_a)
    doc = _invoice_from(member_a, quote.id, "100.00", client_id=other.id)
    result = _submit(member_a, doc.id)
    assert result["code"] == "invalid" and "another client" in result["message"]


def test_the_refusal_is_recorded_for_the_member_to_see(member_a: Member) -> None:
    """The refusal comes back in the next pull with its code and words (the app's Sync page shows
    them: smartdesk/gui/sync/texts.py ``REFUSALS["over_quote"]`` and the server's text)."""
    quote = _quote(member_a)
    doc = _invoice_from(member_a, quote.id, "900.00")
    member_a.api.pull()
    pushed = member_a.api.push(("document.transition", {"id": doc.id, "to": "submitted"}))
    mid = pushed["results"][0]["mutation_id"]
    pulled = member_a.api.pull()
    refusal = [r for r in pulled["results"] if r["mutation_id"] == mid]
    assert refusal and refusal[0]["code"] == "over_quote"
    assert "at most 800.00 is left to invoice" in refusal[0]["message"]
