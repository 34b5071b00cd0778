"""What the interface remembers between runs (window geometry, splitters, last page, export folder, the
columns of the lists).

Every QSettings key is declared once here as a typed attribute of `WindowState` (the idea of Electrum's
``ConfigVar``): code reads ``state.last_page`` and writes ``state.last_page = "invoices"`` instead of
spelling string keys and converting QVariants in each screen. The member's data and settings are not
here (they are in the store, see ``services.settings``): only the layout of this computer's windows.
"""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

from smartdesk import APP_NAME, ORG_NAME

T = TypeVar("T")


class StateVar(Generic[T]):
    """One remembered value: its QSettings key, its default and how a stored value is read back."""

    def __init__(self, key: str, default: T, read: Any, write: Any = None) -> None:
        self.key = key
        self.default = default
        self._read = read  # stored QVariant -> T, or None when it is not usable
        self._write = write  # T -> what is stored (None: stored as it is)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> StateVar[T]: ...
    @overload
    def __get__(self, obj: WindowState, owner: type | None = None) -> T: ...

    def __get__(self, obj: WindowState | None, owner: type | None = None) -> StateVar[T] | T:
        if obj is None:
            return self
        raw = obj.qsettings.value(self.key)
        if raw is None:
            return self.default
        value = self._read(raw)
        return self.default if value is None else value

    def __set__(self, obj: WindowState, value: T) -> None:
        obj.qsettings.setValue(self.key, value if self._write is None else self._write(value))


def _bytes(raw: object) -> QByteArray | None:
    if isinstance(raw, QByteArray):
        return raw
    if isinstance(raw, bytes | bytearray):
        return QByteArray(bytes(raw))
    return None


def _text(raw: object) -> str:
    return str(raw or "")


def _json_object(raw: object) -> dict[str, Any] | None:
    """A JSON object stored as text (the same on every platform's settings store), else None."""
    try:
        value = json.loads(str(raw))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_text(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True)


class WindowState:
    """The remembered layout, read from and written to one QSettings (the app's own, or a test's file)."""

    geometry: StateVar[QByteArray | None] = StateVar("geometry", None, _bytes)
    window_state: StateVar[QByteArray | None] = StateVar("windowState", None, _bytes)
    splitter: StateVar[QByteArray | None] = StateVar("splitter", None, _bytes)  # navigation | page
    editor_splitter: StateVar[QByteArray | None] = StateVar("editorSplitter", None, _bytes)  # form | preview
    last_page: StateVar[str] = StateVar("lastPage", "home", _text)
    last_document: StateVar[str] = StateVar("lastDocument", "", _text)  # open in the editor at quit, or ""
    export_folder: StateVar[str] = StateVar("pdf/lastExportFolder", "", _text)  # of the last PDF export
    # per document list ("invoice", ...): the columns the member hid, moved or resized, by stable key
    # (gui/documents/list_tools.py, ColumnMemory); a column added by a later version is not in it
    list_columns: StateVar[dict[str, Any]] = StateVar("lists/columns", {}, _json_object, _json_text)

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings(ORG_NAME, APP_NAME)

    def sync(self) -> None:
        """Write to disk now (Qt also does it by itself, later)."""
        self.qsettings.sync()
