"""The document editor: header, lines edited entirely by keyboard, live totals and problems, autosave,
undo/redo of every change. The right pane of the splitter holds the PDF preview.

``DocumentEditor`` holds the document shown, its undo stack and ``_edit(text, mutate, merge_key)``
(every change is one undo step, saved at once), lays the parts out and refreshes them. The parts are
their own components: the header form (``editor_header.py``) with the inline new client
(``editor_client.py``), the document actions and PDF menu (``editor_actions.py``), the saved lines
(``snippets.py``), the totals and problems (``editor_totals.py``), the lines table with its models,
cell editors and line edits (``editor_lines.py``, the view and its column widths in ``lines.py``); the
preview is in ``preview.py``, the boxes under the totals in their own modules, the receipts in
``gui/receipts/``. Tests and other screens reach the parts' widgets through the editor's attributes
(``client_edit``, ``nc_name``, ``lines_view``, ``submit_button``...), which point at them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import (
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
    Line,
)
from smartdesk.domain.entities import entity_for
from smartdesk.domain.lifecycle import Status, is_deletable, is_editable
from smartdesk.domain.vat import default_category
from smartdesk.errors import Problem, SmartDeskError
from smartdesk.gui.commands import EditDocumentCommand
from smartdesk.gui.documents.editor_actions import EditorActions
from smartdesk.gui.documents.editor_client import NewClientForm
from smartdesk.gui.documents.editor_header import HeaderForm
from smartdesk.gui.documents.editor_lines import LINE_EDIT_TRIGGERS, LinesTable
from smartdesk.gui.documents.editor_totals import ProblemBoard, TotalsBox
from smartdesk.gui.documents.preview import PreviewPane
from smartdesk.gui.documents.provisional import ProvisionalNotice
from smartdesk.gui.documents.snippets import SnippetButton, fill_line
from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.labels import KIND_NAMES
from smartdesk.gui.models.expenses import ExpenseLinesModel
from smartdesk.gui.models.lines import LinesModel
from smartdesk.gui.receipts.controller import ReceiptController
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets.docs_labels import note_label
from smartdesk.gui.widgets.keyboard import text_box
from smartdesk.gui.widgets.page import heading
from smartdesk.gui.widgets.screen import Screen
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _, tr
from smartdesk.services import Snippet, Workspace


class DocumentEditor(Screen):
    """One document: its parts, a live preview, saved at each edit. ``open_document``: open another one
    (a duplicate, the invoice made from a quote...)."""

    closed = Signal()
    changed = Signal(str)  # a document was written: lists refresh
    delete_requested = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, parent)
        self.doc = Document()
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._router = UndoRouter(self)
        self._build()
        self._announcing = False
        self.changed.connect(self._announce)
        events().documents_changed.connect(self._documents_changed)

    # --- the event bus -------------------------------------------------------------------------------
    def _announce(self, doc_id: str) -> None:
        """A document was written from here: the screens that show documents refresh themselves."""
        self._announcing = True
        try:
            events().documents_changed.emit(frozenset({doc_id}))
        finally:
            self._announcing = False

    def _documents_changed(self, ids: object) -> None:
        """Documents changed elsewhere (a pull, another screen): the open document is reloaded when it is
        one of them (an empty set: any) and no edit of it is still being saved."""
        if self._announcing or not self.isVisible() or not isinstance(ids, set | frozenset):
            return
        if ids and self.doc.id not in ids:
            return
        if self.tasks.pending:
            QTimer.singleShot(500, self, lambda: self._documents_changed(ids))
        elif self._differs(self.doc):
            self.load(self.doc.id)

    def _differs(self, shown: Any) -> bool:
        """Does the stored document differ from the one on screen? (The echo of the member's own edits
        does not: the editor is left alone, with its undo history.)"""
        from smartdesk.domain.serialize import document_to_dict

        try:
            stored = self.ws.documents.get(shown.id)
        except Exception:  # noqa: BLE001 - deleted elsewhere: the editor shows what it has
            return False
        skip = ("version", "updated_at", "created_at")
        a = {k: v for k, v in document_to_dict(stored).items() if k not in skip}
        b = {k: v for k, v in document_to_dict(shown).items() if k not in skip}
        return a != b

    # --- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 8, 0)  # "More" must not touch the window's edge
        self.back_button = QPushButton(_("◀ Back to the list"))
        self.back_button.setToolTip(_("Esc — everything is already saved"))
        self.back_button.clicked.connect(self.closed.emit)
        self.heading = heading()
        self.saved_label = QLabel(_("Saved"))
        self.saved_label.setToolTip(_("Every change is saved on this computer at once."))
        self.doc_actions = EditorActions(self)  # send, More (duplicate, invoice, credit note, delete), PDF
        a = self.doc_actions
        self.submit_button, self.more_button, self.pdf_button = a.submit_button, a.more_button, a.pdf_button
        self.act_duplicate, self.act_invoice, self.act_credit = a.act_duplicate, a.act_invoice, a.act_credit
        self.act_delete = a.act_delete
        w: QWidget
        for w in (self.back_button, self.heading):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.saved_label, self.submit_button, self.pdf_button, self.more_button):
            bar.addWidget(w)
        outer.addLayout(bar)

        self.banner = note_label(
            "banner",
            "background: rgba(201,138,0,0.15); border: 1px solid #c98a00; border-radius: 4px; padding: 6px;",
        )
        outer.addWidget(self.banner)
        self.provisional_notice = ProvisionalNotice()  # built-in cooperative details until synced
        outer.addWidget(self.provisional_notice)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        col = QVBoxLayout(body)
        self.splitter.addWidget(scroll)
        self.preview_slot = QFrame()  # the live PDF preview (smartdesk/gui/documents/preview.py)
        self.preview_slot.setObjectName("preview_slot")
        self.preview_slot.setFrameShape(QFrame.Shape.StyledPanel)
        slot_layout = QVBoxLayout(self.preview_slot)
        slot_layout.setContentsMargins(0, 0, 0, 0)
        self.preview: PreviewPane = PreviewPane(self.ws, self.tasks, lambda: self.doc)
        self.preview.message.connect(self.message.emit)
        self.preview.failed.connect(self._show_banner)
        self.preview.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.preview.view.addActions([a.act_export_pdf, a.act_print, a.act_open_pdf])
        slot_layout.addWidget(self.preview)
        self.splitter.addWidget(self.preview_slot)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setCollapsible(0, False)
        scroll.setMinimumWidth(560)
        self.splitter.setSizes([760, 340])
        outer.addWidget(self.splitter, 1)

        # header (gui/documents/editor_header.py) and the inline new client (editor_client.py) ----------
        self.new_client_form = NewClientForm(self.ws, self.tasks)
        self.header = HeaderForm(self.ws, self._edit, lambda: self.doc, self.new_client_form)
        self.header.message.connect(self.message.emit)
        self.header.failed.connect(self._show_banner)
        h = self.header
        self.client_edit, self.activity_combo, self.title_edit = h.client_edit, h.activity_combo, h.title_edit
        self.reference_edit, self.order_edit = h.reference_edit, h.order_edit
        self.issue_edit, self.due_edit, self.language_combo = h.issue_edit, h.due_edit, h.language_combo
        self.board = ProblemBoard()  # problems next to their fields (editor_totals.py)
        self.board.labels = self.problem_labels = h.problem_labels
        col.addWidget(self.header)
        nc = self.new_client_frame = self.new_client_form
        self.nc_name, self.nc_street, self.nc_postcode = nc.name, nc.street, nc.postcode
        self.nc_city, self.nc_vat, self.nc_email = nc.city, nc.vat, nc.email
        self.nc_problem, self.nc_title = nc.problem, nc.title
        col.addWidget(self.new_client_form)

        # texts and lines ------------------------------------------------------------------------------
        self.intro_edit = text_box()
        self.intro_edit.setPlaceholderText(_("Opening text (optional), e.g. “Following our meeting…”"))
        self.intro_edit.setFixedHeight(52)
        self.intro_edit.textChanged.connect(lambda: self._text_changed("intro_text", self.intro_edit))
        col.addWidget(self.intro_edit)

        line_bar = QHBoxLayout()
        self.lines_title = lines_title = QLabel("<b>" + _("Lines") + "</b>")
        self.add_line_button = QPushButton(_("Add a line"))
        self.add_line_button.setToolTip(_("Enter in the table, or Ctrl+Enter anywhere"))
        self.add_line_button.clicked.connect(lambda: self.add_line(len(self.rows()) - 1))
        current = self._current_line
        self.snippet_button = SnippetButton(self.ws, self.tasks, current, self.insert_snippet, self)
        self.snippet_button.message.connect(self.message.emit)
        line_bar.addWidget(lines_title)
        line_bar.addStretch(1)
        line_bar.addWidget(self.snippet_button)
        self.receipt_button = QPushButton(_("Add a receipt…"))
        self.receipt_button.setToolTip(
            _("A photo or a PDF of the receipt; SmartDesk straightens and stores it")
        )
        self.receipt_button.clicked.connect(lambda: self.add_receipt())
        self.receipt_button.hide()
        line_bar.addWidget(self.receipt_button)
        line_bar.addWidget(self.add_line_button)
        col.addLayout(line_bar)

        # the table, its models and cell editors; cell edits, moves and removals (editor_lines.py)
        t = self.lines_table = LinesTable(lambda: self.doc, self.client, self._edit, self)
        self.lines_model, self.expense_model, self.lines_view = t.lines_model, t.expense_model, t.view
        self.plain_delegate, self.activity_column_button = t.plain_delegate, t.activity_column_button
        for model in (self.lines_model, self.expense_model):
            model.parse_failed.connect(lambda row, f, msg: self._show_banner(msg))
        line_bar.insertWidget(line_bar.indexOf(self.receipt_button), self.activity_column_button)
        self.lines_view.add_requested.connect(self.add_line)
        col.addWidget(self.lines_view, 1)
        self.empty_lines = QLabel(
            _("No lines yet. Press Enter in the table or click “Add a line” to describe what you sell.")
        )
        self.empty_lines.setWordWrap(True)
        col.addWidget(self.empty_lines)
        self.line_problems = self.board.line_problems
        col.addWidget(self.line_problems)
        self.receipts = ReceiptController(self)  # thumbnails, drop, paste, camera, viewer of expense receipts
        line_bar.insertWidget(line_bar.indexOf(self.receipt_button) + 1, self.receipts.camera_button)
        col.addWidget(self.receipts.panel)  # drop/paste hint and the advisor's refusals

        self.closing_edit = text_box()
        self.closing_edit.setPlaceholderText(_("Closing text (optional), e.g. payment conditions or thanks"))
        self.closing_edit.setFixedHeight(52)
        self.closing_edit.textChanged.connect(lambda: self._text_changed("closing_text", self.closing_edit))
        col.addWidget(self.closing_edit)

        from smartdesk.gui.documents.allowances import AllowancesBox

        self.allowances_box = AllowancesBox(self._edit)  # document-level discounts and charges
        col.addWidget(self.allowances_box)

        self.totals_box = TotalsBox()
        self.totals_layout = self.totals_box.grid
        totals_row = QHBoxLayout()
        totals_row.addStretch(1)
        totals_row.addWidget(self.totals_box)
        col.addLayout(totals_row)
        self.other_problems = self.board.other_problems
        col.addWidget(self.other_problems)
        from smartdesk.gui.pages.followup import InvoiceFollowUpBox

        self.followup_box = InvoiceFollowUpBox(self.ws, self.tasks, self.undo_stack)  # Hold / OK, next step
        self.followup_box.message.connect(self.message.emit)
        col.addWidget(self.followup_box)
        from smartdesk.gui.documents.payments_box import PaymentsBox

        self.payments_box = PaymentsBox(self.ws.payments.for_invoice, self.tasks)  # paid / due
        col.addWidget(self.payments_box)
        # the official e-invoice rules, checked as the member types (smartdesk/gui/documents/checks.py)
        from smartdesk.gui.documents.checks import PreflightCheck

        self.preflight = PreflightCheck(
            self.tasks, self._preflight_subject, list(h.problem_boxes), parent=self
        )
        for f, rule_label in self.preflight.labels.items():
            h.problem_boxes[f].addWidget(rule_label)
        col.insertWidget(col.indexOf(self.line_problems) + 1, self.preflight.lines_label)
        col.insertWidget(col.indexOf(self.other_problems) + 1, self.preflight.summary)
        from smartdesk.gui.documents.legal_fields import LegalFieldsBox

        self.legal_box = LegalFieldsBox(self.ws, self.tasks, self._edit)  # credited invoice, supply, delivery
        col.addWidget(self.legal_box)
        self.problem_labels.update(self.legal_box.problem_labels)
        from smartdesk.gui.documents.delivery_box import DeliveryBox

        self.delivery_box = DeliveryBox(self.ws.deliveries.latest, self.tasks)  # Peppol / e-mail status
        col.addWidget(self.delivery_box)
        from smartdesk.gui.documents.recurring_box import RecurringBox

        self.recurring_box = RecurringBox(self.ws)  # repeat this invoice (services/recurring.py)
        self.recurring_box.message.connect(self.message.emit)
        col.addWidget(self.recurring_box)
        from smartdesk.gui.documents.quote_box import QuoteBox

        self.quote_box = QuoteBox(
            self.ws, self.tasks, self.doc_actions.derived
        )  # sent / accepted / invoiced, links
        self.quote_box.reload.connect(lambda: self.load(self.doc.id))
        self.quote_box.open_document.connect(self.open_document.emit)
        self.quote_box.message.connect(self._show_banner)
        col.addWidget(self.quote_box)

        for w in (
            self.client_edit,
            self.title_edit,
            self.reference_edit,
            self.order_edit,
            self.intro_edit,
            self.closing_edit,
            self.nc_name,
            self.nc_vat,
            self.nc_email,
            self.lines_view,
        ):
            w.installEventFilter(self._router)
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self.add_line(len(self.rows()) - 1))
        QShortcut(QKeySequence("Ctrl+Shift+K"), self, lambda: self.show_new_client(self.client_edit.text()))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.closed.emit)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.submit)

    # --- loading and applying state --------------------------------------------------------------------
    def load(self, doc_id: str) -> None:
        self.undo_stack.clear()
        self.banner.hide()
        self.new_client_frame.hide()
        self._reload_choices()
        self.doc = self.ws.documents.get(doc_id)
        self._refresh_all()

    def _reload_choices(self) -> None:
        self.header.reload_choices()
        self.expense_model.categories = self.ws.receipts.expense_categories()
        activities = self.ws.activities.list()
        self.expense_model.activity_names = {
            a.id: f"{a.name} ({a.code})" if a.code else a.name for a in activities
        }
        self.expense_model.activity_codes = {a.id: a.code for a in activities if a.code}
        if self.lines_table.kind == "expense_lines":
            self.lines_table.size_columns()  # the activities' codes may have changed

    def client(self) -> Client | None:
        return self.header.client()

    def rows_attr(self) -> str:
        return "expense_lines" if self.doc.is_expense else "lines"

    def rows(self) -> list[Any]:
        return getattr(self.doc, self.rows_attr())

    def active_model(self) -> LinesModel | ExpenseLinesModel:
        return self.expense_model if self.doc.is_expense else self.lines_model

    def _configure_lines(self) -> None:
        """Show sales lines or expenses in the lines table, each with its own columns and editors."""
        if not self.lines_table.configure(self.rows_attr()):
            return
        expense = self.doc.is_expense
        self.snippet_button.setVisible(not expense)
        self.receipt_button.setVisible(expense)
        self.receipts.configure(expense)
        self.lines_table.size_columns()
        self.lines_table.update_expense_columns()
        self.empty_lines.setText(
            _(
                "No expenses yet. Click “Add a receipt…” to attach a photo or a PDF, or press "
                "Enter in the table to type an expense."
            )
            if expense
            else _("No lines yet. Press Enter in the table or click “Add a line” to describe what you sell.")
        )

    def size_columns(self) -> None:
        """The lines table's columns for what it shows, in the interface language (editor_lines.py)."""
        self.lines_table.size_columns()

    def add_receipt(self, paths: list[str] | None = None) -> None:
        """Attach a receipt (photos or a PDF; several files are several pages) to the current expense
        if it has none yet, else as a new expense. Undoable; see smartdesk.gui.receipts."""
        row = self.lines_view.currentIndex().row()
        lines = self.doc.expense_lines
        line_id = lines[row].id if 0 <= row < len(lines) and not lines[row].receipts else ""
        if paths is None:
            self.receipts.choose_files(line_id)
        elif paths:
            self.receipts.add_paths(paths, line_id)

    def apply_state(self, doc: Document) -> None:
        """Called by undo commands: show this state and save it."""
        old_ids = [line.id for line in self.rows()]
        self.doc = doc
        self._save()
        model = self.active_model()
        if [line.id for line in self.rows()] == old_ids and old_ids:
            model.dataChanged.emit(model.index(0, 0), model.index(len(old_ids) - 1, model.columnCount() - 1))
            self._refresh_header()
            self._refresh_live()
        else:
            self._refresh_all()

    def _save(self) -> None:
        snapshot = copy.deepcopy(self.doc)
        self.saved_label.setText(_("Saving…"))

        def done(saved: Document) -> None:
            if saved.id == self.doc.id:
                self.doc.version = saved.version
            if self.tasks.pending <= 1:
                self.saved_label.setText(_("Saved"))
            self.changed.emit(saved.id)

        def failed(exc: BaseException) -> None:
            self.saved_label.setText(_("Not saved"))
            self._show_banner(
                error_text(exc)
                if isinstance(exc, SmartDeskError)
                else _("This change could not be saved. Your text is still here; try again.")
            )

        self.tasks.write(lambda: self.ws.documents.save(snapshot), done, failed)

    def show_texts_again(self) -> None:
        """The interface language changed: the heading, totals and problems are written again (nothing
        is saved, the undo history stays)."""
        self._refresh_header()
        self._refresh_live()

    def _refresh_all(self) -> None:
        self._configure_lines()
        self.active_model().refresh()
        self._refresh_header()
        self._refresh_live()

    def _refresh_header(self) -> None:
        d = self.doc
        self._loading = True
        try:
            kind = _(KIND_NAMES[d.kind])
            parts = (
                [kind, d.number, ui.status_text(d.status)] if d.number else [kind, ui.status_text(d.status)]
            )
            self.heading.setText(" · ".join(parts))
            editable = is_editable(d.status)
            self.header.show_for(d, editable)
            for pedit, value in ((self.intro_edit, d.intro_text), (self.closing_edit, d.closing_text)):
                if pedit.toPlainText() != value:
                    pedit.setPlainText(value)
            self.add_line_button.setEnabled(editable)
            self.snippet_button.setEnabled(editable)
            for pedit in (self.intro_edit, self.closing_edit):
                pedit.setReadOnly(not editable)
            # from the constant, never from the view's current triggers: after a locked document they are
            # NoEditTriggers, and a draft opened next must be editable again (issue 16)
            self.lines_view.setEditTriggers(
                LINE_EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers
            )
            self.submit_button.setVisible(d.status in (Status.DRAFT.value, Status.RETURNED.value))
            sales = not d.is_expense  # an expense note has no client, reference, due date or texts
            self.intro_edit.setVisible(sales)
            self.closing_edit.setVisible(sales)
            self.lines_title.setText("<b>" + (_("Lines") if sales else _("Expenses")) + "</b>")
            self.act_invoice.setVisible(d.kind is DocumentKind.QUOTE)
            self.act_credit.setVisible(d.kind is DocumentKind.INVOICE and bool(d.number))
            self.act_delete.setEnabled(is_deletable(d.status))
            if d.remarks and d.status == Status.RETURNED.value:
                self._show_banner(tr("Your advisor's remarks: {remarks}", remarks=d.remarks))
            elif not editable:
                self._show_banner(
                    _(
                        "This document is with the cooperative and can no longer be changed. "
                        "Use “More › Duplicate” to start a new draft from it."
                    )
                )
            self.followup_box.show_for(d)
            self.payments_box.show_for(d)
            self.legal_box.show_for(d)
            self.delivery_box.show_for(d)
            self.provisional_notice.show_for(self.ws, d)
            self.recurring_box.show_for(d)
            self.quote_box.show_for(d)
        finally:
            self._loading = False

    def _refresh_live(self) -> None:
        """Totals and problems, recomputed on every change."""
        self.empty_lines.setVisible(not self.rows())
        self.allowances_box.show_for(self.doc, self._vat_choices(0), is_editable(self.doc.status))
        self.totals_box.show_for(self.doc)
        self.show_problems(self.ws.documents.problems(self.doc))
        self.preview.schedule()  # the PDF preview follows every change (debounced, off the GUI thread)
        self.preflight.schedule()  # and the official e-invoice rules (debounced, off the GUI thread)

    def _preflight_subject(self) -> tuple[Document, Client, CooperativeEntity] | None:
        client = self.client()
        return None if client is None else (self.doc, client, entity_for(self.doc.entity))

    @property
    def total_incl_text(self) -> str:
        return self.totals_box.total_incl_text

    def show_problems(self, problems: list[Problem]) -> None:
        self.board.show(problems, self.active_model())
        self.current_problems = problems

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # --- editing -----------------------------------------------------------------------------------------
    def _edit(self, text: str, mutate: Callable[[Document], None], merge_key: str = "") -> None:
        if self._loading:
            return
        if not is_editable(self.doc.status):
            self._show_banner(_("This document can no longer be changed."))
            return
        before = copy.deepcopy(self.doc)
        after = copy.deepcopy(self.doc)
        mutate(after)
        self.undo_stack.push(EditDocumentCommand(self, before, after, text, merge_key))

    def _text_changed(self, field: str, edit: QPlainTextEdit) -> None:
        if self._loading or getattr(self.doc, field) == edit.toPlainText():
            return
        text = edit.toPlainText()
        self._edit(_("Change the text"), lambda d: setattr(d, field, text), field)

    def new_line(self) -> Line:
        line = self.ws.documents.new_line(self.doc)
        client = self.client()
        if client is not None:
            category = default_category(
                entity_for(self.doc.entity).country, client.country, client.is_business
            )
            if category.zero_rate:
                line.vat_category, line.vat_rate = category, Decimal(0)
        return line

    def add_line(self, after_row: int, line: Line | None = None) -> None:
        attr = self.rows_attr()
        new = line or (
            self.ws.documents.new_expense_line(self.doc) if self.doc.is_expense else self.new_line()
        )
        position = min(max(after_row + 1, 0), len(self.rows()))
        self._edit(_("Add a line"), lambda d: getattr(d, attr).insert(position, copy.deepcopy(new)))
        self.lines_view.setFocus()
        index = self.active_model().index(position, 0)
        self.lines_view.setCurrentIndex(index)
        if line is None:
            self.lines_view.edit(index)

    def delete_line(self, row: int) -> None:
        self.lines_table.delete_line(row)

    def move_line(self, row: int, target: int) -> None:
        self.lines_table.move_line(row, target)

    def _vat_choices(self, row: int) -> list[tuple[str, str]]:
        return self.lines_table.vat_choices(row)

    # --- clients, saved lines, document actions (editor_header.py, snippets.py, editor_actions.py) ------
    def show_new_client(self, name: str = "") -> None:
        self.header.show_new_client(name)

    def add_new_client(self) -> None:
        self.new_client_form.add()

    def _current_line(self) -> Line | None:
        row = self.lines_view.currentIndex().row()
        return self.doc.lines[row] if 0 <= row < len(self.doc.lines) else None

    def save_snippet(self) -> None:
        self.snippet_button.save_current()

    def insert_snippet(self, snippet: Snippet) -> None:
        line = fill_line(self.new_line(), snippet)
        self.add_line(self.lines_view.currentIndex().row() if self.doc.lines else -1, line)

    def submit(self) -> None:
        self.doc_actions.submit()

    def duplicate(self) -> None:
        self.doc_actions.duplicate()

    def to_invoice(self) -> None:
        self.doc_actions.to_invoice()

    def credit_note(self) -> None:
        self.doc_actions.credit_note()
