"""The home page, the first screen: where the member's money stands, and what waits for them.

Every figure comes from ``ws.home.figures()`` (SQL on the local store, offline too), computed on the
worker pool; the page refreshes itself when the event bus says documents or the cooperative's data
changed (an edit, a sync), at most once per ``REFRESH_MS``, and only while it is shown (else on the
next show). Each figure is a button: it opens the list with the matching filter (``open_list``) or
the document (``open_document``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui import fmt
from smartdesk.gui.events import events
from smartdesk.gui.labels import KIND_NAMES
from smartdesk.gui.pages.home_chart import ChartMonth, RevenueChart
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.page import heading, scroll_page
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr
from smartdesk.services import Workspace
from smartdesk.services.home import HomeFigures
from smartdesk.services.list_filters import UNPAID, ListFilter

REFRESH_MS = 150  # edits in a burst (a sync applying 500 changes) refresh the page once
BAND_LABELS = {
    "0-30": N_("Up to 30 days late"),
    "31-60": N_("31 to 60 days late"),
    "61-90": N_("61 to 90 days late"),
    "90+": N_("More than 90 days late"),
}
KIND_PAGES = {
    "quote": "quotes",
    "invoice": "invoices",
    "credit-note": "credit_notes",
    "expense-note": "expense_notes",
}
STEP_NAMES = {
    "sent": N_("sent to the client"),
    "reminder_1": N_("first reminder"),
    "reminder_2": N_("second reminder"),
    "formal_notice": N_("formal notice"),
    "litigation": N_("litigation"),
}
CARD_STYLE = (
    "QPushButton#card { text-align: left; padding: 10px 14px; border: 1px solid palette(mid); "
    "border-radius: 6px; background: palette(base); font-size: 10.5pt; }"
    "QPushButton#card:hover { border-color: palette(highlight); }"
    "QPushButton#card:focus { border: 2px solid palette(highlight); }"
)


def _card(parent: QWidget) -> QPushButton:
    button = QPushButton(parent)
    button.setObjectName("card")
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    button.setMinimumHeight(64)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("QLabel { font-size: 11.5pt; font-weight: 600; padding-top: 8px; }")
    return label


def month_label(month: str) -> str:
    """ "2026-03" as the short month name of the interface language ("mars", "mrt", "Mar")."""
    year, number = (int(part) for part in month.split("-"))
    name = QLocale(ui.qt_locale_name()).monthName(number, QLocale.FormatType.ShortFormat).rstrip(".")
    return f"{name} {year % 100:02d}" if number == 1 else name


class HomePage(QWidget):
    """Cards with the figures, the overdue age bands, the chart, what came back and what comes up."""

    open_list = Signal(str, object)  # page key, ListFilter
    open_document = Signal(str)
    refreshed = Signal()  # new figures are on screen (tests wait for it)

    def __init__(
        self, ws: Workspace, tasks: TaskManager | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.figures: HomeFigures | None = None
        self._dirty = True
        self._running = False
        self._again = False
        self.setStyleSheet(CARD_STYLE)
        body = scroll_page(self)
        body.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(_("Home")))
        top.addStretch(1)
        self.updated = QLabel()
        self.updated.setStyleSheet("QLabel { color: palette(mid); }")
        top.addWidget(self.updated)
        body.addLayout(top)

        self.recurring_box = QFrame()
        self.recurring_box.setObjectName("recurring")
        self.recurring_box.setStyleSheet(
            "QFrame#recurring { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 6px; }"
            "QFrame#recurring QLabel { color: #4a3800; }"
        )
        recurring = QHBoxLayout(self.recurring_box)
        self.recurring_label = QLabel()
        self.recurring_label.setWordWrap(True)
        self.recurring_button = QPushButton(_("Show them"))
        self.recurring_button.clicked.connect(
            lambda: self.open_list.emit("invoices", ListFilter(statuses=("draft",)))
        )
        recurring.addWidget(self.recurring_label, 1)
        recurring.addWidget(self.recurring_button)
        self.recurring_box.hide()
        body.addWidget(self.recurring_box)

        cards = QHBoxLayout()
        self.receive_card = _card(self)
        self.receive_card.setToolTip(_("Every invoice still waiting for (part of) its money: open the list"))
        self.receive_card.clicked.connect(
            lambda: self.open_list.emit("invoices", ListFilter(statuses=(UNPAID,)))
        )
        self.expenses_card = _card(self)
        self.expenses_card.setToolTip(
            _("Expense notes submitted or accepted, not paid back yet: open the list")
        )
        self.expenses_card.clicked.connect(
            lambda: self.open_list.emit("expense_notes", ListFilter(statuses=("submitted", "validated")))
        )
        self.returned_card = _card(self)
        self.returned_card.setToolTip(_("Documents your advisor sent back with remarks: open the list"))
        self.returned_card.clicked.connect(self._open_returned)
        for card in (self.receive_card, self.expenses_card, self.returned_card):
            cards.addWidget(card)
        body.addLayout(cards)

        body.addWidget(_section(_("Overdue invoices")))
        bands = QHBoxLayout()
        self.band_buttons: dict[str, QPushButton] = {}
        for key in BAND_LABELS:
            button = _card(self)
            button.clicked.connect(
                lambda _c=False, k=key: self.open_list.emit("invoices", ListFilter(overdue_band=k))
            )
            self.band_buttons[key] = button
            bands.addWidget(button)
        body.addLayout(bands)

        chart_top = QHBoxLayout()
        chart_top.addWidget(_section(_("Invoiced and paid, last 12 months")))
        chart_top.addStretch(1)
        self.activity_choice = QComboBox()
        self.activity_choice.setToolTip(_("Show the figures of one activity"))
        self.activity_choice.addItem(_("Every activity"), None)
        self.activity_choice.currentIndexChanged.connect(lambda _i: self._show_chart())
        self.activity_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chart_top.addWidget(self.activity_choice)
        body.addLayout(chart_top)
        self.chart = RevenueChart()
        body.addWidget(self.chart, 1)
        self.chart_totals = QLabel()
        body.addWidget(self.chart_totals)

        lists = QGridLayout()
        lists.addWidget(_section(_("Returned with remarks")), 0, 0)
        lists.addWidget(_section(_("Coming up: the cooperative's next steps")), 0, 1)
        self.returned_list = QVBoxLayout()
        self.upcoming_list = QVBoxLayout()
        lists.addLayout(self.returned_list, 1, 0, Qt.AlignmentFlag.AlignTop)
        lists.addLayout(self.upcoming_list, 1, 1, Qt.AlignmentFlag.AlignTop)
        lists.setColumnStretch(0, 1)
        lists.setColumnStretch(1, 1)
        body.addLayout(lists)
        body.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        bus = events()
        bus.documents_changed.connect(self._changed)
        bus.coop_data_changed.connect(self._changed)
        bus.settings_changed.connect(self._changed)

    # --- refresh -------------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start(0)

    def refresh(self) -> None:
        """Compute the figures again (on the worker pool when there is one) and show them."""
        self._timer.stop()
        self._dirty = False
        if self._running:  # one computation at a time; the newest change gets one more
            self._again = True
            return
        if self.tasks is None:
            self.show_figures(self.ws.home.figures())
            return
        self._running = True
        self.tasks.run(self.ws.home.figures, self._done, self._failed)

    def _done(self, figures: HomeFigures) -> None:
        self._running = False
        self.show_figures(figures)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.updated.setText(_("The figures could not be read: try again in a moment."))

    # --- showing ----------------------------------------------------------------------------------
    def show_figures(self, f: HomeFigures) -> None:
        self.figures = f
        self.updated.setText(tr("Figures of {day}", day=fmt.day(f.today)))
        self.receive_card.setText(
            _("Still to receive")
            + f"\n{fmt.money(f.to_receive)}\n"
            + ntr(
                "{n} invoice waiting for payment",
                "{n} invoices waiting for payment",
                f.open_count,
                n=f.open_count,
            )
        )
        self.expenses_card.setText(
            _("Expenses to be paid back")
            + f"\n{fmt.money(f.expenses_waiting)}\n"
            + ntr(
                "{n} expense note", "{n} expense notes", f.expenses_waiting_count, n=f.expenses_waiting_count
            )
        )
        self.returned_card.setText(
            _("Returned with remarks")
            + f"\n{f.returned_count}\n"
            + (_("Correct them and submit again") if f.returned_count else _("Nothing to correct"))
        )
        for band in f.overdue:
            self.band_buttons[band.key].setText(
                _(BAND_LABELS[band.key])
                + f"\n{fmt.money(band.due)}\n"
                + ntr("{n} invoice", "{n} invoices", band.count, n=band.count)
            )
        current = self.activity_choice.currentData()
        self.activity_choice.blockSignals(True)
        self.activity_choice.clear()
        self.activity_choice.addItem(_("Every activity"), None)
        for activity in f.revenue:
            self.activity_choice.addItem(activity.name or _("No activity"), activity.activity_id)
        self.activity_choice.setCurrentIndex(max(0, self.activity_choice.findData(current)))
        self.activity_choice.blockSignals(False)
        self._show_chart()
        self._fill(
            self.returned_list,
            [
                (
                    tr(
                        "{kind}: {title}",
                        kind=_(KIND_NAMES_BY_VALUE.get(d.kind, N_("Document"))),
                        title=d.title or d.number or _("Draft"),
                    ),
                    d.id,
                )
                for d in f.returned
            ],
            _("Nothing came back."),
        )
        self._fill(
            self.upcoming_list,
            [
                (
                    tr(
                        "{day}: {step} for {doc}",
                        day=_day(n.on),
                        step=_(STEP_NAMES.get(n.step, n.step)),
                        doc=n.number or n.title,
                    ),
                    n.document_id,
                )
                for n in f.upcoming
            ],
            _("Nothing planned. The cooperative tells you here before it sends a reminder."),
        )
        recurring = len(f.recurring_prepared)
        self.recurring_box.setVisible(bool(recurring))
        if recurring:
            self.recurring_label.setText(
                ntr(
                    "{n} invoice was prepared from its recurring schedule: check it and submit it.",
                    "{n} invoices were prepared from their recurring schedules: check them and submit them.",
                    recurring,
                    n=recurring,
                )
            )
        self.refreshed.emit()

    def _show_chart(self) -> None:
        f = self.figures
        if f is None:
            return
        chosen = self.activity_choice.currentData()
        months: list[ChartMonth] = []
        for i, month in enumerate(f.months):
            rows = [a for a in f.revenue if chosen is None or a.activity_id == chosen]
            months.append(
                ChartMonth(
                    month_label(month),
                    sum((a.months[i].invoiced for a in rows), start=Decimal(0)),
                    sum((a.months[i].paid for a in rows), start=Decimal(0)),
                )
            )
        self.chart.set_months(months)
        invoiced = sum((m.invoiced for m in months), start=Decimal(0))
        paid = sum((m.paid for m in months), start=Decimal(0))
        self.chart_totals.setText(
            tr(
                "12 months: invoiced {invoiced}, paid {paid}",
                invoiced=fmt.money(invoiced),
                paid=fmt.money(paid),
            )
        )

    def _fill(self, layout: QVBoxLayout, items: list[tuple[str, str]], empty: str) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not items:
            label = QLabel(empty)
            label.setWordWrap(True)
            layout.addWidget(label)
            return
        for text, doc_id in items:
            button = QPushButton(text)
            button.setFlat(True)
            button.setStyleSheet("QPushButton { text-align: left; padding: 3px 6px; }")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _c=False, i=doc_id: self.open_document.emit(i))
            layout.addWidget(button)

    def _open_returned(self) -> None:
        f = self.figures
        kind = f.returned[0].kind if f is not None and f.returned else "invoice"
        self.open_list.emit(KIND_PAGES.get(kind, "invoices"), ListFilter(statuses=("returned",)))


KIND_NAMES_BY_VALUE = {kind.value: name for kind, name in KIND_NAMES.items()}


def _day(iso: str) -> str:
    try:
        return fmt.day(date.fromisoformat(iso[:10]))
    except ValueError:
        return iso
