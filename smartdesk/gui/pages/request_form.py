"""The form of a new question to the cooperative: which service it is for (in plain words), subject,
message (Ctrl+Enter sends) and, optionally, the document it is about. The questions page
(``requests.py``) shows it beside the list, and uses its message box for replies."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.widgets.page import problem_label
from smartdesk.i18n.ui import N_, _
from smartdesk.services.requests import MAX_REQUEST_SUBJECT, REQUEST_SERVICES

# service -> (who it is, in plain words; what to ask them, in one line)
SERVICE_WORDS: dict[str, tuple[str, str]] = {
    "legal": (N_("Legal advice"), N_("Contracts, terms and conditions, copyright, a dispute with a client.")),
    "collections": (
        N_("Unpaid invoices"),
        N_("A client who does not pay: reminders, formal notice, recovery."),
    ),
    "client_relations": (
        N_("Working with clients"),
        N_("How to answer a client, quote for a job, or handle a difficult request."),
    ),
    "accounting": (
        N_("Accounting and VAT"),
        N_("VAT, expenses, what you can claim, your activity's figures."),
    ),
}


def service_words(service: str) -> str:
    return _(SERVICE_WORDS[service][0]) if service in SERVICE_WORDS else service


class MessageEdit(QPlainTextEdit):
    """A message box where Ctrl+Enter sends (Enter is a new line)."""

    send = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.send.emit)


class NewRequestForm(QWidget):
    """The "new question" form: who it is for, subject, message, optionally the document it is about."""

    submitted = Signal(str, str, str, object)  # service, subject, body, document id or None
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        title = QLabel(_("New question to the cooperative"))
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        layout.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.service = QComboBox()
        for service in REQUEST_SERVICES:
            self.service.addItem(service_words(service), service)
            self.service.setItemData(
                self.service.count() - 1, _(SERVICE_WORDS[service][1]), Qt.ItemDataRole.ToolTipRole
            )
        self.service.currentIndexChanged.connect(self._service_changed)
        self.service_help = QLabel()
        self.service_help.setWordWrap(True)
        self.service_help.setStyleSheet("font-style: italic;")
        who = QVBoxLayout()
        who.addWidget(self.service)
        who.addWidget(self.service_help)
        form.addRow(_("Who is it for?"), who)
        self.subject = QLineEdit()
        self.subject.setMaxLength(MAX_REQUEST_SUBJECT)
        self.subject.setPlaceholderText(_("In a few words, e.g. “My client does not pay”"))
        form.addRow(_("Subject"), self.subject)
        self.body = MessageEdit()
        self.body.setPlaceholderText(
            _("Your question, with what the cooperative needs to know (Ctrl+Enter sends)")
        )
        form.addRow(_("Message"), self.body)
        self.document = QComboBox()
        self.document.setMinimumContentsLength(24)
        self.document.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        form.addRow(_("About a document"), self.document)
        layout.addLayout(form, 1)
        self.problems = problem_label()
        self.problems.hide()
        layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.send_button = QPushButton(_("Send the question"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        self.body.send.connect(self._submit)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancelled.emit)
        self.set_documents([])
        self._service_changed()

    def _service_changed(self) -> None:
        service = self.service.currentData()
        self.service_help.setText(_(SERVICE_WORDS[service][1]) if service in SERVICE_WORDS else "")

    def set_documents(self, choices: list[tuple[str, str]], keep: str | None = None) -> None:
        """(document id, label) of the member's documents; "none" comes first."""
        current = keep if keep is not None else self.document.currentData()
        self.document.clear()
        self.document.addItem(_("No particular document"), None)
        for doc_id, label in choices:
            self.document.addItem(label, doc_id)
        index = self.document.findData(current) if current else 0
        self.document.setCurrentIndex(max(index, 0))

    def reset(self, document_id: str | None = None) -> None:
        self.service.setCurrentIndex(0)
        self.subject.clear()
        self.body.clear()
        self.problems.hide()
        index = self.document.findData(document_id) if document_id else 0
        self.document.setCurrentIndex(max(index, 0))

    def show_problems(self, lines: list[str]) -> None:
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def _submit(self) -> None:
        self.submitted.emit(
            self.service.currentData(),
            self.subject.text(),
            self.body.toPlainText(),
            self.document.currentData(),
        )
