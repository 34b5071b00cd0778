"""The delivery queue on the real server (HTTP on 127.0.0.1, SQLite and PostgreSQL when available): the
advisor's refusal report, retries with backoff on an injected clock against an access point that is not
there, the status record in the member's pull (and nobody else's), the rejected delivery back in the
advisor's queue, and the local access point's checks on hostile input."""

from __future__ import annotations

import http.client
import json
from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.documents import Address, Client
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import client_to_dict
from smartdesk_server.delivery import mail
from smartdesk_server.delivery import queue as delivery
from smartdesk_server.delivery.accesspoint import HttpAccessPoint
from smartdesk_server.delivery.local_ap import LocalAccessPoint
from tests.server.conftest import Member, RunningServer, new_advisor, submitted_invoice
from tests.support.net import free_port

T0 = 2_000_000_000.0  # the injected clock of the worker (epoch seconds)


def _business_client(member: Member, vat: str = "BE0417497106") -> Client:
    client = Client(
        id=uuid7(),
        name="Théâtre de la Balsamine ASBL",
        address=Address("Avenue Félix Marchal 1", "1030", "Schaerbeek", "BE"),
        vat_number=vat,
        email="",  # not reachable by e-mail: Peppol or nothing
        language="nl",
    )
    member.api.push(("client.put", {"client": client_to_dict(client), "changed": []}))
    member.client = client  # the member's next invoices are for this client
    return client


def _deliveries_of(member: Member) -> list[dict[str, object]]:
    return [c["value"] for c in member.api.pull(cursor=None)["changes"] if c["entity"] == "delivery"]


def test_the_advisor_gets_the_failed_rules_and_nothing_is_validated(
    srv: RunningServer, member_a: Member
) -> None:
    _business_client(member_a)
    doc = submitted_invoice(member_a)  # no buyer reference
    advisor = new_advisor(srv, member_a)
    r = advisor.post(f"/advisor/v1/documents/{doc.id}/validate")
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "einvoice_refused" and "PEPPOL-EN16931-R003" in error["message"]
    [finding] = [f for f in error["findings"] if f["rule_id"] == "PEPPOL-EN16931-R003"]
    assert finding["field"] == "reference" and finding["message_fr"] and finding["message_nl"]
    got = advisor.req("GET", f"/advisor/v1/documents/{doc.id}").json()["document"]
    assert got["status"] == "submitted" and not got.get("number")
    assert _deliveries_of(member_a) == []
    advisor.close()


def test_an_unreachable_access_point_is_retried_with_backoff_then_back_to_the_advisor(
    srv: RunningServer, member_a: Member, member_b: Member
) -> None:
    _business_client(member_a)
    doc = submitted_invoice(member_a, reference="PO-1")
    advisor = new_advisor(srv, member_a)
    r = advisor.post(f"/advisor/v1/documents/{doc.id}/validate")
    assert r.status_code == 200, r.text
    [queued] = _deliveries_of(member_a)
    assert (queued["status"], queued["attempts"]) == ("queued", 0)
    assert queued["einvoice"]["syntax"] == "ubl"  # type: ignore[index]
    assert _deliveries_of(member_b) == []  # another member never sees it

    # nothing listens on this port: every attempt is a transient failure
    nobody = delivery.Transports(HttpAccessPoint(f"http://127.0.0.1:{free_port()}", 5), None, "")
    [row] = [d for d in delivery.list_deliveries(srv.engine) if d["document_id"] == doc.id]
    row_id = row["id"]
    # the worker's clock is injected: T0 is far after every row's first due time
    now = T0
    waits = []
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        delivery.process_due(srv.engine, nobody, now=now)
        [row] = [d for d in delivery.list_deliveries(srv.engine) if d["id"] == row_id]
        assert row["attempts"] == attempt
        if attempt < delivery.MAX_ATTEMPTS:
            assert row["status"] == "queued" and "cannot be reached" in str(row["reason"])
            waits.append(row["next_at"] - now)
            # not due yet a second before: untouched
            delivery.process_due(srv.engine, nobody, now=row["next_at"] - 1)
            [same] = [d for d in delivery.list_deliveries(srv.engine) if d["id"] == row_id]
            assert same["attempts"] == attempt
            now = float(row["next_at"])
    assert waits == [30.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0]
    assert row["status"] == "failed" and "Gave up after 8 attempts" in str(row["reason"])
    [seen] = _deliveries_of(member_a)
    assert seen["status"] == "failed"

    queue = advisor.req("GET", "/advisor/v1/queue").json()["documents"]
    [back] = [d for d in queue if d["id"] == doc.id]
    assert back["status"] == "validated"
    assert back["delivery"] == {
        "id": row_id,
        "status": "failed",
        "channel": row["channel"],
        "reason": row["reason"],
    }

    # the staff queue it again: queued for the member; a delivered document cannot be retried
    again = delivery.retry(srv.engine, row_id, now=now)
    assert (again["status"], again["attempts"]) == ("queued", 0)
    # the staff see these fields of a delivery, listed or retried (not the worker's claim nor the message id)
    staff_fields = [
        "id",
        "document_id",
        "member_id",
        "status",
        "channel",
        "recipient",
        "reason",
        "attempts",
        "next_at",
        "updated_at",
    ]
    assert list(again) == staff_fields
    assert [list(d) for d in delivery.list_deliveries(srv.engine) if d["id"] == row_id] == [staff_fields]
    assert [d["status"] for d in _deliveries_of(member_a)] == ["queued"]
    assert doc.id not in [d["id"] for d in advisor.req("GET", "/advisor/v1/queue").json()["documents"]]
    advisor.close()


def test_a_peppol_delivery_marks_the_invoice_sent(srv: RunningServer, member_a: Member) -> None:
    _business_client(member_a)
    doc = submitted_invoice(member_a, reference="PO-2")
    advisor = new_advisor(srv, member_a)
    assert advisor.post(f"/advisor/v1/documents/{doc.id}/validate").status_code == 200
    [row] = [d for d in delivery.list_deliveries(srv.engine) if d["document_id"] == doc.id]
    with LocalAccessPoint({"0208:0417497106": True}) as ap:
        transports = delivery.Transports(HttpAccessPoint(ap.url), None, "")
        # far in the future: every other test's queued rows are due too; only ours is looked at here
        delivery.process_due(srv.engine, transports, now=T0 * 2)
        assert any(b"PO-2" in m.xml for m in ap.received)
    [row] = [d for d in delivery.list_deliveries(srv.engine) if d["id"] == row["id"]]
    assert (row["status"], row["channel"], row["recipient"]) == ("delivered", "peppol", "0208:0417497106")
    got = advisor.req("GET", f"/advisor/v1/documents/{doc.id}").json()["document"]
    assert got["status"] == "awaiting_payment"
    assert [t["status"] for t in got["timeline"]][-3:] == ["validated", "sent", "awaiting_payment"]
    advisor.close()


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("POST", "/messages", body=body, headers=headers)
    answer = conn.getresponse()
    data = json.loads(answer.read() or b"{}")
    conn.close()
    return answer.status, data


@pytest.mark.parametrize(
    ("receiver", "xml", "words"),
    [
        ("0208:0000000097", b"<Invoice/>", "not registered"),
        ("0208:0203201340", b"<Invoice/>", "does not accept"),
        ("0208:0417497106", b"not xml at all", "Not a readable e-invoice"),
        (
            "0208:0417497106",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><Invoice>&e;</Invoice>',
            "Not a readable e-invoice",
        ),
    ],
)
def test_the_local_access_point_rejects_what_a_receiver_would(receiver: str, xml: bytes, words: str) -> None:
    with LocalAccessPoint({"0208:0417497106": True, "0208:0203201340": False}) as ap:
        status, answer = _post(
            ap.url, xml, {"X-Peppol-Receiver": receiver, "Content-Type": "application/xml"}
        )
        assert status == 200 and answer["status"] == "rejected" and words in str(answer["reason"])
        assert ap.received == []
        # a body without a length is refused before anything is read
        conn = http.client.HTTPConnection("127.0.0.1", int(ap.url.rsplit(":", 1)[1]), timeout=30)
        conn.putrequest("POST", "/messages")
        conn.endheaders()
        assert conn.getresponse().status == 400
        conn.close()
        assert HttpAccessPoint(ap.url).lookup("0208:0417497106")
        assert not HttpAccessPoint(ap.url).lookup("0208:0000000097")


@pytest.mark.parametrize(
    ("lang", "subject", "words"),
    [
        ("fr", "Facture", "Veuillez trouver ci-joint"),
        ("nl", "Factuur", "In bijlage vindt u"),
        ("en", "Invoice", "Please find attached"),
        ("de", "Rechnung", "anbei erhalten Sie"),
        ("es", "Factura", "Adjuntamos"),
        ("it", "Fattura", "in allegato"),
        ("pt", "Invoice", "Please find attached"),  # a language without texts: English
    ],
)
def test_the_email_speaks_the_clients_language(lang: str, subject: str, words: str) -> None:
    letter = mail.Letter(
        kind="invoice",
        number="BE-INV-2026-000007",
        issue_date=date(2026, 11, 5),
        total=Decimal("968.00"),
        currency="EUR",
        issuer="SMart Coop SC",
        member="Ana Lima",
        due_date=date(2026, 12, 5),
        iban="BE71096123456769",
        reference="+++090/9337/55493+++",
        language=lang,
    )
    msg = mail.compose(letter, "factures@demo.smart.coop", "client@example.org", [])
    assert str(msg["Subject"]) == f"{subject} BE-INV-2026-000007 – SMart Coop SC"
    text = msg.get_content()
    assert words in text and "BE71096123456769" in text and "+++090/9337/55493+++" in text
    assert "968" in text and "Ana Lima" in text
