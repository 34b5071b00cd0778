"""The cards of the Sync page: one conflict (both versions, three choices) or one refused change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.sync.texts import differences, document_label, refusal_texts
from smartdesk.gui.widgets.page import paragraph
from smartdesk.i18n.ui import _, tr

if TYPE_CHECKING:
    from smartdesk.services import Workspace


def title_label(text: str) -> QLabel:
    label = QLabel(f"<h2>{text}</h2>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def wrapped_label(text: str = "", name: str = "") -> QLabel:
    """A ``paragraph`` the member can select with the mouse (to copy a server address or a reason)."""
    label = paragraph(text, name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConflictCard(QGroupBox):
    """Both versions side by side, and the three choices."""

    chosen = Signal(int, str)  # conflict id, mine | theirs | copy

    def __init__(self, ws: Workspace, conflict: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setObjectName(f"conflict_{conflict.id}")
        value = conflict.server_value or conflict.local_value or {}  # the version the lists show now
        if conflict.entity == "document":
            title = document_label(
                str(value.get("kind", "")),
                str(value.get("title", "")),
                str((conflict.server_value or {}).get("number", "")),
            )
        elif conflict.entity == "client":
            title = tr("Client “{name}”", name=str(value.get("name", "")))
        else:
            title = str(value.get("name") or conflict.entity)
        self.setTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                _(
                    "This was changed on this computer and, in the meantime, at the cooperative or "
                    "on another device. Choose which version to keep."
                )
            )
        )
        self.rows = differences(ws, conflict.local_value, conflict.server_value)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for c, text in enumerate((_("What"), _("On this computer"), _("At the cooperative"))):
            head = QLabel(f"<b>{text}</b>")
            grid.addWidget(head, 0, c)
        self.cells: list[tuple[QLabel, QLabel, QLabel]] = []
        for r, (label, mine, theirs) in enumerate(self.rows, start=1):
            what = QLabel(label)
            cells = [what]
            for c, text in enumerate((mine, theirs), start=1):
                cell = wrapped_label(text)
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setFrameShape(QFrame.Shape.StyledPanel)
                cell.setStyleSheet("QLabel { background: palette(base); padding: 4px; }")
                side = _("On this computer") if c == 1 else _("At the cooperative")  # outside the f-string
                cell.setAccessibleName(f"{label}: {side}")
                grid.addWidget(cell, r, c)
                cells.append(cell)
            grid.addWidget(what, r, 0, Qt.AlignmentFlag.AlignTop)
            self.cells.append((cells[0], cells[1], cells[2]))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        self.keep_mine = QPushButton(_("Keep mine"))
        self.keep_mine.setToolTip(_("Your version is sent again and replaces the cooperative's."))
        self.keep_theirs = QPushButton(_("Keep theirs"))
        self.keep_theirs.setToolTip(
            _("The cooperative's version stays; your changes to this record are dropped.")
        )
        self.copy_mine = QPushButton(_("Copy mine to a new draft"))
        self.copy_mine.setToolTip(
            _(
                "The cooperative's version stays, and your version becomes a new draft "
                "you can change and send."
            )
        )
        self.copy_mine.setVisible(conflict.entity == "document" and conflict.local_value is not None)
        if conflict.local_value is None:
            self.keep_mine.setEnabled(False)
        for button, keep in (
            (self.keep_mine, "mine"),
            (self.keep_theirs, "theirs"),
            (self.copy_mine, "copy"),
        ):
            button.clicked.connect(lambda _c=False, k=keep: self.chosen.emit(self.conflict.id, k))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)


class RejectionCard(QFrame):
    """A change the server refused, with its reason; it stays until the member dismisses it."""

    dismissed = Signal(int)
    open_requested = Signal(str)

    def __init__(self, ws: Workspace, rejection: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rejection = rejection
        self.setObjectName(f"rejection_{rejection.mutation_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        entity = rejection.name.split(".")[0]
        what = rejection.entity_id
        self._doc_id = ""
        if entity == "document":
            doc = (rejection.args or {}).get("document") or {}
            kind, title = str(doc.get("kind", "")), str(doc.get("title", ""))
            try:
                local_doc = ws.documents.get(rejection.entity_id)
                kind, title = local_doc.kind.value, local_doc.title
                self._doc_id = local_doc.id
                what = document_label(kind, title, local_doc.number)
            except Exception:  # noqa: BLE001 - the document is not (or no longer) on this computer
                what = document_label(kind, title, "")
        elif entity == "client":
            client = (rejection.args or {}).get("client") or {}
            what = tr("Client “{name}”", name=str(client.get("name", rejection.entity_id)))
        elif entity == "followup":
            from smartdesk.gui.pages.followup_invoice import step_words

            what = tr("Follow-up: {step}", step=step_words(str((rejection.args or {}).get("step", ""))))
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(f"<b>{what}</b>"))
        sentence, detail = refusal_texts(str(getattr(rejection, "code", "") or ""), rejection.reason)
        text = tr("The cooperative refused this change: {reason}", reason=sentence)
        if detail and detail != sentence:
            text += "\n" + tr("The server's words: {words}", words=detail)
        reason_label = wrapped_label(text, "rejectionReason")
        reason_label.setTextFormat(Qt.TextFormat.PlainText)
        reason_label.setToolTip(detail)
        layout.addWidget(reason_label)
        row = QHBoxLayout()
        self.dismiss_button = QPushButton(_("I have read this"))
        self.dismiss_button.setToolTip(_("Remove this message. The refused change is not sent again."))
        self.dismiss_button.clicked.connect(lambda: self.dismissed.emit(self.rejection.mutation_id))
        row.addWidget(self.dismiss_button)
        if self._doc_id:
            self.open_button = QPushButton(_("Open the document"))
            self.open_button.clicked.connect(lambda: self.open_requested.emit(self._doc_id))
            row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
