"""Matching bank movements to invoices on a real server database (SQLite file; PostgreSQL too when
$SMARTDESK_TEST_PG_URL is set): 1,000 generated movements against 800 invoices with known truth."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from smartdesk.domain.payments import ogm_check_digits
from smartdesk_server import coop
from smartdesk_server.db import read, records
from smartdesk_server.errors import ApiError
from smartdesk_server.statements import service
from smartdesk_server.statements.model import StatementError
from smartdesk_server.statements.samples import Movement, SeededInvoice, camt053, coda, seed_invoices
from smartdesk_server.statements.tables import statement_transactions
from tests.server.conftest import BACKENDS, fresh_database

DAY = date(2026, 11, 20)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng = fresh_database(request.param, "_statements", tmp_path / "server.sqlite3")
    yield eng
    eng.dispose()


def _doc(engine: Engine, doc_id: str) -> dict:
    with read(engine) as conn:
        body = conn.execute(select(records.c.body).where(records.c.id == doc_id)).scalar()
    return json.loads(body)


def _payments(engine: Engine, doc_id: str) -> list[dict]:
    with read(engine) as conn:
        rows = conn.execute(
            select(records.c.body).where((records.c.type == "payment") & records.c.id.like(f"{doc_id}:%"))
        ).all()
    return [json.loads(r.body) for r in rows]


def _wrong_check(ogm: str) -> str:
    base = int(ogm[:10])
    bad = (ogm_check_digits(base) % 97) + 1
    return f"{base:010d}{bad:02d}"


def _states(engine: Engine) -> dict[str, tuple[str, str]]:
    with read(engine) as conn:
        return {r.bank_ref: (r.state, r.reason) for r in conn.execute(select(statement_transactions)).all()}


def test_thousand_movements_against_800_invoices_with_known_truth(engine: Engine) -> None:
    rng = random.Random(18)
    invoices = seed_invoices(engine, 800, members=40)
    pool = list(invoices)
    rng.shuffle(pool)
    structured_full, structured_split, by_number, suggest_pool = (
        pool[:350],
        pool[350:425],
        pool[425:575],
        pool[575:675],
    )
    movements: list[Movement] = []
    truth: dict[str, str] = {}  # bank_ref -> the invoice that an automatic match must choose
    expected_state: dict[str, str] = {}

    def add(m: Movement, state: str, doc: SeededInvoice | None = None) -> None:
        movements.append(m)
        expected_state[m.bank_ref] = state
        if doc is not None:
            truth[m.bank_ref] = doc.id

    n = 0

    def ref() -> str:
        nonlocal n
        n += 1
        return f"B{n:06d}"

    for inv in structured_full:  # 350 full payments by structured communication
        add(Movement(inv.total, ref(), DAY, structured=inv.ogm, name="Someone"), "matched", inv)
    for inv in structured_split:  # 75 invoices paid in two parts: 150 movements
        first = (inv.total / 3).quantize(Decimal("0.01"))
        add(Movement(first, ref(), DAY, structured=inv.ogm), "matched", inv)
        add(Movement(inv.total - first, ref(), DAY + timedelta(days=1), structured=inv.ogm), "matched", inv)
    for inv in by_number:  # 150 invoice numbers typed in the free text, with their own separators
        typed = rng.choice(
            [inv.number, inv.number.replace("-", " "), inv.number.lower(), inv.number.replace("-", "/")]
        )
        add(Movement(inv.total, ref(), DAY, text=f"Facture {typed} merci"), "matched", inv)
    for inv in pool[675:775]:  # 100 structured communications mistyped: check digits wrong
        add(Movement(inv.total, ref(), DAY, structured=_wrong_check(inv.ogm)), "unmatched")
    for inv in suggest_pool:  # 100 without reference, from the client, for the amount due: suggestions
        add(Movement(inv.total, ref(), DAY, text="payment", name=inv.client_name.upper()), "suggested")
    for i in range(50):  # valid structured communications no invoice carries
        base = 9_000_000_000 + i
        add(
            Movement(Decimal("10.00"), ref(), DAY, structured=f"{base:010d}{ogm_check_digits(base):02d}"),
            "unmatched",
        )
    for i in range(50):  # nothing to go by
        add(Movement(Decimal(100 + i), ref(), DAY, text="gift", name=f"Unknown payer {i}"), "unmatched")
    for i in range(50):  # money out
        add(Movement(Decimal(-5 - i), ref(), DAY, text="bank fees"), "outgoing")
    assert len(movements) == 1000
    rng.shuffle(movements)
    data = coda(movements).encode()

    report = service.import_files(engine, [("big.cod", data)])

    assert report.transactions == 1000 and report.already_recorded == 0
    states = _states(engine)
    assert {k: v[0] for k, v in states.items()} == expected_state
    with read(engine) as conn:
        rows = conn.execute(
            text(
                "SELECT t.bank_ref, a.document_id, a.how FROM statement_allocations a "
                "JOIN statement_transactions t ON t.id = a.tx_id"
            )
        ).all()
    automatic = {r.bank_ref: r.document_id for r in rows}
    assert automatic == truth  # 100 % of the valid structured communications, 0 wrong automatic match
    assert {r.how for r in rows if r.bank_ref in {m.bank_ref for m in movements if m.structured}} == {
        "structured"
    }
    for bank_ref, (state, reason) in states.items():
        if state in ("unmatched", "suggested"):
            assert reason, bank_ref
    wrong = [
        m.bank_ref
        for m in movements
        if m.structured
        and expected_state[m.bank_ref] == "unmatched"
        and int(m.structured[:10]) < 9_000_000_000
    ]
    assert all("check digits" in states[b][1] for b in wrong)
    for inv in structured_full[:20] + structured_split[:20] + by_number[:20]:
        body = _doc(engine, inv.id)
        assert body["status"] == "paid" and Decimal(body["paid_amount"]) == inv.total
    assert len(_payments(engine, structured_split[0].id)) == 2
    for inv in suggest_pool[:20]:
        assert _doc(engine, inv.id)["status"] == "awaiting_payment"  # a suggestion never pays

    with read(engine) as conn:
        before = conn.execute(text("SELECT type, id, version, rev FROM records ORDER BY type, id")).all()
    again = service.import_files(engine, [("big-again.cod", data)])
    assert again.already_recorded == 1000 and again.states == {}
    with read(engine) as conn:
        after = conn.execute(text("SELECT type, id, version, rev FROM records ORDER BY type, id")).all()
    assert after == before and _states(engine) == states


def test_overlapping_statements_record_each_movement_once(engine: Engine) -> None:
    a, b, c = seed_invoices(engine, 3, members=1)
    m1 = Movement(a.total, "R1", DAY, structured=a.ogm)
    m2 = Movement((b.total / 2).quantize(Decimal("0.01")), "R2", DAY, structured=b.ogm)
    m3 = Movement(c.total, "R3", DAY + timedelta(days=1), text=f"invoice {c.number}")
    service.import_files(engine, [("mon.cod", coda([m1, m2]).encode())])
    report = service.import_files(engine, [("mon-tue.xml", camt053([m1, m2, m3]).encode())])
    # a camt file of the same movements has the same keys (account, bank reference, date, amount)
    assert report.already_recorded == 2 and report.states == {"matched": 1}
    assert _doc(engine, b.id)["status"] == "partially_paid"
    assert Decimal(_doc(engine, b.id)["paid_amount"]) == m2.amount
    assert [p["how"] for p in _payments(engine, c.id)] == ["invoice_number"]


def test_over_payment_paid_invoice_credit_note_and_foreign_currency_wait_for_the_staff(
    engine: Engine,
) -> None:
    a, b = seed_invoices(engine, 2, members=1)
    credit = seed_invoices(engine, 1, members=1, kind="credit-note", start=900)[0]
    service.import_files(
        engine,
        [("1.cod", coda([Movement(a.total + Decimal("10.00"), "O1", DAY, structured=a.ogm)]).encode())],
    )
    assert _doc(engine, a.id)["status"] == "paid"
    service.import_files(
        engine,
        [
            (
                "2.cod",
                coda(
                    [
                        Movement(Decimal("5.00"), "O2", DAY, structured=a.ogm),
                        Movement(Decimal("5.00"), "O3", DAY, structured=credit.ogm),
                    ]
                ).encode(),
            )
        ],
    )
    service.import_files(
        engine,
        [
            (
                "usd.cod",
                coda(
                    [Movement(b.total, "O4", DAY, structured=b.ogm)],
                    iban="US12345678901234567890",
                    currency="USD",
                    structure="3",
                ).encode(),
            )
        ],
    )
    states = _states(engine)
    assert states["O1"][0] == "overpaid" and "over-payment of 10.00" in states["O1"][1]
    assert states["O2"][0] == "unmatched" and "already paid" in states["O2"][1]
    assert states["O3"][0] == "unmatched" and "credit note" in states["O3"][1]
    assert states["O4"][0] == "unmatched" and "USD" in states["O4"][1]
    assert _doc(engine, b.id)["status"] == "awaiting_payment"
    queue = {t["bank_ref"]: t for t in service.unmatched(engine)}
    assert set(queue) == {"O1", "O2", "O3", "O4"}
    assert queue["O3"]["suggestions"][0]["document_id"] == credit.id


def test_staff_splits_one_payment_across_two_invoices_then_ignores_fees(engine: Engine) -> None:
    a, b = seed_invoices(engine, 2, members=2)
    both = a.total + b.total
    service.import_files(
        engine,
        [
            (
                "s.cod",
                coda(
                    [
                        Movement(both, "S1", DAY, text=f"invoices {a.number} and {b.number}"),
                        Movement(Decimal("2.50"), "S2", DAY, text="interest"),
                    ]
                ).encode(),
            )
        ],
    )
    queue = {t["bank_ref"]: t for t in service.unmatched(engine)}
    assert "several invoice numbers" in queue["S1"]["reason"]
    assert {s["document_id"] for s in queue["S1"]["suggestions"]} == {a.id, b.id}
    tx = queue["S1"]["id"]
    with pytest.raises(ApiError) as too_much:
        service.assign(engine, tx, a.id, format(both + 1, "f"))
    assert "left to assign" in too_much.value.message
    first = service.assign(engine, tx, a.id, format(a.total, "f"))
    assert first["state"] == "partly_assigned" and first["invoice_status"] == "paid"
    second = service.assign(engine, tx, b.id)
    assert second["state"] == "assigned" and Decimal(second["left"]) == 0
    assert _doc(engine, b.id)["status"] == "paid"
    assert [p["how"] for p in _payments(engine, b.id)] == ["staff"]
    with pytest.raises(ApiError):
        service.ignore(engine, queue["S2"]["id"], "  ")
    service.ignore(engine, queue["S2"]["id"], "bank interest")
    assert [t["bank_ref"] for t in service.unmatched(engine)] == []


def test_a_file_that_fails_imports_nothing_not_even_the_good_files_beside_it(engine: Engine) -> None:
    a, b = seed_invoices(engine, 2, members=1)
    good = coda([Movement(a.total, "G1", DAY, structured=a.ogm)]).encode()
    lines = coda([Movement(b.total, "G2", DAY, structured=b.ogm)]).splitlines()
    lines[2] = lines[2][:40] + "X" + lines[2][41:]  # a letter inside the amount of the movement
    with pytest.raises(StatementError) as err:
        service.import_files(engine, [("good.cod", good), ("bad.cod", "\r\n".join(lines).encode())])
    assert err.value.line == 3 and err.value.file == "bad.cod" and "amount" in err.value.message
    assert _states(engine) == {}
    assert _doc(engine, a.id)["status"] == "awaiting_payment"


def test_advisor_payment_is_listed_with_how_it_was_found(engine: Engine) -> None:
    (a,) = seed_invoices(engine, 1, members=1)
    coop.record_payment(engine, None, a.id, "10.00")
    assert [(p["amount"], p["how"]) for p in _payments(engine, a.id)] == [("10.00", "advisor")]
    assert _doc(engine, a.id)["status"] == "partially_paid"
