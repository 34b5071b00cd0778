"""The clients page: the address book, a client's documents and payment flag."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import Address, Client
from smartdesk.gui import fmt
from smartdesk.gui.documents.model import PAYMENT_COLUMNS, DocumentColumns, DocumentTableModel
from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.labels import COUNTRIES
from smartdesk.gui.models.clients import ClientTableModel
from smartdesk.gui.models.roles import ID_ROLE
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets.chips import PAYMENT_FLAG_TIP, FlagChip
from smartdesk.gui.widgets.delegates import STATUS_COLOURS, StatusChipDelegate
from smartdesk.gui.widgets.fields import days_box, document_language_box
from smartdesk.gui.widgets.page import heading, problem_label
from smartdesk.gui.widgets.screen import Screen
from smartdesk.gui.widgets.tables import read_only_table
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _, ntr, tr
from smartdesk.services import Workspace


class ClientsPage(Screen):
    """The address book: search, edit a client with offline checks, see its documents and open amount."""

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, parent)
        events().documents_changed.connect(self._documents_changed)
        self.client: Client | None = None
        self.deleted: list[Client] = []
        self.model = ClientTableModel(ws)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Clients")))
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search a client by name, VAT number or email (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda t: self.model.reload(t))
        self.new_button = QPushButton(_("New client"))
        self.new_button.clicked.connect(self.new_client)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = read_only_table(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClientTableModel.Columns.NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (ClientTableModel.Columns.COUNTRY, 60),
            (ClientTableModel.Columns.VAT_NUMBER, 130),
            (ClientTableModel.Columns.EMAIL, 170),
            (ClientTableModel.Columns.DOCUMENTS, 90),
            (ClientTableModel.Columns.OPEN_AMOUNT, 120),
        ):
            header.resizeSection(col, max(width, header.sectionSizeHint(col)))
        self.table.hideColumn(ClientTableModel.Columns.EMAIL)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        right = QWidget()
        form_box = QVBoxLayout(right)
        flag_row = QHBoxLayout()
        self.flag_caption = QLabel(_("How this client pays (from the cooperative):"))
        self.flag_caption.setToolTip(_(PAYMENT_FLAG_TIP))
        self.flag_caption.setWordWrap(True)  # two lines rather than a form wider than the client list
        self.flag_chip = FlagChip()
        flag_row.addWidget(self.flag_caption)
        flag_row.addWidget(self.flag_chip)
        flag_row.addStretch(1)
        self.flag_box = QWidget()
        self.flag_box.setLayout(flag_row)
        flag_row.setContentsMargins(0, 0, 0, 4)
        self.flag_box.hide()
        form_box.addWidget(self.flag_box)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long labels: field below
        self.name = QLineEdit()
        self.street = QLineEdit()
        self.postcode = QLineEdit()
        self.city = QLineEdit()
        self.country = QComboBox()
        self.country.setEditable(True)
        self.country.addItems(COUNTRIES)
        self.business = QCheckBox(_("This client is a business or an organisation"))
        self.vat = QLineEdit()
        self.vat.setToolTip(_("Checked on this computer as you type, without internet"))
        self.enterprise = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.language = document_language_box()
        self.terms = days_box(0, 120)
        for label, w in (
            (_("Name"), self.name),
            (_("Street and number"), self.street),
            (_("Postcode"), self.postcode),
            (_("City"), self.city),
            (_("Country"), self.country),
            ("", self.business),
            (_("VAT number"), self.vat),
            (_("Enterprise number"), self.enterprise),
            (_("Email"), self.email),
            (_("Phone"), self.phone),
            (_("Language of the documents"), self.language),
            (_("Payment terms"), self.terms),
        ):
            self.form.addRow(label, w)
        self.problems = problem_label()
        self.open_label = QLabel()
        self.docs_model = DocumentTableModel(ws, None, page_size=100)
        self.docs = read_only_table(self.docs_model)
        self.docs.setWordWrap(False)
        self.docs.setItemDelegateForColumn(DocumentColumns.STATUS, StatusChipDelegate(self.docs))
        docs_header = self.docs.horizontalHeader()
        docs_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        docs_header.setSectionResizeMode(DocumentColumns.TITLE, QHeaderView.ResizeMode.Stretch)
        self.docs.hideColumn(DocumentColumns.ISSUE_DATE)
        # the status column as wide as the widest status chip of the language ("Renvoyé avec remarques",
        # "Teruggestuurd met opmerkingen" were cut): the chip keeps 4 px each side, 15 px for its dot
        chips = max(self.docs.fontMetrics().horizontalAdvance(ui.status_text(s)) for s in STATUS_COLOURS) + 31
        for doc_col, width in (
            (DocumentColumns.STATUS, chips),
            (DocumentColumns.NUMBER, 125),
            (DocumentColumns.TOTAL, 105),
        ):
            docs_header.resizeSection(doc_col, max(width, docs_header.sectionSizeHint(doc_col)))
        # the payment columns of invoices too: the line above the table says what is still to be paid, and
        # with them the table scrolled sideways (issue 16); the invoice list shows them
        for c in (
            DocumentColumns.CLIENT,
            DocumentColumns.ACTIVITY,
            DocumentColumns.DUE_DATE,
            *PAYMENT_COLUMNS,
        ):
            self.docs.hideColumn(c)
        self.docs.setToolTip(_("Double-click or Enter opens the document"))
        self.docs.activated.connect(lambda i: self.open_document.emit(i.data(ID_ROLE)))
        buttons = QHBoxLayout()
        self.delete_button = QPushButton(_("Delete this client"))
        self.delete_button.clicked.connect(self.delete_client)
        self.undo_delete = QPushButton(_("Undo delete"))
        self.undo_delete.clicked.connect(self.restore_client)
        self.undo_delete.hide()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_delete)
        buttons.addWidget(self.delete_button)
        form_box.addLayout(self.form)
        form_box.addWidget(self.problems)
        form_box.addLayout(buttons)
        form_box.addStretch(1)
        # the client's documents under the list of clients, as wide as it (issue 16: beside the form their
        # status chips were cut and the table scrolled sideways)
        documents = QWidget()
        docs_box = QVBoxLayout(documents)
        docs_box.setContentsMargins(0, 0, 0, 0)
        docs_box.addWidget(self.open_label)
        docs_box.addWidget(self.docs, 1)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(self.table)
        left.addWidget(documents)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)
        split.insertWidget(0, left)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(right)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 500])
        layout.addWidget(split, 1)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_client)
        self._loading = False
        router = UndoRouter(self)
        for w in (
            self.name,
            self.street,
            self.postcode,
            self.city,
            self.vat,
            self.enterprise,
            self.email,
            self.phone,
        ):
            w.textEdited.connect(self._changed)
            w.installEventFilter(router)
        self.country.currentTextChanged.connect(self._changed)
        self.business.toggled.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)
        self.terms.valueChanged.connect(self._changed)
        self._enable_form(False)

    def _documents_changed(self, _ids: object) -> None:
        """Documents were written or pulled: their totals on this page change."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        current = self.client.id if self.client else ""
        self.model.reload()
        row = self.model.row_of(current) if current else (0 if self.model.rowCount() else -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._enable_form(False)
            self.flag_box.hide()

    def _enable_form(self, on: bool) -> None:
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item else None
            if field:
                field.setEnabled(on)
        self.delete_button.setEnabled(on)

    def flush_pending(self) -> None:
        """Save at once what is still waiting for the pause after typing (the window is closing)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save_client()

    def _current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self.flush_pending()
        if not current.isValid():
            return
        self.show_client(self.ws.clients.get(current.data(ID_ROLE)))

    def show_client(self, c: Client) -> None:
        self.client = c
        self._loading = True
        self.name.setText(c.name)
        self.street.setText(c.address.street)
        self.postcode.setText(c.address.postcode)
        self.city.setText(c.address.city)
        self.country.setCurrentText(c.address.country)
        self.business.setChecked(c.is_business)
        self.vat.setText(c.vat_number)
        self.enterprise.setText(c.enterprise_number)
        self.email.setText(c.email)
        self.phone.setText(c.phone)
        self.language.setCurrentIndex(max(0, self.language.findData(c.language)))
        self.terms.setValue(c.payment_terms_days)
        self.flag_chip.set_flag(c.payment_flag)
        self.flag_box.show()
        self._loading = False
        self._enable_form(True)
        self._check()
        self.docs_model.set_filters(client_id=c.id)
        row = self.model.row_of(c.id)
        if row >= 0:
            amount = self.model.row_at(row).open_amount
            self.open_label.setText(
                ntr(
                    "{n} document · still to be paid: {amount}",
                    "{n} documents · still to be paid: {amount}",
                    self.docs_model.total,
                    n=self.docs_model.total,
                    amount=fmt.money(amount),
                )
            )

    def _from_form(self) -> Client:
        assert self.client is not None
        c = self.client
        c.name = self.name.text().strip()
        c.address = Address(
            self.street.text().strip(),
            self.postcode.text().strip(),
            self.city.text().strip(),
            self.country.currentText().strip().upper()[:2],
        )
        c.is_business = self.business.isChecked()
        c.vat_number = self.vat.text().strip()
        c.enterprise_number = self.enterprise.text().strip()
        c.email = self.email.text().strip()
        c.phone = self.phone.text().strip()
        c.language = self.language.currentData() or "fr"
        c.payment_terms_days = self.terms.value()
        return c

    def _check(self) -> None:
        if self.client is None:
            return
        problems = self.ws.clients.problems(self._from_form())
        self.problems.setText(
            "\n".join(ui.problem_text(p) for p in problems) if problems else _("✓ Everything looks right.")
        )
        self.problems.setStyleSheet("color: #c0392b;" if problems else "color: #1e9e57;")

    def _changed(self, *_a: object) -> None:
        if self._loading or self.client is None:
            return
        self._check()
        self._save_timer.start()

    def save_client(self) -> None:
        if self.client is None or not self.name.text().strip():
            return
        client = self._from_form()
        self.tasks.write(
            lambda: self.ws.clients.save(client),
            lambda _c: self.model.reload(),
            lambda exc: self.problems.setText(error_text(exc)),
        )

    def new_client(self) -> None:
        client = Client(
            name=_("New client"),
            language=self.ws.settings.default_document_language,
            address=Address(country=self.ws.settings.entity),
        )

        def done(saved: Client) -> None:
            self.model.reload()
            row = self.model.row_of(saved.id)
            self.table.selectRow(row)
            self.name.setFocus()
            self.name.selectAll()

        self.tasks.write(lambda: self.ws.clients.save(client), done)

    def delete_client(self) -> None:
        if self.client is None:
            return
        client_id = self.client.id

        def done(deleted: Client) -> None:
            self.deleted.append(deleted)
            self.client = None
            self.undo_delete.show()
            self.message.emit(
                tr("Client “{name}” deleted. Click “Undo delete” to bring it back.", name=deleted.name)
            )
            self.refresh()

        self.tasks.write(
            lambda: self.ws.clients.delete(client_id), done, lambda exc: self.message.emit(error_text(exc))
        )

    def restore_client(self) -> None:
        if not self.deleted:
            return
        client = self.deleted.pop()
        self.undo_delete.setVisible(bool(self.deleted))

        def done(saved: Client) -> None:
            self.client = saved
            self.refresh()

        self.tasks.write(lambda: self.ws.clients.restore(client), done)
