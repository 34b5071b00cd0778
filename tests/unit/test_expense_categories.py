"""Expense categories: the built-in list, the cooperative's synced list, unknown codes, and the label
printed on the expense note PDF (real SQLite store, real PDF read back with pdfplumber)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pdfplumber
import pytest

from smartdesk.domain.documents import Activity, DocumentKind, ExpenseLine
from smartdesk.domain.expenses import (
    LABEL_LANGUAGES,
    STATE_KEY,
    builtin_categories,
    categories,
    category_label,
    choices,
    find_category,
    parse_categories,
)
from smartdesk.domain.vat import SUPPORTED_RATE_COUNTRIES, rates_for
from smartdesk.i18n.documents import DOCUMENT_LANGUAGES, EXPENSE_CATEGORY_LABELS, expense_category_label
from smartdesk.services import Workspace

SYNCED = [
    {
        "code": "TRAVEL",
        "labels": {"fr": "Déplacements", "nl": "Verplaatsingen", "en": "Travel"},
        "vat_rate": "6",
    },
    {
        "code": "MEALS",
        "labels": {"fr": "Repas d'affaires", "nl": "Zakenmaaltijden", "en": "Business meals"},
        "vat_rate": {"BE": "12", "FR": "10"},
    },
    {"code": "GEAR", "labels": {"fr": "Matériel", "en": "Gear"}},  # no Dutch label
]


@pytest.fixture
def ws(tmp_path: Path):
    workspace = Workspace.open(tmp_path / "data")
    yield workspace
    workspace.close()


def sync_list(ws: Workspace, value: object) -> None:
    """What the sync engine does when the cooperative's list arrives (see docs/receipts.md)."""
    with ws.store.write() as conn:
        ws.store.set_state(conn, STATE_KEY, value)


# --- the built-in list ----------------------------------------------------------------------------------


def test_builtin_list_is_complete_in_french_dutch_and_english() -> None:
    builtin = builtin_categories()
    codes = [c.code for c in builtin]
    assert len(codes) == len(set(codes)) >= 15
    for wanted in (
        "travel_public",
        "travel_car_km",
        "meals",
        "small_equipment",
        "software",
        "phone_internet",
        "office_supplies",
        "training",
        "documentation",
        "fees",
        "hosting",
        "other",
    ):
        assert wanted in codes
    for category in builtin:
        assert re.fullmatch(r"[a-z][a-z_]*", category.code), category.code
        for lang in LABEL_LANGUAGES:
            label = category.labels.get(lang, "")
            assert label.strip() and label != category.code, (category.code, lang)
        assert category.labels["fr"] != category.labels["nl"] or category.code == "taxi"
    assert codes[-1] == "other"  # "Other" closes the list


def test_builtin_list_is_shipped_as_package_data() -> None:
    raw = json.loads(
        resources.files("smartdesk.domain").joinpath("data/expense_categories.json").read_text("utf-8")
    )
    assert [c["code"] for c in raw["categories"]] == [c.code for c in builtin_categories()]


def test_suggested_vat_rates_exist_in_their_country() -> None:
    suggested = 0
    for category in builtin_categories():
        for country, rate in category.vat_rates.items():
            assert country in SUPPORTED_RATE_COUNTRIES, (category.code, country)
            assert rate in rates_for(country, date(2026, 6, 1)), (category.code, country, rate)
            suggested += 1
    assert suggested > 20
    meals = find_category("meals")
    assert meals is not None
    assert meals.vat_rate_for("BE") == Decimal("12") and meals.vat_rate_for("fr") == Decimal("10")
    assert find_category("training").vat_rate_for("BE") is None  # not obvious: no suggestion


def test_other_document_languages_have_every_builtin_category() -> None:
    assert set(EXPENSE_CATEGORY_LABELS) == set(DOCUMENT_LANGUAGES) - set(LABEL_LANGUAGES)
    for lang, labels in EXPENSE_CATEGORY_LABELS.items():
        assert set(labels) == {c.code for c in builtin_categories()}, lang
        assert all(text.strip() for text in labels.values())
    assert expense_category_label("de", "meals") == "Verpflegung und Restaurant"
    assert expense_category_label("es", "software") == "Software y suscripciones"
    assert expense_category_label("it", "documentation") == "Libri e documentazione"


# --- labels and unknown codes ---------------------------------------------------------------------------


def test_label_by_language_with_fallbacks() -> None:
    synced = categories(SYNCED)
    assert category_label("MEALS", "nl", synced) == "Zakenmaaltijden"
    assert category_label("MEALS", "fr_BE", synced) == "Repas d'affaires"
    assert category_label("GEAR", "nl", synced) == "Gear"  # no Dutch label: English
    assert category_label("GEAR", "de", synced) == "Gear"
    bare = parse_categories([{"code": "X1"}])
    assert category_label("X1", "fr", bare) == "X1"  # no label at all: the code
    assert category_label("", "fr") == ""


def test_unknown_code_is_shown_as_itself_and_kept(ws: Workspace) -> None:
    assert category_label("transport_2019", "fr") == "transport_2019"
    assert expense_category_label("nl", "transport_2019") == "transport_2019"
    pairs = choices("en", builtin_categories(), current="transport_2019")
    assert pairs[-1] == ("transport_2019", "transport_2019")
    assert ("meals", "Meals and restaurants") in pairs
    assert choices("en", builtin_categories(), current="meals").count(("meals", "Meals and restaurants")) == 1

    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE)
    doc.expense_lines = [ExpenseLine(supplier="SNCB", category="transport_2019", amount_incl=Decimal("12"))]
    ws.documents.save(doc)
    sync_list(ws, SYNCED)  # the cooperative's new list no longer has that code
    again = ws.documents.get(doc.id)
    assert again.expense_lines[0].category == "transport_2019"


# --- the synced list ------------------------------------------------------------------------------------


def test_synced_list_overrides_the_builtin_one(ws: Workspace) -> None:
    assert [c.code for c in ws.receipts.expense_categories()] == [c.code for c in builtin_categories()]
    sync_list(ws, SYNCED)
    synced = ws.receipts.expense_categories()
    assert [c.code for c in synced] == ["TRAVEL", "MEALS", "GEAR"]
    assert synced[0].vat_rate_for("BE") == synced[0].vat_rate_for("FR") == Decimal("6")
    assert synced[1].vat_rate_for("FR") == Decimal("10") and synced[1].vat_rate_for("NL") is None
    assert synced[2].vat_rates == {}
    assert find_category("meals", synced) is None  # built-in codes are not mixed in


def test_synced_list_survives_reopening_the_store(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as first:
        sync_list(first, SYNCED)
    with Workspace.open(tmp_path / "data") as second:
        assert [c.code for c in second.receipts.expense_categories()] == ["TRAVEL", "MEALS", "GEAR"]


@pytest.mark.parametrize("stored", [[], None, {"not": "a list"}, [{"labels": {"fr": "sans code"}}, "junk"]])
def test_unusable_synced_list_falls_back_to_builtin(ws: Workspace, stored: object) -> None:
    sync_list(ws, stored)
    assert [c.code for c in ws.receipts.expense_categories()] == [c.code for c in builtin_categories()]


def test_synced_entries_are_cleaned() -> None:
    parsed = parse_categories(
        [
            {"code": " A ", "labels": {"FR": "Aa", "nl": "", "en": 3}, "vat_rate": "21 %"},
            {"code": "A", "labels": {"fr": "double"}},  # repeated code: the first one counts
            {"code": "B", "vat_rate": "not a rate"},
            {"code": "C", "vat_rate": {"be": "5,5", "FR": 250}},
        ]
    )
    assert [c.code for c in parsed] == ["A", "B", "C"]
    assert parsed[0].labels == {"fr": "Aa"} and parsed[0].vat_rate_for("IT") == Decimal("21")
    assert parsed[1].vat_rates == {}
    assert parsed[2].vat_rates == {"BE": Decimal("5.5")}


# --- the PDF --------------------------------------------------------------------------------------------


def category_cells(pdf: bytes) -> str:
    """The text of the expense table's category column, read back from the PDF."""
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        page = opened.pages[0]
        words = page.extract_words()
        headers = {"Catégorie", "Categorie", "Category", "Kategorie", "Categoría", "Categoria"}
        head = next(w for w in words if w["text"] in headers)
        right = min(w["x0"] for w in words if abs(w["top"] - head["top"]) < 2 and w["x0"] > head["x1"])
        column = page.crop((head["x0"] - 1, head["bottom"] + 1, right - 1, page.height - 120))
        return " ".join((column.extract_text() or "").split())


def expense_note(ws: Workspace, language: str, codes: list[str]) -> str:
    activity = ws.activities.save(Activity(name="Tournée", code="T-1"))
    doc = ws.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=activity.id)
    doc.language = language
    doc.expense_lines = [
        ExpenseLine(
            date=date(2026, 3, n + 1),
            supplier=f"Supplier {n}",
            category=code,
            amount_incl=Decimal("20") + n,
            vat_rate=Decimal("21"),
        )
        for n, code in enumerate(codes)
    ]
    return ws.documents.save(doc).id


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Repas et restaurant", "Logiciels et abonnements"]),
        ("nl", ["Maaltijden en restaurant", "Software en abonnementen"]),
        ("en", ["Meals and restaurants", "Software and subscriptions"]),
        ("de", ["Verpflegung und Restaurant", "Software und Abonnements"]),
        ("es", ["Comidas y restaurantes", "Software y suscripciones"]),
        ("it", ["Pasti e ristoranti", "Software e abbonamenti"]),
    ],
)
def test_pdf_shows_the_category_label_in_the_document_language(
    ws: Workspace, language: str, expected: list[str]
) -> None:
    doc_id = expense_note(ws, language, ["meals", "software", "old_code"])
    column = category_cells(ws.pdf.render(doc_id))
    for label in expected:
        assert label in column
    assert "old_code" in column  # an unknown code is printed as is
    assert "meals" not in column and "software" not in column.replace("Software", "")


def test_pdf_uses_the_synced_list(ws: Workspace) -> None:
    sync_list(ws, SYNCED)
    doc_id = expense_note(ws, "nl", ["MEALS", "GEAR"])
    column = category_cells(ws.pdf.render(doc_id))
    assert "Zakenmaaltijden" in column
    assert "Gear" in column  # no Dutch label in the cooperative's list: English
    french = category_cells(ws.pdf.render(doc_id, language="fr"))
    assert "Repas d'affaires" in french and "Matériel" in french


def test_the_document_catalogue_names_the_builtin_categories_as_the_list_does() -> None:
    from smartdesk.i18n.document_strings import CATEGORIES, CATEGORY_PREFIX
    from smartdesk.i18n.documents import CATALOGUES

    builtin = {c.code: c for c in builtin_categories()}
    assert {key.removeprefix(CATEGORY_PREFIX) for key in CATEGORIES} == set(builtin)
    for key, english in CATEGORIES.items():
        category = builtin[key.removeprefix(CATEGORY_PREFIX)]
        assert english == category.labels["en"], key  # the catalogue's English is the list's
        for lang in ("fr", "nl"):
            assert CATALOGUES[lang][key] == category.labels[lang], (lang, key)
