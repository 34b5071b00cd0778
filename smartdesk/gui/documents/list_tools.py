"""The business tools of a document list: more statuses at once, the overdue band chip, saved filters,
the totals of the filtered rows and the export to CSV/XLSX.

Kept apart from ``list_page.py`` (which only adds them to its rows of widgets); they call services
only: ``ws.saved_filters``, ``ws.documents.sums``, ``ws.exports``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QWidget,
)

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import STATUSES
from smartdesk.errors import SmartDeskError
from smartdesk.gui import fmt
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr
from smartdesk.services import DocumentQuery, ListSums, Workspace
from smartdesk.services.list_filters import ListFilter

if TYPE_CHECKING:
    from smartdesk.gui.tasks import TaskManager
    from smartdesk.gui.window_state import WindowState

BAND_CHIPS = {
    "0-30": N_("Overdue up to 30 days ✕"),
    "31-60": N_("Overdue 31 to 60 days ✕"),
    "61-90": N_("Overdue 61 to 90 days ✕"),
    "90+": N_("Overdue more than 90 days ✕"),
}


class ColumnMemory:
    """Which columns a list shows, in which order and how wide, remembered between runs in the window
    state (``WindowState.list_columns[name]``) by each column's stable key, never by its number: a
    column that a later version adds is not in what was saved, so it appears where and as it is meant
    to. Only what the member changed is kept (a width equal to the list's own stays unsaved)."""

    MAX_WIDTH = 1200

    def __init__(self, table: QTableView, keys: Sequence[str], state: WindowState, name: str) -> None:
        self.table = table
        self.keys = list(keys)  # logical column -> stable key
        self.state = state
        self.name = name
        header = table.horizontalHeader()
        self.default_widths = [header.sectionSize(c) for c in range(header.count())]

    def _saved(self) -> dict[str, Any]:
        entry = self.state.list_columns.get(self.name)
        return entry if isinstance(entry, dict) else {}

    def restore(self, keep: tuple[int, ...] = ()) -> None:
        saved = self._saved()
        order = [k for k in saved.get("order", []) if isinstance(k, str)]
        hidden = {k for k in saved.get("hidden", []) if isinstance(k, str)}
        widths = saved.get("widths", {})
        header = self.table.horizontalHeader()
        known = set(order)
        for col, key in enumerate(self.keys):
            if key in known and col not in keep:  # a new column keeps the visibility it is made with
                self.table.setColumnHidden(col, key in hidden)
            width = widths.get(key) if isinstance(widths, dict) else None
            interactive = header.sectionResizeMode(col) == QHeaderView.ResizeMode.Interactive
            if isinstance(width, int) and not isinstance(width, bool) and interactive:
                header.resizeSection(col, max(header.minimumSectionSize(), min(width, self.MAX_WIDTH)))
        # the saved order of the columns still there; a new one at its own place among them
        sequence = [self.keys.index(k) for k in dict.fromkeys(order) if k in self.keys]
        for col in range(len(self.keys)):
            if self.keys[col] not in known:
                sequence.insert(min(col, len(sequence)), col)
        for visual, col in enumerate(sequence):
            if header.visualIndex(col) != visual:
                header.moveSection(header.visualIndex(col), visual)

    def save(self) -> None:
        header = self.table.horizontalHeader()
        previous = self._saved().get("widths", {})
        widths: dict[str, int] = {}
        for col, key in enumerate(self.keys):
            if header.sectionResizeMode(col) != QHeaderView.ResizeMode.Interactive:
                continue
            if self.table.isColumnHidden(col):  # hidden: its size reads 0, keep the one it had
                if isinstance(previous, dict) and isinstance(previous.get(key), int):
                    widths[key] = previous[key]
            elif header.sectionSize(col) != self.default_widths[col]:
                widths[key] = header.sectionSize(col)
        entry = {
            "order": [self.keys[header.logicalIndex(v)] for v in range(header.count())],
            "hidden": [k for col, k in enumerate(self.keys) if self.table.isColumnHidden(col)],
            "widths": widths,
        }
        if entry != self._saved():
            everything = dict(self.state.list_columns)
            everything[self.name] = entry
            self.state.list_columns = everything

    def follow(self) -> None:
        """Save as soon as the member moves or resizes a column (hiding one is saved by the menu)."""
        header = self.table.horizontalHeader()
        header.sectionMoved.connect(lambda *_a: self.save())
        header.sectionResized.connect(self._resized)

    def _resized(self, col: int, _old: int, _new: int) -> None:
        header = self.table.horizontalHeader()
        if header.sectionResizeMode(col) == QHeaderView.ResizeMode.Interactive:
            self.save()


def install_column_menu(
    table: QTableView,
    hidden: tuple[int, ...] = (),
    keep: tuple[int, ...] = (0,),
    memory: ColumnMemory | None = None,
) -> Callable[[], QMenu]:
    """Right-click on the header: tick the columns to show. ``hidden``: hidden at first. With a
    ``memory``, the member's choice, column order and widths come back at the next start. Returns what
    builds the menu (the header's right-click shows it)."""
    header = table.horizontalHeader()
    for col in hidden:
        table.setColumnHidden(col, True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    if memory is not None:
        header.setSectionsMovable(True)  # drag a title to move its column
        memory.restore(keep)
        memory.follow()

    def toggle(col: int, on: bool) -> None:
        table.setColumnHidden(col, not on)
        if memory is not None:
            memory.save()

    def build_menu() -> QMenu:
        model = table.model()
        menu = QMenu(table)
        for col in range(model.columnCount()):
            if col in keep:
                continue
            act = menu.addAction(str(model.headerData(col, Qt.Orientation.Horizontal)).replace("\n", " "))
            act.setCheckable(True)
            act.setChecked(not table.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: toggle(c, on))
        return menu

    header.customContextMenuRequested.connect(lambda pos: build_menu().exec(header.mapToGlobal(pos)))
    header.setToolTip(_("Right-click to choose the columns"))
    return build_menu


class StatusPicker(QToolButton):
    """ "More statuses": tick several statuses; the list shows documents in any of them."""

    changed = Signal()

    def __init__(self, kind: DocumentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(_("Show documents in any of several statuses"))
        menu = QMenu(self)
        self.actions_by_status: dict[str, QAction] = {}
        for status in STATUSES[kind]:
            act = menu.addAction(ui.status_text(status))
            act.setCheckable(True)
            act.toggled.connect(lambda _on: self._toggled())
            self.actions_by_status[status.value] = act
        menu.addSeparator()
        menu.addAction(_("Clear"), lambda: self.set_statuses(()))
        self.setMenu(menu)
        self._update_text()

    def statuses(self) -> tuple[str, ...]:
        return tuple(s for s, act in self.actions_by_status.items() if act.isChecked())

    def set_statuses(self, statuses: tuple[str, ...]) -> None:
        for status, act in self.actions_by_status.items():
            act.blockSignals(True)
            act.setChecked(status in statuses)
            act.blockSignals(False)
        self._toggled()

    def _toggled(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        n = len(self.statuses())
        self.setText(ntr("{n} more status", "{n} more statuses", n, n=n) if n else _("More statuses"))


class BandChip(QToolButton):
    """The overdue age band the home page opened the list with; a click removes it."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.band: str | None = None
        self.setToolTip(_("Click to show every due date again"))
        self.clicked.connect(self.clear)
        self.hide()

    def set_band(self, band: str | None) -> None:
        self.band = band if band in BAND_CHIPS else None
        if self.band:
            self.setText(_(BAND_CHIPS[self.band]))
        self.setVisible(self.band is not None)

    def clear(self) -> None:
        self.set_band(None)
        self.cleared.emit()


class TotalsBar(QLabel):
    """Under the list: count, total, paid and still due of every row the filters match."""

    def __init__(self, kind: DocumentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.sums: ListSums | None = None
        self.setObjectName("totals")
        self.setStyleSheet("QLabel#totals { padding: 4px 2px; font-weight: 600; }")

    def show_sums(self, sums: ListSums) -> None:
        self.sums = sums
        text = tr(
            "Total of these {n}: {total}",
            n=format(sums.count, ",").replace(",", "\u202f"),
            total=fmt.money(sums.total),
        )
        if self.kind is DocumentKind.INVOICE:
            text += " · " + tr(
                "paid {paid} · still due {due}", paid=fmt.money(sums.paid), due=fmt.money(sums.still_due)
            )
        self.setText(text)


class SavedFiltersButton(QToolButton):
    """ "Saved filters": apply one, save the current one under a name, delete one."""

    def __init__(
        self,
        ws: Workspace,
        kind: DocumentKind,
        current: Callable[[], ListFilter],
        apply: Callable[[ListFilter], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.kind = kind
        self._current = current
        self._apply = apply
        self.setText(_("Saved filters"))
        self.setToolTip(_("Keep these filters under a name, and find them again"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.aboutToShow.connect(self._fill)
        self.setMenu(menu)
        self.last_message = ""

    def _fill(self) -> None:
        menu = self.menu()
        menu.clear()
        names = self.ws.saved_filters.names(self.kind.value)
        for name in names:
            menu.addAction(name, partial(self.apply_saved, name))
        if names:
            menu.addSeparator()
        menu.addAction(_("Save these filters…"), self._ask_name)
        if names:
            delete = menu.addMenu(_("Delete a saved filter"))
            for name in names:
                delete.addAction(name, partial(self.ws.saved_filters.delete, self.kind.value, name))

    def apply_saved(self, name: str) -> None:
        filt = self.ws.saved_filters.get(self.kind.value, name)
        if filt is not None:
            self._apply(filt)

    def save_as(self, name: str) -> str:
        try:
            return self.ws.saved_filters.save(self.kind.value, name, self._current())
        except SmartDeskError as exc:
            from smartdesk.gui.errors import error_text

            self.last_message = error_text(exc)
            return ""

    def _ask_name(self) -> None:
        name, ok = QInputDialog.getText(self, _("Save these filters"), _("Name of this filter:"))
        if ok:
            self.save_as(name)


def ask_export(
    parent: QWidget,
    ws: Workspace,
    query: DocumentQuery,
    tasks: TaskManager | None,
    done: Callable[[str], None],
) -> None:
    """Ask where to write the list (CSV or XLSX) and write it on the worker pool."""
    path, _chosen = QFileDialog.getSaveFileName(
        parent,
        _("Export this list"),
        str(Path.home() / (_("documents") + ".xlsx")),
        _("Spreadsheet (*.xlsx);;CSV, semicolons (*.csv)"),
    )
    if not path:
        return
    if not path.lower().endswith((".csv", ".xlsx")):
        path += ".csv" if "csv" in _chosen.lower() else ".xlsx"
    export(ws, query, Path(path), tasks, done)


def export(
    ws: Workspace, query: DocumentQuery, path: Path, tasks: TaskManager | None, done: Callable[[str], None]
) -> None:
    def finished(count: int) -> None:
        done(
            ntr(
                "{n} document exported to {path}",
                "{n} documents exported to {path}",
                count,
                n=count,
                path=str(path),
            )
        )

    def failed(exc: BaseException) -> None:
        from smartdesk.gui.errors import error_text

        done(error_text(exc))

    if tasks is None:
        try:
            finished(ws.exports.write(query, path))
        except SmartDeskError as exc:
            failed(exc)
        return
    tasks.run(lambda: ws.exports.write(query, path), finished, failed)
