"""The pieces of a receipt's text: amounts, VAT rates, dates and VAT numbers found in one line.

Plain strings in, values out; :mod:`smartdesk.receipts.reading.extract` decides which of them are the
receipt's fields. Tolerant of OCR mistakes (O for 0 in numbers, a stray space before a decimal comma).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.eu import vat as eu_vat

CENT = Decimal("0.01")

# ---------------------------------------------------------------------------------------------- text


def fold(text: str) -> str:
    """Lower case without accents ("Déc." -> "dec."), for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def split_lines(text: str | Iterable[str]) -> list[str]:
    lines = (
        text.splitlines()
        if isinstance(text, str)
        else [line for chunk in text for line in chunk.splitlines()]
    )
    return [line.strip() for line in lines if line.strip()]


# ------------------------------------------------------------------------------------------- amounts

# 1.234,56  1 234,56  1234,56  1,234.56  12.34  -3,00  12, 34 (OCR space)  12,34€
_AMOUNT = re.compile(r"(?<![\d.,])(-\s?)?(\d{1,3}(?:[.,' \u202f]\d{3})+|\d+)\s?([.,])\s?(\d{2})(?![\d%])")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    start: int
    end: int


def parse_amount(text: str) -> Decimal | None:
    """The single amount in ``text`` ("1.234,56", "1,234.56", "12,34 EUR", "€ 3.50"), else None."""
    found = find_amounts(text)
    return found[0].value if len(found) == 1 else None


def find_amounts(line: str) -> list[Amount]:
    """Every amount with two decimals in one line, left to right (percentages excluded)."""
    out: list[Amount] = []
    for m in _AMOUNT.finditer(line):
        whole = re.sub(r"[.,' \u202f]", "", m.group(2))
        try:
            value = Decimal(f"{whole}.{m.group(4)}")
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            continue
        if m.group(1):
            value = -value
        out.append(Amount(value, m.start(), m.end()))
    return out


_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
#: VAT rates in force in the EU countries where the cooperative works and their neighbours
KNOWN_RATES = {
    Decimal(r)
    for r in (
        "0",
        "2.1",
        "3",
        "4",
        "5",
        "5.5",
        "6",
        "7",
        "8",
        "8.5",
        "9",
        "10",
        "12",
        "13",
        "14",
        "16",
        "17",
        "19",
        "20",
        "21",
        "22",
        "23",
        "24",
        "25",
        "27",
    )
}


def find_rates(line: str) -> list[tuple[Decimal, int, int]]:
    out = []
    for m in _RATE.finditer(line):
        rate = Decimal(m.group(1).replace(",", ".")).normalize()
        if rate == rate.to_integral():
            rate = rate.quantize(Decimal("1"))
        if rate in KNOWN_RATES:
            out.append((rate, m.start(), m.end()))
    return out


# --------------------------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "janvier janv jan januari january januar jänner enero ene gennaio genn gen",
        "fevrier fevr fev februari february februar feb febrero febbraio",
        "mars mar maart march marz marzo",
        "avril avr april apr abril aprile",
        "mai mei may maj mayo maggio mag",
        "juin jun juni june junio giugno giu",
        "juillet juil jul juli july julio luglio lug",
        "aout aou augustus august aug agosto ago",
        "septembre sept sep september septiembre settembre set",
        "octobre oct oktober october octubre ottobre ott okt",
        "novembre nov november noviembre",
        "decembre dec december dezember dez diciembre dic dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))

#: what may follow a date: not a digit nor a decimal comma, unless a time joined to it by OCR ("2026-05-1018:19")
_THEN = r"(?=[^\d,]|$|\d{1,2}[:h]\d{2})"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?<!\d)(20\d{{2}})\s?[-/.]\s?(\d{{1,2}})\s?[-/.]\s?(\d{{1,2}}){_THEN}"), "ymd"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})\s?[-/.]\s?(\d{{1,2}})\s?[-/.]\s?(20\d{{2}}|\d{{2}}){_THEN}"), "dmy"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:er|e|\.)?\s*({_MONTH_WORD})\.?,?\s*(20\d{{2}}){_THEN}"), "d_month_y"),
    (re.compile(rf"\b({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)"), "month_d_y"),
]


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def find_dates(line: str) -> list[date]:
    """Every valid calendar date in one line (day before month, as in Europe)."""
    folded = fold(line)
    out: list[date] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(folded if kind in ("ymd", "dmy") else spaced(folded)):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                if kind == "ymd":
                    found = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                elif kind == "dmy":
                    found = date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
                elif kind == "d_month_y":
                    found = date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
                else:
                    found = date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
            except ValueError:
                continue
            if 2000 <= found.year <= 2099:
                out.append(found)
                taken.append((m.start(), m.end()))
    return out


def parse_date(text: str) -> date | None:
    found = find_dates(text)
    return found[0] if found else None


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_VAT_WORD_JOINED = re.compile(r"(?i)(tva|btw|vat|mwst|idnr\.?|ust\.?)(?=(?:AT|BE|DE|ES|FR|IT|LU|NL)\s?\d)")


#: two amounts joined by OCR, "96.3220.23" or "20,161,41": the first ends two digits after its separator
_JOINED_AMOUNTS = re.compile(r"(\d([.,])\d{2})(?=\d{1,6}\2\d{2}(?!\d))")


def spaced(line: str) -> str:
    """Spaces put back where OCR joined words: between letters and digits, after "TVA" before "BE0...",
    between two amounts ("96.3220.23" -> "96.32 20.23")."""
    return _JOINED_AMOUNTS.sub(r"\1 ", _LETTER_DIGIT.sub(" ", _VAT_WORD_JOINED.sub(r"\1 ", line)))


# EU VAT numbers as printed: "BE 0123.456.749", "FR 40 303 265 045", "DE 136 695 976", "NL001234567B01"
_VAT_NUMBER = re.compile(
    r"\b(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|CHE)"
    r"[\s.:-]{0,3}([0-9A-Z](?:[\s.-]?[0-9A-Z]){7,13})",
    re.IGNORECASE,
)
_OCR_DIGITS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "L": "1",
        "|": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "G": "6",
    }
)


def find_vat_numbers(line: str) -> list[str]:
    """Valid EU VAT numbers in one line, compact ("BE0123456749"), checked with python-stdnum."""
    out: list[str] = []
    for m in _VAT_NUMBER.finditer(_VAT_WORD_JOINED.sub(r"\1 ", line)):
        country = m.group(1).upper()
        raw = re.sub(r"[\s.-]", "", m.group(2)).upper()
        for length in range(len(raw), 7, -1):
            body = raw[:length]
            candidates = [body]
            fixed = body.translate(_OCR_DIGITS) if country not in ("NL", "ES", "IE", "CY", "FR") else body
            if fixed != body:
                candidates.append(fixed)
            if country == "NL" and len(body) == 12:
                candidates.append(body[:9].translate(_OCR_DIGITS) + "B" + body[10:].translate(_OCR_DIGITS))
            found = next((c for c in candidates if eu_vat.is_valid(country + c)), None)
            if found:
                out.append(eu_vat.compact(country + found))
                break
    return out
