"""The activities page: budget lines, their totals and the cooperative's monthly figures."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Activity, MonthFigures
from smartdesk.gui import fmt
from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.models.activities import ActivityTableModel
from smartdesk.gui.models.roles import ID_ROLE
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.page import heading, paragraph
from smartdesk.gui.widgets.screen import Screen
from smartdesk.gui.widgets.tables import read_only_table
from smartdesk.i18n.ui import N_, _, ntr, tr
from smartdesk.services import Workspace

FIGURE_HEADERS = (N_("Month"), N_("Invoiced"), N_("Paid"), N_("Expenses"), N_("Wages"), N_("Hours"))


FIGURE_MONTHS = 12


def last_months(monthly: list[MonthFigures], count: int = FIGURE_MONTHS) -> list[MonthFigures]:
    """The latest ``count`` months, oldest first."""
    return sorted(monthly, key=lambda m: m.month)[-count:]


def month_label(month: str) -> str:
    """ "2026-03" as "03/2026": month then year, the order of the interface's dates."""
    year, _dash, mm = month.partition("-")
    return f"{mm}/{year}" if mm else month


class ActivitiesPage(Screen):
    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, parent)
        events().documents_changed.connect(self._documents_changed)
        self.model = ActivityTableModel(ws)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Activities")))
        top.addStretch(1)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name of a new activity"))
        self.name.setMinimumWidth(260)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("Code (optional)"))
        self.add_button = QPushButton(_("Add the activity"))
        self.add_button.clicked.connect(self.add_activity)
        self.name.returnPressed.connect(self.add_activity)
        top.addWidget(self.name)
        top.addWidget(self.code)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        layout.addWidget(
            paragraph(
                _(
                    "An activity is your budget line inside the cooperative: it collects what you invoice "
                    "and pays your expenses and wages. Totals below include VAT."
                )
            )
        )
        self.table = read_only_table(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self._figures_box())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        self.empty = paragraph(
            _(
                "No activity yet. Your advisor opens activities for you; you can also add the ones "
                "you already have, to sort your documents."
            )
        )
        layout.addWidget(self.empty)
        self.activity_id = ""

    def _figures_box(self) -> QGroupBox:
        self.figures_box = QGroupBox(_("Figures from the cooperative"))
        box = QVBoxLayout(self.figures_box)
        self.figures_title = QLabel()
        self.figures_title.setWordWrap(True)
        self.figures_title.setToolTip(
            _(
                "These figures come from the cooperative's accounts. They change with "
                "each sync; you cannot change them here."
            )
        )
        self.figures = QTableWidget(0, len(FIGURE_HEADERS))
        self.figures.setHorizontalHeaderLabels([_(h) for h in FIGURE_HEADERS])
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures.setAlternatingRowColors(True)
        self.figures.verticalHeader().hide()
        self.figures.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.figures.setWordWrap(False)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figures.horizontalHeader().setMinimumSectionSize(
            self.fontMetrics().horizontalAdvance("€ 000,000.00")
        )
        self.figures_empty = paragraph(
            _("The cooperative has not sent figures for this activity yet; they arrive with the next sync.")
        )
        box.addWidget(self.figures_title)
        box.addWidget(self.figures, 1)
        box.addWidget(self.figures_empty)
        box.addStretch(0)
        self.figures_box.hide()
        return self.figures_box

    def _documents_changed(self, _ids: object) -> None:
        """Documents were written or pulled: their totals on this page change."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        current = self.activity_id
        self.model.reload()
        self.empty.setVisible(self.model.rowCount() == 0)
        row = self.model.row_of(current) if current else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.activity_id = ""
            self.figures_box.hide()

    def _current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        if not current.isValid():
            return
        activity_id = current.data(ID_ROLE)
        self.activity_id = activity_id

        def done(activity: Activity) -> None:
            if activity.id == self.activity_id:  # still the selected one
                self.show_figures(activity)

        self.tasks.run(
            lambda: self.ws.activities.get(activity_id), done, lambda exc: self.message.emit(error_text(exc))
        )

    def show_figures(self, activity: Activity) -> None:
        """The cooperative's figures of ``activity``: its latest 12 months and their total."""
        if self.figures_box.isHidden():
            self.figures_box.show()
            total = sum(self.split.sizes())
            if total > 0:  # a quarter for the list of activities, the rest for the figures
                self.split.setSizes([max(150, total // 4), total - max(150, total // 4)])
        months = last_months(activity.monthly)
        self.figures_title.setText(
            tr("“{name}”: what the cooperative's accounts show, month by month.", name=activity.name)
        )
        self.figures.setVisible(bool(months))
        self.figures_empty.setVisible(not months)
        self.figures.setRowCount(len(months) + 1 if months else 0)
        if not months:
            return
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        totals = [
            sum((getattr(m, k) for m in months), Decimal(0))
            for k in ("revenue_invoiced", "revenue_paid", "expenses", "wages", "hours")
        ]
        rows = [
            (month_label(m.month), [m.revenue_invoiced, m.revenue_paid, m.expenses, m.wages, m.hours])
            for m in months
        ]
        label = (
            ntr("Total, last {n} month", "Total, last {n} months", len(months), n=len(months))
            if len(months) > 1
            else _("Total")
        )
        rows.append((label, totals))
        bold = self.figures.font()
        bold.setBold(True)
        for r, (month, values) in enumerate(rows):
            cells = [month, *(fmt.money(v) for v in values[:4]), fmt.number(values[4])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(right)
                if r == len(rows) - 1:
                    item.setFont(bold)
                self.figures.setItem(r, c, item)

    def add_activity(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        activity = Activity(name=name, code=self.code.text().strip(), entity=self.ws.settings.entity)

        def done(_a: Activity) -> None:
            self.name.clear()
            self.code.clear()
            self.refresh()

        self.tasks.write(
            lambda: self.ws.activities.save(activity), done, lambda exc: self.message.emit(error_text(exc))
        )
