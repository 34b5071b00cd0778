"""What a parsed bank statement is, whatever its file format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class StatementError(ValueError):
    """A file that cannot be imported; nothing of it is imported. ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None, file: str = "") -> None:
        self.message = message
        self.line = line
        self.file = file
        where = f"{file}: " if file else ""
        at = f"line {line}: " if line else ""
        super().__init__(f"{where}{at}{message}")


@dataclass(frozen=True)
class Transaction:
    """One movement on the cooperative's account. ``amount`` is signed: > 0 money in (credit)."""

    account: str  # the cooperative's account (IBAN when known)
    bank_ref: str  # the bank's reference of the movement (unique per account at that bank)
    booking_date: date
    value_date: date | None
    amount: Decimal
    currency: str
    structured: str = ""  # 12 digits of a Belgian structured communication, as written (check unverified)
    creditor_ref: str = ""  # an ISO 11649 "RF" reference or another structured reference as written
    free_text: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    line: int = 0  # where the movement starts in its file (CODA line, camt entry number)


@dataclass
class Statement:
    format: str  # "coda" | "camt.053" | "camt.054"
    account: str
    currency: str
    statement_id: str = ""
    transactions: list[Transaction] = field(default_factory=list)
