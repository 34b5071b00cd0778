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
from smartdesk.i18n.document_strings import CATEGORIES, CATEGORY_PREFIX, ENGLISH

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
        raise MissingCatalogue.of(
            "The {lang} document texts are missing ({path}). Reinstall SmartDesk.", lang=lang, path=str(path)
        ) from None
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
        raise UnknownDocumentLanguage.of(
            "Documents cannot be written in “{language}” yet. Choose one of: {choices}.",
            language=language,
            choices=", ".join(DOCUMENT_LANGUAGES),
        ) from None


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
class _CategoryLabels(Mapping[str, dict[str, str]]):
    """``EXPENSE_CATEGORY_LABELS[lang][code]``: the built-in categories' names in de, es and it (the
    ``category.<code>`` texts of the documents domain)."""

    LANGUAGES = ("de", "es", "it")

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in self.LANGUAGES:
            raise KeyError(lang)
        texts = catalogue(lang)
        return {key.removeprefix(CATEGORY_PREFIX): texts[key] for key in CATEGORIES}

    def __iter__(self) -> Iterator[str]:
        return iter(self.LANGUAGES)

    def __len__(self) -> int:
        return len(self.LANGUAGES)


EXPENSE_CATEGORY_LABELS: Mapping[str, dict[str, str]] = _CategoryLabels()


def expense_category_label(
    language: str, code: str, available: Iterable[ExpenseCategory] | None = None
) -> str:
    """A line's category as printed: the list's own label in the document language, else the built-in
    translation (the documents catalogue), else the list's label in another language; an unknown code is
    printed as is."""
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
    builtin = catalogue(lang).get(CATEGORY_PREFIX + code) if lang in _CategoryLabels.LANGUAGES else None
    return builtin or category.label(lang)
