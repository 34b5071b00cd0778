"""Document catalogue: every label and legal sentence printed on quotes, invoices, credit notes and
expense notes, in the six document languages.

The document language is chosen per document, independently of the interface language
(ARCHITECTURE rule 10). The English texts and their keys are in ``document_strings.py``; the other
languages are the gettext catalogues ``locale/<lang>/LC_MESSAGES/documents.po`` (one domain,
"documents", apart from the interface's), each text with its key as message context. A language's
compiled ``.mo`` is read the first time a document is printed in it. Placeholders use ``str.format``
names (``{number}``, ``{date}``...) and must be the same in every language (tests/unit/test_catalogues.py).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from smartdesk.errors import SmartDeskError
from smartdesk.i18n.document_strings import ENGLISH

if TYPE_CHECKING:
    from smartdesk.domain.expenses import ExpenseCategory

DOCUMENT_LANGUAGES = ("fr", "nl", "en", "de", "es", "it")
DOMAIN = "documents"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class UnknownDocumentLanguage(SmartDeskError):
    """A document language SmartDesk has no catalogue for."""


class MissingCatalogue(SmartDeskError):
    """A document language's compiled catalogue is not installed (a broken installation)."""


@cache
def _load(lang: str) -> dict[str, str]:
    """Every document text of ``lang``, by key."""
    if lang == "en":
        return dict(ENGLISH)
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fp:
            translation = gettext.GNUTranslations(fp)
    except OSError:
        raise MissingCatalogue.of("The {lang} document texts are missing ({path}). Reinstall SmartDesk.",
                                  lang=lang, path=str(path)) from None
    return {key: translation.pgettext(key, english) for key, english in ENGLISH.items()}


class _Catalogues(Mapping[str, dict[str, str]]):
    """``CATALOGUES[lang]``: the texts of a document language, read when first asked for."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in DOCUMENT_LANGUAGES:
            raise KeyError(lang)
        return _load(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(DOCUMENT_LANGUAGES)

    def __len__(self) -> int:
        return len(DOCUMENT_LANGUAGES)


CATALOGUES: Mapping[str, dict[str, str]] = _Catalogues()

def catalogue(language: str) -> dict[str, str]:
    """The catalogue of a document language (``fr``, ``nl``, ``en``, ``de``, ``es``, ``it``)."""
    lang = (language or "").lower().split("_")[0].split("-")[0]
    try:
        return CATALOGUES[lang]
    except KeyError:
        raise UnknownDocumentLanguage.of("Documents cannot be written in “{language}” yet. Choose one of: {choices}.",
                                         language=language, choices=", ".join(DOCUMENT_LANGUAGES)) from None


def text(language: str, key: str, **params: object) -> str:
    """One translated label or sentence with its placeholders filled."""
    template = catalogue(language)[key]
    return template.format(**params) if params else template


def unit_label(language: str, code: str) -> str:
    """The printed name of a UN/ECE unit code; an unknown code is printed as is."""
    return catalogue(language).get(f"unit.{code}", code)


# --- expense categories in the document languages the category lists do not carry -------------------
# The built-in list (smartdesk/domain/data/expense_categories.json) and the cooperative's synced list
# carry French, Dutch and English labels; these are the built-in codes in the other document languages.
EXPENSE_CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "travel_public": "Bahn und Nahverkehr", "travel_car_km": "Auto (Kilometer)", "fuel": "Kraftstoff",
        "parking_tolls": "Parken und Maut", "taxi": "Taxi", "flights": "Flüge",
        "accommodation": "Hotel und Unterkunft", "meals": "Verpflegung und Restaurant",
        "small_equipment": "Kleingeräte", "software": "Software und Abonnements",
        "phone_internet": "Telefon und Internet", "hosting": "Webhosting und Domains",
        "office_supplies": "Büromaterial", "postage": "Porto", "documentation": "Bücher und Fachliteratur",
        "training": "Weiterbildung", "workspace": "Coworking und Raummiete", "advertising": "Werbung und Druck",
        "fees": "Bankgebühren und Provisionen", "other": "Sonstiges",
    },
    "es": {
        "travel_public": "Tren y transporte público", "travel_car_km": "Coche (kilómetros)",
        "fuel": "Combustible", "parking_tolls": "Aparcamiento y peajes", "taxi": "Taxi", "flights": "Vuelos",
        "accommodation": "Hotel y alojamiento", "meals": "Comidas y restaurantes",
        "small_equipment": "Pequeño material", "software": "Software y suscripciones",
        "phone_internet": "Teléfono e internet", "hosting": "Alojamiento web y dominios",
        "office_supplies": "Material de oficina", "postage": "Franqueo", "documentation": "Libros y documentación",
        "training": "Formación", "workspace": "Coworking y alquiler de salas", "advertising": "Publicidad e impresión",
        "fees": "Comisiones bancarias", "other": "Otros",
    },
    "it": {
        "travel_public": "Treno e trasporti pubblici", "travel_car_km": "Auto (chilometri)",
        "fuel": "Carburante", "parking_tolls": "Parcheggio e pedaggi", "taxi": "Taxi", "flights": "Voli",
        "accommodation": "Hotel e alloggio", "meals": "Pasti e ristoranti",
        "small_equipment": "Piccola attrezzatura", "software": "Software e abbonamenti",
        "phone_internet": "Telefono e internet", "hosting": "Hosting web e domini",
        "office_supplies": "Cancelleria", "postage": "Spese postali", "documentation": "Libri e documentazione",
        "training": "Formazione", "workspace": "Coworking e affitto sale", "advertising": "Pubblicità e stampa",
        "fees": "Spese bancarie e commissioni", "other": "Altro",
    },
}


def expense_category_label(language: str, code: str, available: Iterable[ExpenseCategory] | None = None) -> str:
    """A line's category as printed: the list's own label in the document language, else the built-in
    translation above, else the list's label in another language; an unknown code is printed as is."""
    from smartdesk.domain.expenses import find_category

    if not code:
        return ""
    category = find_category(code, available)
    if category is None:
        return code
    lang = (language or "").lower().split("_")[0].split("-")[0]
    own = category.labels.get(lang, "").strip()
    if own:
        return own
    return EXPENSE_CATEGORY_LABELS.get(lang, {}).get(code) or category.label(lang)
