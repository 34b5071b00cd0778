"""Clients (address book), activities, settings, glossary and the first-start dialog."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartdesk.domain.documents import LANGUAGES, Activity, Address, Client, MonthFigures
from smartdesk.gui import fmt
from smartdesk.gui.delegates import StatusChipDelegate
from smartdesk.gui.editor import COUNTRIES, LANGUAGE_NAMES
from smartdesk.gui.errors import error_text
from smartdesk.gui.models import (
    ID_ROLE,
    ActivityTableModel,
    ClientTableModel,
    DocumentColumns,
    DocumentTableModel,
)
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.undo_router import UndoRouter
from smartdesk.gui.widgets import heading
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr
from smartdesk.services import Workspace


def _table(model: object) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


# --- what the cooperative tells about a client's payments and an activity's months ---------------------

# payment flag -> (words, colour): the chip always says it in words, the colour only repeats it
PAYMENT_FLAGS: dict[str, tuple[str, str]] = {
    "": (N_("No payment problem known"), "#1e9e57"),
    "late": (N_("Often pays late"), "#c98a00"),
    "bad": (N_("Serious payment problems"), "#c0392b"),
}
PAYMENT_FLAG_TIP = N_("This comes from the cooperative, which follows how your clients pay their invoices. "
                      "It changes with the next sync; you cannot change it here.")
FIGURE_HEADERS = (N_("Month"), N_("Invoiced"), N_("Paid"), N_("Expenses"), N_("Wages"), N_("Hours"))
FIGURE_MONTHS = 12


def payment_flag_words(flag: str) -> tuple[str, str]:
    """The payment flag in plain words (interface language) and its chip colour."""
    if flag in PAYMENT_FLAGS:
        words, colour = PAYMENT_FLAGS[flag]
        return _(words), colour
    return tr("Payment note from the cooperative: {flag}", flag=flag), "#8a8f98"


class FlagChip(QLabel):
    """A rounded, coloured chip with a dot and the words: never colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.flag = ""
        self.words = ""
        self.set_flag("")

    def set_flag(self, flag: str) -> None:
        words, colour = payment_flag_words(flag)
        tint = QColor(colour)
        tint.setAlpha(40)
        self.setText(f'<span style="color:{colour}">\u25cf</span>&nbsp;{words}')
        self.setStyleSheet(f"QLabel {{ border: 1px solid {colour}; border-radius: 11px; padding: 2px 10px; "
                           f"background: rgba({tint.red()},{tint.green()},{tint.blue()},{tint.alpha()}); }}")
        self.setToolTip(_(PAYMENT_FLAG_TIP))
        self.setAccessibleName(tr("How this client pays, according to the cooperative: {words}", words=words))
        self.flag = flag
        self.words = words


def last_months(monthly: list[MonthFigures], count: int = FIGURE_MONTHS) -> list[MonthFigures]:
    """The latest ``count`` months, oldest first."""
    return sorted(monthly, key=lambda m: m.month)[-count:]


def month_label(month: str) -> str:
    """ "2026-03" as "03/2026": month then year, the order of the interface's dates."""
    year, _dash, mm = month.partition("-")
    return f"{mm}/{year}" if mm else month


class ClientsPage(QWidget):
    """The address book: search, edit a client with offline checks, see its documents and open amount."""

    open_document = Signal(str)
    message = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
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
        self.table = _table(self.model)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ClientTableModel.Columns.NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((ClientTableModel.Columns.COUNTRY, 60), (ClientTableModel.Columns.VAT_NUMBER, 130),
                           (ClientTableModel.Columns.EMAIL, 170), (ClientTableModel.Columns.DOCUMENTS, 90),
                           (ClientTableModel.Columns.OPEN_AMOUNT, 120)):
            header.resizeSection(col, max(width, header.sectionSizeHint(col)))
        self.table.hideColumn(ClientTableModel.Columns.EMAIL)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        split.addWidget(self.table)

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
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(_(LANGUAGE_NAMES[code]), code)
        self.terms = QSpinBox()
        self.terms.setRange(0, 120)
        self.terms.setSuffix(" " + _("days"))
        for label, w in ((_("Name"), self.name), (_("Street and number"), self.street),
                         (_("Postcode"), self.postcode), (_("City"), self.city), (_("Country"), self.country),
                         ("", self.business), (_("VAT number"), self.vat),
                         (_("Enterprise number"), self.enterprise), (_("Email"), self.email),
                         (_("Phone"), self.phone), (_("Language of the documents"), self.language),
                         (_("Payment terms"), self.terms)):
            self.form.addRow(label, w)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c0392b;")
        self.open_label = QLabel()
        self.docs_model = DocumentTableModel(ws, None, page_size=100)
        self.docs = _table(self.docs_model)
        self.docs.setWordWrap(False)
        self.docs.setItemDelegateForColumn(DocumentColumns.STATUS, StatusChipDelegate(self.docs))
        docs_header = self.docs.horizontalHeader()
        docs_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        docs_header.setSectionResizeMode(DocumentColumns.TITLE, QHeaderView.ResizeMode.Stretch)
        self.docs.hideColumn(DocumentColumns.ISSUE_DATE)
        for col, width in ((DocumentColumns.STATUS, 130), (DocumentColumns.NUMBER, 125),
                           (DocumentColumns.TOTAL, 105)):
            docs_header.resizeSection(col, max(width, docs_header.sectionSizeHint(col)))
        for c in (DocumentColumns.CLIENT, DocumentColumns.ACTIVITY, DocumentColumns.DUE_DATE):
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
        form_box.addWidget(self.open_label)
        form_box.addWidget(self.docs, 1)
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
        for w in (self.name, self.street, self.postcode, self.city, self.vat, self.enterprise, self.email, self.phone):
            w.textEdited.connect(self._changed)
            w.installEventFilter(router)
        self.country.currentTextChanged.connect(self._changed)
        self.business.toggled.connect(self._changed)
        self.language.currentIndexChanged.connect(self._changed)
        self.terms.valueChanged.connect(self._changed)
        self._enable_form(False)

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
            if item and item.widget():
                item.widget().setEnabled(on)
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
        self.show_client(self.ws.get_client(current.data(ID_ROLE)))

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
            self.open_label.setText(ntr("{n} document · still to be paid: {amount}",
                                        "{n} documents · still to be paid: {amount}", self.docs_model.total,
                                        n=self.docs_model.total, amount=fmt.money(amount)))

    def _from_form(self) -> Client:
        assert self.client is not None
        c = self.client
        c.name = self.name.text().strip()
        c.address = Address(self.street.text().strip(), self.postcode.text().strip(), self.city.text().strip(),
                            self.country.currentText().strip().upper()[:2])
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
        problems = self.ws.client_problems(self._from_form())
        self.problems.setText("\n".join(ui.problem_text(p) for p in problems) if problems else
                              _("✓ Everything looks right."))
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
        self.tasks.write(lambda: self.ws.save_client(client), lambda _c: self.model.reload(),
                         lambda exc: self.problems.setText(error_text(exc)))

    def new_client(self) -> None:
        client = Client(name=_("New client"), language=self.ws.settings.get("default_document_language"),
                        address=Address(country=self.ws.settings.get("entity")))

        def done(saved: Client) -> None:
            self.model.reload()
            row = self.model.row_of(saved.id)
            self.table.selectRow(row)
            self.name.setFocus()
            self.name.selectAll()

        self.tasks.write(lambda: self.ws.save_client(client), done)

    def delete_client(self) -> None:
        if self.client is None:
            return
        client_id = self.client.id

        def done(deleted: Client) -> None:
            self.deleted.append(deleted)
            self.client = None
            self.undo_delete.show()
            self.message.emit(tr("Client “{name}” deleted. Click “Undo delete” to bring it back.",
                                 name=deleted.name))
            self.refresh()

        self.tasks.write(lambda: self.ws.delete_client(client_id), done, lambda exc: self.message.emit(error_text(exc)))

    def restore_client(self) -> None:
        if not self.deleted:
            return
        client = self.deleted.pop()
        self.undo_delete.setVisible(bool(self.deleted))

        def done(saved: Client) -> None:
            self.client = saved
            self.refresh()

        self.tasks.write(lambda: self.ws.restore_client(client), done)


class ActivitiesPage(QWidget):
    message = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.model = ActivityTableModel(ws)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Activities")))
        top.addStretch(1)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Name of a new activity"))
        self.name.setMinimumWidth(260)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("Code (optional)"))
        self.add_button = QPushButton(_("Add the activity"))
        self.add_button.clicked.connect(self.add_activity)
        self.name.returnPressed.connect(self.add_activity)
        top.addWidget(self.name)
        top.addWidget(self.code)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        explain = QLabel(_("An activity is your budget line inside the cooperative: it collects what you invoice "
                           "and pays your expenses and wages. Totals below include VAT."))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.table = _table(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self._figures_box())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        self.empty = QLabel(_("No activity yet. Your advisor opens activities for you; you can also add the ones "
                              "you already have, to sort your documents."))
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.activity_id = ""

    def _figures_box(self) -> QGroupBox:
        self.figures_box = QGroupBox(_("Figures from the cooperative"))
        box = QVBoxLayout(self.figures_box)
        self.figures_title = QLabel()
        self.figures_title.setWordWrap(True)
        self.figures_title.setToolTip(_("These figures come from the cooperative's accounts. They change with "
                                        "each sync; you cannot change them here."))
        self.figures = QTableWidget(0, len(FIGURE_HEADERS))
        self.figures.setHorizontalHeaderLabels([_(h) for h in FIGURE_HEADERS])
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures.setAlternatingRowColors(True)
        self.figures.verticalHeader().hide()
        self.figures.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.figures.setWordWrap(False)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figures.horizontalHeader().setMinimumSectionSize(self.fontMetrics().horizontalAdvance("€ 000,000.00"))
        self.figures_empty = QLabel(_("The cooperative has not sent figures for this activity yet; they arrive "
                                      "with the next sync."))
        self.figures_empty.setWordWrap(True)
        box.addWidget(self.figures_title)
        box.addWidget(self.figures, 1)
        box.addWidget(self.figures_empty)
        box.addStretch(0)
        self.figures_box.hide()
        return self.figures_box

    def refresh(self) -> None:
        current = self.activity_id
        self.model.reload()
        self.empty.setVisible(self.model.rowCount() == 0)
        row = self.model.row_of(current) if current else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.activity_id = ""
            self.figures_box.hide()

    def _current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        if not current.isValid():
            return
        activity_id = current.data(ID_ROLE)
        self.activity_id = activity_id

        def done(activity: Activity) -> None:
            if activity.id == self.activity_id:  # still the selected one
                self.show_figures(activity)

        self.tasks.run(lambda: self.ws.get_activity(activity_id), done, lambda exc: self.message.emit(error_text(exc)))

    def show_figures(self, activity: Activity) -> None:
        """The cooperative's figures of ``activity``: its latest 12 months and their total."""
        if self.figures_box.isHidden():
            self.figures_box.show()
            total = sum(self.split.sizes())
            if total > 0:  # a quarter for the list of activities, the rest for the figures
                self.split.setSizes([max(150, total // 4), total - max(150, total // 4)])
        months = last_months(activity.monthly)
        self.figures_title.setText(tr("“{name}”: what the cooperative's accounts show, month by month.",
                                      name=activity.name))
        self.figures.setVisible(bool(months))
        self.figures_empty.setVisible(not months)
        self.figures.setRowCount(len(months) + 1 if months else 0)
        if not months:
            return
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        totals = [sum((getattr(m, k) for m in months), Decimal(0))
                  for k in ("revenue_invoiced", "revenue_paid", "expenses", "wages", "hours")]
        rows = [(month_label(m.month), [m.revenue_invoiced, m.revenue_paid, m.expenses, m.wages, m.hours])
                for m in months]
        label = ntr("Total, last {n} month", "Total, last {n} months", len(months), n=len(months)) if len(months) > 1 else _("Total")
        rows.append((label, totals))
        bold = self.figures.font()
        bold.setBold(True)
        for r, (month, values) in enumerate(rows):
            cells = [month, *(fmt.money(v) for v in values[:4]), fmt.number(values[4])]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(right)
                if r == len(rows) - 1:
                    item.setFont(bold)
                self.figures.setItem(r, c, item)

    def add_activity(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.name.setFocus()
            return
        activity = Activity(name=name, code=self.code.text().strip(), entity=self.ws.settings.get("entity"))

        def done(_a: Activity) -> None:
            self.name.clear()
            self.code.clear()
            self.refresh()

        self.tasks.write(lambda: self.ws.save_activity(activity), done, lambda exc: self.message.emit(error_text(exc)))


class SettingsPage(QWidget):
    """Interface language, brand, defaults, data folder and backups. Every change is saved at once."""

    message = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self._loading = False
        outer = QVBoxLayout(self)
        outer.addWidget(heading(_("Settings")))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        body.setMaximumWidth(880)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        col = QVBoxLayout(body)

        general = QGroupBox(_("Language and cooperative"))
        g = QFormLayout(general)
        self.ui_language = QComboBox()
        for code, name in (("fr", "Français"), ("nl", "Nederlands"), ("en", "English")):
            self.ui_language.addItem(name, code)
        self.restart_note = QLabel(_("The new language is used the next time you start SmartDesk."))
        self.restart_note.setWordWrap(True)
        self.restart_note.hide()
        self.entity = QComboBox()
        self.entity.addItem(_("SMart Belgium"), "BE")
        self.entity.addItem(_("SMart France"), "FR")
        g.addRow(_("Interface language"), self.ui_language)
        g.addRow("", self.restart_note)
        g.addRow(_("Cooperative"), self.entity)
        col.addWidget(general)

        defaults = QGroupBox(_("Defaults for new documents"))
        d = QFormLayout(defaults)
        self.doc_language = QComboBox()
        for code in LANGUAGES:
            self.doc_language.addItem(_(LANGUAGE_NAMES[code]), code)
        self.terms = QSpinBox()
        self.terms.setRange(0, 120)
        self.terms.setSuffix(" " + _("days"))
        self.validity = QSpinBox()
        self.validity.setRange(1, 365)
        self.validity.setSuffix(" " + _("days"))
        d.addRow(_("Document language"), self.doc_language)
        d.addRow(_("Payment terms"), self.terms)
        d.addRow(_("Quotes are valid for"), self.validity)
        col.addWidget(defaults)

        brand = QGroupBox(_("Your brand on documents"))
        b = QFormLayout(brand)
        self.display_name = QLineEdit()
        self.tagline = QLineEdit()
        self.brand_email = QLineEdit()
        self.brand_phone = QLineEdit()
        self.website = QLineEdit()
        self.colour_button = QPushButton()
        self.colour_button.setMinimumWidth(140)
        self.colour_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.colour_button.clicked.connect(self.choose_colour)
        self.logo_button = QPushButton(_("Choose a logo…"))
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_label = QLabel()
        b.addRow(_("Name shown"), self.display_name)
        b.addRow(_("Tagline"), self.tagline)
        b.addRow(_("Email"), self.brand_email)
        b.addRow(_("Phone"), self.brand_phone)
        b.addRow(_("Website"), self.website)
        b.addRow(_("Accent colour"), self.colour_button)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_label, 1)
        b.addRow(_("Logo"), logo_row)
        note = QLabel(_("The cooperative's name and legal details are always printed too: it is the legal issuer."))
        note.setWordWrap(True)
        b.addRow(note)
        col.addWidget(brand)

        data = QGroupBox(_("Your data"))
        dl = QFormLayout(data)
        self.folder = QLabel(str(ws.folder))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        open_folder = QPushButton(_("Open the folder"))
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(ws.folder))))
        backup = QPushButton(_("Make a backup…"))
        backup.clicked.connect(self.make_backup)
        restore = QPushButton(_("Restore a backup…"))
        restore.clicked.connect(self.restore_backup)
        dl.addRow(_("Data folder"), self.folder)
        row = QHBoxLayout()
        for w in (open_folder, backup, restore):
            row.addWidget(w)
        row.addStretch(1)
        dl.addRow(row)
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        dl.addRow(self.data_note)
        col.addWidget(data)
        col.addStretch(1)

        self.ui_language.currentIndexChanged.connect(self._language_changed)
        self.entity.currentIndexChanged.connect(lambda _i: self._set("entity", self.entity.currentData()))
        self.doc_language.currentIndexChanged.connect(
            lambda _i: self._set("default_document_language", self.doc_language.currentData()))
        self.terms.valueChanged.connect(lambda v: self._set("default_payment_terms_days", v))
        self.validity.valueChanged.connect(lambda v: self._set("default_quote_validity_days", v))
        self._brand_timer = QTimer(self)
        self._brand_timer.setSingleShot(True)
        self._brand_timer.setInterval(400)
        self._brand_timer.timeout.connect(self.save_brand)
        for w in (self.display_name, self.tagline, self.brand_email, self.brand_phone, self.website):
            w.textEdited.connect(lambda _t: self._brand_timer.start())
        self._accent = "#1F6FEB"
        self._logo = ""

    def flush_pending(self) -> None:
        """Save at once what is still waiting for the pause after typing (the window is closing)."""
        if self._brand_timer.isActive():
            self._brand_timer.stop()
            self.save_brand()

    def refresh(self) -> None:
        self._loading = True
        s = self.ws.settings
        self.ui_language.setCurrentIndex(max(0, self.ui_language.findData(s.get("ui_language"))))
        self.entity.setCurrentIndex(max(0, self.entity.findData(s.get("entity"))))
        self.doc_language.setCurrentIndex(max(0, self.doc_language.findData(s.get("default_document_language"))))
        self.terms.setValue(int(s.get("default_payment_terms_days")))
        self.validity.setValue(int(s.get("default_quote_validity_days")))
        brand = self.ws.get_profile().brand
        self.display_name.setText(brand.display_name)
        self.tagline.setText(brand.tagline)
        self.brand_email.setText(brand.email)
        self.brand_phone.setText(brand.phone)
        self.website.setText(brand.website)
        self._accent = brand.accent_color
        self._logo = brand.logo_sha256
        self._show_colour()
        self.logo_label.setText(_("Logo chosen") if self._logo else _("No logo"))
        self._loading = False

    def _show_colour(self) -> None:
        self.colour_button.setText(self._accent)
        self.colour_button.setStyleSheet(f"QPushButton {{ border-left: 18px solid {self._accent}; padding: 4px; }}")

    def _set(self, key: str, value: object) -> None:
        if self._loading:
            return
        self.tasks.write(lambda: self.ws.settings.set(key, value), None, lambda exc: self.message.emit(str(exc)))

    def _language_changed(self) -> None:
        if self._loading:
            return
        self._set("ui_language", self.ui_language.currentData())
        self.restart_note.show()

    def choose_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self._accent), self, _("Accent colour"))
        if colour.isValid():
            self._accent = colour.name()
            self._show_colour()
            self.save_brand()

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a logo"), "", "Images (*.png *.jpg *.jpeg *.svg)")
        if not path:
            return

        def store() -> str:
            data = Path(path).read_bytes()
            media = "image/svg+xml" if path.lower().endswith(".svg") else \
                "image/png" if path.lower().endswith(".png") else "image/jpeg"
            return self.ws.attachments.put_bytes(data, media).sha256

        def done(sha: str) -> None:
            self._logo = sha
            self.logo_label.setText(Path(path).name)
            self.save_brand()

        self.tasks.run(store, done, lambda exc: self.message.emit(
            _("This logo could not be used. Choose a PNG or JPEG image.") + f" ({exc})"))

    def save_brand(self) -> None:
        profile = self.ws.get_profile()
        b = profile.brand
        b.display_name, b.tagline = self.display_name.text().strip(), self.tagline.text().strip()
        b.email, b.phone, b.website = (self.brand_email.text().strip(), self.brand_phone.text().strip(),
                                       self.website.text().strip())
        b.accent_color, b.logo_sha256 = self._accent, self._logo
        self.tasks.write(lambda: self.ws.save_profile(profile), None, lambda exc: self.message.emit(error_text(exc)))

    def make_backup(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Make a backup"), str(Path.home() / "smartdesk-backup.sqlite"))
        if path:
            self.tasks.write(lambda: self.ws.backup(Path(path)),
                             lambda p: self.data_note.setText(tr("Backup saved in {path}.", path=p)),
                             lambda exc: self.data_note.setText(error_text(exc)))

    def restore_backup(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Restore a backup"), str(Path.home()))
        if path:
            self.tasks.write(lambda: self.ws.restore_backup(Path(path)),
                             lambda _r: self.data_note.setText(
                                 _("Backup restored. Restart SmartDesk to see the restored data everywhere.")),
                             lambda exc: self.data_note.setText(error_text(exc)))


GLOSSARY: list[tuple[str, str, str, str]] = [
    # English, French, Dutch, explanation (English key, translated)
    ("quote", "devis", "offerte", N_("What you propose to a client and at what price, before the work.")),
    ("invoice", "facture", "factuur", N_("Asks the client to pay. The cooperative issues it and gives it a number.")),
    ("credit note", "note de crédit", "creditnota", N_("Cancels or corrects all or part of an invoice.")),
    ("expense note", "note de frais", "onkostennota",
     N_("Asks the cooperative to pay back what you spent for your activity, with the receipts.")),
    ("receipt", "justificatif / ticket", "bewijsstuk / kasticket", N_("The proof of an expense: a photo or a PDF.")),
    ("activity", "activité", "activiteit",
     N_("Your budget line inside the cooperative: it collects revenue and pays expenses and wages.")),
    ("member", "sociétaire / membre", "vennoot / lid", N_("You: a worker who shares the cooperative enterprise.")),
    ("advisor", "conseiller·ère", "adviseur", N_("Your contact at the cooperative, who checks and validates documents.")),
    ("client", "client·e / donneur d'ordre", "klant / opdrachtgever", N_("Who you work for and who pays the invoice.")),
    ("reminder", "relance / rappel", "herinnering", N_("A message to a client who has not paid on time.")),
    ("formal notice", "mise en demeure", "ingebrekestelling",
     N_("The last official request to pay before going to court.")),
    ("litigation", "contentieux", "geschil / gerechtelijke invordering",
     N_("Recovering an unpaid invoice through legal means.")),
    ("draft", "brouillon", "concept", N_("A document you are still writing: only you see it.")),
    ("structured communication", "communication structurée", "gestructureerde mededeling",
     N_("The +++123/4567/89012+++ reference the client copies when paying, so the payment is matched.")),
]


class GlossaryPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Glossary")))
        intro = QLabel(_("The words SmartDesk uses, in the three languages, with what they mean."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(GLOSSARY), 4)
        self.table.setHorizontalHeaderLabels([_("English"), _("French"), _("Dutch"), _("What it means")])
        for r, (en, fr, nl, meaning) in enumerate(GLOSSARY):
            for c, text in enumerate((en, fr, nl, _(meaning))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()


class FirstRunDialog(QDialog):
    """First start: interface language and cooperative entity, then work offline at once."""

    def __init__(self, apply_language: Callable[[str], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SmartDesk")
        layout = QVBoxLayout(self)
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        layout.addWidget(self.welcome)
        form = QFormLayout()
        self.language = QComboBox()
        for code, name in (("fr", "Français"), ("nl", "Nederlands"), ("en", "English")):
            self.language.addItem(name, code)
        self.entity = QComboBox()
        self.entity.addItem("SMart Belgium / Belgique / België", "BE")
        self.entity.addItem("SMart France", "FR")
        self.lang_label = QLabel()
        self.entity_label = QLabel()
        form.addRow(self.lang_label, self.language)
        form.addRow(self.entity_label, self.entity)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        self._apply_language = apply_language
        self.language.currentIndexChanged.connect(self._retranslate)
        self._retranslate()
        self.setMinimumWidth(480)

    def _retranslate(self) -> None:
        ui.set_language(self.language.currentData())
        self.welcome.setText("<h2>" + _("Welcome to SmartDesk") + "</h2><p>" + _(
            "Write your quotes, invoices and expense notes, even without internet. Everything is kept on this "
            "computer and sent to the cooperative when you connect.") + "</p>")
        self.lang_label.setText(_("Interface language"))
        self.entity_label.setText(_("Your cooperative"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start working"))

    def choice(self) -> tuple[str, str]:
        return self.language.currentData(), self.entity.currentData()


def report_error(parent: QWidget, exc: BaseException) -> str:
    """An error in plain words (see smartdesk.gui.errors)."""
    return error_text(exc)
