"""Expense categories: the cooperative's list (synced) or the built-in default list (offline).

An expense line stores a category *code* (``ExpenseLine.category``); labels are looked up when shown,
in the interface language or the document's language. A code that is not (or no longer) in the list
is kept as is and shown as its code, so nothing the member typed is ever lost.

The built-in list lives in ``data/expense_categories.json`` (shipped as package data, also in the
frozen build). The synced list has the same shape: a list of
``{"code": str, "labels": {"fr": str, "nl": str, "en": str, ...}, "vat_rate": "21" | {"BE": "21", ...}}``
with ``vat_rate`` optional (see docs/receipts.md, "Expense categories").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

LABEL_LANGUAGES = ("fr", "nl", "en")  # every built-in category has these labels
_FALLBACK_LANGUAGES = ("en", "fr", "nl")  # tried in this order when the wanted language is missing
ANY_COUNTRY = "*"  # key of a suggested rate that applies whatever the country
# key of the cooperative's synced list in the local store's sync_state table (JSON: a list of categories)
STATE_KEY = "expense_categories"


@dataclass(frozen=True)
class ExpenseCategory:
    code: str
    labels: Mapping[str, str] = field(default_factory=dict)
    vat_rates: Mapping[str, Decimal] = field(default_factory=dict)  # country (or "*") -> suggested rate

    def label(self, language: str) -> str:
        """The label in ``language`` (else English, French, Dutch), else the code."""
        lang = _short(language)
        for candidate in (lang, *_FALLBACK_LANGUAGES):
            text = self.labels.get(candidate, "").strip()
            if text:
                return text
        return self.code

    def vat_rate_for(self, country: str) -> Decimal | None:
        """The VAT rate most receipts of this kind carry in ``country``; None when not obvious."""
        rate = self.vat_rates.get(country.upper())
        return rate if rate is not None else self.vat_rates.get(ANY_COUNTRY)


def _short(language: str) -> str:
    return (language or "").lower().replace("-", "_").split("_")[0]


def _rate(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        rate = Decimal(str(value).strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and 0 <= rate < 100 else None


def parse_category(raw: Mapping[str, Any]) -> ExpenseCategory | None:
    """One category from its JSON form; None when it has no usable code."""
    code = str(raw.get("code") or "").strip()
    if not code:
        return None
    labels_raw = raw.get("labels")
    labels = (
        {_short(str(k)): str(v) for k, v in labels_raw.items() if isinstance(v, str) and v.strip()}
        if isinstance(labels_raw, Mapping)
        else {}
    )
    rates: dict[str, Decimal] = {}
    rate_raw = raw.get("vat_rate")
    if isinstance(rate_raw, Mapping):
        for country, value in rate_raw.items():
            rate = _rate(value)
            if rate is not None:
                rates[str(country).upper()] = rate
    else:
        rate = _rate(rate_raw)
        if rate is not None:
            rates[ANY_COUNTRY] = rate
    return ExpenseCategory(code=code, labels=labels, vat_rates=rates)


def parse_categories(raw: Iterable[Any]) -> list[ExpenseCategory]:
    """A list of categories from JSON; entries without a code and repeated codes are skipped."""
    found: list[ExpenseCategory] = []
    seen: set[str] = set()
    for item in raw:
        category = parse_category(item) if isinstance(item, Mapping) else None
        if category is not None and category.code not in seen:
            seen.add(category.code)
            found.append(category)
    return found


@cache
def builtin_categories() -> tuple[ExpenseCategory, ...]:
    """The default list shipped with SmartDesk, used until the cooperative's own list is synced."""
    text = resources.files("smartdesk.domain").joinpath("data/expense_categories.json").read_text("utf-8")
    return tuple(parse_categories(json.loads(text)["categories"]))


def categories(store_override: list[Any] | None = None) -> list[ExpenseCategory]:
    """The cooperative's list when one was synced (and holds at least one usable category), else the
    built-in list."""
    if store_override:
        synced = parse_categories(store_override)
        if synced:
            return synced
    return list(builtin_categories())


def find_category(code: str, available: Iterable[ExpenseCategory] | None = None) -> ExpenseCategory | None:
    for category in builtin_categories() if available is None else available:
        if category.code == code:
            return category
    return None


def category_label(code: str, language: str, available: Iterable[ExpenseCategory] | None = None) -> str:
    """What to show for a line's category: its label in ``language``; an unknown code as itself."""
    if not code:
        return ""
    category = find_category(code, available)
    return category.label(language) if category is not None else code


def choices(
    language: str, available: Iterable[ExpenseCategory] | None = None, current: str = ""
) -> list[tuple[str, str]]:
    """(code, label) pairs to pick from, in list order; ``current`` is added (as its code) when it is no
    longer in the list, so a line keeps its category until the member changes it."""
    listed = list(builtin_categories() if available is None else available)
    pairs = [(c.code, c.label(language)) for c in listed]
    if current and all(code != current for code, _label in pairs):
        pairs.append((current, current))
    return pairs
