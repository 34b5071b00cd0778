"""The document editor's inline "New client" form: name, the address a Belgian or French invoice must
carry, business or not, VAT number, e-mail and the language of the documents, checked as the member
types. ``NewClientForm`` saves the client through the task manager and emits ``added`` with it; the
editor then picks it for the document."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from smartdesk.domain.documents import LANGUAGES, Address, Client
from smartdesk.domain.ids import uuid7
from smartdesk.gui.errors import error_text
from smartdesk.gui.labels import COUNTRIES, LANGUAGE_NAMES
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.docs_labels import problem_label
from smartdesk.gui.widgets.fields import side_by_side
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _, tr
from smartdesk.services import Workspace


class NewClientForm(QFrame):
    """A framed form (object name ``newclient``), hidden until ``offer`` is called."""

    added = Signal(object)  # the saved Client

    def __init__(self, ws: Workspace, tasks: TaskManager) -> None:
        super().__init__()
        self.ws = ws
        self.tasks = tasks
        self.setObjectName("newclient")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        nc = QFormLayout(self)
        self.name = QLineEdit()
        # the address a Belgian or French invoice must carry
        self.street = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(110)
        self.city = QLineEdit()
        self.country = QComboBox()
        self.country.setEditable(True)
        self.country.addItems(COUNTRIES)
        self.business = QCheckBox(_("This client is a business or an organisation"))
        self.business.setChecked(True)
        self.vat = QLineEdit()
        self.vat.setPlaceholderText("BE0123456749")
        self.email = QLineEdit()
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(_(LANGUAGE_NAMES[code]), code)
        self.problem = problem_label()
        self.add_button = QPushButton(_("Add this client"))
        self.add_button.setDefault(True)
        self.cancel_button = QPushButton(_("Cancel"))
        self.title = QLabel("<b>" + _("New client") + "</b>")
        self.title.setWordWrap(True)
        nc.addRow(self.title)
        nc.addRow(_("Name"), self.name)
        nc.addRow(_("Street and number"), self.street)
        nc.addRow(_("Postcode and city"), side_by_side(self.postcode, self.city))
        nc.addRow(_("Country"), self.country)
        nc.addRow("", self.business)
        nc.addRow(_("VAT number"), self.vat)
        nc.addRow(_("Email"), self.email)
        nc.addRow(_("Language of the documents"), self.language)
        nc.addRow("", self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.add_button)
        nc.addRow(buttons)
        for line_edit in (self.name, self.street, self.postcode, self.city, self.vat, self.email):
            line_edit.textChanged.connect(self._check)
            line_edit.returnPressed.connect(self.add)
        self.country.currentTextChanged.connect(self._check)
        self.add_button.clicked.connect(self.add)
        self.cancel_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, name: str, country: str, language: str) -> None:
        """Show the form, empty but for ``name``, the issuer's ``country`` and the document's language."""
        self.title.setText("<b>" + _("New client") + "</b>")
        self.name.setText(name.strip())
        for edit in (self.vat, self.email, self.street, self.postcode, self.city):
            edit.clear()
        self.country.setCurrentText(country)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.show()
        self.name.setFocus()
        self._check()

    def say_unknown(self, name: str) -> None:
        """The title when the member typed a name that is not one of their clients."""
        self.title.setText(
            "<b>" + tr("“{name}” is not one of your clients yet: create “{name}”?", name=name) + "</b>"
        )

    def client(self) -> Client:
        """The client the form describes (a new id each time)."""
        return Client(
            id=uuid7(),
            name=self.name.text().strip(),
            address=Address(
                street=self.street.text().strip(),
                postcode=self.postcode.text().strip(),
                city=self.city.text().strip(),
                country=self.country.currentText().strip().upper()[:2],
            ),
            vat_number=self.vat.text().strip(),
            email=self.email.text().strip(),
            language=self.language.currentData() or "fr",
            is_business=self.business.isChecked(),
            payment_terms_days=int(self.ws.settings.default_payment_terms_days),
        )

    def _check(self) -> None:
        problems = list(self.ws.clients.problems(self.client()))
        self.problem.setText("\n".join(ui.problem_text(p) for p in problems))
        self.problem.setVisible(bool(problems))
        self.add_button.setEnabled(bool(self.name.text().strip()))

    def add(self) -> None:
        """Save the client (off the GUI thread); ``added`` follows, or the reason it failed is shown."""
        client = self.client()
        if not client.name:
            self.name.setFocus()
            return

        def done(saved: Client) -> None:
            self.hide()
            self.added.emit(saved)

        def failed(exc: BaseException) -> None:
            self.problem.setText(error_text(exc))
            self.problem.show()

        self.tasks.write(lambda: self.ws.clients.save(client), done, failed)
