"""The business tools of a document list: more statuses at once, the overdue band chip, saved filters,
the totals of the filtered rows and the export to CSV/XLSX.

Kept apart from ``list_page.py`` (which only adds them to its rows of widgets); they call services
only: ``ws.saved_filters``, ``ws.documents.sums``, ``ws.exports``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMenu, QTableView, QToolButton, QWidget

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

BAND_CHIPS = {
    "0-30": N_("Overdue up to 30 days ✕"),
    "31-60": N_("Overdue 31 to 60 days ✕"),
    "61-90": N_("Overdue 61 to 90 days ✕"),
    "90+": N_("Overdue more than 90 days ✕"),
}


def install_column_menu(
    table: QTableView, hidden: tuple[int, ...] = (), keep: tuple[int, ...] = (0,)
) -> None:
    """Right-click on the header: tick the columns to show. ``hidden``: hidden at first."""
    header = table.horizontalHeader()
    for col in hidden:
        table.setColumnHidden(col, True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos: QPoint) -> None:
        model = table.model()
        menu = QMenu(table)
        for col in range(model.columnCount()):
            if col in keep:
                continue
            act = menu.addAction(str(model.headerData(col, Qt.Orientation.Horizontal)))
            act.setCheckable(True)
            act.setChecked(not table.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: table.setColumnHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(show_menu)
    header.setToolTip(_("Right-click to choose the columns"))


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
