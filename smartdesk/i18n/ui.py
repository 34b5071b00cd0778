"""Interface catalogue: every string a member reads in the desktop app, in French, Dutch and English.

Strings are keyed by their English text (``_("Quotes")``); the French and Dutch wording lives in the
gettext catalogues ``smartdesk/i18n/locale/{fr,nl}/LC_MESSAGES/ui.po`` (template ``locale/ui.pot``,
extracted from the code with Babel: ``python -m smartdesk.i18n.extract``; see docs/translations.md).
Counts use ``ntr`` (plural forms), words with two meanings ``ptr`` (a context).
A pseudo-locale (``SMARTDESK_UI_LANG=pseudo``) makes every string about 40 % longer and accented, to prove
that nothing is clipped; its catalogue is generated from the template at build time.

Only the interface language's compiled ``.mo`` is read, with the standard ``gettext`` module (no Babel
at start). This module does not import Qt: the GUI installs the language at start.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartdesk.domain.lifecycle import Status
    from smartdesk.errors import Problem

UI_LANGUAGES = ("fr", "nl", "en")
PSEUDO = "pseudo"
ENV_UI_LANG = "SMARTDESK_UI_LANG"
DOMAIN = "ui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
STATUS_CONTEXT = "document status"


def N_(text: str) -> str:  # noqa: N802 - the usual gettext marker name
    """Mark a string for translation where it is defined; translate it later with ``_``."""
    return text


def NP_(context: str, text: str) -> str:  # noqa: N802 - gettext marker, like N_
    """Mark a string with a context for translation; translate it later with ``ptr(context, text)``."""
    return text


# The document statuses as the interface shows them (a badge, a filter), with their own context: the same
# English word is also a column or a figure ("Paid", "Invoiced") that other languages may word otherwise.
# (The context is written out: the extraction reads literals only. It equals STATUS_CONTEXT.)
STATUS_EN: dict[str, str] = {
    "draft": NP_("document status", "Draft"),
    "submitted": NP_("document status", "Awaiting validation"),
    "returned": NP_("document status", "Returned with remarks"),
    "validated": NP_("document status", "Validated"),
    "sent": NP_("document status", "Sent"),
    "won": NP_("document status", "Accepted"),
    "lost": NP_("document status", "Declined"),
    "expired": NP_("document status", "Expired"),
    "in_production": NP_("document status", "In production"),
    "invoiced": NP_("document status", "Invoiced"),
    "awaiting_payment": NP_("document status", "Awaiting payment"),
    "reminder_1": NP_("document status", "First reminder"),
    "reminder_2": NP_("document status", "Second reminder"),
    "formal_notice": NP_("document status", "Formal notice"),
    "litigation": NP_("document status", "Litigation"),
    "partially_paid": NP_("document status", "Partly paid"),
    "paid": NP_("document status", "Paid"),
    "cancelled": NP_("document status", "Cancelled"),
    "rejected": NP_("document status", "Rejected"),
    "reimbursed": NP_("document status", "Reimbursed"),
}

_language = "en"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load(lang: str) -> gettext.NullTranslations:
    """The compiled interface catalogue of ``lang`` (English, or a missing file: the English text)."""
    if lang == "en":
        return gettext.NullTranslations()
    path = catalogue_path(lang)
    try:
        with path.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    except OSError:
        import logging

        logging.getLogger(__name__).warning(
            "The %s interface catalogue %s is missing: run python -m smartdesk.i18n.build", lang, path
        )
        return gettext.NullTranslations()


def set_language(lang: str) -> str:
    """Choose the interface language (fr, nl, en or pseudo); $SMARTDESK_UI_LANG overrides it."""
    global _language, _translation
    chosen = os.environ.get(ENV_UI_LANG) or lang
    chosen = chosen if chosen in (*UI_LANGUAGES, PSEUDO) else "en"
    if chosen != _language:
        _translation = load(chosen)
        _language = chosen
    return _language


def language() -> str:
    return _language


def _(text: str) -> str:
    """Translate an interface string (keyed by its English text)."""
    return _translation.gettext(text) if text else text


def tr(text: str, **params: Any) -> str:
    """Translate, then fill ``{name}`` placeholders."""
    return _(text).format(**params)


def ntr(singular: str, plural: str, count: int, **params: Any) -> str:
    """The singular or the plural form for ``count`` in the interface language, placeholders filled
    (``ntr("{n} document", "{n} documents", total, n=shown)``)."""
    return _translation.ngettext(singular, plural, count).format(**params)


def ptr(context: str, text: str, **params: Any) -> str:
    """Translate a string whose English word has more than one meaning, told apart by ``context``."""
    translated = _translation.pgettext(context, text)
    return translated.format(**params) if params else translated


def message_text(message: str) -> str:
    """A message (a fixed sentence, or a ``smartdesk.errors.Message`` with values) in the interface
    language: the template is translated, then filled with the values (themselves translated when they
    are messages). A template the catalogue does not know stays English rather than failing."""
    template = getattr(message, "template", None)
    if template is None:
        return _(message)
    params = {
        key: message_text(value) if hasattr(value, "template") else value
        for key, value in getattr(message, "params", {}).items()
    }
    plural = getattr(message, "plural", None)
    translated = (
        _(template)
        if plural is None
        else _translation.ngettext(template, plural, int(getattr(message, "quantity", 0)))
    )
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(message)


def status_text(status: str | Status) -> str:
    key = str(status.value if hasattr(status, "value") else status)
    if key not in STATUS_EN:
        raise ValueError(f"unknown status {key!r}")
    return ptr(STATUS_CONTEXT, STATUS_EN[key])


def problem_text(problem: Problem) -> str:
    """A validation problem in the interface language (codes from smartdesk.domain.validation)."""
    from smartdesk.domain.validation import MESSAGES

    template = MESSAGES.get(problem.code)
    if template is None:  # a fixed sentence, or a ``Message`` with its values
        return message_text(problem.message)
    try:
        return _(template).format(**dict(problem.params))
    except (KeyError, IndexError):
        return problem.message


def qt_locale_name() -> str:
    """Locale for Qt's own dialogs and number/date formatting."""
    return {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}.get(_language, "en_GB")


# Words given to messages as values (``Message(status_label(status))``, smartdesk.domain.lifecycle): they
# are not literals at the call, so they are marked here for the extraction.
STATUS_WORDS = (
    N_("draft"),
    N_("submitted"),
    N_("returned"),
    N_("validated"),
    N_("sent"),
    N_("won"),
    N_("lost"),
    N_("expired"),
    N_("in production"),
    N_("invoiced"),
    N_("awaiting payment"),
    N_("first reminder"),
    N_("second reminder"),
    N_("formal notice"),
    N_("litigation"),
    N_("partially paid"),
    N_("paid"),
    N_("cancelled"),
    N_("rejected"),
    N_("reimbursed"),
)

# Problems whose sentence is built with a number written in by smartdesk/services (an f-string the
# extraction cannot read): the interface looks the finished sentence up, so it is marked here.
COMPUTED_SENTENCES = (
    N_("The subject is too long: at most 300 characters."),
    N_("The message is too long: at most 10,000 characters."),
)
