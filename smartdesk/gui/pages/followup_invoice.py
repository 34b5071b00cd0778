"""The follow-up of one invoice: the steps in plain words, the Hold / OK switch, and the box the document
editor shows for an invoice the cooperative follows up (its next step, Hold or OK for this invoice only).
The follow-up page (``followup.py``) uses the same words and switch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.errors import error_text
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n.ui import N_, _, tr
from smartdesk.services import Workspace
from smartdesk.services.followup import (
    FOLLOWED_STATUSES,
    FollowUpSetting,
    next_followup_step,
)

# step -> what the cooperative does, in plain words
STEP_WORDS: dict[str, str] = {
    "sent": N_("Sending the invoice to your client"),
    "reminder_1": N_("First reminder"),
    "reminder_2": N_("Second reminder"),
    "formal_notice": N_("Formal notice"),
    "litigation": N_("Legal action (litigation)"),
}


HOLD_MARK, OK_MARK = "‖", "✓"  # repeat the words, in fonts every system has


def step_words(step: str) -> str:
    return _(STEP_WORDS[step]) if step in STEP_WORDS else step


def hold_words(hold: bool) -> str:
    return _("Hold: wait for me") if hold else _("OK: go ahead")


class HoldSwitch(QPushButton):
    """A labelled toggle: the words say Hold or OK (the colour only repeats them). Space toggles it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setObjectName("hold_switch")
        self.setStyleSheet(
            "QPushButton#hold_switch { padding: 4px 12px; text-align: left; }"
            "QPushButton#hold_switch:checked { background: #fbe3b0; color: #5a3d00; "
            "border: 1px solid #c98a00; border-radius: 4px; }"
        )
        self.toggled.connect(self._words)
        self._words(False)

    def _words(self, hold: bool) -> None:
        self.setText((HOLD_MARK + " " if hold else OK_MARK + " ") + hold_words(hold))

    def set_hold(self, hold: bool) -> None:
        self.blockSignals(True)
        self.setChecked(hold)
        self.blockSignals(False)
        self._words(hold)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        widest = max(
            self.fontMetrics().horizontalAdvance(HOLD_MARK + " " + hold_words(h)) for h in (True, False)
        )
        hint.setWidth(max(hint.width(), widest + 32))
        return hint


class InvoiceFollowUpBox(QFrame):
    """In the document editor, for an invoice the cooperative follows up: its next step and a Hold / OK
    switch for that step, for this invoice only (undoable with the editor's Ctrl+Z)."""

    message = Signal(str)

    def __init__(
        self, ws: Workspace, tasks: TaskManager, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.undo_stack = undo_stack
        self.setObjectName("followup_box")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.doc_id = ""
        self.step = ""
        self.setting: FollowUpSetting | None = None
        self._doc: Document | None = None
        row = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.switch = HoldSwitch()
        self.switch.setToolTip(_("Hold or allow the next step for this invoice only"))
        self.switch.toggled.connect(lambda _h: self.toggle())
        row.addWidget(self.switch)
        # a change is never silent: what it means now, and an Undo beside it (issue 16)
        self.changed_label = QLabel()
        self.changed_label.setObjectName("followup_changed")
        self.changed_label.setWordWrap(True)
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        row.addWidget(self.changed_label)
        row.addWidget(self.undo_button)
        self.changed_label.hide()
        self.undo_button.hide()
        self.hide()

    def show_for(self, doc: Document) -> None:
        """Show the box for a followed invoice (read off the GUI thread), hide it for anything else."""
        step = (
            next_followup_step(doc.status, [t.status for t in doc.timeline])
            if doc.kind is DocumentKind.INVOICE and doc.status in FOLLOWED_STATUSES
            else None
        )
        if step is None:
            self.doc_id, self.step, self.setting, self._doc = "", "", None, None
            self.hide()
            return
        if doc.id != self.doc_id:
            self.changed_label.hide()
            self.undo_button.hide()
        doc_id, ws = doc.id, self.ws
        self.doc_id, self.step, self._doc = doc_id, step, doc

        def loaded(value: object) -> None:
            if (doc_id, step) != (self.doc_id, self.step):
                return  # another document was opened meanwhile
            assert isinstance(value, FollowUpSetting)
            self.setting = value
            which = _("this invoice") if value.document_id else _("your default")
            self.label.setText(
                tr("Next step by the cooperative: {step} ({which})", step=step_words(step), which=which)
            )
            self.switch.set_hold(value.hold)
            self.switch.setAccessibleName(tr("{step}: Hold or OK", step=step_words(step)))
            self.show()

        self.tasks.run(
            lambda: ws.followup.settings().effective(step, doc_id),
            loaded,
            lambda exc: self.message.emit(error_text(exc)),
        )

    def toggle(self) -> None:
        old, doc_id, step = self.setting, self.doc_id, self.step
        if old is None or not doc_id:
            return
        new = FollowUpSetting(step, not old.hold, old.notify_days_before, doc_id)
        ws = self.ws

        def writer(setting: FollowUpSetting | None) -> Callable[[], object]:
            """Set ``setting``, or with None drop the invoice's own choice (it follows the default again)."""

            def done(_r: object) -> None:
                self.message.emit(_("Saved. The cooperative gets your choice with the next sync."))
                hold = setting.hold if setting is not None else None
                self.changed_label.setText(
                    _("Changed: the cooperative waits for you before this step.")
                    if hold
                    else _("Changed: the cooperative goes ahead with this step on time.")
                    if hold is not None
                    else _("Changed back to your default.")
                )
                self.changed_label.show()
                self.undo_button.setVisible(self.undo_stack.canUndo())
                if self.doc_id == doc_id and self._doc is not None:
                    self.show_for(self._doc)

            def write() -> object:
                if setting is None:
                    return ws.followup.clear(step, doc_id)
                return ws.followup.set(setting.step, setting.hold, setting.notify_days_before, doc_id)

            return lambda: self.tasks.write(write, done, lambda exc: self.message.emit(error_text(exc)))

        # undo puts back what applied before: the invoice's own choice, or none (the default)
        self.undo_stack.push(
            CallbackCommand(
                tr("Follow-up: {step}", step=step_words(step)),
                writer(new),
                writer(old if old.document_id else None),
            )
        )
