"""The statement import records its payments in one batch (each invoice read once, written once, each
member's revision bumped once); what it records must be exactly what the advisor's one-by-one path
(``coop.apply_payment`` in a transaction of its own per payment) records for the same payments. Two
databases start with the same rows: the first imports a statement, the second gets the same payments
one by one; their invoices and payment records are then compared (SQLite, and PostgreSQL when
$SMARTDESK_TEST_PG_URL is set)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from smartdesk_server import coop
from smartdesk_server.db import member_revs, read, records, write
from smartdesk_server.statements import service, writes
from smartdesk_server.statements.matching import ogm_valid
from smartdesk_server.statements.samples import Movement, coda, seed_invoices
from smartdesk_server.statements.tables import statement_allocations, statement_transactions
from smartdesk_server.store import Tx, get_record
from tests.server.conftest import BACKENDS, fresh_database

DAY = date(2026, 11, 24)


def _engine(backend: str, tmp_path: Path, name: str) -> Engine:
    return fresh_database(backend, f"_stmt_{name}", tmp_path / f"{name}.sqlite3")


@pytest.fixture(params=BACKENDS)
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    batched, one_by_one = (
        _engine(request.param, tmp_path, "batched"),
        _engine(request.param, tmp_path, "single"),
    )
    yield batched, one_by_one
    batched.dispose()
    one_by_one.dispose()


def _copy_rows(source: Engine, target: Engine) -> None:
    """The seeded records and revisions, row for row (same ids, versions, bodies)."""
    with read(source) as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(records)).all()]
        revs = [dict(r._mapping) for r in conn.execute(select(member_revs)).all()]
    with write(target) as conn:
        conn.execute(records.insert(), rows)
        conn.execute(member_revs.delete())
        conn.execute(member_revs.insert(), revs)


def _recorded(engine: Engine) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every document and payment record, the moment of writing left out (each transaction has its own)."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    with read(engine) as conn:
        for r in conn.execute(select(records).where(records.c.type.in_(("document", "payment")))).all():
            body = json.loads(r.body) if r.body else None
            if body and r.type == "document":
                body["timeline"] = [{**e, "at": "-"} for e in body.get("timeline", [])]
            out[(r.type, r.id)] = (
                int(r.version),
                r.status,
                r.kind,
                bool(r.deleted),
                body,
                json.loads(r.field_versions),
            )
    return out


def _movements(invoices: list[Any]) -> list[Movement]:
    """Full payments, halves paid twice in the same file, over-payments, invoice numbers in the text,
    a third payment to an invoice the file already paid, money out."""
    moves: list[Movement] = []
    for i, inv in enumerate(invoices[:30]):
        ref = f"R{i:04d}"
        if i < 12:
            moves.append(Movement(inv.total, ref, DAY, structured=inv.ogm, name=inv.client_name))
        elif i < 18:  # two halves: partially paid, then paid
            half = (inv.total / 2).quantize(Decimal("0.01"))
            moves.append(Movement(half, ref + "a", DAY, structured=inv.ogm, name=inv.client_name))
            moves.append(Movement(inv.total - half, ref + "b", DAY, structured=inv.ogm))
        elif i < 21:
            moves.append(Movement(inv.total + Decimal("10.00"), ref, DAY, structured=inv.ogm))
        elif i < 25:
            moves.append(Movement(inv.total, ref, DAY, text=f"facture {inv.number}"))
        elif i < 27:  # a third of it only
            moves.append(Movement((inv.total / 3).quantize(Decimal("0.01")), ref, DAY, structured=inv.ogm))
        else:
            moves.append(Movement(Decimal("-12.50"), ref, DAY, text="fees"))
    moves.append(Movement(Decimal("5.00"), "R9999", DAY, structured=invoices[0].ogm))  # already paid above
    return moves


def test_batched_import_records_what_the_advisor_path_records_payment_by_payment(
    pair: tuple[Engine, Engine],
) -> None:
    batched, one_by_one = pair
    invoices = seed_invoices(batched, 40, members=4)
    _copy_rows(batched, one_by_one)
    before = _recorded(batched)
    assert before == _recorded(one_by_one)

    report = service.import_files(batched, [("nov.cod", coda(_movements(invoices)).encode("latin-1"))])
    assert report.states.get("matched", 0) >= 20 and report.states.get("overpaid") == 3

    with read(batched) as conn:
        paid = conn.execute(
            select(
                statement_transactions.c.id,
                statement_transactions.c.bank_ref,
                statement_transactions.c.booking_date,
                statement_transactions.c.counterparty_name,
                statement_allocations.c.document_id,
                statement_allocations.c.amount,
                statement_allocations.c.how,
            )
            .join(statement_allocations, statement_allocations.c.tx_id == statement_transactions.c.id)
            .order_by(statement_transactions.c.bank_ref)
        ).all()
        revs_after = {r.member_id: int(r.rev) for r in conn.execute(select(member_revs)).all()}
    assert len(paid) == 12 + 12 + 3 + 4 + 2

    # the advisor's path: one write transaction per payment, member revision then invoice locked,
    # the total computed from the invoice itself (not taken from the statement index)
    for row in paid:
        with write(one_by_one) as conn:
            first = get_record(conn, "document", row.document_id)
            assert first is not None
            tx = Tx(conn, first.member_id)
            rec = get_record(conn, "document", row.document_id, for_update=True)
            assert rec is not None
            coop.apply_payment(
                tx,
                rec,
                Decimal(row.amount),
                how=row.how,
                on=date.fromisoformat(row.booking_date),
                payment_id=row.id,
                details={"counterparty": row.counterparty_name},
            )

    got, want = _recorded(batched), _recorded(one_by_one)
    assert got.keys() == want.keys()
    changed = [k for k in got if got[k] != before.get(k)]
    assert len(changed) == 27 + len(paid)  # 27 invoices paid into, one new payment record per payment
    for key in got:
        assert got[key] == want[key], key

    # and the batch bumped each member's revision once, every record it wrote carrying it
    with read(batched) as conn:
        written = conn.execute(
            select(records.c.member_id, records.c.rev).where(records.c.type == "payment")
        ).all()
    assert {r.member_id: int(r.rev) for r in written} == {
        m: revs_after[m] for m in {r.member_id for r in written}
    }
    with read(one_by_one) as conn:
        singles = {r.member_id: int(r.rev) for r in conn.execute(select(member_revs)).all()}
    assert all(revs_after[m] < singles[m] for m in {r.member_id for r in written})


def test_two_files_of_one_import_record_what_two_imports_record(pair: tuple[Engine, Engine]) -> None:
    """The second file pays the other half of invoices the first file half paid: the writes of the
    first file (on PostgreSQL, a temporary table shared by the files of one import) must not come
    back over the second's."""
    together, apart = pair
    invoices = seed_invoices(together, 12, members=3)
    _copy_rows(together, apart)
    halves = [(inv.total / 2).quantize(Decimal("0.01")) for inv in invoices]
    first = [
        Movement(half, f"A{i:04d}", DAY, structured=inv.ogm)
        for i, (inv, half) in enumerate(zip(invoices, halves, strict=True))
    ]
    second = [
        Movement(inv.total - half, f"B{i:04d}", DAY, structured=inv.ogm)
        for i, (inv, half) in enumerate(zip(invoices, halves, strict=True))
        if i % 2 == 0
    ]
    files = [("oct.cod", coda(first).encode("latin-1")), ("nov.cod", coda(second).encode("latin-1"))]
    report = service.import_files(together, files)
    assert report.states == {"matched": 18}
    for one in files:
        service.import_files(apart, [one])

    got, want = _recorded(together), _recorded(apart)

    # payment records are named after their movement (a new id in each database): compared by content
    def payments(rows: dict[tuple[str, str], tuple[Any, ...]]) -> list[str]:
        return sorted(
            repr((v[0], {f: x for f, x in v[4].items() if f != "id"}))
            for k, v in rows.items()
            if k[0] == "payment"
        )

    assert len(payments(got)) == 18 and payments(got) == payments(want)
    docs = sorted(k for k in got if k[0] == "document")
    assert docs == sorted(k for k in want if k[0] == "document")
    for key in docs:
        assert got[key] == want[key], key
    statuses = sorted(got[("document", inv.id)][1] for inv in invoices)
    assert statuses == ["paid"] * 6 + ["partially_paid"] * 6


def _ogm(base: int) -> str:
    return f"{base:010d}{base % 97 or 97:02d}"


def test_ogm_check_digits_agree_with_stdnum() -> None:
    from stdnum.be import ogm_vcs

    rng = random.Random(97)
    samples = [
        "000000000097",
        "000000000000",
        "12345678901",
        "1234567890123",
        "+++090/9337/55493+++",
        "090/9337/55493",
        "٠٩٠٩٣٣٧٥٥٤٩٣",
        "0909337554９3",
        "",
    ]
    samples += [_ogm(rng.randrange(10**10)) for _ in range(2000)]
    samples += [f"{rng.randrange(10**12):012d}" for _ in range(2000)]
    assert sum(ogm_vcs.is_valid(s) for s in samples) > 2000  # the sample holds valid and invalid ones
    for s in samples:
        assert ogm_valid(s) == ogm_vcs.is_valid(s), s


def test_the_batch_transaction_knows_the_members_entity_like_any_transaction(tmp_path: Path) -> None:
    """``BatchTx`` is a ``Tx``: the payment rules may ask it for the member's entity (it used to raise
    AttributeError, since it did not set what ``Tx.entity`` caches)."""
    eng = _engine("sqlite", tmp_path, "entity")
    with write(eng) as conn:
        batch_tx = writes.BatchTx(conn, "no-such-member", 1, "2026-12-03T00:00:00+00:00", writes.Batch())
        assert batch_tx.entity == Tx(conn, "no-such-member").entity == "BE"
    eng.dispose()
