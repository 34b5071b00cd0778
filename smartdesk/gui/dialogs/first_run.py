"""The first-run dialog: language and cooperative."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from smartdesk import APP_NAME
from smartdesk.i18n import ui
from smartdesk.i18n.ui import _


class FirstRunDialog(QDialog):
    """First start: interface language and cooperative entity, then work offline at once."""

    def __init__(
        self, apply_language: Callable[[str], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
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
        self.welcome.setText(
            "<h2>"
            + _("Welcome to SmartDesk")
            + "</h2><p>"
            + _(
                "Write your quotes, invoices and expense notes, even without internet. Everything is kept on this "
                "computer and sent to the cooperative when you connect."
            )
            + "</p>"
        )
        self.lang_label.setText(_("Interface language"))
        self.entity_label.setText(_("Your cooperative"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start working"))

    def choice(self) -> tuple[str, str]:
        return self.language.currentData(), self.entity.currentData()
