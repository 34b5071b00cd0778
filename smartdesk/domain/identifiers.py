"""Offline checks of VAT numbers, enterprise numbers, SIREN/SIRET, IBAN and BIC.

Each check returns None when the number is fine, or a short reason code that validation turns
into a plain sentence: "format" (wrong length or characters), "checksum" (check digits do not
match), "country" (unknown country prefix).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import iban as std_iban
from stdnum.be import vat as std_be_vat
from stdnum.eu import vat as std_eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

_BIC_RE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def _reason(exc: ValidationError) -> str:
    if isinstance(exc, InvalidChecksum):
        return "checksum"
    if isinstance(exc, InvalidComponent):
        return "country"
    if isinstance(exc, InvalidLength | InvalidFormat):
        return "format"
    return "format"


def compact_vat(number: str) -> str:
    return std_eu_vat.compact(number) if number else ""


def _check(validate: Callable[[str], object], number: str) -> str | None:
    """None when python-stdnum's ``validate`` accepts ``number``, else the reason code."""
    try:
        validate(number)
    except ValidationError as exc:
        return _reason(exc)
    return None


def check_vat(number: str) -> str | None:
    return _check(std_eu_vat.validate, number)


def vat_country(number: str) -> str:
    compact = compact_vat(number)
    prefix = compact[:2].upper()
    return "GR" if prefix == "EL" else prefix


def format_vat(number: str) -> str:
    """Canonical print form, e.g. BE 0123.456.749 -> BE0123456749."""
    try:
        return std_eu_vat.compact(number)
    except ValidationError:
        return number.strip()


def check_enterprise_number(number: str, country: str) -> str | None:
    """Belgian BCE/KBO number or French SIREN (9 digits) / SIRET (14 digits)."""
    if country == "BE":
        return _check(std_be_vat.validate, number)  # the KBO/BCE number is the VAT number without BE
    if country == "FR":
        digits = re.sub(r"\D", "", number)
        return _check(std_siret.validate if len(digits) == 14 else std_siren.validate, digits)
    return None


def siren_of(vat_number: str, enterprise_number: str) -> str:
    """A French company's SIREN (9 digits): the enterprise number itself, the first 9 digits of its
    SIRET, or the last 9 digits of its French VAT number; "" when none of them gives a valid one."""
    digits = re.sub(r"\D", "", enterprise_number)
    candidates = [digits[:9] if len(digits) == 14 else digits]
    vat = re.sub(r"[^0-9A-Za-z]", "", vat_number).upper()
    if vat.startswith("FR") and len(vat) == 13:
        candidates.append(vat[4:])
    for candidate in candidates:
        if len(candidate) == 9 and std_siren.is_valid(candidate):
            return candidate
    return ""


def format_siren(siren: str) -> str:
    """``303265045`` -> ``303 265 045``, as the French register prints it."""
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}" if len(siren) == 9 else siren


def check_iban(number: str) -> str | None:
    return _check(std_iban.validate, number)


def check_bic(code: str) -> str | None:
    return None if _BIC_RE.match(code.replace(" ", "").upper()) else "format"
