"""A small box of the invoice editor: make this invoice recur (monthly, quarterly, yearly; until a date
or for a number of invoices). Calls ``ws.recurring`` only; the drafts are prepared by
``gui/recurring.py`` on time."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QFrame, QHBoxLayout, QLabel, QSpinBox, QWidget

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.recurrence import MAX_COUNT
from smartdesk.errors import SmartDeskError
from smartdesk.i18n.ui import N_, _
from smartdesk.services import Workspace

CHOICES = (
    (N_("Does not repeat"), ""),
    (N_("Every month"), "monthly"),
    (N_("Every quarter"), "quarterly"),
    (N_("Every year"), "yearly"),
)


class RecurringBox(QFrame):
    message = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.doc_id = ""
        self._loading = False
        self.setObjectName("recurring_box")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(QLabel(_("Repeat:")))
        self.frequency = QComboBox()
        self.frequency.setToolTip(
            _("SmartDesk prepares a new draft of this invoice each period, for you to check and submit")
        )
        for label, key in CHOICES:
            self.frequency.addItem(_(label), key)
        row.addWidget(self.frequency)
        self.count_label = QLabel(_("Invoices (0: no limit):"))
        row.addWidget(self.count_label)
        self.count = QSpinBox()
        self.count.setRange(0, MAX_COUNT)
        row.addWidget(self.count)
        self.until = QCheckBox(_("Until"))
        row.addWidget(self.until)
        self.end = QDateEdit()
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("dd/MM/yyyy")
        row.addWidget(self.end)
        row.addStretch(1)
        self.frequency.currentIndexChanged.connect(lambda _i: self._changed())
        self.count.valueChanged.connect(lambda _v: self._changed())
        self.until.toggled.connect(lambda _on: self._changed())
        self.end.dateChanged.connect(lambda _d: self._changed())
        self.hide()

    def show_for(self, doc: Document) -> None:
        """Shown for invoices; others hide it."""
        if doc.kind is not DocumentKind.INVOICE:
            self.doc_id = ""
            self.hide()
            return
        self.doc_id = doc.id
        schedule = self.ws.recurring.get(doc.id)
        self._loading = True
        try:
            self.frequency.setCurrentIndex(
                max(0, self.frequency.findData(schedule.frequency if schedule else ""))
            )
            self.count.setValue(schedule.count or 0 if schedule else 0)
            self.until.setChecked(bool(schedule and schedule.end))
            end = (
                schedule.end if schedule and schedule.end else (doc.issue_date or date.today()).replace(day=1)
            )
            self.end.setDate(QDate(end.year, end.month, end.day))
        finally:
            self._loading = False
        self._enable()
        self.show()

    def _enable(self) -> None:
        on = bool(self.frequency.currentData())
        for w in (self.count_label, self.count, self.until):
            w.setEnabled(on)
        self.end.setEnabled(on and self.until.isChecked())

    def _changed(self) -> None:
        self._enable()
        if self._loading or not self.doc_id:
            return
        frequency = self.frequency.currentData()
        try:
            if not frequency:
                self.ws.recurring.remove(self.doc_id)
                return
            d = self.end.date()
            self.ws.recurring.set(
                self.doc_id,
                frequency,
                end=date(d.year(), d.month(), d.day()) if self.until.isChecked() else None,
                count=self.count.value() or None,
            )
        except SmartDeskError as exc:
            from smartdesk.gui.errors import error_text

            self.message.emit(error_text(exc))
