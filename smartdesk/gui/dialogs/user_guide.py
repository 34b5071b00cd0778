"""The user guide (``docs/user-guide.md``, shipped in the bundle as ``resources/docs/``) in a window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from smartdesk.i18n.ui import _
from smartdesk.resources import resource_path


def user_guide_path() -> Path | None:
    """The guide in the bundle (build.spec copies it), else in the source checkout."""
    for path in (
        resource_path("docs", "user-guide.md"),
        Path(__file__).resolve().parents[3] / "docs" / "user-guide.md",
    ):
        if path.is_file():
            return path
    return None


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("User guide"))
        self.resize(820, 640)
        col = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        path = user_guide_path()
        if path is None:
            self.browser.setPlainText(
                _("The user guide is missing from this installation; reinstall SmartDesk.")
            )
        else:
            self.browser.setMarkdown(path.read_text("utf-8"))
        col.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
