"""Settings declared once, as typed attributes (ARCHITECTURE rule 7, Electrum's ``ConfigVar``).

Each setting is a :class:`ConfigVar` on :class:`Settings`: its key in the local store's ``settings``
table, its type, its default, the choices it allows and an English label that the UI translates when
it shows it. Read and write them as attributes (``ws.settings.entity``, ``ws.settings.pdf_theme =
"modern"``) or by key for generic screens (``ws.settings.get(key)``, ``ws.settings.set(key,
value)``). Secrets never live here: they go to the keyring (``smartdesk.sync.credentials``).

Window geometry and splitter positions are the GUI's own (QSettings, see ``smartdesk.gui``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

if TYPE_CHECKING:
    from smartdesk.store import Store

T = TypeVar("T")


class ConfigVar(Generic[T]):
    """One declared setting: key, type, default, label (English, translated when shown), choices."""

    def __init__(self, key: str, type_: type[T], default: T, label: str, choices: tuple[T, ...] = ()) -> None:
        self.key = key
        self.type = type_
        self.default = default
        self.label = label
        self.choices = choices

    def coerce(self, value: Any) -> T:
        """Check and convert a value for this setting; raise ValueError in plain words."""
        if self.type is bool and isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif self.type is int and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                raise ValueError(f"{self.label}: “{value}” is not a whole number.") from None
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValueError(f"{self.label}: expected {self.type.__name__}.")
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.label}: choose one of {', '.join(map(str, self.choices))}.")
        return value

    @overload
    def __get__(self, obj: None, owner: type) -> ConfigVar[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> ConfigVar[T] | T:
        if obj is None:
            return self
        value: T | None = obj._store.get_setting(self.key)  # noqa: SLF001 - the settings' own store (set by __set__, coerced)
        return self.default if value is None else value

    def __set__(self, obj: Settings, value: T) -> None:
        obj._store.set_setting(self.key, self.coerce(value))  # noqa: SLF001


class Settings:
    """The member's settings on this computer, each declared once below."""

    ui_language = ConfigVar("ui_language", str, "fr", "Interface language", ("fr", "nl", "en"))
    first_run_done = ConfigVar("first_run_done", bool, False, "First start finished")
    entity = ConfigVar("entity", str, "BE", "Cooperative entity (country)", ("BE", "FR"))
    default_document_language = ConfigVar(
        "default_document_language",
        str,
        "fr",
        "Default document language",
        ("fr", "nl", "en", "de", "es", "it"),
    )
    default_payment_terms_days = ConfigVar(
        "default_payment_terms_days", int, 30, "Default payment terms (days)"
    )
    default_quote_validity_days = ConfigVar(
        "default_quote_validity_days", int, 30, "Quotes are valid for (days)"
    )
    pdf_theme = ConfigVar("pdf_theme", str, "classic", "Document layout")
    receipts_cleaned_at = ConfigVar(
        "receipts_cleaned_at", str, "", "Unused receipt files last removed (see services.cleanup)"
    )
    saved_filters = ConfigVar("saved_filters", dict, {}, "Saved list filters (services.list_filters)")
    recurring = ConfigVar("recurring", dict, {}, "Recurring invoice schedules (services.recurring)")

    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def declared(cls) -> dict[str, ConfigVar[Any]]:
        """Every declared setting by key."""
        return {v.key: v for v in vars(cls).values() if isinstance(v, ConfigVar)}

    @classmethod
    def var(cls, key: str) -> ConfigVar[Any]:
        found = cls.declared().get(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str) -> Any:
        """A setting by key (KeyError for a key that is not declared)."""
        return self.var(key).__get__(self, type(self))

    def set(self, key: str, value: Any) -> None:
        """Set a setting by key; ValueError in plain words for a bad value or an unknown key."""
        try:
            var = self.var(key)
        except KeyError:
            raise ValueError(f"“{key}” is not a SmartDesk setting.") from None
        var.__set__(self, value)


SETTINGS: dict[str, ConfigVar[Any]] = Settings.declared()


def saved_setting(folder: Path | str | None, key: str) -> Any:
    """A setting read straight from the data file, read-only, without opening the store: for when the
    store cannot be opened (a damaged file, a newer version's). None when SQLite cannot read it either."""
    import json
    import sqlite3

    from smartdesk.paths import data_dir
    from smartdesk.store.database import DB_NAME

    Settings.var(key)  # a declared setting only
    try:
        con = sqlite3.connect(f"file:{data_dir(folder) / DB_NAME}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError, OSError):
        return None
