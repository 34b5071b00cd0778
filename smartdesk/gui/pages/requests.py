"""Questions to the cooperative: the member's support requests, their conversations, a reply box and a
form for a new question. Reads and writes run off the GUI thread (TaskManager); it works offline: a new
question or reply shows at once, marked "not sent yet", and leaves with the next sync."""

from __future__ import annotations

import html
from datetime import datetime
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.errors import error_text, problem_lines
from smartdesk.gui.fmt import day
from smartdesk.gui.labels import KIND_NAMES
from smartdesk.gui.pages.request_form import MessageEdit, NewRequestForm, service_words
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.delegates import ChipDelegate, Index
from smartdesk.gui.widgets.page import heading, paragraph, problem_label
from smartdesk.gui.widgets.screen import Screen
from smartdesk.gui.widgets.tables import pick_list_table
from smartdesk.i18n.ui import N_, _, tr
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.services.requests import SupportRequest

# status -> (label, chip colour): the chip always says the status in words
REQUEST_STATUS_WORDS: dict[str, tuple[str, str]] = {
    "open": (N_("Waiting for an answer"), "#c98a00"),
    "answered": (N_("Answered"), "#1e9e57"),
    "closed": (N_("Closed"), "#8a8f98"),
}


NOT_SENT = N_("Not sent yet")


STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 1


ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2


COLUMNS = (N_("Subject"), N_("For"), N_("Status"), N_("Last activity"))


def status_words(request: SupportRequest) -> str:
    label = _(REQUEST_STATUS_WORDS.get(request.status, REQUEST_STATUS_WORDS["open"])[0])
    return f"{label} · {_(NOT_SENT)}" if request.pending else label


def when(iso: str) -> str:
    """An ISO timestamp as local day and time: "03/12/2026 14:05"."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return f"{day(moment.date())} {moment:%H:%M}"


class RequestStatusDelegate(ChipDelegate):
    """A question's status as a chip: its words (with "not sent yet") and the status colour."""

    def chip(self, index: Index) -> tuple[str, str] | None:
        status = index.data(STATUS_ROLE)
        if not status:
            return None
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        return text, REQUEST_STATUS_WORDS.get(status, REQUEST_STATUS_WORDS["open"])[1]


class RequestsPage(Screen):
    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, parent)
        self.requests: list[SupportRequest] = []
        self.current_id = ""
        self._select_after: str | None = None
        self._documents: dict[str, str] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Ask the cooperative")))
        top.addStretch(1)
        self.new_button = QPushButton(_("New question…"))
        self.new_button.setToolTip(
            _("Ask the cooperative's legal, collections, client or accounting service (Alt+N)")
        )
        self.new_button.clicked.connect(lambda: self.show_new())
        new_key = QShortcut(QKeySequence("Alt+N"), self)  # the same key in every language
        new_key.setContext(Qt.ShortcutContext.WindowShortcut)  # only while this page is shown
        new_key.activated.connect(lambda: self.show_new())
        top.addWidget(self.new_button)
        layout.addLayout(top)
        layout.addWidget(
            paragraph(
                _(
                    "Questions go to the cooperative's services with the next sync; their answers come "
                    "back here. You can write even when you are offline."
                )
            )
        )

        self.table = pick_list_table(COLUMNS, "requests")
        self.table.verticalHeader().setDefaultSectionSize(max(28, self.fontMetrics().height() + 12))
        self.table.setItemDelegateForColumn(2, RequestStatusDelegate(self.table))
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._row_changed(row))
        self.table.setAccessibleName(_("Your questions"))

        self.right = QStackedWidget()
        self.right.addWidget(self._conversation_box())
        self.form = NewRequestForm()
        self.form.submitted.connect(self._open)
        self.form.cancelled.connect(self.close_new)
        self.right.addWidget(self.form)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.table)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        layout.addWidget(self.split, 1)
        self.empty = paragraph(
            _(
                "No question yet. Not sure about a contract, a client who does not pay, VAT or an "
                "expense? Click “New question…” and the cooperative's services will answer you "
                "here."
            ),
            "requests_empty",
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setStyleSheet("QLabel#requests_empty { font-size: 11pt; padding: 24px 4px; }")
        layout.addWidget(self.empty, 1)
        self._show_current()

    def _conversation_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.subject_label = QLabel()
        self.subject_label.setWordWrap(True)
        self.subject_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        layout.addWidget(self.subject_label)
        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        layout.addWidget(self.about_label)
        self.document_button = QPushButton(_("Open the document"))
        self.document_button.clicked.connect(self._open_document)
        row = QHBoxLayout()
        row.addWidget(self.document_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.conversation = QTextBrowser()
        self.conversation.setObjectName("conversation")
        self.conversation.setOpenLinks(False)
        self.conversation.setAccessibleName(_("Conversation"))
        layout.addWidget(self.conversation, 1)
        self.reply = MessageEdit()
        self.reply.setPlaceholderText(_("Write your answer… (Ctrl+Enter sends)"))
        self.reply.setMaximumHeight(max(90, self.fontMetrics().height() * 5))
        self.reply.send.connect(self.send_reply)
        self.reply.setAccessibleName(_("Your answer"))
        layout.addWidget(self.reply)
        buttons = QHBoxLayout()
        self.reply_problem = problem_label()
        buttons.addWidget(self.reply_problem, 1)
        self.send_button = QPushButton(_("Send"))
        self.send_button.setToolTip(_("Send your answer (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send_reply)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        return box

    # --- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the questions (and the member's documents for the form) off the GUI thread."""
        ws = self.ws

        def load() -> tuple[list[SupportRequest], list[tuple[str, str]]]:
            rows = ws.documents.list(DocumentQuery(limit=1000), with_total=False).rows
            docs = [
                (
                    r.id,
                    " · ".join(
                        p
                        for p in (
                            _(KIND_NAMES.get(r.kind, r.kind.value)),
                            r.number or _("draft"),
                            r.client_name,
                            r.title,
                        )
                        if p
                    ),
                )
                for r in rows
            ]
            return ws.requests.list(), docs

        self.tasks.run(load, self._loaded, lambda exc: self.message.emit(error_text(exc)))

    def _loaded(self, value: object) -> None:
        requests, docs = cast("tuple[list[SupportRequest], list[tuple[str, str]]]", value)
        self.requests = list(requests)
        self._documents = dict(docs)
        self.form.set_documents(list(docs))
        wanted = self._select_after or self.current_id
        self._select_after = None
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            subject = QTableWidgetItem(request.subject)
            subject.setData(ID_ROLE, request.id)
            subject.setToolTip(request.subject)
            status = QTableWidgetItem(status_words(request))
            status.setData(STATUS_ROLE, request.status)
            for col, item in enumerate(
                (
                    subject,
                    QTableWidgetItem(service_words(request.service)),
                    status,
                    QTableWidgetItem(when(request.last_activity)),
                )
            ):
                self.table.setItem(row, col, item)
        row = next((i for i, r in enumerate(self.requests) if r.id == wanted), 0 if self.requests else -1)
        if row >= 0:
            self.table.setCurrentCell(row, 0)
            self.table.selectRow(row)
        self.table.blockSignals(False)
        self.current_id = self.requests[row].id if row >= 0 else ""
        self._show_current()

    def _row_changed(self, row: int) -> None:
        self.current_id = self.requests[row].id if 0 <= row < len(self.requests) else ""
        self._show_current()

    def current(self) -> SupportRequest | None:
        return next((r for r in self.requests if r.id == self.current_id), None)

    def _show_current(self) -> None:
        has_any = bool(self.requests)
        writing = self.right.currentWidget() is self.form
        request = self.current()
        self.empty.setVisible(not has_any and not writing)
        self.table.setVisible(has_any)
        self.right.setVisible(writing or request is not None)
        self.split.setVisible(has_any or writing)
        if request is None:
            return
        self.subject_label.setText(request.subject)
        about = tr(
            "For: {service} · {status}", service=service_words(request.service), status=status_words(request)
        )
        doc_label = self._documents.get(request.document_id or "")
        if request.document_id:
            about += "\n" + tr(
                "About: {document}", document=doc_label or _("a document not on this computer")
            )
        self.about_label.setText(about)
        self.document_button.setVisible(bool(doc_label))
        self.conversation.setHtml(self._conversation_html(request))
        bar = self.conversation.verticalScrollBar()
        bar.setValue(bar.maximum())
        closed = request.status == "closed"
        self.reply.setPlaceholderText(
            _("This question is closed; writing here opens it again (Ctrl+Enter sends)")
            if closed
            else _("Write your answer… (Ctrl+Enter sends)")
        )

    def _conversation_html(self, request: SupportRequest) -> str:
        parts: list[str] = []
        for m in request.messages:
            mine = m.author == "member"
            who = (
                _("You")
                if mine
                else tr("The cooperative ({service})", service=service_words(request.service))
            )
            stamp = when(m.at) + (f" · <i>{html.escape(_(NOT_SENT))}</i>" if m.pending else "")
            colour = "#eef4fb" if mine else "#eef8f1"
            text = html.escape(m.body).replace("\n", "<br>")
            parts.append(
                f'<table width="100%" cellpadding="8" style="margin-bottom:8px; background:{colour};">'
                f'<tr><td><b>{html.escape(who)}</b> <span style="color:#666">· {stamp}</span><br>'
                f"{text}</td></tr></table>"
            )
        return "".join(parts)

    # --- actions ------------------------------------------------------------------------------------
    def show_new(self, document_id: str | None = None) -> None:
        self.form.reset(document_id)
        self.right.setCurrentWidget(self.form)
        self._show_current()
        self.form.service.setFocus()

    def close_new(self) -> None:
        self.right.setCurrentIndex(0)
        self._show_current()
        (self.table if self.requests else self.new_button).setFocus()

    def _open(self, service: str, subject: str, body: str, document_id: object) -> None:
        ws = self.ws
        doc = document_id if isinstance(document_id, str) and document_id else None

        def done(request_id: object) -> None:
            self._select_after = str(request_id)
            self.close_new()
            self.message.emit(_("Your question is saved. It goes to the cooperative with the next sync."))
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.form.show_problems(problem_lines(exc))

        self.form.show_problems([])
        self.tasks.write(lambda: ws.requests.open(service, subject, body, doc), done, failed)

    def send_reply(self) -> None:
        request = self.current()
        if request is None:
            return
        text = self.reply.toPlainText()
        ws = self.ws

        def done(_r: object) -> None:
            self.reply.clear()
            self.reply_problem.clear()
            self._select_after = request.id
            self.message.emit(_("Your answer is saved. It goes to the cooperative with the next sync."))
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.reply_problem.setText("\n".join(problem_lines(exc)))

        self.reply_problem.clear()
        self.tasks.write(lambda: ws.requests.reply(request.id, text), done, failed)

    def _open_document(self) -> None:
        request = self.current()
        if request is not None and request.document_id:
            self.open_document.emit(request.document_id)
