"""Settings declared once: key, type, default and a label translated when shown (ARCHITECTURE rule 7).

Values live in the local store's ``settings`` table; secrets never do (they go to the keyring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str  # English; the UI translates it
    choices: tuple[Any, ...] = ()


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("ui_language", str, "fr", "Interface language", ("fr", "nl", "en")),
    Setting("first_run_done", bool, False, "First start finished"),
    Setting("entity", str, "BE", "Cooperative entity (country)", ("BE", "FR")),
    Setting("default_document_language", str, "fr", "Default document language",
            ("fr", "nl", "en", "de", "es", "it")),
    Setting("default_payment_terms_days", int, 30, "Default payment terms (days)"),
    Setting("default_quote_validity_days", int, 30, "Quotes are valid for (days)"),
    Setting("server_url", str, "", "Cooperative server address"),
    Setting("account_email", str, "", "Account email"),
    Setting("pdf_theme", str, "classic", "Document layout"),
    Setting("window_state", str, "", "Window layout"),
    Setting("receipts_cleaned_at", str, "", "Unused receipt files last removed (see services.cleanup)"),
)}


def coerce(key: str, value: Any) -> Any:
    """Check and convert a value for a declared setting; raise ValueError in plain words."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise ValueError(f"“{key}” is not a SmartDesk setting.")
    if setting.type is bool and isinstance(value, str):
        value = value.strip().lower() in ("1", "true", "yes", "on")
    elif setting.type is int and isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise ValueError(f"{setting.label}: “{value}” is not a whole number.") from None
    if not isinstance(value, setting.type):
        raise ValueError(f"{setting.label}: expected {setting.type.__name__}.")
    if setting.choices and value not in setting.choices:
        raise ValueError(f"{setting.label}: choose one of {', '.join(map(str, setting.choices))}.")
    return value
