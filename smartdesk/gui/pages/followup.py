"""Follow-up of invoices: for each step the cooperative takes (sending, reminders, formal notice,
litigation) the member says Hold or OK, as a default and per invoice, and how many days before a step
they want to be warned. Reads and writes run off the GUI thread (TaskManager); every change is one
``followup.set`` in the outbox, shows at once (offline too) and can be undone (Ctrl+Z). Undoing an
invoice's own choice made over the default queues a ``followup.clear``: the invoice follows the default
again, exactly as before. The words of the steps, the Hold / OK switch and the editor's box for one
invoice are in ``followup_invoice.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.errors import error_text, problem_lines
from smartdesk.gui.fmt import day
from smartdesk.gui.pages.followup_invoice import (
    HOLD_MARK,
    OK_MARK,
    HoldSwitch,
    InvoiceFollowUpBox,
    step_words,
)
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.page import heading, paragraph, problem_label, scroll_page
from smartdesk.gui.widgets.screen import Screen
from smartdesk.gui.widgets.tables import pick_list_table
from smartdesk.i18n.ui import N_, _, status_text, tr
from smartdesk.services import Workspace
from smartdesk.services.followup import (
    FOLLOWUP_STEP_NAMES,
    MAX_NOTIFY_DAYS,
    FollowedInvoice,
    FollowUpNotice,
    FollowUpSetting,
    FollowUpSettings,
)

__all__ = ["FollowUpPage", "InvoiceFollowUpBox"]  # the document editor imports the box from here

COLUMNS = (N_("Invoice"), N_("Now"), N_("Next step"), N_("Hold or OK"))


ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


NO_WARNING = -1


class FollowUpPage(Screen):
    def __init__(
        self,
        ws: Workspace,
        tasks: TaskManager,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.undo_stack = undo_stack or QUndoStack(self)
        self.settings: FollowUpSettings | None = None
        self.invoices: list[FollowedInvoice] = []
        self.notices: list[FollowUpNotice] = []
        layout = scroll_page(self)
        layout.addWidget(heading(_("Follow-up of your invoices")))
        layout.addWidget(
            paragraph(
                _(
                    "The cooperative sends your invoices and follows them up when a client does not pay. "
                    "For each step, choose OK (the cooperative does it on time) or Hold (it waits for you). "
                    "Your choices go to the cooperative with the next sync."
                )
            )
        )

        defaults = QGroupBox(_("My defaults"))
        grid = QGridLayout(defaults)
        grid.setHorizontalSpacing(16)
        for col, head in enumerate((_("Step"), _("Hold or OK"), _("Warn me before"))):
            label = QLabel(f"<b>{head}</b>")
            grid.addWidget(label, 0, col)
        self.switches: dict[str, HoldSwitch] = {}
        self.spins: dict[str, QSpinBox] = {}
        for row, step in enumerate(FOLLOWUP_STEP_NAMES, start=1):
            name = QLabel(step_words(step))
            switch = HoldSwitch()
            switch.setAccessibleName(tr("{step}: Hold or OK", step=step_words(step)))
            switch.toggled.connect(lambda hold, s=step: self._default_changed(s, hold=hold))
            name.setBuddy(switch)
            spin = QSpinBox()
            spin.setRange(NO_WARNING, MAX_NOTIFY_DAYS)
            spin.setSpecialValueText(_("No warning"))
            spin.setSuffix(" " + _("days before"))
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(tr("{step}: warn me this many days before", step=step_words(step)))
            spin.setToolTip(_("Leave it at “No warning” if you do not want to be warned"))
            spin.setMinimumWidth(
                spin.fontMetrics().horizontalAdvance(_("No warning") + _("days before")) + 48
            )
            spin.editingFinished.connect(lambda s=step: self._default_changed(s))
            grid.addWidget(name, row, 0)
            grid.addWidget(switch, row, 1)
            grid.addWidget(spin, row, 2)
            self.switches[step] = switch
            self.spins[step] = spin
        grid.setColumnStretch(3, 1)
        layout.addWidget(defaults)

        followed = QGroupBox(_("Invoices being followed"))
        fl = QVBoxLayout(followed)
        self.table = pick_list_table(COLUMNS, "followed")
        self.table.setMinimumHeight(160)
        self.table.setAccessibleName(_("Invoices being followed"))
        self.table.currentCellChanged.connect(lambda _r, _c, _pr, _pc: self._show_current())
        self.table.doubleClicked.connect(lambda _i: self._open_current())
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        space.activated.connect(self.toggle_current)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter opens the invoice, Esc there comes back
            enter = QShortcut(QKeySequence(key), self.table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._open_current)
        fl.addWidget(self.table)
        current_row = QHBoxLayout()
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        current_row.addWidget(self.current_label, 1)
        self.invoice_switch = HoldSwitch()
        self.invoice_switch.setToolTip(
            _("Hold or allow the next step for this invoice only (Space in the list)")
        )
        self.invoice_switch.toggled.connect(lambda _h: self.toggle_current())
        current_row.addWidget(self.invoice_switch)
        self.open_button = QPushButton(_("Open the invoice"))
        self.open_button.setToolTip(_("Open it in the editor (Enter in the list); Esc brings you back here"))
        self.open_button.clicked.connect(self._open_current)
        current_row.addWidget(self.open_button)
        fl.addLayout(current_row)
        self.empty = paragraph(
            _(
                "No invoice is being followed up right now. Once the cooperative sends one of your "
                "invoices, it appears here until it is paid."
            )
        )
        fl.addWidget(self.empty)
        layout.addWidget(followed, 1)

        notices = QGroupBox(_("Coming up"))
        nl = QVBoxLayout(notices)
        self.notice_list = QListWidget()
        self.notice_list.setObjectName("notices")
        self.notice_list.setAccessibleName(_("Coming up"))
        self.notice_list.setMaximumHeight(max(72, self.fontMetrics().height() * 4 + 12))
        self.notice_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notice_list.setWordWrap(True)
        nl.addWidget(self.notice_list)
        self.no_notice = paragraph(
            _("No warning yet. Set “Warn me before” above and the cooperative tells you here before it acts.")
        )
        nl.addWidget(self.no_notice)
        layout.addWidget(notices)
        self.problem = problem_label()
        self.problem.hide()
        layout.addWidget(self.problem)
        self._show_current()

    def back_from_editor(self) -> None:
        """The invoice opened from here was closed (Back / Esc): the list, on the same invoice, has the focus."""
        (self.table if self.invoices else self).setFocus()

    # --- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        ws = self.ws

        def load() -> tuple[FollowUpSettings, list[FollowedInvoice], list[FollowUpNotice]]:
            return ws.followup.settings(), ws.followup.invoices(), ws.followup.notices(10)

        self.tasks.run(load, self._loaded, lambda exc: self.message.emit(error_text(exc)))

    def _loaded(self, value: object) -> None:
        settings, invoices, notices = cast(
            "tuple[FollowUpSettings, list[FollowedInvoice], list[FollowUpNotice]]", value
        )
        self.settings, self.invoices, self.notices = settings, list(invoices), list(notices)
        for step in FOLLOWUP_STEP_NAMES:
            setting = settings.defaults[step]
            self.switches[step].set_hold(setting.hold)
            spin = self.spins[step]
            if not spin.hasFocus():
                spin.blockSignals(True)
                spin.setValue(
                    NO_WARNING if setting.notify_days_before is None else setting.notify_days_before
                )
                spin.blockSignals(False)
        keep = self.current_invoice()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.invoices))
        numbers = {i.id: i.number for i in self.invoices}
        for r, inv in enumerate(self.invoices):
            label = " · ".join(p for p in (inv.number, inv.client_name, inv.title) if p)
            first = QTableWidgetItem(label)
            first.setData(ID_ROLE, inv.id)
            first.setToolTip(label)
            which = _("this invoice") if inv.overridden else _("your default")
            held = _("Held") if inv.setting.hold else _("OK")  # outside the f-string: the extraction sees it
            state = f"{HOLD_MARK if inv.setting.hold else OK_MARK} {held} ({which})"
            if inv.setting.pending:
                state += " · " + _("choice not sent yet")
            for c, item in enumerate(
                (
                    first,
                    QTableWidgetItem(status_text(inv.status)),
                    QTableWidgetItem(step_words(inv.next_step)),
                    QTableWidgetItem(state),
                )
            ):
                self.table.setItem(r, c, item)
        row = next(
            (i for i, inv in enumerate(self.invoices) if keep and inv.id == keep.id),
            0 if self.invoices else -1,
        )
        if row >= 0:
            self.table.setCurrentCell(row, 0)
            self.table.selectRow(row)
        self.table.blockSignals(False)
        self.notice_list.clear()
        for n in self.notices:
            when = n.on
            try:
                when = day(date.fromisoformat(n.on))
            except ValueError:
                pass
            what = n.number or numbers.get(n.document_id, "") or n.title
            self.notice_list.addItem(
                tr("{step} for invoice {invoice} on {date}", step=step_words(n.step), invoice=what, date=when)
            )
        self.notice_list.setVisible(bool(self.notices))
        self.no_notice.setVisible(not self.notices)
        self._show_current()

    def current_invoice(self) -> FollowedInvoice | None:
        row = self.table.currentRow()
        return self.invoices[row] if 0 <= row < len(self.invoices) else None

    def _show_current(self) -> None:
        has_any = bool(self.invoices)
        self.table.setVisible(has_any)
        self.empty.setVisible(not has_any)
        inv = self.current_invoice()
        for w in (self.current_label, self.invoice_switch, self.open_button):
            w.setVisible(inv is not None)
        if inv is None:
            return
        self.current_label.setText(
            tr(
                "Next step for {invoice}: {step}",
                invoice=inv.number or inv.title,
                step=step_words(inv.next_step),
            )
        )
        self.invoice_switch.set_hold(inv.setting.hold)
        self.invoice_switch.setAccessibleName(
            tr("Next step for {invoice}: Hold or OK", invoice=inv.number or inv.title)
        )

    # --- changes -------------------------------------------------------------------------------------
    def _default_changed(self, step: str, hold: bool | None = None) -> None:
        if self.settings is None:
            return
        old = self.settings.defaults[step]
        value = self.spins[step].value()
        notify = None if value == NO_WARNING else value
        new_hold = self.switches[step].isChecked() if hold is None else hold
        if (new_hold, notify) == (old.hold, old.notify_days_before):
            return
        self.change(
            FollowUpSetting(step, new_hold, notify), old, tr("Follow-up: {step}", step=step_words(step))
        )

    def toggle_current(self) -> None:
        """Hold or allow the next step of the selected invoice (for that invoice only)."""
        inv = self.current_invoice()
        if inv is None:
            return
        old = inv.setting
        new = FollowUpSetting(inv.next_step, not old.hold, old.notify_days_before, inv.id)
        # undo puts back what applied before: the invoice's own choice, or no choice (the default)
        self.change(
            new,
            old,
            tr("Follow-up of {invoice}", invoice=inv.number or inv.title),
            clear=None if inv.overridden else (inv.next_step, inv.id),
        )

    def change(
        self, new: FollowUpSetting, old: FollowUpSetting, text: str, clear: tuple[str, str] | None = None
    ) -> None:
        """Apply ``new`` as one undoable step (Ctrl+Z applies ``old`` again, or, with ``clear`` (step,
        invoice), drops the invoice's own choice so that it follows the default again)."""
        undo = self._writer(old) if clear is None else self._writer(None, clear)
        self.undo_stack.push(CallbackCommand(text, self._writer(new), undo))

    def _writer(
        self, setting: FollowUpSetting | None, clear: tuple[str, str] | None = None
    ) -> Callable[[], None]:
        ws = self.ws

        def failed(exc: BaseException) -> None:
            self.problem.setText("\n".join(problem_lines(exc)))
            self.problem.show()
            self.refresh()

        def done(_r: object) -> None:
            self.problem.hide()
            self.message.emit(_("Saved. The cooperative gets your choice with the next sync."))
            self.refresh()

        def write() -> None:
            if setting is None:
                assert clear is not None
                step, doc_id = clear
                self.tasks.write(lambda: ws.followup.clear(step, doc_id), done, failed)
                return
            self.tasks.write(
                lambda: ws.followup.set(
                    setting.step, setting.hold, setting.notify_days_before, setting.document_id
                ),
                done,
                failed,
            )

        return write

    def _open_current(self) -> None:
        inv = self.current_invoice()
        if inv is not None:
            self.open_document.emit(inv.id)
