"""The cooperative's side over HTTP: gap-free numbering under concurrency, the document lifecycles,
blobs, support requests, figures, and the follow-up engine with Hold."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from smartdesk.domain.documents import Document, DocumentKind, ExpenseLine
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import document_to_dict
from smartdesk_server import coop, issuing
from smartdesk_server.db import counters
from tests.support.figures import served_march_2026

from .conftest import (
    Api,
    Member,
    RunningServer,
    new_advisor,
    new_member,
    sequence_number,
    server_doc,
    submitted_invoice,
    validate_twice_at_once,
    validated_values,
)


def _counter(srv: RunningServer, entity: str = "BE", series: str = "INV") -> int:
    with srv.engine.connect() as conn:
        value = conn.execute(
            select(counters.c.value).where(
                (counters.c.entity == entity)
                & (counters.c.series == series)
                & (counters.c.year == date.today().year)
            )
        ).scalar()
    return int(value or 0)


def _act(api: Api, doc_id: str, action: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(f"/advisor/v1/documents/{doc_id}/{action}", body or {})


def test_parallel_validations_are_gap_free_and_unique(srv: RunningServer) -> None:
    members = [new_member(srv), new_member(srv)]
    advisor = new_advisor(srv, *members)
    docs = [submitted_invoice(members[i % 2]) for i in range(16)]
    start = _counter(srv)
    # 8 threads; every document is validated by two threads at once
    statuses = validate_twice_at_once(srv.url, advisor, docs, 8)
    assert statuses.count(200) == 16 and statuses.count(409) == 16
    values = validated_values(members, docs)
    assert all(value["payment_reference"].startswith("+++") for value in values)
    assert sorted(sequence_number(value) for value in values) == list(range(start + 1, start + 17))
    assert _counter(srv) == start + 16


def test_invoice_lifecycle_with_return_send_and_payments(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    doc = submitted_invoice(member_a)
    cursor = member_a.api.pull()["cursor"]
    r = _act(advisor, doc.id, "return", {"remarks": "Please describe the days."})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    changes = member_a.api.pull()["changes"]  # the advisor's action bumped the member's revision
    [ch] = [c for c in changes if c["id"] == doc.id]
    assert (
        ch["value"]["remarks"] == "Please describe the days." and member_a.api.cursor["rev"] > cursor["rev"]
    )
    doc.lines[0].description = "Shooting day, 8 hours"
    res = member_a.api.push(
        ("document.put", {"document": document_to_dict(doc), "changed": ["lines"]}, ch["version"]),
        ("document.transition", {"id": doc.id, "to": "submitted"}),
    )
    assert [x["status"] for x in res["results"]] == ["ok", "ok"]
    assert _act(advisor, doc.id, "validate").status_code == 200
    assert _act(advisor, doc.id, "validate").json()["error"]["code"] == "invalid_transition"
    r = _act(advisor, doc.id, "mark-sent")
    assert r.json()["status"] == "awaiting_payment"
    total = Decimal("968.00")  # 2 x 400 + 21 % VAT
    r = _act(advisor, doc.id, "payments", {"amount": "500.00"})
    assert r.json()["status"] == "partially_paid"
    assert _act(advisor, doc.id, "payments", {"amount": "-3"}).status_code == 400
    assert _act(advisor, doc.id, "payments", {"amount": "abc"}).json()["error"]["code"] == "invalid_request"
    r = _act(advisor, doc.id, "payments", {"amount": format(total - 500, "f")})
    assert r.json()["status"] == "paid"
    value = server_doc(member_a, doc.id)
    assert value["paid_amount"] == "968.00" and [e["status"] for e in value["timeline"]][-3:] == [
        "awaiting_payment",
        "partially_paid",
        "paid",
    ]


def test_expense_note_with_resumable_receipt(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    api = member_a.api
    data = bytes(range(256)) * 400  # 100 KiB "photo"
    sha = hashlib.sha256(data).hexdigest()
    size = len(data)
    assert api.req("GET", f"/sync/v1/blobs/{sha}/status").json() == {
        "sha256": sha,
        "complete": False,
        "offset": 0,
    }
    r = api.req(
        "PUT",
        f"/sync/v1/blobs/{sha}",
        content=data[:40_000],
        headers={"Content-Range": f"bytes 0-39999/{size}"},
    )
    assert r.json() == {"sha256": sha, "complete": False, "offset": 40_000}
    # the connection dropped; a chunk from the wrong place is refused with where to resume
    r = api.req(
        "PUT",
        f"/sync/v1/blobs/{sha}",
        content=data[50_000:60_000],
        headers={"Content-Range": f"bytes 50000-59999/{size}"},
    )
    assert r.status_code == 409 and r.json()["error"]["offset"] == 40_000
    assert api.req("HEAD", f"/sync/v1/blobs/{sha}").headers["Upload-Offset"] == "40000"
    # the expense note cannot be submitted before its receipt is whole (both its lines show that receipt)
    line, other = (
        ExpenseLine(
            id=uuid7(),
            date=date.today(),
            supplier=supplier,
            amount_incl=Decimal(amount),
            receipts=[sha],
            activity_id=member_a.activity.id,
        )
        for supplier, amount in (("Photo shop", "121.00"), ("Bar", "12.00"))
    )
    note = Document(
        id=uuid7(),
        kind=DocumentKind.EXPENSE_NOTE,
        activity_id=member_a.activity.id,
        expense_lines=[line, other],
    )
    res = api.push(
        ("document.put", {"document": document_to_dict(note)}),
        ("document.transition", {"id": note.id, "to": "submitted"}),
    )
    assert any(p["code"] == "receipt_missing" for p in res["results"][1]["problems"])
    r = api.req(
        "PUT",
        f"/sync/v1/blobs/{sha}",
        content=data[40_000:],
        headers={"Content-Range": f"bytes 40000-{size - 1}/{size}"},
    )
    assert r.json()["complete"] is True
    assert api.req("GET", f"/sync/v1/blobs/{sha}").content == data
    assert advisor.req("GET", f"/sync/v1/blobs/{sha}").content == data
    # a corrupted upload never counts
    bad = hashlib.sha256(b"something else").hexdigest()
    r = api.req("PUT", f"/sync/v1/blobs/{bad}", content=b"not that")
    assert r.status_code == 422 and r.json()["error"]["code"] == "blob_hash_mismatch"
    assert api.req("GET", f"/sync/v1/blobs/{bad}").status_code == 404
    res = api.push(("document.transition", {"id": note.id, "to": "submitted"}))
    assert res["results"][0]["status"] == "ok"
    r = _act(advisor, note.id, "reject-line", {"line_id": other.id, "reason": "Private expense."})
    assert r.status_code == 200
    assert _act(advisor, note.id, "validate").json()["status"] == "validated"
    assert _act(advisor, note.id, "reimburse").json()["status"] == "reimbursed"
    value = server_doc(member_a, note.id)
    assert [ln["rejection_reason"] for ln in value["expense_lines"]] == ["", "Private expense."]
    assert value["timeline"][-1]["note"] == "reimbursed 121.00"


def test_support_requests_and_cooperative_owned_facts(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    rid = uuid7()
    res = member_a.api.push(
        (
            "request.open",
            {
                "id": rid,
                "service": "collections",
                "subject": "Client won't pay",
                "body": "Invoice 12 is 3 months late.",
                "document_id": None,
            },
        ),
        ("request.open", {"id": uuid7(), "service": "astrology", "subject": "x", "body": "y"}),
    )
    assert [r["status"] for r in res["results"]] == ["ok", "rejected"]
    listed = advisor.req("GET", "/advisor/v1/requests").json()["requests"]
    assert [r["subject"] for r in listed if r["id"] == rid] == ["Client won't pay"]
    r = advisor.post(f"/advisor/v1/requests/{rid}/answer", {"body": "We sent a formal notice."})
    assert r.json()["status"] == "answered"
    member_a.api.push(("request.reply", {"id": rid, "body": "Thanks!"}))
    data = member_a.api.pull(cursor=None)
    [req] = [c["value"] for c in data["changes"] if c["id"] == rid]
    assert [m["author"] for m in req["messages"]] == ["member", "staff", "member"]
    # payment flag and monthly figures belong to the cooperative
    assert (
        advisor.post(f"/advisor/v1/clients/{member_a.client.id}/payment-flag", {"flag": "late"}).status_code
        == 200
    )
    r = advisor.post(
        f"/advisor/v1/activities/{member_a.activity.id}/figures",
        {"month": "2026-03", "revenue_invoiced": "1200.50", "hours": "35"},
    )
    assert r.status_code == 200
    from smartdesk.domain.serialize import activity_to_dict, client_to_dict

    member_a.client.name = "Studio Noord BV"
    member_a.activity.name = "Photography & video"
    res = member_a.api.push(
        ("client.put", {"client": client_to_dict(member_a.client), "changed": ["name", "payment_flag"]}, 1),
        ("activity.put", {"activity": activity_to_dict(member_a.activity)}, 1),
    )
    values = {c["id"]: c["value"] for c in member_a.api.pull(cursor=None)["changes"]}
    assert (
        values[member_a.client.id]["payment_flag"] == "late"
        and values[member_a.client.id]["name"] == "Studio Noord BV"
    )
    act = values[member_a.activity.id]
    assert act["name"] == "Photography & video"
    assert act["monthly"] == [served_march_2026()]


def _sent_invoice(srv: RunningServer, member: Member, advisor: Api, due: date) -> Document:
    doc = submitted_invoice(member, issue_date=due - timedelta(days=30), due_date=due)
    # validated on its issue date: the server dates a document on the day it validates it
    with issuing.frozen(datetime.combine(due - timedelta(days=30), time(10), UTC)):
        assert _act(advisor, doc.id, "validate").status_code == 200
    assert _act(advisor, doc.id, "mark-sent").json()["status"] == "awaiting_payment"
    return doc


def test_follow_up_engine_respects_hold_and_announces(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    due = date(2026, 1, 10)
    schedule = {"reminder_1": 7, "reminder_2": 21, "formal_notice": 35, "litigation": 60}
    doc = _sent_invoice(srv, member_a, advisor, due)
    other = _sent_invoice(srv, member_a, advisor, due)
    api = member_a.api
    # member defaults: hold the formal notice; announce reminder 1 three days ahead
    # per-document override: `other` may go to formal notice
    res = api.push(
        (
            "followup.set",
            {"document_id": None, "step": "formal_notice", "hold": True, "notify_days_before": None},
        ),
        ("followup.set", {"document_id": None, "step": "reminder_1", "hold": False, "notify_days_before": 3}),
        (
            "followup.set",
            {"document_id": other.id, "step": "formal_notice", "hold": False, "notify_days_before": None},
        ),
        ("followup.set", {"document_id": None, "step": "jail", "hold": True}),
    )
    assert [r["status"] for r in res["results"]] == ["ok", "ok", "ok", "rejected"]

    def status(d: Document) -> str:
        return str(server_doc(member_a, d.id)["status"])

    coop.tick(srv.engine, due + timedelta(days=5), schedule)  # 2 days before reminder 1: a notice
    notices = [c["value"] for c in api.pull(cursor=None)["changes"] if c["entity"] == "notice"]
    assert {(n["document_id"], n["step"], n["on"]) for n in notices} >= {
        (doc.id, "reminder_1", "2026-01-17"),
        (other.id, "reminder_1", "2026-01-17"),
    }
    assert status(doc) == "awaiting_payment"
    for day in (7, 21, 35, 60, 90, 120):  # one step per tick at most, never past a held step
        coop.tick(srv.engine, due + timedelta(days=day), schedule)
    assert status(doc) == "reminder_2"  # held before the formal notice
    assert status(other) == "litigation"
    # hold released: it goes on
    api.push(
        (
            "followup.set",
            {"document_id": doc.id, "step": "formal_notice", "hold": False, "notify_days_before": None},
        )
    )
    coop.tick(srv.engine, due + timedelta(days=120), schedule)
    assert status(doc) == "formal_notice"
    # a payment stops the follow-up
    assert _act(advisor, doc.id, "payments", {"amount": "968.00"}).json()["status"] == "paid"
    coop.tick(srv.engine, due + timedelta(days=200), schedule)
    assert status(doc) == "paid"


def test_hold_on_sending_blocks_the_advisor(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    doc = submitted_invoice(member_a)
    member_a.api.push(
        ("followup.set", {"document_id": doc.id, "step": "sent", "hold": True, "notify_days_before": None})
    )
    assert _act(advisor, doc.id, "validate").status_code == 200
    r = _act(advisor, doc.id, "mark-sent")
    assert r.status_code == 409 and r.json()["error"]["code"] == "on_hold"
    assert server_doc(member_a, doc.id)["status"] == "validated"


def test_other_member_data_is_invisible_to_a_new_member(srv: RunningServer) -> None:
    m = new_member(srv)
    kinds = {c["entity"] for c in m.api.pull(cursor=None)["changes"]}
    assert kinds == {"activity", "client"}
