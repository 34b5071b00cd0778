"""The gettext catalogues as the tests read them: Babel's own ``.po`` reader (not SmartDesk's compiler,
which the tests check against it)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "smartdesk" / "i18n" / "locale"


@cache
def catalog(lang: str, domain: str = "ui") -> Catalog:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=domain)


@cache
def template(domain: str = "ui") -> Catalog:
    with (LOCALE / f"{domain}.pot").open("rb") as fp:
        return read_po(fp, domain=domain)


def translations(lang: str, domain: str = "ui") -> dict[str, str]:
    """msgid -> msgstr of the plain messages (no context, no plural form) of a catalogue."""
    return {
        m.id: m.string
        for m in catalog(lang, domain)
        if m.id and m.context is None and isinstance(m.id, str) and m.string and not m.fuzzy
    }
