"""ISO 20022 bank-to-customer statements: camt.053 (end-of-day statement) and camt.054 (debit/credit
notification), any version (001.02 to 001.13: elements are found by local name, so the namespace
version does not matter).

One transaction per entry detail (``NtryDtls/TxDtls``) carrying its own amount, else per entry.
Only booked entries (``Sts`` BOOK) are imported: pending ones may still change. Structured
references come from ``RmtInf/Strd/CdtrRefInf/Ref`` (Belgian OGM as 12 digits or ``+++…+++``, ISO 11649
RF references); free text from ``RmtInf/Ustrd``.

The XML parser resolves no entity, reads no DTD and opens no network address; a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from smartdesk_server.statements.model import Statement, StatementError, Transaction

MAX_BYTES = 50 * 1024 * 1024


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Any, *path: str) -> Any:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c) == name), None)
    return el


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name] if el is not None else []


def _text(el: Any, *path: str) -> str:
    found = _child(el, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _date(el: Any, where: str, line: int) -> date | None:
    if el is None:
        return None
    raw = _text(el, "Dt") or _text(el, "DtTm")[:10]
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise StatementError(f"{where} “{raw}” is not a date YYYY-MM-DD", line) from None


def _amount(el: Any, line: int) -> tuple[Decimal, str]:
    raw = (el.text or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise StatementError(f"the amount “{raw}” is not a number", line) from None
    if (
        not value.is_finite()
        or value < 0
        or value > Decimal("1e12")
        or value != value.quantize(Decimal("0.01"))
    ):
        raise StatementError(f"the amount “{raw}” is out of range (0 to 10^12, at most 2 decimals)", line)
    currency = str(el.get("Ccy") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementError(f"the amount {raw} has no currency (attribute Ccy)", line)
    return value, currency


def _party(details: Any, role: str) -> tuple[str, str]:
    """(name, IBAN) of the debtor (money in) or creditor (money out)."""
    parties = _child(details, "RltdPties")
    if parties is None:
        return "", ""
    party = _child(parties, role)
    name = _text(party, "Nm") or _text(party, "Pty", "Nm")
    iban = _text(parties, role + "Acct", "Id", "IBAN")
    return name, iban.replace(" ", "").upper()


def _refs(details: Any) -> tuple[str, str, str]:
    """(Belgian structured digits, other structured reference, free text)."""
    structured = other = ""
    texts: list[str] = []
    for rmt in _children(details, "RmtInf"):
        texts.extend(" ".join((u.text or "").split()) for u in _children(rmt, "Ustrd"))
        for strd in _children(rmt, "Strd"):
            ref = _text(strd, "CdtrRefInf", "Ref")
            if not ref:
                continue
            digits = re.sub(r"[\s+/.-]", "", ref)
            if re.fullmatch(r"\d{12}", digits) and not structured:
                structured = digits
            elif not other:
                other = ref
    return structured, other, " ".join(t for t in texts if t)


def _tx_ref(entry: Any, details: Any) -> str:
    for el, path in (
        (details, ("Refs", "AcctSvcrRef")),
        (entry, ("AcctSvcrRef",)),
        (entry, ("NtryRef",)),
        (details, ("Refs", "TxId")),
        (details, ("Refs", "EndToEndId")),
    ):
        value = _text(el, *path) if el is not None else ""
        if value and value.upper() != "NOTPROVIDED":
            return value
    return ""


def parse(data: bytes) -> list[Statement]:
    if len(data) > MAX_BYTES:
        raise StatementError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"<!DOCTYPE" in data[:4096].upper():
        raise StatementError("a camt file has no DOCTYPE; this one does (refused: it could expand entities)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StatementError(f"the XML is not well formed: {exc.msg}", exc.lineno or None) from None
    body = _child(root, "BkToCstmrStmt") if _local(root) == "Document" else None
    fmt, block = "camt.053", "Stmt"
    if body is None and _local(root) == "Document":
        body, fmt, block = _child(root, "BkToCstmrDbtCdtNtfctn"), "camt.054", "Ntfctn"
    if body is None:
        raise StatementError("this XML is neither a camt.053 statement nor a camt.054 notification")
    statements: list[Statement] = []
    for stmt in _children(body, block):
        line = stmt.sourceline or 0
        iban = _text(stmt, "Acct", "Id", "IBAN") or _text(stmt, "Acct", "Id", "Othr", "Id")
        if not iban:
            raise StatementError("the statement has no account (Acct/Id/IBAN)", line)
        st = Statement(
            format=fmt,
            account=iban.replace(" ", "").upper(),
            currency=_text(stmt, "Acct", "Ccy"),
            statement_id=_text(stmt, "Id"),
        )
        for entry in _children(stmt, "Ntry"):
            eline = entry.sourceline or 0
            status = _text(entry, "Sts", "Cd") or _text(entry, "Sts")
            if status and status.upper() != "BOOK":
                continue
            amt_el = _child(entry, "Amt")
            if amt_el is None:
                raise StatementError("an entry has no amount (Amt)", eline)
            amount, currency = _amount(amt_el, eline)
            side = _text(entry, "CdtDbtInd")
            if side not in ("CRDT", "DBIT"):
                raise StatementError(f"CdtDbtInd must be CRDT or DBIT, found “{side}”", eline)
            booked = _date(_child(entry, "BookgDt"), "the booking date", eline)
            if booked is None:
                raise StatementError("a booked entry has no booking date (BookgDt)", eline)
            value_date = _date(_child(entry, "ValDt"), "the value date", eline)
            details = [d for nd in _children(entry, "NtryDtls") for d in _children(nd, "TxDtls")]
            own = [d for d in details if _child(d, "Amt") is not None or _child(d, "AmtDtls") is not None]
            parts = own if len(own) > 1 else [details[0] if details else None]
            for d in parts:
                tx_amount, tx_currency = amount, currency
                if d is not None and len(parts) > 1:
                    amt = (
                        _child(d, "Amt")
                        if _child(d, "Amt") is not None
                        else _child(d, "AmtDtls", "TxAmt", "Amt")
                    )
                    tx_amount, tx_currency = _amount(amt, d.sourceline or eline)
                src = d if d is not None else entry
                structured, other, free = _refs(src)
                name, cp_iban = _party(src, "Dbtr" if side == "CRDT" else "Cdtr")
                st.transactions.append(
                    Transaction(
                        account=st.account,
                        bank_ref=_tx_ref(entry, d),
                        booking_date=booked,
                        value_date=value_date,
                        amount=tx_amount if side == "CRDT" else -tx_amount,
                        currency=tx_currency,
                        structured=structured,
                        creditor_ref=other,
                        free_text=free or _text(entry, "AddtlNtryInf"),
                        counterparty_name=name,
                        counterparty_iban=cp_iban,
                        line=(d.sourceline if d is not None else eline) or eline,
                    )
                )
        statements.append(st)
    if not statements:
        raise StatementError(f"no statement ({block}) in this file")
    return statements
