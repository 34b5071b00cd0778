"""The document catalogue: six languages, same keys, same placeholders; Babel formatting per locale."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.documents import LANGUAGES
from smartdesk.domain.units import UNITS
from smartdesk.errors import SmartDeskError
from smartdesk.i18n.documents import CATALOGUES, DOCUMENT_LANGUAGES, catalogue, text, unit_label
from smartdesk.pdf.formatting import Formatter


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_six_languages_with_the_same_keys() -> None:
    assert set(CATALOGUES) == set(DOCUMENT_LANGUAGES) == set(LANGUAGES)
    reference = set(CATALOGUES["en"])
    for lang, cat in CATALOGUES.items():
        assert set(cat) == reference, f"{lang}: missing {reference - set(cat)}, extra {set(cat) - reference}"
        for key, value in cat.items():
            assert value.strip(), f"{lang}.{key} is empty"


def test_placeholders_match_in_every_language() -> None:
    for key, template in CATALOGUES["en"].items():
        for lang, cat in CATALOGUES.items():
            assert _fields(cat[key]) == _fields(template), f"{lang}.{key} placeholders differ"


def test_every_unit_code_is_translated() -> None:
    for lang in DOCUMENT_LANGUAGES:
        for code in UNITS:
            assert f"unit.{code}" in CATALOGUES[lang]
    assert unit_label("nl", "HUR") == "uur"
    assert unit_label("de", "DAY") == "Tag"
    assert unit_label("fr", "XYZ") == "XYZ"  # unknown code printed as is


def test_languages_are_really_translated() -> None:
    titles = {CATALOGUES[lang]["title.invoice"] for lang in DOCUMENT_LANGUAGES}
    assert len(titles) == 6
    assert text("de", "page", page=2, pages=7) == "Seite 2 / 7"


def test_unknown_language_gives_a_plain_message() -> None:
    with pytest.raises(SmartDeskError, match="cannot be written in “pt”"):
        catalogue("pt")


@pytest.mark.parametrize(
    ("lang", "country", "expected"),
    [
        ("fr", "BE", "1 234,50 €"),
        ("nl", "BE", "€ 1.234,50"),
        ("en", "BE", "1.234,50 €"),
        ("de", "BE", "1.234,50 €"),
        ("es", "BE", "1.234,50 €"),
        ("it", "BE", "1.234,50 €"),
        ("fr", "FR", "1 234,50 €"),
    ],
)
def test_money_per_locale(lang: str, country: str, expected: str) -> None:
    out = Formatter(lang, country).money(Decimal("1234.50"))
    assert out.replace("\u202f", " ").replace("\xa0", " ") == expected


def test_fast_formatting_agrees_with_babel() -> None:
    from babel.numbers import format_currency, format_decimal

    for lang in DOCUMENT_LANGUAGES:
        fmt = Formatter(lang, "BE")
        for value in ("0", "0.01", "-5", "12.345", "1234567.891", "-98765.43", "0.005"):
            amount = Decimal(value)
            assert fmt.money(amount) == format_currency(amount, "EUR", locale=fmt.locale)
            assert fmt.amount(amount) == format_decimal(amount, format="#,##0.00", locale=fmt.locale)


def test_dates_and_percentages() -> None:
    fmt = Formatter("nl", "BE")
    assert fmt.date(date(2026, 3, 5)) == "5 mrt 2026"
    assert fmt.percent(Decimal("5.5")).replace("\xa0", " ") == "5,5%"
    assert (
        Formatter("fr", "FR").percent(Decimal("12.15")).replace("\xa0", " ").replace("\u202f", " ")
        == "12,15 %"
    )
