"""Belgian CODA statements (Febelfin "Coded statement of account", version 2): fixed-width records of
128 characters.

Records read: 0 header, 1 old balance (account, currency), 2.1 / 2.2 / 2.3 movement (amount, dates,
bank reference, communication, counterparty), 3.x information and 4 free communication (skipped),
8 new balance, 9 trailer (record count and totals, checked). Structured communications of type 101
(Belgian OGM/VCS) are kept apart from free text. Movements that only detail a globalised amount
(transaction code types 5 to 9) are not separate payments and are skipped; the globalised amount is.

Every line is checked: length, record code, digits where numbers are, real dates, the balance
(old + credits - debits = new) and the trailer; the first problem stops the file with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from smartdesk_server.statements.model import Statement, StatementError, Transaction

RECORD_LENGTH = 128
DETAIL_TYPES = frozenset("56789")


def _digits(line: str, start: int, end: int, what: str, n: int) -> str:
    """Positions ``start``..``end`` (1-based, inclusive, as the specification counts them)."""
    value = line[start - 1 : end]
    if not value.isdigit():
        raise StatementError(f"{what} (positions {start}-{end}) must be digits, found “{value}”", n)
    return value


def _amount(line: str, sign_pos: int, start: int, end: int, what: str, n: int) -> Decimal:
    sign = line[sign_pos - 1]
    if sign != "0" and sign != "1":
        raise StatementError(
            f"the sign of the {what} (position {sign_pos}) must be 0 or 1, found “{sign}”", n
        )
    value = _thousandths(_digits(line, start, end, what, n))
    return -value if sign == "1" else value


def _thousandths(digits: str) -> Decimal:
    """12 integer digits + 3 decimals (``digits`` are 15 ASCII digits); with 2 decimals when the third
    is 0 (every euro amount). Built from the text at once: the same value and exponent as
    ``Decimal(digits).scaleb(-3)`` quantized to cents when that loses nothing, at a third of the cost."""
    if digits[-1] == "0":
        return Decimal(f"{digits[:-3]}.{digits[-3:-1]}")
    return Decimal(f"{digits[:-3]}.{digits[-3:]}")


_DDMMYY: dict[str, date | None] = {}  # a statement repeats the same few dates on every line


def _ddmmyy(text: str) -> date | None:
    """The date of six ASCII digits DDMMYY, None when it is no date (cached)."""
    try:
        return _DDMMYY[text]
    except KeyError:
        pass
    try:
        day: date | None = date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
    except ValueError:
        day = None
    if len(_DDMMYY) < 10_000:
        _DDMMYY[text] = day
    return day


def _date(line: str, start: int, what: str, n: int, *, optional: bool = False) -> date | None:
    raw = line[start - 1 : start + 5]
    if optional and raw.strip("0 ") == "":
        return None
    text = _digits(line, start, start + 5, what, n)
    day = _ddmmyy(text)
    if day is None:
        raise StatementError(f"the {what} “{text}” (positions {start}-{start + 5}) is not a date DDMMYY", n)
    return day


def _account(line: str, structure: str, start: int, n: int) -> tuple[str, str]:
    """(account, currency) of the 37 characters at ``start``, by account structure 0-3."""
    field37 = line[start - 1 : start + 36]
    if structure == "0":  # Belgian account number 12 digits, blank, currency ISO
        return field37[0:12].strip(), field37[13:16].strip()
    if structure == "1":  # foreign account 34, currency 3
        return field37[0:34].strip(), field37[34:37].strip()
    if structure == "2":  # Belgian IBAN (16), blank, currency at 35-37
        return field37[0:16].strip(), field37[34:37].strip()
    if structure == "3":  # foreign IBAN 34, currency 3
        return field37[0:34].strip(), field37[34:37].strip()
    raise StatementError(f"unknown account structure “{structure}” (position 2 must be 0, 1, 2 or 3)", n)


@dataclass
class _Movement:
    line: int
    seq: str
    bank_ref: str
    amount: Decimal
    value_date: date | None
    entry_date: date
    detail: bool
    structured: str = ""
    text: list[str] = field(default_factory=list)
    cp_name: str = ""
    cp_account: str = ""


def _check_line(raw: str, n: int) -> str:
    line = raw.rstrip("\r\n")
    if len(line) != RECORD_LENGTH:
        raise StatementError(f"a CODA record has {RECORD_LENGTH} characters, this one has {len(line)}", n)
    return line


def decode(data: bytes) -> str:
    """CODA files are ASCII or Latin-1 (older banks), UTF-8 (newer ones)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse(data: bytes | str) -> list[Statement]:
    """Every statement of a CODA file (a file may hold several: one header to trailer each)."""
    text = decode(data) if isinstance(data, bytes) else data
    lines = text.splitlines()
    statements: list[Statement] = []
    current: Statement | None = None
    movements: list[_Movement] = []
    old_balance = Decimal(0)
    new_balance: Decimal | None = None
    records = 0
    debit = credit = Decimal(0)
    last: _Movement | None = None
    new_balance_line = 0
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        line = _check_line(raw, n)
        code = line[0]
        if code == "0":
            if current is not None:
                raise StatementError(
                    "a new header (record 0) before the trailer (record 9) of the previous statement", n
                )
            if line[1:5] != "0000":
                raise StatementError("positions 2-5 of a header must be 0000", n)
            _date(line, 6, "creation date", n)
            current = Statement(format="coda", account="", currency="")
            movements, records, debit, credit, new_balance, last = [], 0, Decimal(0), Decimal(0), None, None
            continue
        if current is None:
            raise StatementError(f"record {code} before the header (record 0)", n)
        if code == "1":
            account, currency = _account(line, line[1], 6, n)
            if not account or len(currency) != 3 or not currency.isalpha():
                raise StatementError("the old balance record has no account number or currency", n)
            current.account, current.currency = account, currency
            current.statement_id = _digits(line, 3, 5, "statement number", n)
            old_balance = _amount(line, 43, 44, 58, "old balance", n)
            _date(line, 59, "old balance date", n)
            records += 1
        elif code == "2":
            records += 1
            kind = line[1]
            seq = _digits(line, 3, 6, "sequence number", n)
            if kind == "1":
                _digits(line, 7, 10, "detail number", n)
                amount = _amount(line, 32, 33, 47, "amount", n)
                tcode = line[53:61]
                detail = tcode[0] in DETAIL_TYPES
                last = _Movement(
                    line=n,
                    seq=seq,
                    bank_ref=line[10:31].strip(),
                    amount=amount,
                    value_date=_date(line, 48, "value date", n, optional=True),
                    entry_date=_date(line, 116, "entry date", n) or date.min,
                    detail=detail,
                )
                comm_type = line[61]
                if comm_type == "1" and line[62:65] == "101":
                    last.structured = line[65:77]
                elif comm_type == "1":
                    last.text.append(line[65:115])  # other structured types: kept as text
                elif comm_type == "0":
                    last.text.append(line[62:115])
                else:
                    raise StatementError(
                        f"the communication type (position 62) must be 0 or 1, found “{comm_type}”", n
                    )
                movements.append(last)
                if not detail:
                    if amount < 0:
                        debit -= amount
                    else:
                        credit += amount
            elif kind in ("2", "3"):
                if last is None or last.seq != seq:
                    raise StatementError(
                        f"record 2.{kind} does not follow the record 2.1 of movement {seq}", n
                    )
                if kind == "2":
                    last.text.append(line[10:63])
                else:
                    structure = line[10:47]
                    last.cp_account = structure[:34].strip().split(" ")[0]
                    last.cp_name = line[47:82].strip()
                    last.text.append(line[82:125])
            else:
                raise StatementError(f"unknown movement record 2.{kind}", n)
        elif code == "3":
            records += 1
            if line[1] not in "123":
                raise StatementError(f"unknown information record 3.{line[1]}", n)
        elif code == "4":
            pass  # free communication to the account holder
        elif code == "8":
            new_balance, new_balance_line = _amount(line, 42, 43, 57, "new balance", n), n
            _date(line, 58, "new balance date", n)
        elif code == "9":
            count = int(_digits(line, 17, 22, "number of records", n))
            t_debit = _thousandths(_digits(line, 23, 37, "debit total", n))
            t_credit = _thousandths(_digits(line, 38, 52, "credit total", n))
            if count != records:
                raise StatementError(
                    f"the trailer counts {count} records 1, 2 and 3, the file has {records}", n
                )
            if (t_debit, t_credit) != (debit, credit):
                raise StatementError(
                    f"the trailer's totals (debit {t_debit}, credit {t_credit}) are not those of "
                    f"the movements (debit {debit}, credit {credit})",
                    n,
                )
            if new_balance is None:
                raise StatementError("the trailer comes before the new balance (record 8)", n)
            if old_balance + credit - debit != new_balance:
                raise StatementError(
                    f"old balance {old_balance} + movements {credit - debit} is not the new balance "
                    f"{new_balance}",
                    new_balance_line,
                )
            for m in movements:
                if m.detail:
                    continue
                current.transactions.append(
                    Transaction(
                        account=current.account,
                        bank_ref=m.bank_ref or f"{current.statement_id}/{m.seq}",
                        booking_date=m.entry_date,
                        value_date=m.value_date,
                        amount=m.amount,
                        currency=current.currency,
                        structured=m.structured,
                        free_text=" ".join("".join(m.text).split()),
                        counterparty_name=m.cp_name,
                        counterparty_iban=m.cp_account,
                        line=m.line,
                    )
                )
            statements.append(current)
            current = None
        else:
            raise StatementError(f"unknown record code “{code}” (expected 0, 1, 2, 3, 4, 8 or 9)", n)
    if current is not None:
        raise StatementError("the file ends before the trailer (record 9): it is cut short", len(lines))
    if not statements:
        raise StatementError("no CODA statement in this file (no record 0 ... 9)")
    return statements
