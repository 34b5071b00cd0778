"""Document lists: instant search (Ctrl+F), filters, status chips, empty states that say what to do.

The page shown at start-up: it must not import the editor, the preview or the receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, Qt, QTimer, Signal
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
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import DocumentKind
from smartdesk.domain.lifecycle import STATUSES
from smartdesk.gui import fmt
from smartdesk.gui.documents import list_tools
from smartdesk.gui.documents.model import PAYMENT_COLUMNS, DocumentColumns, DocumentTableModel
from smartdesk.gui.events import events
from smartdesk.gui.labels import PLURALS
from smartdesk.gui.models.roles import ID_ROLE
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets.delegates import StatusChipDelegate
from smartdesk.gui.widgets.page import heading
from smartdesk.gui.widgets.screen import Screen
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr
from smartdesk.services import Workspace
from smartdesk.services.list_filters import UNPAID, ListFilter

if TYPE_CHECKING:
    from smartdesk.gui.window_state import WindowState

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


# the stable key of each column, kept in the window state (never its number: columns may be added)
COLUMN_KEYS = tuple(col.name.lower() for col in DocumentColumns)


PERIODS = (
    (N_("Any time"), None),
    (N_("Last 30 days"), 30),
    (N_("Last 3 months"), 92),
    (N_("Last 12 months"), 365),
)


class TwoLineTitles(QIdentityProxyModel):
    """The list's model as its table shows it: a column title of more than one word and 10 characters
    on two lines ("Totaal incl. / btw"), so that a figures column is as narrow as its figures and the
    title column keeps the room at 1280 px (issue 16). The header menu shows the titles on one line."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        title = super().headerData(section, orientation, role)
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return title
        words = str(title or "").split(" ")
        if len(str(title)) < 10 or len(words) < 2:
            return title
        halves = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        first, second = min(halves, key=lambda pair: abs(len(pair[0]) - len(pair[1])))
        return first + "\n" + second


class DocumentListPage(Screen):
    """The list of one kind of document, with its search, filters, totals and export; ``open_document``
    (from ``Screen``) opens the chosen document in the editor."""

    new_requested = Signal(object)  # DocumentKind
    delete_requested = Signal(str)

    def __init__(
        self,
        ws: Workspace,
        kind: DocumentKind,
        tasks: TaskManager,
        parent: QWidget | None = None,
        state: WindowState | None = None,
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.kind = kind
        self.state = state  # where the columns the member chose are remembered (None: not remembered)
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
        if kind is DocumentKind.INVOICE:
            self.status_filter.addItem(_("All unpaid"), UNPAID)
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
        # --- business tools (gui/documents/list_tools.py) ---
        self.more_statuses = list_tools.StatusPicker(kind, self)
        self.more_statuses.changed.connect(self.apply_filters)
        self.band_chip = list_tools.BandChip(self)
        self.band_chip.cleared.connect(self.apply_filters)
        self.saved_filters = list_tools.SavedFiltersButton(
            ws, kind, self.current_filter, self.apply_list_filter, self
        )
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(
            _("Write the documents of this list to a spreadsheet (XLSX) or a CSV file")
        )
        self.export_button.clicked.connect(self.export_list)
        for tool in (self.more_statuses, self.band_chip, self.saved_filters):
            filters.addWidget(tool)
        filters.addStretch(1)
        self.count_label = QLabel()
        layout.addLayout(filters)

        self.stack = QStackedLayout()
        self.table = QTableView(self)  # a parent from the start: never shown as a window of its own
        self.table.horizontalHeader().setSortIndicator(
            DocumentColumns.ISSUE_DATE, Qt.SortOrder.DescendingOrder
        )
        self.titles = TwoLineTitles(self)
        self.titles.setSourceModel(self.model)
        self.table.setModel(self.titles)
        self.table.setSortingEnabled(True)  # newest first, the order the model already has
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setItemDelegateForColumn(DocumentColumns.STATUS, StatusChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideNone)  # Qt elides two-line titles as one line
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DocumentColumns.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        chip = max(metrics.horizontalAdvance(ui.status_text(s)) for s in STATUSES[kind]) + 34
        # each column as wide as its (two-line) title and a usual value need (the style's cell margins
        # + 4 px), measured in the interface's format; the title stretches; every status chip is shown
        # whole ("Renvoyé avec remarques" was cut, issue 16)
        margin = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 4
        amount = metrics.horizontalAdvance(fmt.money(Decimal("99999.99"))) + margin
        day = metrics.horizontalAdvance(fmt.day(date(2026, 12, 30))) + margin
        for col, width in (
            (DocumentColumns.STATUS, min(chip, 240)),
            (DocumentColumns.NUMBER, metrics.horizontalAdvance("BE-INV-2026-000317") + margin),
            (DocumentColumns.CLIENT, 130),  # a name: the start is enough, the rest elided
            (DocumentColumns.ACTIVITY, 120),
            (DocumentColumns.ISSUE_DATE, day),
            (DocumentColumns.DUE_DATE, day),
            (DocumentColumns.TOTAL, amount),
            (DocumentColumns.PAID, amount),
            (DocumentColumns.STILL_DUE, amount),
            (DocumentColumns.LAST_PAYMENT, day),
            (
                DocumentColumns.DAYS_LATE,
                metrics.horizontalAdvance(ntr("{n} day", "{n} days", 365, n=365)) + margin,
            ),
        ):
            header.resizeSection(col, max(width, header.sectionSizeHint(col)))
        header.setMinimumSectionSize(60)
        # payment status: invoices only; at 1280 px the activity, paid and last payment start hidden (the
        # header's right-click menu shows them; the totals under the list say what was paid)
        hidden = (
            (DocumentColumns.ACTIVITY, DocumentColumns.PAID, DocumentColumns.LAST_PAYMENT)
            if kind is DocumentKind.INVOICE
            else PAYMENT_COLUMNS
        )
        keep = (DocumentColumns.STATUS, DocumentColumns.TITLE)
        # the member's columns (shown, order, widths) per list, by stable key: restored over the defaults
        self.columns = (
            None if state is None else list_tools.ColumnMemory(self.table, COLUMN_KEYS, state, kind.value)
        )
        self.column_menu = list_tools.install_column_menu(self.table, hidden, keep, self.columns)
        self.table.activated.connect(self._activated)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("QLabel { font-size: 12pt; padding: 40px; }")
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addLayout(self.stack, 1)
        bottom = QHBoxLayout()
        self.totals = list_tools.TotalsBar(kind, self)
        self.export_message = QLabel()
        bottom.addWidget(self.totals, 1)
        bottom.addWidget(self.export_message)
        bottom.addWidget(self.count_label)  # here, not beside the filters: room for them in every language
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self._sums_generation = 0
        # the totals follow the rows (never compete with them): once the rows and their count are shown
        self._sums_timer = QTimer(self)
        self._sums_timer.setSingleShot(True)
        self._sums_timer.setInterval(60)
        self._sums_timer.timeout.connect(self._request_sums)
        self.model.total_changed.connect(lambda _n: self._sums_timer.start())
        self.model.total_changed.connect(self._total_changed)
        self._fresh = True
        self._total_changed(self.model.total)  # loads the first page once
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self._delete_current)
        self.reload_choices()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def reload_choices(self) -> None:
        """Fill the activity and client filters (read off the GUI thread)."""

        def fetch() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            return self.ws.documents.filter_choices()

        self.tasks.run(fetch, self._fill_choices)

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

    def current_filter(self) -> ListFilter:
        """What the filters of this list say, in the member's words (saved filters keep this)."""
        status = self.status_filter.currentData()
        return ListFilter(
            text=self.search.text(),
            statuses=tuple(dict.fromkeys([*([status] if status else []), *self.more_statuses.statuses()])),
            activity_id=self.activity_filter.currentData(),
            client_id=self.client_filter.currentData(),
            period_days=self.period_filter.currentData(),
            overdue_band=self.band_chip.band,
        )

    def apply_list_filter(self, filt: ListFilter) -> None:
        """Show the list with these filters (from the home page or a saved filter)."""
        first = filt.statuses[0] if filt.statuses else None
        single = first if first is not None and self.status_filter.findData(first) >= 0 else None
        rest = tuple(s for s in filt.statuses if s != single)
        widgets = (
            self.search,
            self.status_filter,
            self.activity_filter,
            self.client_filter,
            self.period_filter,
        )
        for w in (*widgets, self.more_statuses):
            w.blockSignals(True)
        self.search.setText(filt.text)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(single)) if single else 0)
        self.more_statuses.set_statuses(rest)
        for combo, value in (
            (self.activity_filter, filt.activity_id),
            (self.client_filter, filt.client_id),
            (self.period_filter, filt.period_days),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
        self.band_chip.set_band(filt.overdue_band)
        for w in (*widgets, self.more_statuses):
            w.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._timer.stop()
        filters = self.current_filter().query_changes(date.today())
        self.model.request_filters(self.tasks.run, **filters)  # the query runs off the GUI thread

    def _request_sums(self) -> None:
        """The totals under the list, of every row the filters match (on the worker pool)."""
        self._sums_generation += 1
        generation = self._sums_generation
        query = self.model.query

        def done(sums: list_tools.ListSums) -> None:
            if generation == self._sums_generation:
                self.totals.show_sums(sums)

        self.tasks.run(lambda: self.ws.documents.sums(query), done)

    def export_list(self) -> None:
        list_tools.ask_export(self, self.ws, self.model.query, self.tasks, self.export_message.setText)

    def _documents_changed(self, _ids: object) -> None:
        """Documents were written (the editor, a pull...): the list on screen shows them."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._fresh:  # just built: the first page is already the current one
            self._fresh = False
        else:
            self.model.reload()
        self._sums_timer.start()
        self.reload_choices()

    def filtered(self) -> bool:
        q = self.model.query
        return bool(
            q.text
            or q.status
            or q.activity_id
            or q.client_id
            or q.date_from
            or q.statuses
            or q.due_to
            or q.due_from
        )

    def _total_changed(self, total: int) -> None:
        self.count_label.setText(
            ntr("{n} document", "{n} documents", total, n=format(total, ",").replace(",", "\u202f"))
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
            self.open_document.emit(doc_id)

    def current_id(self) -> str:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else ""

    def _delete_current(self) -> None:
        doc_id = self.current_id()
        if doc_id:
            self.delete_requested.emit(doc_id)
