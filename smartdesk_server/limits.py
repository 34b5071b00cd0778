"""Limits applied while parsing, before any work and outside any write transaction.

Every request body goes through :func:`check_tree` (Unicode scalar values only, no NUL, a bounded
number of JSON nodes); every record a member pushes goes through :func:`check_record` (list lengths
counted before the lists are read, plain-decimal numbers with bounded digits, ASCII digits only,
dates in a sane window, payment terms in a range, canonical identifiers). The checks are plain
Python over the parsed JSON: they cost a walk of the tree, never a conversion of a number.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from smartdesk.sync import protocol as P
from smartdesk_server.errors import ApiError

# a plain decimal: optional minus, at most 15 integer digits and 10 decimals, ASCII digits only;
# no exponent (``1e100000000`` would be a 100 MB integer once expanded), no spaces, no other scripts
DECIMAL_RE = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,10})?", re.ASCII)
MAX_DECIMAL_INT = 10**15
# an identifier as the app writes it: a canonical UUID (36 characters: the column's width)
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", re.ASCII)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
SHA_RE = re.compile(r"[0-9a-f]{64}", re.ASCII)
# dates a document may carry: far enough for any real invoice, near enough that date arithmetic
# (due date + 60 days of follow-up) can never leave Python's date range
MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2199, 12, 31)
MAX_PAYMENT_TERMS_DAYS = 365
MAX_NODES = 400_000  # JSON values in one request body (a full 4 MB push of 500 documents needs far fewer)

DECIMAL_KEYS = frozenset(
    {
        "amount",
        "amount_incl",
        "discount_percent",
        "paid_amount",
        "percent",
        "quantity",
        "unit_price",
        "vat_amount_override",
        "vat_rate",
    }
)
DATE_KEYS = frozenset({"date", "issue_date", "due_date", "delivery_date"})
LIST_KEYS = frozenset({"lines", "expense_lines", "allowances"})
MAX_RECEIPTS_PER_LINE = 20
MAX_TIMELINE = 1000


def invalid_text(where: str) -> ApiError:
    return ApiError(
        422,
        "invalid_text",
        f"{where} holds characters that are not text (a lone surrogate or a NUL). Nothing was applied.",
    )


def check_text(value: str, where: str = "The request") -> str:
    """Refuse lone surrogates (not Unicode scalar values) and NUL characters."""
    if "\x00" in value:
        raise invalid_text(where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_text(where) from None
    return value


def check_tree(value: Any) -> None:
    """Walk a parsed JSON body: every key and string must be valid text; at most ``MAX_NODES`` values."""
    stack = [value]
    nodes = 0
    while stack:
        v = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ApiError(
                413, "body_too_large", "The request holds too many values; send it in smaller parts."
            )
        if isinstance(v, str):
            check_text(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                check_text(k)
                stack.append(x)
        elif isinstance(v, list):
            stack.extend(v)


def plain_decimal(value: Any) -> bool:
    """True when ``value`` is a JSON integer or a plain decimal text within the bounds."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_DECIMAL_INT < value < MAX_DECIMAL_INT
    return isinstance(value, str) and len(value) <= 30 and DECIMAL_RE.fullmatch(value) is not None


def sane_date(value: Any) -> bool:
    if value in (None, ""):
        return True
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return False
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return False
    return MIN_DATE <= d <= MAX_DATE


def is_canonical_uuid(value: Any) -> bool:
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def _problem(problems: list[dict[str, str]], where: str, message: str) -> None:
    if len(problems) < 100:
        problems.append({"field": where, "code": "json.invalid", "message": message})


def _check_fields(d: dict[str, Any], where: str, problems: list[dict[str, str]]) -> None:
    for key, value in d.items():
        if key in DECIMAL_KEYS and value is not None and not plain_decimal(value):
            _problem(
                problems,
                f"{where}.{key}",
                'write the number plainly, e.g. "1234.50" (digits 0-9, at '
                "most 15 before the point and 10 after, no exponent)",
            )
        elif key in DATE_KEYS and not sane_date(value):
            _problem(
                problems,
                f"{where}.{key}",
                f"a date is written YYYY-MM-DD, between {MIN_DATE.year} and {MAX_DATE.year}",
            )
        elif (
            key == "payment_terms_days"
            and value is not None
            and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 0 <= value <= MAX_PAYMENT_TERMS_DAYS
            )
        ):
            _problem(
                problems,
                f"{where}.{key}",
                f"payment terms are a number of days from 0 to {MAX_PAYMENT_TERMS_DAYS}",
            )
        elif (
            (key == "id" or key.endswith("_id")) and value not in (None, "") and not is_canonical_uuid(value)
        ):
            _problem(
                problems,
                f"{where}.{key}",
                "an identifier is a UUID written as 36 characters (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
            )


def check_record(raw: Any, where: str) -> list[dict[str, str]]:
    """The problems of a pushed client, activity or document, found before it is read; [] when none.

    List lengths are checked first, so a body with a million empty lines costs a ``len()``."""
    problems: list[dict[str, str]] = []
    if not isinstance(raw, dict):
        return problems  # the domain reader says "expected an object"
    for key in LIST_KEYS:
        value = raw.get(key)
        if isinstance(value, list) and len(value) > P.MAX_LINES:
            _problem(problems, f"{where}.{key}", f"a document has at most {P.MAX_LINES} lines")
    timeline = raw.get("timeline")
    if isinstance(timeline, list) and len(timeline) > MAX_TIMELINE:
        _problem(problems, f"{where}.timeline", "the timeline is too long")
    if problems:
        return problems
    _check_fields(raw, where, problems)
    address = raw.get("address")
    if isinstance(address, dict):
        _check_fields(address, f"{where}.address", problems)
    for key in LIST_KEYS:
        value = raw.get(key)
        if not isinstance(value, list):
            continue
        for i, line in enumerate(value):
            if isinstance(line, dict):
                _check_fields(line, f"{where}.{key}[{i}]", problems)
                receipts = line.get("receipts")
                if isinstance(receipts, list) and (
                    len(receipts) > MAX_RECEIPTS_PER_LINE
                    or not all(isinstance(s, str) and SHA_RE.fullmatch(s) for s in receipts)
                ):
                    _problem(
                        problems,
                        f"{where}.{key}[{i}].receipts",
                        "receipts are at most "
                        f"{MAX_RECEIPTS_PER_LINE} SHA-256 names (64 lowercase hexadecimal characters)",
                    )
    return problems
