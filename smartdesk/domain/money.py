"""Money is Decimal, never float (ARCHITECTURE rule 4). Rounding follows EN 16931."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import list_currencies

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
QTY_STEP = Decimal("0.001")

_CURRENCIES: frozenset[str] | None = None


def round2(value: Decimal) -> Decimal:
    """Round half away from zero to 2 decimals, as EN 16931 amounts are."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Accept Decimal, int or a string ("1234.5", "1 234,50", "1.234,50"); refuse floats.

    Raises ValueError with a readable message when the text is not an amount.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError("a yes/no value is not an amount")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise ValueError("amounts must be given as text or Decimal, never as a binary float")
    elif isinstance(value, str):
        result = parse_decimal_text(value)
    else:
        raise ValueError(f"{value!r} is not an amount")
    if not result.is_finite():
        raise ValueError("the amount must be a finite number")
    return result


def parse_decimal_text(text: str) -> Decimal:
    """Parse an amount typed by a person in any of the usual European notations."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    for symbol in ("€", "EUR", "$", "£", "CHF"):
        cleaned = cleaned.replace(symbol, "")
    if not cleaned:
        raise ValueError("the amount is empty")
    if "," in cleaned and "." in cleaned:
        # the last separator is the decimal one: 1.234,50 or 1,234.50
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise ValueError(f"“{text}” is not an amount: use one decimal comma at most")
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not an amount: type digits such as 1234,50") from None


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def is_currency(code: str) -> bool:
    """True when ``code`` is an ISO 4217 currency code known to CLDR."""
    global _CURRENCIES
    if _CURRENCIES is None:
        _CURRENCIES = frozenset(list_currencies())
    return code in _CURRENCIES


def cents(value: Decimal) -> int:
    """Integer cents of a 2-decimal amount (used for sortable columns)."""
    return int(round2(value) * 100)
