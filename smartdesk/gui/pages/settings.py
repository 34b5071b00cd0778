"""The settings page: language, brand, defaults, backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.language import KEEP_TEXT
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.fields import days_box, document_language_box, side_by_side
from smartdesk.gui.widgets.page import heading
from smartdesk.gui.widgets.screen import Screen
from smartdesk.i18n.ui import _, tr
from smartdesk.services import Workspace


def _form_box(column: QVBoxLayout, title: str) -> QFormLayout:
    """A box titled ``title`` at the end of ``column``, with a form inside: the rows go to the form."""
    box = QGroupBox(title)
    column.addWidget(box)
    return QFormLayout(box)


class SettingsPage(Screen):
    """Interface language, brand, defaults, data folder and backups. Every change is saved at once."""

    restored = Signal()  # a backup replaced the data: the screens reload

    def __init__(self, ws: Workspace, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, parent)
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

        g = _form_box(col, _("Language and cooperative"))
        self.ui_language = QComboBox()
        for code, name in (("fr", "Français"), ("nl", "Nederlands"), ("en", "English")):
            self.ui_language.addItem(name, code)
        self.ui_language.setProperty(KEEP_TEXT, True)  # each language in its own words, whatever is chosen
        self.entity = QComboBox()
        self.entity.addItem(_("SMart Belgium"), "BE")
        self.entity.addItem(_("SMart France"), "FR")
        g.addRow(_("Interface language"), self.ui_language)
        g.addRow(_("Cooperative"), self.entity)

        d = _form_box(col, _("Defaults for new documents"))
        self.doc_language = document_language_box()
        self.terms = days_box(0, 120)
        self.validity = days_box(1, 365)
        d.addRow(_("Document language"), self.doc_language)
        d.addRow(_("Payment terms"), self.terms)
        d.addRow(_("Quotes are valid for"), self.validity)

        b = _form_box(col, _("Your brand on documents"))
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
        b.addRow(_("Logo"), side_by_side(self.logo_button, self.logo_label))
        note = QLabel(
            _("The cooperative's name and legal details are always printed too: it is the legal issuer.")
        )
        note.setWordWrap(True)
        b.addRow(note)

        dl = _form_box(col, _("Your data"))
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
        self.restore_box: QWidget | None = None  # the open "replace your data?" question
        self.data_note.setWordWrap(True)
        dl.addRow(self.data_note)
        col.addStretch(1)

        self.ui_language.currentIndexChanged.connect(self._language_changed)
        self.entity.currentIndexChanged.connect(lambda _i: self._set("entity", self.entity.currentData()))
        self.doc_language.currentIndexChanged.connect(
            lambda _i: self._set("default_document_language", self.doc_language.currentData())
        )
        self.terms.valueChanged.connect(lambda v: self._set("default_payment_terms_days", v))
        self.validity.valueChanged.connect(lambda v: self._set("default_quote_validity_days", v))
        self._brand_timer = QTimer(self)
        self._brand_timer.setSingleShot(True)
        self._brand_timer.setInterval(400)
        self._brand_timer.timeout.connect(self.save_brand)
        for edit in (self.display_name, self.tagline, self.brand_email, self.brand_phone, self.website):
            edit.textEdited.connect(lambda _t: self._brand_timer.start())
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
        self.doc_language.setCurrentIndex(
            max(0, self.doc_language.findData(s.get("default_document_language")))
        )
        self.terms.setValue(int(s.get("default_payment_terms_days")))
        self.validity.setValue(int(s.get("default_quote_validity_days")))
        brand = self.ws.profile.get().brand
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
        self.colour_button.setStyleSheet(
            f"QPushButton {{ border-left: 18px solid {self._accent}; padding: 4px; }}"
        )

    def _set(self, key: str, value: object) -> None:
        if self._loading:
            return
        self.tasks.write(
            lambda: self.ws.settings.set(key, value), None, lambda exc: self.message.emit(str(exc))
        )

    def _language_changed(self) -> None:
        if self._loading:
            return
        self._set("ui_language", self.ui_language.currentData())
        events().language_chosen.emit(self.ui_language.currentData())  # the window changes language at once

    def choose_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self._accent), self, _("Accent colour"))
        if colour.isValid():
            self._accent = colour.name()
            self._show_colour()
            self.save_brand()

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a logo"), "", "Images (*.png *.jpg *.jpeg *.svg)"
        )
        if not path:
            return

        def store() -> str:
            data = Path(path).read_bytes()
            media = (
                "image/svg+xml"
                if path.lower().endswith(".svg")
                else "image/png"
                if path.lower().endswith(".png")
                else "image/jpeg"
            )
            return self.ws.attachments.put_bytes(data, media).sha256

        def done(sha: str) -> None:
            self._logo = sha
            self.logo_label.setText(Path(path).name)
            self.save_brand()

        self.tasks.run(
            store,
            done,
            lambda exc: self.message.emit(
                _("This logo could not be used. Choose a PNG or JPEG image.") + f" ({exc})"
            ),
        )

    def save_brand(self) -> None:
        profile = self.ws.profile.get()
        b = profile.brand
        b.display_name, b.tagline = self.display_name.text().strip(), self.tagline.text().strip()
        b.email, b.phone, b.website = (
            self.brand_email.text().strip(),
            self.brand_phone.text().strip(),
            self.website.text().strip(),
        )
        b.accent_color, b.logo_sha256 = self._accent, self._logo
        self.tasks.write(
            lambda: self.ws.profile.save(profile), None, lambda exc: self.message.emit(error_text(exc))
        )

    def make_backup(self) -> None:
        from datetime import date

        from smartdesk.services.backup import SUFFIX

        name = f"smartdesk-{date.today().isoformat()}{SUFFIX}"
        path, _f = QFileDialog.getSaveFileName(
            self, _("Make a backup"), str(Path.home() / name), _("SmartDesk backups") + f" (*{SUFFIX})"
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        """Write a complete backup (database, receipts, logo, settings), checked after writing."""
        self.data_note.setText(_("Making the backup…"))
        self.tasks.write(
            lambda: self.ws.backup.make(path),
            lambda c: self.data_note.setText(
                tr(
                    "Backup saved in {path} and checked: {documents} documents, {files} files.",
                    path=str(c.path),
                    documents=c.documents,
                    files=c.attachments,
                )
            ),
            lambda exc: self.data_note.setText(error_text(exc)),
        )

    def restore_backup(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self,
            _("Restore a backup"),
            str(Path.home()),
            _("SmartDesk backups") + " (*.smartdesk-backup *.sqlite *.sqlite3);;*",
        )
        if path:
            self.restore_from(Path(path))

    def restore_from(self, path: Path) -> None:
        """Check the backup, show what it holds and ask; only then replace the data."""
        from smartdesk.gui.dialogs.backup import ask_restore

        self.data_note.setText(_("Checking the backup…"))

        def checked(contents: object) -> None:
            self.data_note.setText("")
            self.restore_box = ask_restore(self, contents, lambda: self._restore(path))  # type: ignore[arg-type]

        self.tasks.write(
            lambda: self.ws.backup.inspect(path), checked, lambda exc: self.data_note.setText(error_text(exc))
        )

    def _restore(self, path: Path) -> None:
        self.data_note.setText(_("Restoring…"))

        def done(_r: object) -> None:
            self.data_note.setText(
                tr(
                    "Backup restored. The data it replaced was saved as {path}.",
                    path=str(self.ws.backup.replaced),
                )
            )
            self.restored.emit()

        self.tasks.write(
            lambda: self.ws.backup.restore(path), done, lambda exc: self.data_note.setText(error_text(exc))
        )
