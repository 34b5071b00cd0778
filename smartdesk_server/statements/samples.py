"""Writers of CODA and camt.053 files, from the specifications' field positions: for tests, benchmarks
and demos (a bank writes the real ones). Independent of the parsers on purpose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Movement:
    amount: Decimal  # signed: > 0 money in
    bank_ref: str
    booked: date
    structured: str = ""  # 12 digits (type 101)
    text: str = ""
    name: str = ""
    iban: str = ""
    detail_of_global: bool = False


def _put(buf: list[str], start: int, value: str) -> None:
    """Write ``value`` at 1-based position ``start`` of a 128-character record."""
    for i, ch in enumerate(value):
        buf[start - 1 + i] = ch


def _rec(*fields: tuple[int, str]) -> str:
    buf = [" "] * 128
    for start, value in fields:
        _put(buf, start, value)
    return "".join(buf)


def _ddmmyy(d: date) -> str:
    return d.strftime("%d%m%y")


def _amount15(value: Decimal) -> str:
    return f"{int(abs(value) * 1000):015d}"


def coda(
    movements: list[Movement],
    *,
    iban: str = "BE68539007547034",
    currency: str = "EUR",
    structure: str = "2",
    old_balance: Decimal = Decimal("1000.00"),
    on: date = date(2026, 11, 30),
    bank_id: str = "300",
    statement_no: int = 1,
    holder: str = "SMART COOP",
) -> str:
    """One CODA statement (records 0, 1, 2.1/2.2/2.3, 3.1, 8, 9), CRLF line ends."""
    lines = [
        _rec(
            (1, "0"),
            (2, "0000"),
            (6, _ddmmyy(on)),
            (12, bank_id),
            (15, "05"),
            (25, "0000000001"),
            (35, holder.ljust(26)[:26]),
            (61, "GKCCBEBB   "),
            (72, "00000000000"),
            (128, "2"),
        )
    ]
    if structure == "0":
        account = iban[-12:].ljust(12) + " " + currency
    elif structure == "2":
        account = iban.ljust(16)[:16] + " " * 18 + currency
    else:
        account = iban.ljust(34)[:34] + currency
    sign = "1" if old_balance < 0 else "0"
    lines.append(
        _rec(
            (1, "1"),
            (2, structure),
            (3, f"{statement_no:03d}"),
            (6, account),
            (43, sign),
            (44, _amount15(old_balance)),
            (59, _ddmmyy(on)),
            (65, holder.ljust(26)[:26]),
            (126, "001"),
        )
    )
    debit = credit = Decimal(0)
    count = 1
    for i, m in enumerate(movements, start=1):
        seq = f"{i:04d}"
        tcode = "50150000" if m.detail_of_global else "00150000"
        if m.structured:
            comm = (62, "1"), (63, "101"), (66, m.structured)
        else:
            comm = (62, "0"), (63, m.text[:53])
        lines.append(
            _rec(
                (1, "21"),
                (3, seq),
                (7, "0000"),
                (11, m.bank_ref.ljust(21)[:21]),
                (32, "1" if m.amount < 0 else "0"),
                (33, _amount15(m.amount)),
                (48, _ddmmyy(m.booked)),
                (54, tcode),
                *comm,
                (116, _ddmmyy(m.booked)),
                (122, f"{statement_no:03d}"),
                (125, "0"),
                (126, "1"),
                (128, "0"),
            )
        )
        lines.append(
            _rec(
                (1, "22"),
                (3, seq),
                (7, "0000"),
                (11, m.text[53:106] if not m.structured else ""),
                (64, "".ljust(35)),
                (99, "GEBABEBB"),
                (126, "1"),
                (128, "0"),
            )
        )
        lines.append(
            _rec(
                (1, "23"),
                (3, seq),
                (7, "0000"),
                (11, (m.iban.ljust(34) + "EUR") if m.iban else ""),
                (48, m.name[:35]),
                (83, m.text[106:149] if not m.structured else ""),
                (126, "0"),
                (128, "0"),
            )
        )
        count += 3
        if not m.detail_of_global:
            if m.amount < 0:
                debit -= m.amount
            else:
                credit += m.amount
    new = old_balance + credit - debit
    lines.append(
        _rec(
            (1, "8"),
            (2, f"{statement_no:03d}"),
            (5, account),
            (42, "1" if new < 0 else "0"),
            (43, _amount15(new)),
            (58, _ddmmyy(on)),
        )
    )
    lines.append(
        _rec((1, "9"), (17, f"{count:06d}"), (23, _amount15(debit)), (38, _amount15(credit)), (128, "2"))
    )
    return "\r\n".join(lines) + "\r\n"


def camt053(
    movements: list[Movement],
    *,
    iban: str = "BE68539007547034",
    currency: str = "EUR",
    version: str = "001.02",
    statement_id: str = "STMT-1",
) -> str:
    """A camt.053 statement; version 001.02 style (``Sts`` text, ``Dbtr/Nm``) or 001.08 and later
    (``Sts/Cd``, ``Dbtr/Pty/Nm``)."""
    new_style = version >= "001.08"
    entries = []
    for m in movements:
        side = "CRDT" if m.amount > 0 else "DBIT"
        party_role = "Dbtr" if m.amount > 0 else "Cdtr"
        name = f"<Pty><Nm>{escape(m.name)}</Nm></Pty>" if new_style else f"<Nm>{escape(m.name)}</Nm>"
        parties = (
            f"<RltdPties><{party_role}>{name}</{party_role}>"
            f"<{party_role}Acct><Id><IBAN>{m.iban}</IBAN></Id></{party_role}Acct></RltdPties>"
            if m.name or m.iban
            else ""
        )
        if m.structured:
            rmt = (
                "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                f"<Ref>{m.structured}</Ref></CdtrRefInf></Strd></RmtInf>"
            )
        elif m.text:
            rmt = f"<RmtInf><Ustrd>{escape(m.text)}</Ustrd></RmtInf>"
        else:
            rmt = ""
        sts = "<Sts><Cd>BOOK</Cd></Sts>" if new_style else "<Sts>BOOK</Sts>"
        entries.append(
            f'<Ntry><Amt Ccy="{currency}">{abs(m.amount):.2f}</Amt><CdtDbtInd>{side}</CdtDbtInd>{sts}'
            f"<BookgDt><Dt>{m.booked.isoformat()}</Dt></BookgDt><ValDt><Dt>{m.booked.isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{escape(m.bank_ref)}</AcctSvcrRef><BkTxCd/>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>{parties}{rmt}</TxDtls></NtryDtls>"
            "</Ntry>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.{version}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>2026-11-30T18:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        + "\n".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>\n"
    )


@dataclass(frozen=True)
class SeededInvoice:
    id: str
    member_id: str
    number: str
    ogm: str  # 12 digits
    total: Decimal
    client_name: str


def seed_invoices(
    engine: object,
    count: int,
    *,
    members: int = 50,
    status: str = "awaiting_payment",
    year: int = 2026,
    start: int = 1,
    kind: str = "invoice",
) -> list[SeededInvoice]:
    """``count`` numbered invoices (sent, awaiting payment) of ``members`` members, written straight into
    the server's records in one transaction, as validation and sending would leave them."""
    import random

    from smartdesk.domain.documents import Client, Document, DocumentKind, Line
    from smartdesk.domain.ids import uuid7
    from smartdesk.domain.payments import ogm_digits, ogm_for_document
    from smartdesk.domain.serialize import client_to_dict, document_to_dict
    from smartdesk.domain.totals import document_total
    from smartdesk_server.db import write
    from smartdesk_server.store import Tx

    rng = random.Random(count * 7919 + start)
    member_ids = [str(uuid7()) for _ in range(members)]
    clients = {
        m: [
            Client(id=uuid7(), name=f"Client {rng.randrange(10**6):06d} {suffix}")
            for suffix in ("SRL", "BV", "ASBL")
        ]
        for m in member_ids
    }
    out: list[SeededInvoice] = []
    series = "INV" if kind == "invoice" else "CN"
    with write(engine) as conn:  # type: ignore[arg-type]
        txs = {m: Tx(conn, m) for m in member_ids}
        for m in member_ids:
            for c in clients[m]:
                txs[m].put("client", c.id, client_to_dict(c), existing=None)
        for i in range(count):
            m = member_ids[i % members]
            client = clients[m][i % 3]
            number = f"BE-{series}-{year}-{start + i:06d}"
            doc = Document(
                id=uuid7(),
                kind=DocumentKind(kind),
                status=status,
                number=number,
                client_id=client.id,
                title=f"Work {i}",
                issue_date=date(year, 10, 1),
                due_date=date(year, 10, 31),
                lines=[
                    Line(
                        description="Day of work",
                        quantity=Decimal(1 + i % 3),
                        unit_price=Decimal(rng.randrange(5000, 200000)) / 100,
                    )
                ],
            )
            doc.payment_reference = ogm_for_document(doc.id, number)
            body = document_to_dict(doc)
            body["timeline"] = [
                {"at": "2026-10-01T09:00:00.000+00:00", "status": s, "actor": "cooperative", "note": ""}
                for s in ("validated", "sent", status)
            ]
            txs[m].put("document", doc.id, body, existing=None, status=status, kind=kind)
            out.append(
                SeededInvoice(
                    doc.id,
                    m,
                    number,
                    ogm_digits(doc.payment_reference) or "",
                    document_total(doc),
                    client.name,
                )
            )
    return out
