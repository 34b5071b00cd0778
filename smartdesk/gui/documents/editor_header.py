"""The document editor's header form: the client (picked by name, suggested as the member types, or
added inline with ``NewClientForm``), the activity, the title, the client's reference and order number,
the dates, the document's language and currency, each with the red labels of its problems under it.

``HeaderForm`` owns these fields and the list of known clients; every change goes through the editor's
``edit(text, mutate, merge_key)`` callable, so it is saved at once and is one undo step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import LANGUAGES, Client, Document, DocumentKind
from smartdesk.domain.entities import entity_for
from smartdesk.errors import SmartDeskError
from smartdesk.gui.documents.editor_client import NewClientForm
from smartdesk.gui.errors import error_text
from smartdesk.gui.labels import CURRENCIES, LANGUAGE_NAMES
from smartdesk.gui.widgets.docs_labels import problem_label
from smartdesk.gui.widgets.keyboard import OneStopDateEdit
from smartdesk.i18n.ui import _, tr
from smartdesk.services import Workspace

Edit = Callable[..., None]  # the editor's _edit(text, mutate, merge_key="")


class HeaderForm(QWidget):
    """The header fields in a grid (caption, field, its problems below); ``problem_labels`` and
    ``problem_boxes`` are keyed by the document field they show the problems of."""

    message = Signal(str)  # a client was added
    failed = Signal(str)  # a client could not be read

    def __init__(
        self, ws: Workspace, edit: Edit, doc: Callable[[], Document], new_client: NewClientForm
    ) -> None:
        super().__init__()
        self.ws = ws
        self._edit = edit
        self._doc = doc
        self.new_client = new_client
        self._client_ids: dict[str, str] = {}
        self._clients: dict[str, Client] = {}
        self.problem_labels: dict[str, QLabel] = {}
        form = QGridLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
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
        new_client.added.connect(self._client_added)

        self.activity_combo = QComboBox()
        self.activity_combo.setToolTip(_("The activity (budget line) this document belongs to"))
        self.activity_combo.activated.connect(
            lambda _i: self._edit(
                _("Change the activity"), lambda d: set_activity(d, self.activity_combo.currentData() or "")
            )
        )
        self.title_edit = self._text_field(_("What is this document about?"), _("Change the title"), "title")
        self.issue_edit = self._date_field("issue_date")
        self.due_edit = self._date_field("due_date")
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
        self.reference_edit = self._text_field(
            _("The reference your client gave you"), _("Change the reference"), "reference"
        )
        self.reference_edit.setToolTip(
            _("Businesses: an e-invoice needs the client's reference or its order number.")
        )
        self.order_caption = QLabel(_("Order number"))
        # the buyer's purchase order (e-invoice BT-13)
        self.order_edit = self._text_field(
            _("If the client gave one"), _("Change the order number"), "order_reference"
        )
        self.due_caption = QLabel(_("Due date"))
        self.currency_caption = QLabel(_("Currency"))
        rows: list[tuple[str, QWidget | QHBoxLayout, tuple[str, ...]]] = [
            (_("Client"), client_row, ("client_id",)),
            (_("Activity"), self.activity_combo, ("activity_id",)),
            (_("Title"), self.title_edit, ("title",)),
            (
                _("Your reference"),
                _pair(self.reference_edit, self.order_caption, self.order_edit),
                ("reference",),
            ),
            (_("Date"), _pair(self.issue_edit, self.due_caption, self.due_edit), ("issue_date", "due_date")),
            (
                _("Document language"),
                _pair(self.language_combo, self.currency_caption, self.currency_combo),
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
        self.problem_labels["client.vat_number"] = self.problem_labels["client_id"]

    def _text_field(self, placeholder: str, undo_text: str, field: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda t: self._edit(undo_text, lambda d: setattr(d, field, t), field))
        return edit

    def _date_field(self, field: str) -> OneStopDateEdit:
        edit = OneStopDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.dateChanged.connect(lambda q: self._date_changed(field, q))
        return edit

    def _date_changed(self, field: str, qdate: QDate) -> None:
        value = qdate.toPython()

        def mutate(d: Document) -> None:
            setattr(d, field, value)
            if field == "issue_date" and d.payment_terms_days is not None:
                d.due_date = d.compute_due_date()

        self._edit(_("Change the date"), mutate, field)

    # --- the choices ---------------------------------------------------------------------------------
    def reload_choices(self) -> None:
        """Read the known clients and the activities again."""
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

    def client(self) -> Client | None:
        """The document's client (read once, then kept until the choices are read again)."""
        client_id = self._doc().client_id
        if not client_id:
            return None
        if client_id not in self._clients:
            try:
                self._clients[client_id] = self.ws.clients.get(client_id)
            except SmartDeskError:
                return None
        return self._clients[client_id]

    # --- showing a document ---------------------------------------------------------------------------
    def show_for(self, d: Document, editable: bool) -> None:
        """Show ``d``'s header; locked fields when it is not ``editable``; no client, reference, due date
        for an expense note. The caller keeps its edits from firing meanwhile (the editor's loading)."""
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
        self.issue_edit.setDate(_qdate(d.issue_date))
        self.due_edit.setDate(_qdate(d.due_date))
        self.due_caption.setText(_("Valid until") if d.kind is DocumentKind.QUOTE else _("Due date"))
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(d.language)))
        if self.currency_combo.findData(d.currency) < 0:
            self.currency_combo.addItem(d.currency, d.currency)
        self.currency_combo.setCurrentIndex(self.currency_combo.findData(d.currency))
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
        ):
            w.setEnabled(editable)
        sales = not d.is_expense  # an expense note has no client, reference or due date
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
        ):
            w.setVisible(sales)
        if not sales:
            self.new_client.hide()

    # --- the client ------------------------------------------------------------------------------------
    def _client_chosen(self, name: str) -> None:
        name = name.strip()
        client_id = self._client_ids.get(name)
        if client_id and client_id != self._doc().client_id:
            self.new_client.hide()
            self.set_client(client_id)

    def set_client(self, client_id: str) -> None:
        """Choose this client for the document (one undo step); its language and payment terms follow."""
        try:
            client = self.ws.clients.get(client_id)
        except SmartDeskError as exc:
            self.failed.emit(error_text(exc))
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
        if self.new_client.isVisible() and text:
            self.new_client.name.setText(text)

    def _client_entered(self) -> None:
        """Enter in the client field: a known name is chosen; an unknown one is offered for creation."""
        name = self.client_edit.text().strip()
        if name and name not in self._client_ids:
            self.show_new_client(name)
            self.new_client.say_unknown(name)

    def show_new_client(self, name: str = "") -> None:
        doc = self._doc()
        self.new_client.offer(name, entity_for(doc.entity).country, doc.language)

    def _client_added(self, saved: Client) -> None:
        self._client_ids[saved.name] = saved.id
        self.client_model.setStringList(sorted(self._client_ids, key=str.casefold))
        self.client_edit.setText(saved.name)
        self.set_client(saved.id)
        self.message.emit(tr("Client “{name}” added to your address book.", name=saved.name))
        self.title_edit.setFocus()


def _pair(first: QWidget, caption: QLabel, second: QWidget) -> QHBoxLayout:
    box = QHBoxLayout()
    box.addWidget(first, 1)
    box.addSpacing(8)
    box.addWidget(caption)
    box.addSpacing(4)  # the caption never touches its field
    box.addWidget(second, 1)
    return box


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


def set_activity(doc: Document, activity_id: str) -> None:
    """Change a document's activity; an expense note's lines that were on the note's activity follow it."""
    for line in doc.expense_lines:
        if line.activity_id in ("", doc.activity_id):
            line.activity_id = activity_id
    doc.activity_id = activity_id
