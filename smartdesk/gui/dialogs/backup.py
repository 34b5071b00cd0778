"""Asking before a backup replaces the member's data: what the backup holds, then Restore / Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from smartdesk.gui.fmt import day
from smartdesk.i18n.ui import _, tr
from smartdesk.services.backup import BackupContents


def describe(contents: BackupContents) -> str:
    """What a backup holds, in the interface language (date, counts, old-format warning)."""
    when = (
        f"{day(contents.created_at.astimezone().date())} {contents.created_at.astimezone():%H:%M}"
        if contents.created_at
        else _("unknown date")
    )
    text = tr(
        "Backup of {when}: {documents} documents, {clients} clients, {activities} activities, "
        "{files} files (receipts, logo).",
        when=when,
        documents=contents.documents,
        clients=contents.clients,
        activities=contents.activities,
        files=contents.attachments,
    )
    if contents.old_format:
        text += "\n\n" + _(
            "This is an old backup (only the database): it holds no receipts and no logo. "
            "The receipt files still in your data folder are kept."
        )
    return text


def ask_restore(parent: QWidget, contents: BackupContents, on_yes: Callable[[], None]) -> QMessageBox:
    """Open (not block on) the question; ``on_yes`` runs only if the member chooses Restore."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Restore a backup"))
    box.setText(_("Replace all your current data with this backup?"))
    box.setInformativeText(
        describe(contents)
        + "\n\n"
        + _("Your current data is saved as a backup first, in the backups folder of your data folder.")
    )
    restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def finished(_result: int) -> None:
        if box.clickedButton() is restore:
            on_yes()

    box.finished.connect(finished)
    box.setObjectName("restore-question")
    box.open()
    return box
