"""VAT categories (EN 16931 code list UNCL5305) and dated VAT rates per country."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources

# Member states of the EU (for intra-community rules); "EL" is Greece's VAT prefix.
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
SUPPORTED_RATE_COUNTRIES = ("BE", "FR", "NL", "DE", "ES", "IT")


class VatCategory(StrEnum):
    STANDARD = "S"  # standard or reduced rate
    ZERO = "Z"  # zero-rated goods
    EXEMPT = "E"  # exempt from VAT
    REVERSE_CHARGE = "AE"  # VAT reverse charge (client pays the VAT)
    INTRA_COMMUNITY = "K"  # intra-community supply of goods / services
    EXPORT = "G"  # export outside the EU
    OUT_OF_SCOPE = "O"  # services outside the scope of VAT

    @property
    def zero_rate(self) -> bool:
        """Categories whose rate must be 0 (EN 16931 BR-Z/E/AE/IC/G/O rules)."""
        return self is not VatCategory.STANDARD


@dataclass(frozen=True)
class VatRate:
    country: str
    rate: Decimal
    kind: str
    valid_from: date
    valid_to: date | None

    def applies_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@cache
def _table() -> dict[str, tuple[VatRate, ...]]:
    raw = json.loads(resources.files("smartdesk.domain").joinpath("data/vat_rates.json").read_text("utf-8"))
    table: dict[str, tuple[VatRate, ...]] = {}
    for country, rows in raw.items():
        if country.startswith("_"):
            continue
        table[country] = tuple(
            VatRate(
                country=country,
                rate=Decimal(row["rate"]),
                kind=row["kind"],
                valid_from=date.fromisoformat(row["from"]),
                valid_to=date.fromisoformat(row["to"]) if row.get("to") else None,
            )
            for row in rows
        )
    return table


def rates_for(country: str, on: date | None = None) -> list[Decimal]:
    """Rates in force in ``country`` on a day, highest first (empty for unknown countries)."""
    day = on or date.today()
    found = {r.rate for r in _table().get(country.upper(), ()) if r.applies_on(day)}
    return sorted(found, reverse=True)


def standard_rate(country: str, on: date | None = None) -> Decimal | None:
    day = on or date.today()
    for r in _table().get(country.upper(), ()):
        if r.kind == "standard" and r.applies_on(day):
            return r.rate
    return None


def is_rate_valid(country: str, rate: Decimal, on: date | None = None) -> bool:
    return rate in rates_for(country, on)


def all_rates(country: str) -> tuple[VatRate, ...]:
    return _table().get(country.upper(), ())


def in_eu(country: str) -> bool:
    return country.upper() in EU_COUNTRIES


def default_category(issuer_country: str, client_country: str, client_is_business: bool) -> VatCategory:
    """The VAT situation of a supply of services, from where issuer and client are.

    - same country: standard VAT;
    - another EU country, business client: reverse charge (art. 196 Directive 2006/112/EC);
    - another EU country, private client: standard VAT of the issuer;
    - outside the EU, business client: outside the scope of VAT (category O: the place of supply
      is the client's country, art. 44 Directive 2006/112/EC / art. 21 §2 Belgian VAT Code);
      "export" (art. 146) is for goods only, never the default for services;
    - outside the EU, private client: standard VAT of the issuer (art. 45 Directive).
    """
    issuer = issuer_country.upper()
    client = (client_country or issuer).upper()
    if client == issuer:
        return VatCategory.STANDARD
    if in_eu(client):
        return VatCategory.REVERSE_CHARGE if client_is_business else VatCategory.STANDARD
    return VatCategory.OUT_OF_SCOPE if client_is_business else VatCategory.STANDARD


def allowed_categories(
    issuer_country: str, client_country: str, client_is_business: bool
) -> list[VatCategory]:
    """Categories that make sense for this issuer/client pair, the default first."""
    first = default_category(issuer_country, client_country, client_is_business)
    issuer = issuer_country.upper()
    client = (client_country or issuer).upper()
    if client == issuer:
        options = [VatCategory.STANDARD, VatCategory.ZERO, VatCategory.EXEMPT, VatCategory.OUT_OF_SCOPE]
    elif in_eu(client):
        options = [
            VatCategory.REVERSE_CHARGE,
            VatCategory.INTRA_COMMUNITY,
            VatCategory.STANDARD,
            VatCategory.EXEMPT,
            VatCategory.OUT_OF_SCOPE,
        ]
    else:
        options = [VatCategory.EXPORT, VatCategory.OUT_OF_SCOPE, VatCategory.EXEMPT, VatCategory.STANDARD]
    return [first] + [c for c in options if c != first]
