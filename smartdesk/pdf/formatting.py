"""Numbers, money, percentages and dates formatted by Babel for a document's language and the
issuing entity's country (``1 234,50 €`` in fr_BE, ``€ 1.234,50`` in nl_BE).

Babel's formatting costs ~40 µs a call; a 300-line invoice formats ~1 000 numbers. The locale's
patterns are therefore derived from Babel once per (locale, currency) and checked against Babel on
sample values; only a locale whose output the fast path reproduces exactly uses it.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_SAMPLES = tuple(
    Decimal(v)
    for v in (
        "0",
        "0.5",
        "7.25",
        "12.3",
        "999.99",
        "1234.5",
        "-1234.5",
        "98765.43",
        "1234567.89",
        "-0.01",
        "100000",
    )
)


@cache
def document_locale(language: str, country: str) -> Locale:
    """``fr`` + ``BE`` -> fr_BE; a pair CLDR does not know (``es`` + ``BE``) falls back to the language."""
    try:
        return Locale.parse(f"{language}_{country.upper()}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


class _FastNumbers:
    """Two-decimal amounts and money with the locale's separators and currency pattern."""

    def __init__(self, locale: Locale, currency: str) -> None:
        self.locale, self.currency = locale, currency
        self.decimal = locale.number_symbols["latn"]["decimal"]
        self.group = locale.number_symbols["latn"]["group"]
        unit = self._plain(Decimal("1234.50"))
        positive = format_currency(Decimal("1234.50"), currency, locale=locale)
        negative = format_currency(Decimal("-1234.50"), currency, locale=locale)
        self.pos = positive.replace(unit, "{}", 1) if unit in positive else ""
        self.neg = negative.replace(unit, "{}", 1) if unit in negative else ""
        self.ok = bool(self.pos and self.neg) and all(
            self.amount(v) == format_decimal(v, format="#,##0.00", locale=locale)
            and self.money(v) == format_currency(v, currency, locale=locale)
            for v in _SAMPLES
        )

    def _plain(self, value: Decimal) -> str:
        text = f"{abs(value).quantize(CENT, rounding=ROUND_HALF_EVEN):,.2f}"
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)

    def amount(self, value: Decimal) -> str:
        text = self._plain(value)
        return f"-{text}" if value < 0 and text.strip("0,.\u202f\xa0 ") else text

    def money(self, value: Decimal) -> str:
        return (self.neg if value < 0 else self.pos).format(self._plain(value))


@cache
def _fast(locale: Locale, currency: str) -> _FastNumbers | None:
    try:
        fast = _FastNumbers(locale, currency)
    except (KeyError, ValueError):
        return None
    return fast if fast.ok else None


class Formatter:
    """All the number and date formatting of one document."""

    def __init__(self, language: str, country: str, currency: str = "EUR") -> None:
        self.locale = document_locale(language, country)
        self.currency = currency
        self._fastpath = _fast(self.locale, currency)

    def money(self, amount: Decimal) -> str:
        if self._fastpath is not None:
            return self._fastpath.money(amount)
        return format_currency(amount, self.currency, locale=self.locale)

    def amount(self, amount: Decimal) -> str:
        """An amount without the currency sign (table cells)."""
        if self._fastpath is not None:
            return self._fastpath.amount(amount)
        return format_decimal(amount, format="#,##0.00", locale=self.locale)

    def price(self, value: Decimal) -> str:
        """A unit price at its own precision: 2 decimals at least, up to 4 (12,50 but 33,3333)."""
        if value == value.quantize(CENT):
            return self.amount(value)
        return _price(self.locale, value)

    def quantity(self, value: Decimal) -> str:
        return _quantity(self.locale, value)

    def percent(self, rate: Decimal) -> str:
        """``21`` -> ``21 %`` (fr), ``21%`` (en); ``5.5`` -> ``5,5 %``."""
        return _percent(self.locale, rate.normalize())

    def date(self, day: date | None) -> str:
        return format_date(day, "medium", locale=self.locale) if day else ""

    def country_name(self, code: str) -> str:
        return self.locale.territories.get(code.upper(), code.upper())


@cache
def _percent(locale: Locale, rate: Decimal) -> str:
    return format_percent(rate / HUNDRED, locale=locale, decimal_quantization=False)


@lru_cache(maxsize=4096)
def _quantity(locale: Locale, value: Decimal) -> str:
    return format_decimal(value, format="#,##0.###", locale=locale)


@lru_cache(maxsize=4096)
def _price(locale: Locale, value: Decimal) -> str:
    return format_decimal(value, format="#,##0.00##", locale=locale, decimal_quantization=False)
