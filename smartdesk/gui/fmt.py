"""Numbers, money and dates in the interface language, and parsing what people type.

The three interface locales are formatted here directly (as CLDR/Babel writes them: fr_BE
"1 234,50 €", nl_BE "€ 1.234,50", en_GB "€1,234.50"), which keeps Babel's locale loading out of the
start-up path; any other currency or locale goes through Babel.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from smartdesk.i18n import ui

# locale -> (group separator, decimal separator, EUR pattern with {n})
_LOCALES: dict[str, tuple[str, str, str]] = {
    "fr_BE": ("\u202f", ",", "{n}\u00a0€"),
    "nl_BE": (".", ",", "€\u00a0{n}"),
    "en_GB": (",", ".", "€{n}"),
}


def _locale() -> str:
    return ui.qt_locale_name()


def _group(digits: str, sep: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def _plain(value: Decimal, locale: str, min_places: int, max_places: int) -> str:
    group, point, _pattern = _LOCALES[locale]
    text = format(abs(value), "f")
    whole, _dot, frac = text.partition(".")
    frac = frac.rstrip("0")[:max_places] if len(frac.rstrip("0")) > min_places else frac[:min_places]
    frac = frac.ljust(min_places, "0")
    body = _group(whole, group) + (point + frac if frac else "")
    return ("-" if value < 0 else "") + body


@lru_cache(maxsize=8192)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    if currency == "EUR" and locale in _LOCALES:
        rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        body = _plain(abs(rounded), locale, 2, 2)
        sign = "-" if rounded < 0 else ""
        pattern = _LOCALES[locale][2]
        return (
            (sign + pattern.format(n=body))
            if not pattern.startswith("€\u00a0")
            else pattern.format(n=sign + body)
        )
    from babel.numbers import format_currency

    return format_currency(amount, currency or "EUR", locale=locale)


def money(amount: Decimal, currency: str = "EUR") -> str:
    return _money(amount, currency or "EUR", _locale())


def money_in(text: str, locale: str) -> Decimal | None:
    """The amount of a euro text as ``money`` writes it in ``locale`` (one of the interface locales),
    else None: the interface language changed and an amount on screen is written again."""
    if locale not in _LOCALES:
        return None
    group, point, pattern = _LOCALES[locale]
    before, _n, after = pattern.partition("{n}")
    negative = text.startswith("-")
    core = text[1:] if negative else text
    if not (core.startswith(before) and core.endswith(after)) or len(core) <= len(before) + len(after):
        return None
    body = core[len(before) : len(core) - len(after)]
    if body.startswith("-") and not negative:
        negative, body = True, body[1:]
    whole, _sep, frac = body.partition(point)
    parts = whole.split(group)
    if not (parts[0].isdigit() and len(parts[0]) <= 3 or len(parts) == 1 and parts[0].isdigit()):
        return None
    if any(len(p) != 3 or not p.isdigit() for p in parts[1:]) or (frac and not frac.isdigit()):
        return None
    amount = Decimal("".join(parts) + ("." + frac if frac else ""))
    return -amount if negative else amount


@lru_cache(maxsize=8192)
def _decimal(value: Decimal, locale: str) -> str:
    if locale in _LOCALES:
        return _plain(value, locale, 0, 4)
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.####", locale=locale)


def number(value: Decimal) -> str:
    return _decimal(value, _locale())


def day(value: date | None) -> str:
    """Dates as day/month/year, the order all three interface languages use."""
    return value.strftime("%d/%m/%Y") if value else ""


def percent(value: Decimal) -> str:
    return f"{number(value)} %"
