"""Interface catalogue: every string a member reads in the desktop app, in French, Dutch and English.

Strings are keyed by their English text (``_("Quotes")``). The French and Dutch wording lives in
``smartdesk/i18n/ui_catalogue.py``; a test checks that every string used in ``smartdesk/gui`` has both.
A pseudo-locale (``SMARTDESK_UI_LANG=pseudo``) makes every string about 40 % longer and accented, to prove
that nothing is clipped. This module does not import Qt: the GUI installs the language at start.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from smartdesk.i18n.ui_catalogue import FR, NL, PROBLEMS_FR, PROBLEMS_NL, STATUS_FR, STATUS_NL

if TYPE_CHECKING:
    from smartdesk.domain.lifecycle import Status
    from smartdesk.errors import Problem

UI_LANGUAGES = ("fr", "nl", "en")
PSEUDO = "pseudo"
ENV_UI_LANG = "SMARTDESK_UI_LANG"

_CATALOGUES: dict[str, dict[str, str]] = {"fr": FR, "nl": NL}
_STATUS: dict[str, dict[str, str]] = {"fr": STATUS_FR, "nl": STATUS_NL}
_PROBLEMS: dict[str, dict[str, str]] = {"fr": PROBLEMS_FR, "nl": PROBLEMS_NL}

STATUS_EN: dict[str, str] = {
    "draft": "Draft", "submitted": "Awaiting validation", "returned": "Returned with remarks",
    "validated": "Validated", "sent": "Sent", "won": "Accepted", "lost": "Declined", "expired": "Expired",
    "in_production": "In production", "invoiced": "Invoiced", "awaiting_payment": "Awaiting payment",
    "reminder_1": "First reminder", "reminder_2": "Second reminder", "formal_notice": "Formal notice",
    "litigation": "Litigation", "partially_paid": "Partly paid", "paid": "Paid", "cancelled": "Cancelled",
    "rejected": "Rejected", "reimbursed": "Reimbursed",
}

_language = "en"

_ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "àéîõüýÀÉÎÕÜÝçñšž")


def set_language(lang: str) -> str:
    """Choose the interface language (fr, nl, en or pseudo); $SMARTDESK_UI_LANG overrides it."""
    global _language
    chosen = os.environ.get(ENV_UI_LANG) or lang
    _language = chosen if chosen in (*UI_LANGUAGES, PSEUDO) else "en"
    return _language


def language() -> str:
    return _language


def pseudo(text: str) -> str:
    """Accented and 40 % longer, placeholders and markup kept intact."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in "{<":
            depth += 1
        if depth:
            out.append(ch)
        else:
            out.append(ch.translate(_ACCENTS))
        if ch in "}>" and depth:
            depth -= 1
    pad = "~" * max(2, int(len(text) * 0.4))
    return f"[{''.join(out)} {pad}]"


def _(text: str) -> str:
    """Translate an interface string (keyed by its English text)."""
    if _language == "en":
        return text
    if _language == PSEUDO:
        return pseudo(text)
    return _CATALOGUES[_language].get(text, text)


def tr(text: str, **params: Any) -> str:
    """Translate, then fill ``{name}`` placeholders."""
    return _(text).format(**params)


def message_text(message: str) -> str:
    """A message (a fixed sentence, or a ``smartdesk.errors.Message`` with values) in the interface
    language: the template is translated, then filled with the values (themselves translated when they
    are messages). A template the catalogue does not know stays English rather than failing."""
    template = getattr(message, "template", None)
    if template is None:
        return _(message)
    params = {key: message_text(value) if hasattr(value, "template") else value
              for key, value in getattr(message, "params", {}).items()}
    try:
        return _(template).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(message)


def status_text(status: str | Status) -> str:
    key = str(status.value if hasattr(status, "value") else status)
    if key not in STATUS_EN:
        raise ValueError(f"unknown status {key!r}")
    if _language == PSEUDO:
        return pseudo(STATUS_EN[key])
    if _language == "en":
        return STATUS_EN[key]
    return _STATUS[_language][key]


def problem_text(problem: Problem) -> str:
    """A validation problem in the interface language (codes from smartdesk.domain.validation)."""
    from smartdesk.domain.validation import MESSAGES

    template = MESSAGES.get(problem.code)
    if _language in _PROBLEMS:
        template = _PROBLEMS[_language].get(problem.code, template)
    if template is None:
        return _(problem.message)
    try:
        text = template.format(**dict(problem.params))
    except (KeyError, IndexError):
        text = problem.message
    return pseudo(text) if _language == PSEUDO else text


def qt_locale_name() -> str:
    """Locale for Qt's own dialogs and number/date formatting."""
    return {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}.get(_language, "en_GB")


def N_(text: str) -> str:  # noqa: N802 - the usual gettext marker name
    """Mark a string for translation where it is defined; translate it later with ``_``."""
    return text
