"""Document lists: instant search (Ctrl+F), filters, status chips, empty states that say what to do.

The page shown at start-up: it must not import the editor, the preview or the receipts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import STATUSES
from smartdesk.gui.documents.model import DocumentColumns, DocumentTableModel
from smartdesk.gui.events import events
from smartdesk.gui.labels import PLURALS
from smartdesk.gui.models.roles import ID_ROLE
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets.delegates import StatusChipDelegate
from smartdesk.gui.widgets.page import heading
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr
from smartdesk.services import Workspace

NEW_LABELS = {
    DocumentKind.QUOTE: N_("New quote"),
    DocumentKind.INVOICE: N_("New invoice"),
    DocumentKind.CREDIT_NOTE: N_("New credit note"),
    DocumentKind.EXPENSE_NOTE: N_("New expense note"),
}


EMPTY_TEXTS = {
    DocumentKind.QUOTE: N_(
        "No quotes yet. A quote tells your client what you propose and at what price. "
        "Click “New quote” (Ctrl+N) to write your first one."
    ),
    DocumentKind.INVOICE: N_(
        "No invoices yet. Click “New invoice” (Ctrl+N), or open a quote and choose “Turn into an invoice”."
    ),
    DocumentKind.CREDIT_NOTE: N_(
        "No credit notes. A credit note cancels or corrects an invoice: open the invoice "
        "and choose “Make a credit note”."
    ),
    DocumentKind.EXPENSE_NOTE: N_(
        "No expense notes yet. Click “New expense note” (Ctrl+N) and add the receipts "
        "of what you paid for your activity."
    ),
}


PERIODS = (
    (N_("Any time"), None),
    (N_("Last 30 days"), 30),
    (N_("Last 3 months"), 92),
    (N_("Last 12 months"), 365),
)


class DocumentListPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal(object)  # DocumentKind
    delete_requested = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        kind: DocumentKind,
        tasks: TaskManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.kind = kind
        events().documents_changed.connect(self._documents_changed)
        self.model = DocumentTableModel(ws, kind)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = heading(_(PLURALS[kind]))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search: client, number, words in the lines… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(UndoRouter(self, text_first=True))
        self._timer: QTimer = QTimer(self)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.apply_filters)
        self.new_button = QPushButton(_(NEW_LABELS[kind]))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.new_button.clicked.connect(lambda: self.new_requested.emit(self.kind))
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setToolTip(_("Show only documents in this state"))
        self.status_filter.addItem(_("Every status"), None)
        for s in STATUSES[kind]:
            self.status_filter.addItem(ui.status_text(s), s.value)
        self.activity_filter = QComboBox()
        self.activity_filter.setToolTip(_("Show only documents of this activity"))
        self.client_filter = QComboBox()
        self.client_filter.setToolTip(_("Show only documents of this client"))
        self.period_filter = QComboBox()
        for label, days in PERIODS:
            self.period_filter.addItem(_(label), days)
        # filled before listening: a first item selected in an empty combo is not a filter change (it
        # queried the whole list again on a worker thread, twice, while the window was being shown)
        self.activity_filter.addItem(_("Every activity"), None)
        self.client_filter.addItem(_("Every client"), None)
        for combo in (self.status_filter, self.activity_filter, self.client_filter, self.period_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)
        filters.addStretch(1)
        self.count_label = QLabel()
        filters.addWidget(self.count_label)
        layout.addLayout(filters)

        self.stack = QStackedLayout()
        self.table = QTableView()
        self.table.horizontalHeader().setSortIndicator(
            DocumentColumns.ISSUE_DATE, Qt.SortOrder.DescendingOrder
        )
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)  # newest first, the order the model already has
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setItemDelegateForColumn(DocumentColumns.STATUS, StatusChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DocumentColumns.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        chip = max(metrics.horizontalAdvance(ui.status_text(s)) for s in STATUSES[kind]) + 34
        # the title stretches; every status chip is shown whole ("Renvoyé avec remarques" was cut, issue 16)
        for col, width in (
            (DocumentColumns.STATUS, min(chip, 240)),
            (DocumentColumns.NUMBER, 125),
            (DocumentColumns.CLIENT, 150),
            (DocumentColumns.ACTIVITY, 125),
            (DocumentColumns.ISSUE_DATE, 95),
            (DocumentColumns.DUE_DATE, 95),
            (DocumentColumns.TOTAL, 115),
        ):
            header.resizeSection(col, max(width, header.sectionSizeHint(col)))
        header.setMinimumSectionSize(60)
        self.table.activated.connect(self._activated)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("QLabel { font-size: 12pt; padding: 40px; }")
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addLayout(self.stack, 1)
        self.model.total_changed.connect(self._total_changed)
        self._fresh = True
        self._total_changed(self.model.total)  # loads the first page once
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self._delete_current)
        self.reload_choices()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def reload_choices(self) -> None:
        """Fill the activity and client filters; off the GUI thread when a task manager is there."""

        def fetch() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            return self.ws.documents.filter_choices()

        if self.tasks is not None:
            self.tasks.run(fetch, self._fill_choices)
        else:
            self._fill_choices(fetch())

    def _fill_choices(self, choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        activities, clients = choices
        for combo, items, every in (
            (self.activity_filter, activities, _("Every activity")),
            (self.client_filter, clients, _("Every client")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(every, None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.client_filter.setVisible(self.kind is not DocumentKind.EXPENSE_NOTE)

    def apply_filters(self) -> None:
        self._timer.stop()
        days = self.period_filter.currentData()
        filters = dict(
            text=self.search.text(),
            status=self.status_filter.currentData(),
            activity_id=self.activity_filter.currentData(),
            client_id=self.client_filter.currentData(),
            date_from=(date.today() - timedelta(days=days)) if days else None,
        )
        if self.tasks is not None:
            self.model.request_filters(self.tasks.run, **filters)  # the query runs off the GUI thread
        else:
            self.model.set_filters(**filters)

    def _documents_changed(self, _ids: object) -> None:
        """Documents were written (the editor, a pull...): the list on screen shows them."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._fresh:  # just built: the first page is already the current one
            self._fresh = False
        else:
            self.model.reload()
        self.reload_choices()

    def filtered(self) -> bool:
        q = self.model.query
        return bool(q.text or q.status or q.activity_id or q.client_id or q.date_from)

    def _total_changed(self, total: int) -> None:
        self.count_label.setText(
            ntr("{n} document", "{n} documents", total, n=f"{total:,}".replace(",", "\u202f"))
        )
        if total:
            self.stack.setCurrentWidget(self.table)
            return
        if self.filtered():
            self.empty.setText(
                _(
                    "Nothing matches this search. Check the spelling, or clear the search box and "
                    "the filters to see everything."
                )
            )
        else:
            self.empty.setText(_(EMPTY_TEXTS[self.kind]))
        had_focus = self.table.hasFocus() or QApplication.focusWidget() is None
        self.stack.setCurrentWidget(self.empty)
        if had_focus and self.isVisible():
            self.search.setFocus()
            QTimer.singleShot(0, self._keep_focus)

    def _keep_focus(self) -> None:
        if self.isVisible() and QApplication.focusWidget() is None:
            self.search.setFocus()

    def _activated(self, index: QModelIndex) -> None:
        doc_id = index.data(ID_ROLE)
        if doc_id:
            self.open_requested.emit(doc_id)

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else ""

    def _delete_current(self) -> None:
        doc_id = self.current_id()
        if doc_id:
            self.delete_requested.emit(doc_id)
