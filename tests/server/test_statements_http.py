"""The staff's statement endpoints and commands over the real server: advisor role only, the member
learns of the payment through sync, nothing imported from a refused file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from smartdesk.domain.payments import ogm_digits
from smartdesk_server import coop
from smartdesk_server.db import make_engine, sqlite_url
from smartdesk_server.statements.samples import Movement, coda, seed_invoices
from tests.server.conftest import Member, RunningServer, new_advisor, server_doc, submitted_invoice
from tests.server.test_cli import cli

DAY = date(2026, 11, 27)


def _sent_invoice(srv: RunningServer, member: Member) -> tuple[str, str, Decimal]:
    doc = submitted_invoice(member)
    coop.validate(srv.engine, None, doc.id)
    coop.mark_sent(srv.engine, None, doc.id)
    body = coop.get_document(srv.engine, None, doc.id)["document"]
    return doc.id, ogm_digits(body["payment_reference"]) or "", Decimal("968.00")


def test_advisor_imports_a_statement_and_the_member_pulls_paid_with_the_payment(
    srv: RunningServer, member_a: Member
) -> None:
    doc_id, ogm, total = _sent_invoice(srv, member_a)
    advisor = new_advisor(srv, member_a)
    statement = coda(
        [
            Movement(total, f"HTTP-{doc_id[-12:]}", DAY, structured=ogm, name="Studio Noord"),
            Movement(Decimal("3.00"), f"HTTP-{doc_id[-12:]}-X", DAY, text="?", name="Nobody"),
        ]
    ).encode()
    refused = member_a.api.req("POST", "/advisor/v1/statements", content=statement)
    assert refused.status_code == 403
    r = advisor.req("POST", "/advisor/v1/statements", params={"name": "nov.cod"}, content=statement)
    assert r.status_code == 200, r.text
    assert r.json()["states"] == {"matched": 1, "unmatched": 1}
    again = advisor.req("POST", "/advisor/v1/statements", content=statement).json()
    assert again["already_recorded"] == 2 and again["states"] == {}
    doc = server_doc(member_a, doc_id)
    assert doc is not None and doc["status"] == "paid" and doc["paid_amount"] == "968.00"
    payments = [c["value"] for c in member_a.api.pull(cursor=None)["changes"] if c["entity"] == "payment"]
    assert [(p["document_id"], p["amount"], p["how"], p["date"]) for p in payments] == [
        (doc_id, "968.00", "structured", "2026-11-27")
    ]
    queue = advisor.req("GET", "/advisor/v1/payments/unmatched").json()["transactions"]
    mine = [t for t in queue if t["bank_ref"].startswith(f"HTTP-{doc_id[-12:]}")]
    assert len(mine) == 1 and mine[0]["reason"].startswith("no structured communication")
    r = advisor.post(f"/advisor/v1/payments/{mine[0]['id']}/ignore", {"reason": "a test transfer"})
    assert r.status_code == 200 and r.json()["state"] == "ignored"


def test_a_broken_statement_is_refused_with_its_line_and_imports_nothing(
    srv: RunningServer, member_a: Member
) -> None:
    doc_id, ogm, total = _sent_invoice(srv, member_a)
    advisor = new_advisor(srv, member_a)
    lines = coda([Movement(total, f"BAD-{doc_id[-12:]}", DAY, structured=ogm)]).split("\r\n")
    lines[-3] = lines[-3][:50]
    r = advisor.req("POST", "/advisor/v1/statements", content="\r\n".join(lines).encode())
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_statement"
    assert "line 6" in r.json()["error"]["message"]
    doc = server_doc(member_a, doc_id)
    assert doc is not None and doc["status"] == "awaiting_payment"
    r = advisor.post("/advisor/v1/payments/nope/assign", {"document_id": doc_id})
    assert r.status_code == 404


def test_commands_import_list_assign(tmp_path: Path) -> None:
    assert cli(tmp_path, "migrate").returncode == 0
    engine = make_engine(sqlite_url(tmp_path))
    a, b = seed_invoices(engine, 2, members=1)
    engine.dispose()
    path = tmp_path / "nov.cod"
    path.write_text(
        coda([Movement(a.total, "C1", DAY, structured=a.ogm), Movement(b.total, "C2", DAY, text="see mail")]),
        encoding="latin-1",
    )
    r = cli(tmp_path, "import-statement", str(path))
    assert r.returncode == 0 and "new: 1 matched, 1 unmatched" in r.stdout, r.stdout + r.stderr
    r = cli(tmp_path, "import-statement", str(path))
    assert r.returncode == 0 and "2 already recorded; new: nothing new" in r.stdout
    import json

    queue = json.loads(cli(tmp_path, "payments", "unmatched").stdout)
    assert [t["bank_ref"] for t in queue] == ["C2"]
    r = cli(tmp_path, "payments", "assign", queue[0]["id"], b.id)
    assert r.returncode == 0 and "now paid" in r.stdout, r.stdout + r.stderr
    bad = tmp_path / "bad.cod"
    bad.write_text("0" * 127 + "\n", encoding="latin-1")
    r = cli(tmp_path, "import-statement", str(bad))
    assert r.returncode == 1 and "line 1" in r.stderr and "Traceback" not in r.stderr
