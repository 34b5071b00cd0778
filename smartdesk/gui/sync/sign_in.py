"""The sign-in dialog: server address, e-mail, password (never stored; tokens go to the keyring)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.sync.cards import wrapped_label
from smartdesk.gui.sync.controller import SyncController
from smartdesk.gui.sync.texts import ERRORS
from smartdesk.gui.widgets.page import paragraph
from smartdesk.i18n.ui import _


def keyring_warning() -> QLabel:
    """What it means that this computer has no keyring (the sign-in dialog and the Sync page say it)."""
    label = wrapped_label(
        _(
            "This computer has no password store (keyring) that SmartDesk can use: you "
            "stay signed in only until SmartDesk closes, and sign in again next time."
        ),
        "keyringWarning",
    )
    label.setStyleSheet("color: #8a5a00;")
    return label


class SignInDialog(QDialog):
    """Server address, e-mail, password. The password is never stored; tokens go to the keyring."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(_("Sign in to the cooperative"))
        self.setObjectName("signInDialog")
        view = controller.view
        intro = paragraph(
            _(
                "Sign in with the e-mail address and password the cooperative gave you. Your work "
                "stays on this computer; SmartDesk sends it and brings back the cooperative's answers."
            )
        )
        self.server_edit = QLineEdit(view.server)
        self.server_edit.setPlaceholderText("https://sync.smart.coop")
        self.server_edit.setAccessibleName(_("Server address"))
        self.email_edit = QLineEdit(view.email)
        self.email_edit.setPlaceholderText(_("you@example.org"))
        self.email_edit.setAccessibleName(_("E-mail address"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(_("Password"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(_("Server address"), self.server_edit)
        form.addRow(_("E-mail address"), self.email_edit)
        form.addRow(_("Password"), self.password_edit)
        self.keyring_label = keyring_warning()
        self.keyring_label.setVisible(view.keyring_warning)
        self.error_label = QLabel()
        self.error_label.setObjectName("signInError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(_("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        controller.signed_in.connect(self._signed_in)
        controller.sign_in_failed.connect(self._failed)
        for edit in (self.server_edit, self.email_edit, self.password_edit):
            edit.textChanged.connect(self._check)
            edit.textEdited.connect(lambda _t: self.error_label.hide())
        self._check()
        self._fit()
        QWidget.setTabOrder(self.server_edit, self.email_edit)
        QWidget.setTabOrder(self.email_edit, self.password_edit)
        QWidget.setTabOrder(self.password_edit, self.sign_in_button)
        (
            self.password_edit
            if view.server and view.email
            else self.email_edit
            if view.server
            else self.server_edit
        ).setFocus()

    def _fit(self) -> None:
        """Tall enough for the wrapped texts at this width (they wrap more in French, Dutch)."""
        layout = self._layout
        layout.activate()
        width = max(520, min(layout.sizeHint().width(), 640))
        height = (
            layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        )
        self.setMinimumSize(520, height)
        self.resize(width, height)

    def _check(self) -> None:
        ok = all(e.text().strip() for e in (self.server_edit, self.email_edit)) and bool(
            self.password_edit.text()
        )
        self.sign_in_button.setEnabled(ok)

    def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        self.error_label.hide()
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setText(_("Signing in…"))
        self.controller.sign_in(self.server_edit.text(), self.email_edit.text(), self.password_edit.text())

    def _signed_in(self, _email: str) -> None:
        self.password_edit.clear()
        if self.controller.view.keyring_warning:
            self.keyring_label.show()
        self.accept()

    def _failed(self, kind: str, detail: str) -> None:
        self.sign_in_button.setText(_("Sign in"))
        self._check()
        if kind == "auth":
            text = _("The e-mail address or password is not right. Check them and try again.")
        elif kind == "network":
            text = _("SmartDesk cannot reach this server. Check the address and your internet connection.")
        elif kind == "version":
            text = _(ERRORS["version"][1])
        else:
            text = _("The server could not sign you in right now. Try again in a moment.")
        self.error_label.setText(text)
        self.error_label.setToolTip(detail)
        self.error_label.show()
        self._fit()
        self.password_edit.setFocus()
        self.password_edit.selectAll()
