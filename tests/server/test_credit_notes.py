"""Credit notes at validation, over HTTP on the real server (SQLite, and PostgreSQL when
$SMARTDESK_TEST_PG_URL is set): a credit note corrects a validated invoice of the same member and entity,
all the credit notes of an invoice never credit more than it, a validated one lowers the invoice's amount
due, and an invoice credited in full is closed and leaves the follow-up."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from smartdesk.domain.documents import DocumentKind, Line
from smartdesk.domain.serialize import document_to_dict
from smartdesk_server import coop

from .conftest import Api, Member, RunningServer, invoice, new_advisor, server_doc, submitted_invoice

INVOICE_TOTAL = Decimal("968.00")  # 2 days x 400 + 21 % VAT


def _act(api: Api, doc_id: str, action: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(f"/advisor/v1/documents/{doc_id}/{action}", body or {})


def _sent_invoice(advisor: Api, member: Member) -> str:
    doc = submitted_invoice(member, issue_date=date.today() - timedelta(days=3))
    assert _act(advisor, doc.id, "validate").status_code == 200
    assert _act(advisor, doc.id, "mark-sent").json()["status"] == "awaiting_payment"
    return doc.id


def _credit_note(member: Member, invoice_id: str, days: str) -> str:
    """A submitted credit note of ``days`` shooting days (484.00 incl. VAT a day) on the invoice."""
    note = invoice(member, kind=DocumentKind.CREDIT_NOTE, corrects_id=invoice_id)
    note.lines = [
        Line(description="Shooting day not done", quantity=Decimal(days), unit_price=Decimal("400"))
    ]
    res = member.api.push(
        ("document.put", {"document": document_to_dict(note)}),
        ("document.transition", {"id": note.id, "to": "submitted"}),
    )
    assert [r["status"] for r in res["results"]] == ["ok", "ok"], res
    return note.id


def test_a_credit_note_without_an_invoice_is_refused(member_a: Member) -> None:
    note = invoice(member_a, kind=DocumentKind.CREDIT_NOTE)
    res = member_a.api.push(
        ("document.put", {"document": document_to_dict(note)}),
        ("document.transition", {"id": note.id, "to": "submitted"}),
    )
    put, submit = res["results"]
    assert put["status"] == "ok" and submit["status"] == "rejected"
    assert [p["message"] for p in submit["problems"]] == ["Choose the invoice this credit note corrects."]
    assert server_doc(member_a, note.id)["status"] == "draft"  # type: ignore[index]


def test_a_credit_note_on_an_invoice_not_validated_yet_is_refused(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    draft = submitted_invoice(member_a)  # submitted, not validated: no legal number
    note = _credit_note(member_a, draft.id, "1")
    r = _act(advisor, note, "validate")
    assert r.status_code == 409 and "validated invoice" in r.json()["error"]["message"]


def test_two_credit_notes_that_together_exceed_the_invoice_are_refused(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    invoice_id = _sent_invoice(advisor, member_a)
    first = _credit_note(member_a, invoice_id, "1.5")  # 726.00
    second = _credit_note(member_a, invoice_id, "1")  # 484.00: 1,210.00 together, more than 968.00
    ok = _act(advisor, first, "validate")
    assert ok.status_code == 200, ok.text
    note = ok.json()["document"]
    invoice_now = server_doc(member_a, invoice_id)
    assert invoice_now is not None
    # the number and the date printed on the credit note come from the server's invoice
    assert (note["corrects_number"], note["corrects_date"]) == (
        invoice_now["number"],
        invoice_now["issue_date"],
    )
    assert Decimal(invoice_now["credited_amount"]) == Decimal("726.00")
    assert invoice_now["status"] == "awaiting_payment"  # partly credited: still followed
    r = _act(advisor, second, "validate")
    assert r.status_code == 409 and r.json()["error"]["code"] == "over_credit"
    message = r.json()["error"]["message"]
    assert "242.00" in message and invoice_now["number"] in message  # what is left, and which invoice
    assert server_doc(member_a, second)["status"] == "submitted"  # type: ignore[index]
    assert Decimal(server_doc(member_a, invoice_id)["credited_amount"]) == Decimal("726.00")  # type: ignore[index]


def test_concurrent_validations_never_over_credit(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    invoice_id = _sent_invoice(advisor, member_a)
    notes = [_credit_note(member_a, invoice_id, "1.5") for _ in range(4)]  # 726.00 each: only one fits
    codes: list[int] = []
    lock = threading.Lock()

    def work(doc_id: str) -> None:
        api = Api(srv.url, advisor.token)
        r = _act(api, doc_id, "validate")
        with lock:
            codes.append(r.status_code)
        api.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in notes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409, 409, 409]
    assert Decimal(server_doc(member_a, invoice_id)["credited_amount"]) == Decimal("726.00")  # type: ignore[index]


def test_an_invoice_credited_in_full_is_closed_and_leaves_the_follow_up(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    invoice_id = _sent_invoice(advisor, member_a)
    for days in ("1", "1"):
        assert _act(advisor, _credit_note(member_a, invoice_id, days), "validate").status_code == 200
    value = server_doc(member_a, invoice_id)
    assert value is not None
    assert value["status"] == "cancelled" and Decimal(value["credited_amount"]) == INVOICE_TOTAL
    assert "credit note" in value["timeline"][-1]["note"]
    # long after the due date the follow-up engine sends no reminder for it
    coop.tick(srv.engine, on=date.today() + timedelta(days=120))
    assert server_doc(member_a, invoice_id)["status"] == "cancelled"  # type: ignore[index]
    # and nothing is left to credit
    extra = _credit_note(member_a, invoice_id, "0.5")
    assert _act(advisor, extra, "validate").status_code == 409


def test_payment_and_credit_note_together_settle_the_invoice(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    invoice_id = _sent_invoice(advisor, member_a)
    assert _act(advisor, invoice_id, "payments", {"amount": "484.00"}).json()["status"] == "partially_paid"
    assert _act(advisor, _credit_note(member_a, invoice_id, "1"), "validate").status_code == 200
    value = server_doc(member_a, invoice_id)
    assert value is not None and value["status"] == "paid"


def test_a_partly_credited_invoice_is_paid_by_what_is_left(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    invoice_id = _sent_invoice(advisor, member_a)
    assert _act(advisor, _credit_note(member_a, invoice_id, "1"), "validate").status_code == 200
    r = _act(advisor, invoice_id, "payments", {"amount": "484.00"})
    assert r.json()["status"] == "paid"
