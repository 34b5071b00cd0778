"""The document editor: header, lines edited entirely by keyboard, live totals and problems, autosave,
undo/redo of every change. The right pane of the splitter holds the PDF preview.

Over 600 lines on purpose: one widget class whose layout (``_build``) and behaviour share its attributes;
it was moved here unchanged from ``gui/editor.py`` (see docs/decisions/0010-gui-by-screen.md). The lines
table, its models, the preview and the receipts are in their own modules.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import (
    LANGUAGES,
    Address,
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
    ExpenseLine,
    Line,
)
from smartdesk.domain.entities import entity_for
from smartdesk.domain.expenses import find_category
from smartdesk.domain.ids import uuid7
from smartdesk.domain.lifecycle import Status, is_deletable, is_editable
from smartdesk.domain.totals import compute_totals, expense_totals
from smartdesk.domain.units import UNITS
from smartdesk.domain.vat import VatCategory, allowed_categories, default_category, rates_for, standard_rate
from smartdesk.errors import Problem, SmartDeskError, ValidationError
from smartdesk.gui import fmt
from smartdesk.gui.commands import CallbackCommand, EditDocumentCommand
from smartdesk.gui.documents.lines import LinesView, size_expense_columns, size_line_columns
from smartdesk.gui.documents.preview import PreviewPane
from smartdesk.gui.documents.provisional import ProvisionalNotice
from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.labels import COUNTRIES, CURRENCIES, KIND_NAMES, LANGUAGE_NAMES
from smartdesk.gui.models.expenses import ExpenseColumns, ExpenseLinesModel, paid_with_choices
from smartdesk.gui.models.lines import LineColumns, LinesModel, vat_choice_key, vat_choice_label
from smartdesk.gui.receipts.controller import ReceiptController
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets.delegates import ChoiceDelegate
from smartdesk.gui.widgets.docs_labels import note_label, problem_label
from smartdesk.gui.widgets.keyboard import OneStopDateEdit, text_box
from smartdesk.gui.widgets.page import heading
from smartdesk.i18n import ui
from smartdesk.i18n.documents import unit_label
from smartdesk.i18n.ui import _, ntr, tr
from smartdesk.services import Snippet, Workspace

# how a line cell starts editing in an editable document (a locked one gets NoEditTriggers)
LINE_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


class DocumentEditor(QWidget):
    closed = Signal()
    changed = Signal(str)  # a document was written: lists refresh
    open_requested = Signal(str)  # open another document (duplicate, invoice made from a quote...)
    delete_requested = Signal(str)
    message = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.doc = Document()
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._client_ids: dict[str, str] = {}
        self._clients: dict[str, Client] = {}
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
        self.submit_button = QPushButton(_("Send for validation"))
        self.submit_button.setToolTip(
            _("Your advisor checks the document; the cooperative then gives it a number.")
        )
        self.submit_button.clicked.connect(self.submit)
        self.more_button = QToolButton()
        self.more_button.setText(_("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self)
        self.act_duplicate = self.more_menu.addAction(_("Duplicate"), self.duplicate)
        self.act_invoice = self.more_menu.addAction(_("Turn into an invoice"), self.to_invoice)
        self.act_credit = self.more_menu.addAction(_("Make a credit note"), self.credit_note)
        self.more_menu.addSeparator()
        self.act_delete = self.more_menu.addAction(_("Delete this document"), self._delete)
        self.more_button.setMenu(self.more_menu)
        w: QWidget
        for w in (self.back_button, self.heading):
            bar.addWidget(w)
        bar.addStretch(1)
        self.pdf_button = self._build_pdf_actions()
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
        self.preview = PreviewPane(self.ws, self.tasks, lambda: self.doc)
        self.preview.message.connect(self.message.emit)
        self.preview.failed.connect(self._show_banner)
        self.preview.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.preview.view.addActions([self.act_export_pdf, self.act_print, self.act_open_pdf])
        slot_layout.addWidget(self.preview)
        self.splitter.addWidget(self.preview_slot)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setCollapsible(0, False)
        scroll.setMinimumWidth(560)
        self.splitter.setSizes([760, 340])
        outer.addWidget(self.splitter, 1)

        # header ----------------------------------------------------------------------------------
        self.problem_labels: dict[str, QLabel] = {}
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setVerticalSpacing(2)
        self.client_edit = QLineEdit()
        self.client_edit.setPlaceholderText(_("Type the client's name"))
        self.client_edit.setToolTip(
            _("Start typing: known clients are suggested. A new name can be added at once.")
        )
        self.client_model = QStringListModel(self)
        completer = QCompleter(self.client_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.client_edit.setCompleter(completer)
        completer.activated.connect(self._client_chosen)
        self.client_edit.editingFinished.connect(lambda: self._client_chosen(self.client_edit.text()))
        self.client_edit.textEdited.connect(lambda _t: self._offer_new_client())
        self.client_edit.returnPressed.connect(self._client_entered)
        self.new_client_button = QPushButton(_("New client…"))
        self.new_client_button.setToolTip(_("Add a client without leaving this document (Ctrl+Shift+K)"))
        self.new_client_button.clicked.connect(lambda: self.show_new_client(self.client_edit.text()))
        client_row = QHBoxLayout()
        client_row.addWidget(self.client_edit, 1)
        client_row.addWidget(self.new_client_button)

        self.activity_combo = QComboBox()
        self.activity_combo.setToolTip(_("The activity (budget line) this document belongs to"))
        self.activity_combo.activated.connect(
            lambda _i: self._edit(
                _("Change the activity"), lambda d: _set_activity(d, self.activity_combo.currentData() or "")
            )
        )
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(_("What is this document about?"))
        self.title_edit.textEdited.connect(
            lambda t: self._edit(_("Change the title"), lambda d: setattr(d, "title", t), "title")
        )
        self.issue_edit = OneStopDateEdit()
        self.issue_edit.setCalendarPopup(True)
        self.issue_edit.setDisplayFormat("dd/MM/yyyy")
        self.issue_edit.dateChanged.connect(lambda q: self._date_changed("issue_date", q))
        self.due_edit = OneStopDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("dd/MM/yyyy")
        self.due_edit.dateChanged.connect(lambda q: self._date_changed("due_date", q))
        self.language_combo = QComboBox()
        self.language_combo.setToolTip(
            _("The language the client reads; it can differ from the interface language")
        )
        for code in LANGUAGES:
            self.language_combo.addItem(_(LANGUAGE_NAMES[code]), code)
        self.language_combo.activated.connect(
            lambda _i: self._edit(
                _("Change the document language"),
                lambda d: setattr(d, "language", self.language_combo.currentData()),
            )
        )
        self.currency_combo = QComboBox()
        for c in CURRENCIES:
            self.currency_combo.addItem(c, c)
        self.currency_combo.activated.connect(
            lambda _i: self._edit(
                _("Change the currency"), lambda d: setattr(d, "currency", self.currency_combo.currentData())
            )
        )
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText(_("The reference your client gave you"))
        self.reference_edit.setToolTip(
            _("Businesses: an e-invoice needs the client's reference or its order number.")
        )
        self.reference_edit.textEdited.connect(
            lambda t: self._edit(_("Change the reference"), lambda d: setattr(d, "reference", t), "reference")
        )
        self.order_caption = QLabel(_("Order number"))
        self.order_edit = QLineEdit()  # the buyer's purchase order (e-invoice BT-13)
        self.order_edit.setPlaceholderText(_("If the client gave one"))
        self.order_edit.textEdited.connect(
            lambda t: self._edit(
                _("Change the order number"), lambda d: setattr(d, "order_reference", t), "order_reference"
            )
        )

        self.due_caption = QLabel(_("Due date"))

        def pair(first: QWidget, caption: QLabel, second: QWidget) -> QHBoxLayout:
            box = QHBoxLayout()
            box.addWidget(first, 1)
            box.addSpacing(8)
            box.addWidget(caption)
            box.addWidget(second, 1)
            return box

        self.currency_caption = QLabel(_("Currency"))
        rows: list[tuple[str, QWidget | QHBoxLayout, tuple[str, ...]]] = [
            (_("Client"), client_row, ("client_id",)),
            (_("Activity"), self.activity_combo, ("activity_id",)),
            (_("Title"), self.title_edit, ("title",)),
            (
                _("Your reference"),
                pair(self.reference_edit, self.order_caption, self.order_edit),
                ("reference",),
            ),
            (_("Date"), pair(self.issue_edit, self.due_caption, self.due_edit), ("issue_date", "due_date")),
            (
                _("Document language"),
                pair(self.language_combo, self.currency_caption, self.currency_combo),
                ("language", "currency"),
            ),
        ]
        self.row_labels: dict[str, QLabel] = {}
        self.problem_boxes: dict[str, QVBoxLayout] = {}
        for r, (caption, field_widget, fields) in enumerate(rows):
            self.row_labels[fields[0]] = QLabel(caption)
            form.addWidget(self.row_labels[fields[0]], 2 * r, 0)
            if isinstance(field_widget, QHBoxLayout):
                form.addLayout(field_widget, 2 * r, 1)
            else:
                form.addWidget(field_widget, 2 * r, 1)
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            for f in fields:
                label = problem_label()
                self.problem_labels[f] = label
                box.addWidget(label)
                self.problem_boxes[f] = box
            form.addLayout(box, 2 * r + 1, 1)
        col.addLayout(form)
        self.problem_labels["client.vat_number"] = self.problem_labels["client_id"]

        # inline new client --------------------------------------------------------------------------
        self.new_client_frame = QFrame()
        self.new_client_frame.setObjectName("newclient")
        self.new_client_frame.setFrameShape(QFrame.Shape.StyledPanel)
        nc = QFormLayout(self.new_client_frame)
        self.nc_name = QLineEdit()
        # the address a Belgian or French invoice must carry
        self.nc_street = QLineEdit()
        self.nc_postcode = QLineEdit()
        self.nc_postcode.setMaximumWidth(110)
        self.nc_city = QLineEdit()
        self.nc_country = QComboBox()
        self.nc_country.setEditable(True)
        self.nc_country.addItems(COUNTRIES)
        self.nc_business = QCheckBox(_("This client is a business or an organisation"))
        self.nc_business.setChecked(True)
        self.nc_vat = QLineEdit()
        self.nc_vat.setPlaceholderText("BE0123456749")
        self.nc_email = QLineEdit()
        self.nc_language = QComboBox()
        for code in LANGUAGES:
            self.nc_language.addItem(_(LANGUAGE_NAMES[code]), code)
        self.nc_problem = problem_label()
        self.nc_add = QPushButton(_("Add this client"))
        self.nc_add.setDefault(True)
        self.nc_cancel = QPushButton(_("Cancel"))
        self.nc_title = QLabel("<b>" + _("New client") + "</b>")
        self.nc_title.setWordWrap(True)
        nc.addRow(self.nc_title)
        nc.addRow(_("Name"), self.nc_name)
        nc.addRow(_("Street and number"), self.nc_street)
        town = QHBoxLayout()
        town.addWidget(self.nc_postcode)
        town.addWidget(self.nc_city, 1)
        nc.addRow(_("Postcode and city"), town)
        nc.addRow(_("Country"), self.nc_country)
        nc.addRow("", self.nc_business)
        nc.addRow(_("VAT number"), self.nc_vat)
        nc.addRow(_("Email"), self.nc_email)
        nc.addRow(_("Language of the documents"), self.nc_language)
        nc.addRow("", self.nc_problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.nc_cancel)
        buttons.addWidget(self.nc_add)
        nc.addRow(buttons)
        for line_edit in (
            self.nc_name,
            self.nc_street,
            self.nc_postcode,
            self.nc_city,
            self.nc_vat,
            self.nc_email,
        ):
            line_edit.textChanged.connect(self._check_new_client)
            line_edit.returnPressed.connect(self.add_new_client)
        self.nc_country.currentTextChanged.connect(self._check_new_client)
        self.nc_add.clicked.connect(self.add_new_client)
        self.nc_cancel.clicked.connect(self.new_client_frame.hide)
        self.new_client_frame.hide()
        col.addWidget(self.new_client_frame)

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
        self.snippet_button = QToolButton()
        self.snippet_button.setText(_("Saved lines"))
        self.snippet_button.setToolTip(_("Insert a line you saved before, or save the current line"))
        self.snippet_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snippet_menu = QMenu(self)
        self.snippet_menu.aboutToShow.connect(self._fill_snippets)
        self.snippet_button.setMenu(self.snippet_menu)
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

        self.lines_model = LinesModel(lambda: self.doc)
        self.lines_model.edit_requested.connect(self._line_edit)
        self.lines_model.move_requested.connect(self.move_line)
        self.lines_model.parse_failed.connect(lambda row, f, msg: self._show_banner(msg))
        self.expense_model = ExpenseLinesModel(lambda: self.doc)
        self.expense_model.edit_requested.connect(self._line_edit)
        self.expense_model.parse_failed.connect(lambda row, f, msg: self._show_banner(msg))
        self.expense_model.modelReset.connect(self._update_expense_columns)
        self.expense_model.dataChanged.connect(lambda *_a: self._update_expense_columns())
        # expense cells picked from a list: category (stores the code), how it was paid, the activity
        self.category_delegate = ChoiceDelegate(self.expense_model.category_choices, self)
        self.paid_with_delegate = ChoiceDelegate(paid_with_choices, self)
        self.expense_activity_delegate = ChoiceDelegate(self.expense_model.activity_choices, self)
        # most expenses count for the note's activity: the Activity column only on demand (narrow table)
        self.activity_column_button = QToolButton()
        self.activity_column_button.setText(_("Activity per expense"))
        self.activity_column_button.setCheckable(True)
        self.activity_column_button.setToolTip(
            _("Show a column to count some expenses for another of your activities")
        )
        self.activity_column_button.toggled.connect(lambda _on: self._update_expense_columns())
        self.activity_column_button.hide()
        line_bar.insertWidget(line_bar.indexOf(self.receipt_button), self.activity_column_button)
        self.unit_delegate = ChoiceDelegate(self._unit_choices, self)
        self.vat_delegate = ChoiceDelegate(self._vat_choices, self)
        self.plain_delegate = QStyledItemDelegate(self)
        self.lines_view = LinesView()
        self.lines_view.setModel(self.lines_model)
        self._view_kind = "lines"
        self.lines_view.setTabKeyNavigation(True)
        self.lines_view.setEditTriggers(LINE_EDIT_TRIGGERS)
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.lines_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.lines_view.setDragEnabled(True)
        self.lines_view.setAcceptDrops(True)
        self.lines_view.setDropIndicatorShown(True)
        self.lines_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.lines_view.setMinimumHeight(180)
        header = self.lines_view.horizontalHeader()
        header.setMinimumSectionSize(50)
        self.size_columns()  # figures as wide as their title and usual value: the description is the widest
        header.setTextElideMode(Qt.TextElideMode.ElideNone)  # Qt elides two-line titles as one line
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.lines_view.setWordWrap(False)
        self.lines_view.setItemDelegateForColumn(LineColumns.UNIT, self.unit_delegate)
        self.lines_view.setItemDelegateForColumn(LineColumns.VAT, self.vat_delegate)
        self.lines_view.add_requested.connect(self.add_line)
        self.lines_view.delete_requested.connect(self.delete_line)
        self.lines_view.move_requested.connect(self.move_line)
        self.lines_view.setToolTip(
            _("Enter: new line · Tab: next cell · Ctrl+↑/↓: move the line · Ctrl+Delete: remove the line")
        )
        col.addWidget(self.lines_view, 1)
        self.empty_lines = QLabel(
            _("No lines yet. Press Enter in the table or click “Add a line” to describe what you sell.")
        )
        self.empty_lines.setWordWrap(True)
        col.addWidget(self.empty_lines)
        self.line_problems = problem_label()
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

        self.totals_box = QFrame()
        self.totals_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.totals_layout = QGridLayout(self.totals_box)
        self.totals_layout.setColumnStretch(0, 1)
        totals_row = QHBoxLayout()
        totals_row.addStretch(1)
        totals_row.addWidget(self.totals_box)
        col.addLayout(totals_row)
        self.other_problems = problem_label()
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
            self.tasks, self._preflight_subject, list(self.problem_boxes), parent=self
        )
        for f, rule_label in self.preflight.labels.items():
            self.problem_boxes[f].addWidget(rule_label)
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

        self.quote_box = QuoteBox(self.ws, self.tasks, self._derived)  # sent / accepted / invoiced, links
        self.quote_box.reload.connect(lambda: self.load(self.doc.id))
        self.quote_box.open_document.connect(self.open_requested.emit)
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
        rows = self.ws.clients.list()
        self._client_ids = {r.name: r.id for r in rows}
        self.client_model.setStringList(sorted(self._client_ids, key=str.casefold))
        self._clients.clear()
        current = self.activity_combo.currentData()
        self.activity_combo.clear()
        self.activity_combo.addItem(_("— choose an activity —"), "")
        for a in self.ws.activities.list():
            self.activity_combo.addItem(f"{a.name} ({a.code})" if a.code else a.name, a.id)
        if current:
            self.activity_combo.setCurrentIndex(max(0, self.activity_combo.findData(current)))
        self.expense_model.categories = self.ws.receipts.expense_categories()
        activities = self.ws.activities.list()
        self.expense_model.activity_names = {
            a.id: f"{a.name} ({a.code})" if a.code else a.name for a in activities
        }
        self.expense_model.activity_codes = {a.id: a.code for a in activities if a.code}
        if self._view_kind == "expense_lines":
            self.size_columns()  # the activities' codes may have changed

    def client(self) -> Client | None:
        if not self.doc.client_id:
            return None
        if self.doc.client_id not in self._clients:
            try:
                self._clients[self.doc.client_id] = self.ws.clients.get(self.doc.client_id)
            except SmartDeskError:
                return None
        return self._clients[self.doc.client_id]

    def rows_attr(self) -> str:
        return "expense_lines" if self.doc.is_expense else "lines"

    def rows(self) -> list[Any]:
        return getattr(self.doc, self.rows_attr())

    def active_model(self) -> LinesModel | ExpenseLinesModel:
        return self.expense_model if self.doc.is_expense else self.lines_model

    def _configure_lines(self) -> None:
        """Show sales lines or expenses in the lines table, each with its own columns and editors."""
        wanted = self.rows_attr()
        if wanted == self._view_kind:
            return
        self._view_kind = wanted
        expense = wanted == "expense_lines"
        self.lines_view.setModel(self.active_model())
        self.lines_view.setItemDelegateForColumn(
            LineColumns.UNIT, self.plain_delegate if expense else self.unit_delegate
        )
        self.lines_view.setItemDelegateForColumn(
            LineColumns.VAT, self.plain_delegate if expense else self.vat_delegate
        )
        for column, delegate in (
            (ExpenseColumns.CATEGORY, self.category_delegate),
            (ExpenseColumns.PAID_WITH, self.paid_with_delegate),
            (ExpenseColumns.ACTIVITY, self.expense_activity_delegate),
        ):
            self.lines_view.setItemDelegateForColumn(column, delegate if expense else self.plain_delegate)
        self.lines_view.setDragDropMode(
            QAbstractItemView.DragDropMode.NoDragDrop
            if expense
            else QAbstractItemView.DragDropMode.InternalMove
        )
        self.snippet_button.setVisible(not expense)
        self.receipt_button.setVisible(expense)
        self.receipts.configure(expense)
        self.lines_view.setWordWrap(expense)  # expense rows are two lines tall: long labels wrap
        self.size_columns()
        self._update_expense_columns()
        self.empty_lines.setText(
            _(
                "No expenses yet. Click “Add a receipt…” to attach a photo or a PDF, or press "
                "Enter in the table to type an expense."
            )
            if expense
            else _("No lines yet. Press Enter in the table or click “Add a line” to describe what you sell.")
        )

    def size_columns(self) -> None:
        """The columns of the lines table for what it shows (sales lines or expenses), in the interface
        language: see ``size_line_columns`` and ``size_expense_columns`` in gui/documents/lines.py."""
        if self._view_kind == "expense_lines":
            size_expense_columns(self.lines_view, self.expense_model, self.doc.currency)
        else:
            size_line_columns(
                self.lines_view, rates_for(entity_for(self.doc.entity).country, self.doc.issue_date)
            )

    def _update_expense_columns(self) -> None:
        """The Activity column when the member asks for it (with more than one activity) or when an
        expense already counts for another activity than the note's; hidden otherwise."""
        expense = self._view_kind == "expense_lines"
        button = self.activity_column_button
        button.setVisible(expense and len(self.expense_model.activity_names) > 1)
        if not expense:
            return
        differs = self.expense_model.lines_on_other_activities()
        shown = differs or (button.isChecked() and not button.isHidden())
        if button.isChecked() != shown:
            button.blockSignals(True)
            button.setChecked(shown)
            button.blockSignals(False)
        button.setEnabled(not differs)  # the column stays while an expense is on another activity
        button.setToolTip(
            _("Some expenses count for another activity: the column stays while they do.")
            if differs
            else _("Show a column to count some expenses for another of your activities")
        )
        if self.lines_view.isColumnHidden(ExpenseColumns.ACTIVITY) == shown:
            self.lines_view.setColumnHidden(ExpenseColumns.ACTIVITY, not shown)

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
            client = self.client()
            name = client.name if client else ""
            if self.client_edit.text() != name and not self.client_edit.hasFocus():
                self.client_edit.setText(name)
            self.activity_combo.setCurrentIndex(max(0, self.activity_combo.findData(d.activity_id)))
            for edit, value in (
                (self.title_edit, d.title),
                (self.reference_edit, d.reference),
                (self.order_edit, d.order_reference),
            ):
                if edit.text() != value:
                    edit.setText(value)
            for pedit, value in ((self.intro_edit, d.intro_text), (self.closing_edit, d.closing_text)):
                if pedit.toPlainText() != value:
                    pedit.setPlainText(value)
            self.issue_edit.setDate(_qdate(d.issue_date))
            self.due_edit.setDate(_qdate(d.due_date))
            self.due_caption.setText(_("Valid until") if d.kind is DocumentKind.QUOTE else _("Due date"))
            self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(d.language)))
            if self.currency_combo.findData(d.currency) < 0:
                self.currency_combo.addItem(d.currency, d.currency)
            self.currency_combo.setCurrentIndex(self.currency_combo.findData(d.currency))
            editable = is_editable(d.status)
            w: QWidget
            for w in (
                self.client_edit,
                self.new_client_button,
                self.activity_combo,
                self.title_edit,
                self.issue_edit,
                self.due_edit,
                self.language_combo,
                self.currency_combo,
                self.reference_edit,
                self.order_edit,
                self.add_line_button,
                self.snippet_button,
            ):
                w.setEnabled(editable)
            for pedit in (self.intro_edit, self.closing_edit):
                pedit.setReadOnly(not editable)
            # from the constant, never from the view's current triggers: after a locked document they are
            # NoEditTriggers, and a draft opened next must be editable again (issue 16)
            self.lines_view.setEditTriggers(
                LINE_EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers
            )
            self.submit_button.setVisible(d.status in (Status.DRAFT.value, Status.RETURNED.value))
            sales = not d.is_expense  # an expense note has no client, reference, due date or texts
            for w in (
                self.row_labels["client_id"],
                self.client_edit,
                self.new_client_button,
                self.row_labels["reference"],
                self.reference_edit,
                self.order_caption,
                self.order_edit,
                self.due_caption,
                self.due_edit,
                self.intro_edit,
                self.closing_edit,
            ):
                w.setVisible(sales)
            if not sales:
                self.new_client_frame.hide()
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
        self._show_totals()
        self.show_problems(self.ws.documents.problems(self.doc))
        self.preview.schedule()  # the PDF preview follows every change (debounced, off the GUI thread)
        self.preflight.schedule()  # and the official e-invoice rules (debounced, off the GUI thread)

    def _preflight_subject(self) -> tuple[Document, Client, CooperativeEntity] | None:
        client = self.client()
        return None if client is None else (self.doc, client, entity_for(self.doc.entity))

    def _show_totals(self) -> None:
        while self.totals_layout.count():
            item = self.totals_layout.takeAt(0)
            shown = item.widget() if item else None
            if shown:
                shown.hide()
                shown.deleteLater()
        cur = self.doc.currency
        rows: list[tuple[str, str, bool]] = []
        if self.doc.is_expense:
            t = expense_totals(self.doc.expense_lines)
            rows = [
                (_("Total excl. VAT"), fmt.money(t.total_excl, cur), False),
                (_("VAT"), fmt.money(t.total_vat, cur), False),
                (_("Total incl. VAT"), fmt.money(t.total_incl, cur), True),
            ]
        else:
            t2 = compute_totals(self.doc.lines, self.doc.allowances, self.doc.paid_amount)
            if t2.allowance_rows:  # the rows the total excl. VAT is made of, as the PDF prints them
                rows.append((_("Subtotal excl. VAT"), fmt.money(t2.line_total, cur), False))
                for ac, row in zip(self.doc.allowances, t2.allowance_rows, strict=True):
                    label = (_("Charge") if ac.is_charge else _("Discount")) + (
                        f" – {ac.reason}" if ac.reason else ""
                    )
                    rows.append((label, fmt.money(row.amount if row.is_charge else -row.amount, cur), False))
            rows.append((_("Total excl. VAT"), fmt.money(t2.tax_exclusive, cur), False))
            for b in t2.vat_breakdown:
                what = (
                    fmt.percent(b.rate)
                    if b.category is VatCategory.STANDARD
                    else vat_choice_label(b.category, b.rate)
                )
                rows.append(
                    (
                        tr("VAT {rate} on {base}", rate=what, base=fmt.money(b.taxable, cur)),
                        fmt.money(b.tax, cur),
                        False,
                    )
                )
            rows.append((_("Total incl. VAT"), fmt.money(t2.tax_inclusive, cur), True))
        for r, (label, value, bold) in enumerate(rows):
            a, b_ = QLabel(label), QLabel(value)
            b_.setAlignment(Qt.AlignmentFlag.AlignRight)
            b_.setObjectName("total_incl" if bold else f"total_{r}")
            if bold:
                self._total_label = b_
                a.setStyleSheet("font-weight: 600;")
                b_.setStyleSheet("font-weight: 600;")
            self.totals_layout.addWidget(a, r, 0)
            self.totals_layout.addWidget(b_, r, 1)

    @property
    def total_incl_text(self) -> str:
        label: QLabel | None = getattr(self, "_total_label", None)
        return label.text() if label is not None else ""

    def show_problems(self, problems: list[Problem]) -> None:
        by_field: dict[str, list[str]] = {}
        line_msgs: dict[tuple[int, str], str] = {}
        others: list[str] = []
        for p in problems:
            text = ui.problem_text(p)
            if p.field.startswith(("lines[", "expense_lines[")):
                row = int(p.field[p.field.index("[") + 1 : p.field.index("]")])
                attr = p.field.split(".", 1)[1] if "." in p.field else ""
                line_msgs[(row, attr)] = text
            elif p.field in self.problem_labels:
                by_field.setdefault(p.field, []).append(text)
            else:
                others.append(text)
        for f, label in self.problem_labels.items():
            msgs = by_field.get(f, [])
            if f == "client_id":
                msgs = msgs + by_field.get("client.vat_number", [])
            if f == "client.vat_number":
                continue
            label.setText("\n".join(msgs))
            label.setVisible(bool(msgs))
        self.active_model().problems = line_msgs
        self.line_problems.setText("\n".join(line_msgs[k] for k in sorted(line_msgs)))
        self.line_problems.setVisible(bool(line_msgs))
        self.other_problems.setText("\n".join(others))
        self.other_problems.setVisible(bool(others))
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

    def _date_changed(self, field: str, qdate: QDate) -> None:
        value = qdate.toPython()

        def mutate(d: Document) -> None:
            setattr(d, field, value)
            if field == "issue_date" and d.payment_terms_days is not None:
                d.due_date = d.compute_due_date()

        self._edit(_("Change the date"), mutate, field)

    def _text_changed(self, field: str, edit: QPlainTextEdit) -> None:
        if self._loading or getattr(self.doc, field) == edit.toPlainText():
            return
        text = edit.toPlainText()
        self._edit(_("Change the text"), lambda d: setattr(d, field, text), field)

    def _line_edit(self, row: int, field: str, value: object) -> None:
        attr = self.rows_attr()

        def mutate(d: Document) -> None:
            line = getattr(d, attr)[row]
            if field == "vat_rate" and attr == "lines":
                if not isinstance(value, tuple):  # the lines model sends (VAT category, rate)
                    raise TypeError(f"a VAT choice is a (category, rate) pair, not {value!r}")
                line.vat_category, line.vat_rate = value
            elif field == "category" and attr == "expense_lines":
                self._set_expense_category(d, line, str(value))
            else:
                setattr(line, field, value)

        self._edit(tr("Change line {n}", n=row + 1), mutate)

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
        attr = self.rows_attr()
        if 0 <= row < len(self.rows()):
            self._edit(tr("Remove line {n}", n=row + 1), lambda d: getattr(d, attr).pop(row))
            if self.rows():
                self.lines_view.setCurrentIndex(self.active_model().index(min(row, len(self.rows()) - 1), 0))

    def move_line(self, row: int, target: int) -> None:
        attr = self.rows_attr()
        if not (0 <= row < len(self.rows()) and 0 <= target < len(self.rows())) or row == target:
            return
        column = max(0, self.lines_view.currentIndex().column())
        self._edit(
            tr("Move line {n}", n=row + 1),
            lambda d: getattr(d, attr).insert(target, getattr(d, attr).pop(row)),
        )
        self.lines_view.setCurrentIndex(self.active_model().index(target, column))

    def _set_expense_category(self, doc: Document, line: ExpenseLine, code: str) -> None:
        """Set a category; its usual VAT rate follows unless the member chose the rate or typed the VAT."""
        country = entity_for(doc.entity).country
        previous = find_category(line.category, self.expense_model.categories) if line.category else None
        chosen = find_category(code, self.expense_model.categories) if code else None
        untouched = {standard_rate(country, line.date), previous.vat_rate_for(country) if previous else None}
        suggested = chosen.vat_rate_for(country) if chosen else None
        line.category = code
        if suggested is not None and line.vat_amount_override is None and line.vat_rate in untouched:
            line.vat_rate = suggested

    def _unit_choices(self, row: int) -> list[tuple[str, str]]:
        lang = ui.language() if ui.language() in ("fr", "nl", "en") else "en"
        return [(code, unit_label(lang, code)) for code in UNITS]

    def _vat_choices(self, row: int) -> list[tuple[str, str]]:
        issuer = entity_for(self.doc.entity).country
        client = self.client()
        cats = allowed_categories(
            issuer, client.country if client else issuer, client.is_business if client else True
        )
        out: list[tuple[str, str]] = []
        for cat in cats:
            if cat is VatCategory.STANDARD:
                out += [
                    (vat_choice_key(cat, r), vat_choice_label(cat, r))
                    for r in rates_for(issuer, self.doc.issue_date)
                ]
            else:
                out.append((vat_choice_key(cat, Decimal(0)), vat_choice_label(cat, Decimal(0))))
        return out

    # --- clients ----------------------------------------------------------------------------------------
    def _client_chosen(self, name: str) -> None:
        name = name.strip()
        client_id = self._client_ids.get(name)
        if client_id and client_id != self.doc.client_id:
            self.new_client_frame.hide()
            self._set_client(client_id)

    def _set_client(self, client_id: str) -> None:
        try:
            client = self.ws.clients.get(client_id)
        except SmartDeskError as exc:
            self._show_banner(error_text(exc))
            return
        self._clients[client.id] = client

        def mutate(d: Document) -> None:
            d.client_id = client.id
            if not d.lines and not d.title:
                d.language = client.language
            if d.kind is not DocumentKind.QUOTE and d.payment_terms_days is not None:
                d.payment_terms_days = client.payment_terms_days
                d.due_date = d.compute_due_date()

        self._edit(_("Choose the client"), mutate)

    def _offer_new_client(self) -> None:
        text = self.client_edit.text().strip()
        if self.new_client_frame.isVisible() and text:
            self.nc_name.setText(text)

    def _client_entered(self) -> None:
        """Enter in the client field: a known name is chosen; an unknown one is offered for creation."""
        name = self.client_edit.text().strip()
        if name and name not in self._client_ids:
            self.show_new_client(name)
            self.nc_title.setText(
                "<b>" + tr("“{name}” is not one of your clients yet: create “{name}”?", name=name) + "</b>"
            )

    def show_new_client(self, name: str = "") -> None:
        self.nc_title.setText("<b>" + _("New client") + "</b>")
        self.nc_name.setText(name.strip())
        for edit in (self.nc_vat, self.nc_email, self.nc_street, self.nc_postcode, self.nc_city):
            edit.clear()
        country = entity_for(self.doc.entity).country
        self.nc_country.setCurrentText(country)
        lang = self.doc.language
        self.nc_language.setCurrentIndex(max(0, self.nc_language.findData(lang)))
        self.new_client_frame.show()
        self.nc_name.setFocus()
        self._check_new_client()

    def _new_client(self) -> Client:
        return Client(
            id=uuid7(),
            name=self.nc_name.text().strip(),
            address=Address(
                street=self.nc_street.text().strip(),
                postcode=self.nc_postcode.text().strip(),
                city=self.nc_city.text().strip(),
                country=self.nc_country.currentText().strip().upper()[:2],
            ),
            vat_number=self.nc_vat.text().strip(),
            email=self.nc_email.text().strip(),
            language=self.nc_language.currentData() or "fr",
            is_business=self.nc_business.isChecked(),
            payment_terms_days=int(self.ws.settings.default_payment_terms_days),
        )

    def _check_new_client(self) -> None:
        problems = [p for p in self.ws.clients.problems(self._new_client())]
        self.nc_problem.setText("\n".join(ui.problem_text(p) for p in problems))
        self.nc_problem.setVisible(bool(problems))
        self.nc_add.setEnabled(bool(self.nc_name.text().strip()))

    def add_new_client(self) -> None:
        client = self._new_client()
        if not client.name:
            self.nc_name.setFocus()
            return

        def done(saved: Client) -> None:
            self._client_ids[saved.name] = saved.id
            self.client_model.setStringList(sorted(self._client_ids, key=str.casefold))
            self.new_client_frame.hide()
            self.client_edit.setText(saved.name)
            self._set_client(saved.id)
            self.message.emit(tr("Client “{name}” added to your address book.", name=saved.name))
            self.title_edit.setFocus()

        def failed(exc: BaseException) -> None:
            self.nc_problem.setText(error_text(exc))
            self.nc_problem.show()

        self.tasks.write(lambda: self.ws.clients.save(client), done, failed)

    # --- snippets ---------------------------------------------------------------------------------------
    def _fill_snippets(self) -> None:
        self.snippet_menu.clear()
        row = self.lines_view.currentIndex().row()
        save = self.snippet_menu.addAction(_("Save the current line for later"), self.save_snippet)
        save.setEnabled(0 <= row < len(self.doc.lines))
        self.snippet_menu.addSeparator()
        items = self.ws.snippets.list("line")
        if not items:
            empty = self.snippet_menu.addAction(_("No saved lines yet"))
            empty.setEnabled(False)
        for s in items:
            action = QAction(s.title, self.snippet_menu)
            action.triggered.connect(lambda _c=False, s=s: self.insert_snippet(s))
            self.snippet_menu.addAction(action)

    def save_snippet(self) -> None:
        row = self.lines_view.currentIndex().row()
        if not 0 <= row < len(self.doc.lines):
            return
        line = self.doc.lines[row]
        body = {
            "description": line.description,
            "quantity": str(line.quantity),
            "unit": line.unit,
            "unit_price": str(line.unit_price),
            "vat_rate": str(line.vat_rate),
            "vat_category": line.vat_category.value,
            "discount_percent": str(line.discount_percent),
        }
        snippet = Snippet(id=uuid7(), kind="line", title=line.description or _("Line"), body=body)
        self.tasks.write(
            lambda: self.ws.snippets.save(snippet),
            lambda _r: self.message.emit(_("Line saved: find it under “Saved lines”.")),
        )

    def insert_snippet(self, snippet: Snippet) -> None:
        b = snippet.body
        line = self.new_line()
        line.description = b.get("description", "")
        line.unit = b.get("unit", line.unit)
        for attr in ("quantity", "unit_price", "discount_percent"):
            if attr in b:
                setattr(line, attr, Decimal(b[attr]))
        if b.get("vat_category") == line.vat_category.value and "vat_rate" in b:
            line.vat_rate = Decimal(b["vat_rate"])
        self.add_line(self.lines_view.currentIndex().row() if self.doc.lines else -1, line)

    # --- document actions -----------------------------------------------------------------------------
    def submit(self) -> None:
        problems = self.ws.documents.problems(self.doc, for_submit=True)
        if problems:
            self.show_problems(problems)
            self._show_banner(
                ntr(
                    "Almost there: {n} thing to complete before sending, shown in red.",
                    "Almost there: {n} things to complete before sending, shown in red.",
                    len(problems),
                    n=len(problems),
                )
            )
            return
        if not self.preflight.current:  # an invoice to a business must pass the e-invoice rules first
            self._show_banner(_("Checking the e-invoice before sending…"))
            self.preflight.check_now(lambda _r: self._submit_checked())
            return
        refusal = self.preflight.refusal()
        if refusal:
            self._show_banner(refusal)
            return
        doc_id = self.doc.id

        def done(doc: Document) -> None:
            self.doc = doc
            self.undo_stack.clear()
            self._refresh_all()
            self.changed.emit(doc.id)
            self.message.emit(_("Sent for validation. Your advisor will check it."))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.show_problems(exc.problems)
            self._show_banner(
                error_text(exc) if isinstance(exc, SmartDeskError) else _("Sending failed; try again.")
            )

        self.tasks.write(lambda: self.ws.documents.submit(doc_id), done, failed)

    def _submit_checked(self) -> None:
        self._show_banner("")
        if self.preflight.current:  # else the member changed it meanwhile: the next click checks again
            self.submit()

    def _derived(self, fn: Callable[[str], Document], message: str) -> None:
        """Make a new draft from this document (copy, invoice from a quote, credit note) and open it.

        Ctrl+Z in the new draft, before anything else, takes it back: the draft is deleted and the
        original opens again."""
        doc_id = self.doc.id

        def take_back(new_id: str) -> None:
            def gone(_r: object = None) -> None:
                self.changed.emit(new_id)
                self.message.emit(_("The new draft was removed."))
                self.open_requested.emit(doc_id)

            # after the undo command has returned: opening a document clears this undo stack
            self.tasks.write(
                lambda: self.ws.documents.delete(new_id), gone, lambda exc: self._show_banner(error_text(exc))
            )

        def done(doc: Document) -> None:
            self.changed.emit(doc.id)
            self.message.emit(message)
            self.open_requested.emit(doc.id)
            if self.doc.id == doc.id:
                self.undo_stack.push(
                    CallbackCommand(_("Make a new draft"), lambda: None, lambda: take_back(doc.id))
                )

        self.tasks.write(lambda: fn(doc_id), done, lambda exc: self._show_banner(error_text(exc)))

    def duplicate(self) -> None:
        self._derived(self.ws.documents.duplicate, _("Copy made: you are now editing the new draft."))

    def to_invoice(self) -> None:
        self._derived(
            self.ws.documents.quote_to_invoice, _("Invoice made from the quote: check it and send it.")
        )

    def credit_note(self) -> None:
        self._derived(self.ws.documents.credit_note_for, _("Credit note made for this invoice."))

    def _delete(self) -> None:
        self.delete_requested.emit(self.doc.id)

    # --- PDF: export, print, open in a viewer ------------------------------------------------------------
    def _build_pdf_actions(self) -> QToolButton:
        """Export to PDF (Ctrl+E), Print (Ctrl+P), Open in PDF viewer: shortcuts work while the editor has focus."""
        self.act_export_pdf = QAction(_("Export to PDF…"), self)
        self.act_export_pdf.setShortcut(QKeySequence("Ctrl+E"))
        self.act_export_pdf.setToolTip(_("Save the document as a PDF file to send to the client (Ctrl+E)"))
        self.act_export_pdf.triggered.connect(lambda: self.preview.export_pdf())
        self.act_print = QAction(_("Print…"), self)
        self.act_print.setShortcut(QKeySequence("Ctrl+P"))
        self.act_print.triggered.connect(lambda: self.preview.print_document())
        self.act_open_pdf = QAction(_("Open in PDF viewer"), self)
        self.act_open_pdf.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.act_open_pdf.triggered.connect(lambda: self.preview.open_in_viewer())
        menu = QMenu(self)
        for action in (self.act_export_pdf, self.act_print, self.act_open_pdf):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            menu.addAction(action)
        button = QToolButton()
        button.setText("PDF")
        button.setToolTip(
            _("Export to PDF (Ctrl+E), print (Ctrl+P) or open in your PDF viewer (Ctrl+Shift+E)")
        )
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(menu)
        return button


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


def _set_activity(doc: Document, activity_id: str) -> None:
    """Change a document's activity; an expense note's lines that were on the note's activity follow it."""
    for line in doc.expense_lines:
        if line.activity_id in ("", doc.activity_id):
            line.activity_id = activity_id
    doc.activity_id = activity_id
