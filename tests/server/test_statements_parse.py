"""CODA and camt parsers on files written from the specifications' field positions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smartdesk_server.statements import camt, coda
from smartdesk_server.statements.model import StatementError
from smartdesk_server.statements.samples import Movement, camt053
from smartdesk_server.statements.samples import coda as write_coda
from smartdesk_server.statements.service import parse_file

DAY = date(2026, 11, 27)


def _fields(*parts: str) -> str:
    line = "".join(parts)
    assert len(line) == 128, len(line)
    return line


# one statement typed field by field from the Febelfin CODA 2.x layout (not with the test writer)
HEADER = _fields(
    "0",
    "0000",
    "271126",
    "300",
    "05",
    " ",
    "       ",
    "0000000123",
    "SMART COOP".ljust(26),
    "GKCCBEBB".ljust(11),
    "00000000000",
    " ",
    "00000",
    "".ljust(16),
    "".ljust(16),
    "       ",
    "2",
)
OLD = _fields(
    "1",
    "2",
    "017",
    "BE68539007547034".ljust(16),
    "".ljust(18),
    "EUR",
    "0",
    "000000001000000",
    "261126",
    "SMART COOP".ljust(26),
    "".ljust(35),
    "017",
)
MOVE_21 = _fields(
    "2",
    "1",
    "0001",
    "0000",
    "EBNK000000000000042AB",
    "0",
    "000000000968500",
    "271126",
    "00150000",
    "1",
    "101",
    "010806817183",
    "".ljust(38),
    "271126",
    "017",
    "0",
    "1",
    " ",
    "0",
)
MOVE_22 = _fields(
    "2",
    "2",
    "0001",
    "0000",
    "".ljust(53),
    "".ljust(35),
    "GEBABEBB".ljust(11),
    "   ",
    " ",
    "    ",
    "    ",
    "    ",
    "1",
    " ",
    "0",
)
MOVE_23 = _fields(
    "2",
    "3",
    "0001",
    "0000",
    "BE71096123456769".ljust(34),
    "EUR",
    "Studio Noord SRL".ljust(35),
    "".ljust(43),
    "0",
    " ",
    "0",
)
FEE_21 = _fields(
    "2",
    "1",
    "0002",
    "0000",
    "EBNK000000000000043AB",
    "1",
    "000000000012100",
    "271126",
    "00350000",
    "0",
    "Frais de tenue de compte novembre".ljust(53),
    "271126",
    "017",
    "0",
    "0",
    " ",
    "1",
)
INFO_31 = _fields(
    "3",
    "1",
    "0002",
    "0001",
    "EBNK000000000000043AB",
    "00350000",
    "0",
    "".ljust(73),
    "".ljust(12),
    "0",
    " ",
    "0",
)
NEW = _fields(
    "8",
    "017",
    "BE68539007547034".ljust(16),
    "".ljust(18),
    "EUR",
    "0",
    "000000001956400",
    "271126",
    "".ljust(64),
    "0",
)
TRAILER = _fields("9", "".ljust(15), "000006", "000000000012100", "000000000968500", "".ljust(75), "2")
TYPED = "\r\n".join([HEADER, OLD, MOVE_21, MOVE_22, MOVE_23, FEE_21, INFO_31, NEW, TRAILER]) + "\r\n"


def test_coda_typed_from_the_specification() -> None:
    (st,) = coda.parse(TYPED.encode("latin-1"))
    assert (st.format, st.account, st.currency, st.statement_id) == ("coda", "BE68539007547034", "EUR", "017")
    pay, fee = st.transactions
    assert pay.amount == Decimal("968.50") and pay.structured == "010806817183" and pay.free_text == ""
    assert (pay.bank_ref, pay.booking_date, pay.line) == ("EBNK000000000000042AB", DAY, 3)
    assert (pay.counterparty_name, pay.counterparty_iban) == ("Studio Noord SRL", "BE71096123456769")
    assert fee.amount == Decimal("-12.10") and fee.free_text == "Frais de tenue de compte novembre"
    # written to the cent as the bank wrote them (the record holds thousandths)
    assert (format(pay.amount, "f"), format(fee.amount, "f")) == ("968.50", "-12.10")


def test_coda_amounts_keep_thousandths_only_when_there_are_some() -> None:
    text = (
        "\r\n".join(
            [
                HEADER,
                OLD,
                MOVE_21[:32] + "000000000000125" + MOVE_21[47:],
                MOVE_22,
                MOVE_23,
                FEE_21[:32] + "000000000012000" + FEE_21[47:],
                INFO_31,
                NEW[:42] + "000000000988125" + NEW[57:],
                TRAILER[:22] + "000000000012000" + "000000000000125" + TRAILER[52:],
            ]
        )
        + "\r\n"
    )
    (st,) = coda.parse(text)
    assert [format(t.amount, "f") for t in st.transactions] == ["0.125", "-12.00"]


@pytest.mark.parametrize(
    ("line_no", "change", "message"),
    [
        (3, lambda s: s[:40] + "X" + s[41:], "amount"),
        (3, lambda s: s[:47] + "311326" + s[53:], "date"),
        (4, lambda s: s[:120], "128 characters"),
        (5, lambda s: "7" + s[1:], "unknown record code"),
        (9, lambda s: s[:16] + "000007" + s[22:], "trailer counts 7"),
        (9, lambda s: s[:37] + "000000000968400" + s[52:], "totals"),
        (8, lambda s: s[:42] + "000000001956300" + s[57:], "new balance"),
    ],
)
def test_a_corrupted_coda_line_is_refused_with_its_line_number(
    line_no: int, change: object, message: str
) -> None:
    lines = TYPED.split("\r\n")
    lines[line_no - 1] = change(lines[line_no - 1])  # type: ignore[operator]
    for _ in range(2):  # the second time too (dates once read are remembered, bad ones with them)
        with pytest.raises(StatementError) as err:
            coda.parse("\r\n".join(lines))
        assert err.value.line == line_no and message in err.value.message


def test_coda_cut_short_and_empty_files() -> None:
    with pytest.raises(StatementError, match="cut short"):
        coda.parse("\r\n".join(TYPED.split("\r\n")[:6]))
    with pytest.raises(StatementError, match="neither a CODA"):
        parse_file("empty.cod", b"   ")


def test_coda_bank_variants_old_account_number_foreign_iban_and_globalised_details() -> None:
    moves = [
        Movement(Decimal("250.00"), "A1", DAY, text="Facture BE-INV-2026-000031 " * 4, name="Atelier"),
        Movement(Decimal("40.00"), "A1D", DAY, text="detail", detail_of_global=True),
    ]
    (old,) = coda.parse(write_coda(moves, structure="0", iban="539007547034", bank_id="001"))
    assert old.account == "539007547034" and len(old.transactions) == 1  # details of a global amount skipped
    # the communication runs over records 2.1, 2.2 and 2.3 without a separator
    assert old.transactions[0].free_text == ("Facture BE-INV-2026-000031 " * 4).strip()
    (usd,) = coda.parse(
        write_coda(
            [Movement(Decimal("99.99"), "U1", DAY, structured="010806817183")],
            structure="3",
            iban="GB33BUKB20201555555555",
            currency="USD",
        )
    )
    assert (usd.account, usd.currency, usd.transactions[0].currency) == (
        "GB33BUKB20201555555555",
        "USD",
        "USD",
    )
    two = write_coda([Movement(Decimal("1.00"), "X1", DAY)], statement_no=1) + write_coda(
        [Movement(Decimal("2.00"), "X2", DAY)], statement_no=2
    )
    assert [s.transactions[0].bank_ref for s in coda.parse(two)] == ["X1", "X2"]


CAMT_V8 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-27T20:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>2026-330</Id><CreDtTm>2026-11-27T20:00:00</CreDtTm>
   <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Ntry><Amt Ccy="EUR">1500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt><AcctSvcrRef>BATCH-7</AcctSvcrRef>
    <NtryDtls>
     <TxDtls><Refs><AcctSvcrRef>T-1</AcctSvcrRef></Refs><Amt Ccy="EUR">1000.00</Amt>
      <RltdPties><Dbtr><Pty><Nm>Théâtre Nord</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>FR76 3000 4000 0312 3456 7890 143</IBAN></Id></DbtrAcct></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>
     <TxDtls><Refs><AcctSvcrRef>T-2</AcctSvcrRef></Refs><Amt Ccy="EUR">500.00</Amt>
      <RmtInf><Ustrd>FR-INV-2026-000004</Ustrd></RmtInf></TxDtls>
    </NtryDtls></Ntry>
   <Ntry><Amt Ccy="USD">80.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><DtTm>2026-11-27T10:00:00</DtTm></BookgDt><AcctSvcrRef>FX-1</AcctSvcrRef>
    <NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>+++010/8068/17183+++</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">9.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
    <BookgDt><Dt>2026-11-27</Dt></BookgDt></Ntry>
  </Stmt></BkToCstmrStmt></Document>
"""


def test_camt053_new_style_batch_foreign_currency_and_pending() -> None:
    (st,) = camt.parse(CAMT_V8.encode())
    assert (st.format, st.account) == ("camt.053", "FR7630006000011234567890189")
    one, two, fx = st.transactions  # the pending entry is not imported
    assert (one.bank_ref, one.amount, one.creditor_ref, one.structured) == (
        "T-1",
        Decimal("1000.00"),
        "RF18539007547034",
        "",
    )
    assert (one.counterparty_name, one.counterparty_iban) == ("Théâtre Nord", "FR7630004000031234567890143")
    assert (two.amount, two.free_text) == (Decimal("500.00"), "FR-INV-2026-000004")
    assert (fx.currency, fx.structured, fx.booking_date) == ("USD", "010806817183", DAY)


def test_camt053_old_style_and_camt054() -> None:
    moves = [
        Movement(Decimal("12.00"), "C1", DAY, structured="010806817183", name="Ana", iban="BE71096123456769"),
        Movement(Decimal("-3.00"), "C2", DAY, text="fee"),
    ]
    (st,) = camt.parse(camt053(moves, version="001.02").encode())
    assert [(t.amount, t.structured, t.counterparty_name) for t in st.transactions] == [
        (Decimal("12.00"), "010806817183", "Ana"),
        (Decimal("-3.00"), "", ""),
    ]
    ntf = (
        camt053(moves)
        .replace("camt.053.001.02", "camt.054.001.02")
        .replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")
    )
    ntf = ntf.replace("<Stmt>", "<Ntfctn>").replace("</Stmt>", "</Ntfctn>")
    (n,) = camt.parse(ntf.encode())
    assert n.format == "camt.054" and len(n.transactions) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><Document/>", "DOCTYPE"),
        (
            b"<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>BE1</IBAN></Id></Acct><Ntry><Amt Ccy='EUR'>1e400</Amt>"
            b"</Ntry></Stmt></BkToCstmrStmt></Document>",
            "out of range",
        ),
        (
            b"<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>BE1</IBAN></Id></Acct><Ntry><Amt Ccy='EUR'>1.00</Amt>"
            b"<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>",
            "not a date",
        ),
        (b"<Document><BkToCstmrStmt><Stmt>", "not well formed"),
        (b"<Document><Other/></Document>", "neither a camt.053"),
    ],
)
def test_camt_hostile_or_broken_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(StatementError, match=message):
        parse_file("x.xml", data)
