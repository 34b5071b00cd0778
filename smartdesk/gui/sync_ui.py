"""What the member sees of sync: the status bar button, the sign-in dialog, the Sync page, the notices.

``install_sync(window)`` wires a :class:`SyncController` into the main window: a clickable status bar
entry, a "Sync" menu (F5 syncs now), the documents and the open editor refreshed after a pull, and a
non-blocking notice (plus the system tray when there is one) for what the cooperative did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.errors import error_text
from smartdesk.gui.sync_controller import News, SyncController, SyncView, resolve
from smartdesk.gui.widgets import scroll_page
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr

if TYPE_CHECKING:
    from smartdesk.gui.main_window import MainWindow
    from smartdesk.gui.tasks import TaskManager
    from smartdesk.services import Workspace

KIND_NAMES = {"quote": N_("Quote"), "invoice": N_("Invoice"), "credit-note": N_("Credit note"),
              "expense-note": N_("Expense note")}

# The problem in plain words, then what to do. Keyed by the kind of SyncError.
ERRORS: dict[str, tuple[str, str]] = {
    "network": (N_("Cannot reach the cooperative"),
                N_("The cooperative's server cannot be reached. Check your internet connection. Your changes "
                   "are kept on this computer and will be sent by themselves.")),
    "auth": (N_("Sign in again"),
             N_("Your sign-in has expired or was withdrawn. Sign in again on the Sync page; your changes are "
                "kept on this computer.")),
    "version": (N_("Update SmartDesk"),
                N_("This version of SmartDesk does not work with the cooperative's server any more. Install "
                   "the latest SmartDesk; your changes are kept and will be sent after the update.")),
    "server": (N_("Server problem, trying again"),
               N_("The cooperative's server has a problem right now. SmartDesk tries again by itself; your "
                  "changes are kept.")),
    "conflict": (N_("Sync again"),
                 N_("The server asks SmartDesk to fetch the latest version first. Press F5 to sync again.")),
    "unknown": (N_("Last sync did not finish"),
                N_("The last sync did not finish. Press F5 to try again; your changes are kept.")),
}

# What a refusal code of the server means, in plain words (codes: smartdesk.sync.protocol.RESULT_CODES).
# The server's own English text stays as a detail; a code not listed here shows the server's text alone.
REFUSALS: dict[str, str] = {
    "conflict": N_("It was changed elsewhere since your last sync. Choose which version to keep."),
    "document_locked": N_("The document is no longer a draft, so its content cannot change any more. Make a "
                          "copy or a credit note instead."),
    "not_deletable": N_("Only drafts can be deleted, and this document went through the cooperative. Cancel it "
                        "with a credit note instead."),
    "invalid": N_("Some of the information was not accepted. Check it, correct it and save again."),
    "invalid_transition": N_("This change of status is not possible for this document any more. Sync to see "
                             "where it stands."),
    "not_found": N_("The cooperative no longer has this, or it belongs to another account."),
    "unknown_mutation": N_("The cooperative's server does not know this kind of change. Install the latest "
                           "SmartDesk."),
    "receipt_missing": N_("A receipt of this document never reached the cooperative. Add the receipt again, "
                          "then sync."),
    "on_hold": N_("You put this step on hold, so the cooperative did not do it."),
}


def refusal_texts(code: str, reason: str) -> tuple[str, str]:
    """(the sentence to show, the server's own words as a detail) for a refused change."""
    sentence = REFUSALS.get(code)
    if sentence is None:
        return reason or _("The server refused this change."), ""
    return _(sentence), reason


FIELD_LABELS = {
    "title": N_("Title"), "reference": N_("Reference"), "client_id": N_("Client"), "activity_id": N_("Activity"),
    "issue_date": N_("Date"), "due_date": N_("Due date"), "lines": N_("Lines"), "expense_lines": N_("Expenses"),
    "intro_text": N_("Introduction"), "closing_text": N_("Closing text"), "currency": N_("Currency"),
    "language": N_("Document language"), "status": N_("Status"), "number": N_("Number"), "name": N_("Name"),
    "email": N_("E-mail"), "vat_number": N_("VAT number"), "address": N_("Address"), "phone": N_("Phone"),
    "payment_terms_days": N_("Payment terms"), "kind": N_("Kind of document"), "remarks": N_("Remarks"),
}
START_DELAY_MS = 300
IGNORED_FIELDS = {"id", "version", "updated_at", "created_at", "timeline", "server_version", "search_text"}


# --- words ---------------------------------------------------------------------------------------------
def since_text(iso: str | None, now: datetime | None = None) -> str:
    """“Synced 2 min ago” from an ISO timestamp (UTC)."""
    if not iso:
        return _("Never synced")
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return _("Never synced")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0.0, ((now or datetime.now(UTC)) - when).total_seconds())
    if seconds < 60:
        return _("Synced just now")
    if seconds < 3600:
        return tr("Synced {n} min ago", n=int(seconds // 60))
    if seconds < 86400:
        return tr("Synced {n} h ago", n=int(seconds // 3600))
    return tr("Synced on {date}", date=when.astimezone().strftime("%d/%m/%Y"))


def error_texts(view: SyncView) -> tuple[str, str]:
    """(short words for the status bar, full sentence with what to do) of the last error; ("", "") if none."""
    if not view.error_kind:
        return "", ""
    short, full = ERRORS.get(view.error_kind, ERRORS["unknown"])
    return _(short), _(full)


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else _("Document")


def document_label(kind: str, title: str, number: str) -> str:
    name = kind_name(kind)
    if number:
        return f"{name} {number}"
    return f"{name} “{title}”" if title else name


def news_text(news: News) -> str:
    """One notice in plain words."""
    label = document_label(news.document_kind or "invoice" if news.kind == "notice" else news.document_kind,
                           news.title, news.number)
    if news.kind == "notice":
        step = ui.status_text(news.step) if news.step in ui.STATUS_EN else news.step
        return tr("“{step}” for {document} goes out on {date}.", step=step, document=label, date=_day(news.on))
    status = news.status
    if status == "validated":
        return tr("{document} was validated by the cooperative.", document=label) if not news.number else \
            tr("{document} was validated by the cooperative: it now has its number.", document=label)
    if status == "returned":
        return tr("{document} came back with remarks: {remarks}", document=label, remarks=news.remarks or "—")
    if status == "rejected":
        return tr("{document} was refused: {remarks}", document=label, remarks=news.remarks or "—")
    if status == "paid":
        return tr("{document} is paid.", document=label)
    if status == "partially_paid":
        return tr("{document} is partly paid.", document=label)
    if status == "reimbursed":
        return tr("{document} was paid back to you.", document=label)
    return tr("{document}: “{step}” went out.", document=label, step=ui.status_text(status))


def _day(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _value_text(ws: Workspace, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "client_id":
        try:
            return ws.get_client(str(value)).name
        except Exception:  # noqa: BLE001 - a client this computer does not have
            return str(value)
    if key == "activity_id":
        try:
            return ws.get_activity(str(value)).name
        except Exception:  # noqa: BLE001
            return str(value)
    if key == "status":
        return ui.status_text(str(value)) if str(value) in ui.STATUS_EN else str(value)
    if key in ("lines", "expense_lines") and isinstance(value, list):
        parts = []
        for line in value[:6]:
            if isinstance(line, dict):
                desc = line.get("description") or line.get("supplier") or ""
                qty = line.get("quantity")
                price = line.get("unit_price") or line.get("amount_incl") or ""
                parts.append(f"{desc} ({qty} × {price})" if qty is not None else f"{desc} {price}".strip())
        more = len(value) - 6
        return "\n".join(parts) + (f"\n+{more}" if more > 0 else "")
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def differences(ws: Workspace, mine: dict[str, Any] | None, theirs: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(field, my value, their value) for the fields that differ, in plain words."""
    if theirs is None:
        return [(_("Whole record"), _("Still here, with your changes"), _("Deleted at the cooperative"))]
    if mine is None:
        return [(_("Whole record"), _("Deleted on this computer"), _("Still at the cooperative"))]
    rows = []
    for key in dict.fromkeys([*mine, *theirs]):
        if key in IGNORED_FIELDS:
            continue
        a, b = mine.get(key), theirs.get(key)
        if json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str):
            continue
        label = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key.replace("_", " ")
        rows.append((label, _value_text(ws, key, a), _value_text(ws, key, b)))
    return rows


def write_version(ws: Workspace, entity: str, value: dict[str, Any] | None) -> None:
    """Write one side of a conflict back as a member edit (undo / redo of a choice). Runs on the writer."""
    if value is None:
        return
    from smartdesk.domain.serialize import activity_from_dict, client_from_dict, document_from_dict

    if entity == "document":
        ws.save_document(document_from_dict(value))
    elif entity == "client":
        ws.save_client(client_from_dict(value))
    elif entity == "activity":
        ws.save_activity(activity_from_dict(value))


# --- status bar ------------------------------------------------------------------------------------------
class SyncStatusButton(QToolButton):
    """Online/offline, last successful sync, changes waiting, last error; a click opens the Sync page."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("syncStatus")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAccessibleName(_("Sync status"))
        controller.view_changed.connect(self.show_view)
        controller.engine_event.connect(self._event)
        self._tick = QTimer(self, interval=30_000)
        self._tick.timeout.connect(lambda: self.show_view(self.controller.view))
        self._tick.start()
        self.show_view(controller.view)

    def _event(self, event: str, data: object) -> None:
        if event == "progress" and isinstance(data, dict) and data.get("step") == "push":
            count = int(data.get("count", 0) or 0)
            self.setText("⟳ " + ntr("Sending {n} change…", "Sending {n} changes…", count, n=count))

    def show_view(self, view: SyncView) -> None:
        self.setVisible(self.controller.ready)  # nothing shown until the saved sign-in is known
        parts: list[str] = []
        if not view.signed_in:
            parts.append("○ " + _("Not connected to the cooperative"))
            if view.pending:
                parts.append(ntr("{n} change waiting", "{n} changes waiting", view.pending, n=view.pending))
            parts.append(_("Sign in…"))
            tip = _("Your work is saved on this computer. Sign in to send it to the cooperative.")
            color = ""
        else:
            parts.append(("● " + _("Online")) if view.online else ("○ " + _("Offline")))
            if view.running:
                parts.append("⟳ " + _("Syncing…"))
            else:
                parts.append(since_text(view.last_success_at))
            parts.append(ntr("{n} change waiting", "{n} changes waiting", view.pending, n=view.pending) if view.pending else _("Everything is sent"))
            if view.conflicts:
                parts.append(ntr("{n} choice to make", "{n} choices to make", view.conflicts, n=view.conflicts))
            if view.rejections:
                parts.append(ntr("{n} change refused", "{n} changes refused", view.rejections, n=view.rejections))
            short, full = error_texts(view)
            color = ""
            if short and not view.running:
                parts.append("⚠ " + short)
                color = "#b3261e"
            elif view.conflicts or view.rejections:
                color = "#8a5a00"
            tip = full or (_("Connected to the cooperative") if view.online else
                           _("Not connected: you can keep working, everything is saved on this computer and will "
                             "be sent later."))
            if view.error_detail and full:
                tip += "\n\n" + view.error_detail
        self.setText("  ·  ".join(parts))
        self.setToolTip(tip + "\n" + _("Click to open the Sync page (F5 syncs now)."))
        self.setStyleSheet(f"QToolButton#syncStatus {{ color: {color}; }}" if color else "")


# --- sign-in dialog -----------------------------------------------------------------------------------------
class SignInDialog(QDialog):
    """Server address, e-mail, password. The password is never stored; tokens go to the keyring."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(_("Sign in to the cooperative"))
        self.setObjectName("signInDialog")
        view = controller.view
        intro = QLabel(_("Sign in with the e-mail address and password the cooperative gave you. Your work "
                         "stays on this computer; SmartDesk sends it and brings back the cooperative's answers."))
        intro.setWordWrap(True)
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
        self.keyring_label = QLabel(_("This computer has no password store (keyring) that SmartDesk can use: you "
                                      "stay signed in only until SmartDesk closes, and sign in again next time."))
        self.keyring_label.setObjectName("keyringWarning")
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setStyleSheet("color: #8a5a00;")
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
        layout = QVBoxLayout(self)
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
        (self.password_edit if view.server and view.email else
         self.email_edit if view.server else self.server_edit).setFocus()

    def _fit(self) -> None:
        """Tall enough for the wrapped texts at this width (they wrap more in French, Dutch)."""
        layout = self.layout()
        layout.activate()
        width = max(520, min(layout.sizeHint().width(), 640))
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.setMinimumSize(520, height)
        self.resize(width, height)

    def _check(self) -> None:
        ok = all(e.text().strip() for e in (self.server_edit, self.email_edit)) and bool(self.password_edit.text())
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


# --- the Sync page -------------------------------------------------------------------------------------------
def _heading(text: str) -> QLabel:
    label = QLabel(f"<h2>{text}</h2>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _wrap(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
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
            title = document_label(str(value.get("kind", "")), str(value.get("title", "")),
                                   str((conflict.server_value or {}).get("number", "")))
        elif conflict.entity == "client":
            title = tr("Client “{name}”", name=str(value.get("name", "")))
        else:
            title = str(value.get("name") or conflict.entity)
        self.setTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrap(_("This was changed on this computer and, in the meantime, at the cooperative or "
                                 "on another device. Choose which version to keep.")))
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
                cell = _wrap(text)
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setFrameShape(QFrame.Shape.StyledPanel)
                cell.setStyleSheet("QLabel { background: palette(base); padding: 4px; }")
                side = _("On this computer") if c == 1 else _("At the cooperative")
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
        self.keep_theirs.setToolTip(_("The cooperative's version stays; your changes to this record are dropped."))
        self.copy_mine = QPushButton(_("Copy mine to a new draft"))
        self.copy_mine.setToolTip(_("The cooperative's version stays, and your version becomes a new draft "
                                    "you can change and send."))
        self.copy_mine.setVisible(conflict.entity == "document" and conflict.local_value is not None)
        if conflict.local_value is None:
            self.keep_mine.setEnabled(False)
        for button, keep in ((self.keep_mine, "mine"), (self.keep_theirs, "theirs"), (self.copy_mine, "copy")):
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
                local_doc = ws.get_document(rejection.entity_id)
                kind, title = local_doc.kind.value, local_doc.title
                self._doc_id = local_doc.id
                what = document_label(kind, title, local_doc.number)
            except Exception:  # noqa: BLE001 - the document is not (or no longer) on this computer
                what = document_label(kind, title, "")
        elif entity == "client":
            client = (rejection.args or {}).get("client") or {}
            what = tr("Client “{name}”", name=str(client.get("name", rejection.entity_id)))
        elif entity == "followup":
            from smartdesk.gui.followup_page import step_words

            what = tr("Follow-up: {step}", step=step_words(str((rejection.args or {}).get("step", ""))))
        layout = QVBoxLayout(self)
        layout.addWidget(_wrap(f"<b>{what}</b>"))
        sentence, detail = refusal_texts(str(getattr(rejection, "code", "") or ""), rejection.reason)
        text = tr("The cooperative refused this change: {reason}", reason=sentence)
        if detail and detail != sentence:
            text += "\n" + tr("The server's words: {words}", words=detail)
        reason_label = _wrap(text, "rejectionReason")
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


class SyncPage(QWidget):
    """Account, last sync, "Sync now", choices to make (conflicts), refused changes and recent news."""

    open_document = Signal(str)
    message = Signal(str)

    def __init__(self, ws: Workspace, tasks: TaskManager, controller: SyncController,
                 parent: QWidget | None = None, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.ws, self.tasks, self.controller = ws, tasks, controller
        self.undo_stack = undo_stack
        self.recent: list[str] = []
        layout = scroll_page(self)
        layout.setContentsMargins(18, 12, 18, 18)
        layout.setSpacing(12)
        layout.addWidget(_heading(_("Sync with the cooperative")))

        account = QGroupBox(_("Your account"))
        a = QVBoxLayout(account)
        self.account_label = _wrap(name="accountLabel")
        self.keyring_label = _wrap(_("This computer has no password store (keyring) that SmartDesk can use: you "
                                     "stay signed in only until SmartDesk closes, and sign in again next time."),
                                   "keyringWarning")
        self.keyring_label.setStyleSheet("color: #8a5a00;")
        row = QHBoxLayout()
        self.sign_in_button = QPushButton(_("Sign in…"))
        self.sign_in_button.clicked.connect(self.show_sign_in)
        self.sign_out_button = QPushButton(_("Sign out"))
        self.sign_out_button.setToolTip(_("SmartDesk forgets your sign-in on this computer. Changes not sent "
                                          "yet stay here and are sent after you sign in again."))
        self.sign_out_button.clicked.connect(controller.sign_out)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        a.addWidget(self.account_label)
        a.addWidget(self.keyring_label)
        a.addLayout(row)
        layout.addWidget(account)

        state = QGroupBox(_("Sync"))
        s = QVBoxLayout(state)
        form = QFormLayout()
        self.online_label = QLabel()
        self.online_label.setObjectName("onlineLabel")
        self.last_label = QLabel()
        self.last_label.setObjectName("lastSyncLabel")
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("waitingLabel")
        form.addRow(_("Connection"), self.online_label)
        form.addRow(_("Last sync"), self.last_label)
        form.addRow(_("Your changes"), self.waiting_label)
        self.error_label = _wrap(name="errorLabel")
        self.error_label.setStyleSheet("color: #b3261e;")
        row = QHBoxLayout()
        self.sync_button = QPushButton(_("Sync now") + "  (F5)")
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(controller.sync_now)
        row.addWidget(self.sync_button)
        row.addStretch(1)
        s.addLayout(form)
        s.addWidget(self.error_label)
        s.addLayout(row)
        layout.addWidget(state)

        self.conflicts_box = QGroupBox(_("Choices to make"))
        self.conflicts_layout = QVBoxLayout(self.conflicts_box)
        self.no_conflicts = _wrap(_("Nothing to choose: nothing was changed in two places."))
        self.conflicts_layout.addWidget(self.no_conflicts)
        layout.addWidget(self.conflicts_box)
        self.rejections_box = QGroupBox(_("Changes the cooperative refused"))
        self.rejections_layout = QVBoxLayout(self.rejections_box)
        self.no_rejections = _wrap(_("No refused change."))
        self.rejections_layout.addWidget(self.no_rejections)
        layout.addWidget(self.rejections_box)
        news_box = QGroupBox(_("Latest news from the cooperative"))
        n = QVBoxLayout(news_box)
        self.news_list = QListWidget()
        self.news_list.setObjectName("newsList")
        self.news_list.setAccessibleName(_("Latest news from the cooperative"))
        self.news_list.setWordWrap(True)
        self.news_list.setFixedHeight(110)
        self.news_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.news_list.itemActivated.connect(self._news_activated)
        self.news_empty: QListWidgetItem | None = QListWidgetItem(_("Nothing new since SmartDesk started."))
        self.news_empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self.news_list.addItem(self.news_empty)
        n.addWidget(self.news_list)
        layout.addWidget(news_box)
        layout.addStretch(1)
        self.cards: list[QWidget] = []
        self._shown: object = None
        controller.view_changed.connect(self.show_view)
        controller.finished.connect(lambda _r: self.refresh_lists())
        self.show_view(controller.view)
        self.refresh_lists()

    # --- state -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.show_view(self.controller.view)
        self.refresh_lists()

    def show_view(self, view: SyncView) -> None:
        if view.signed_in:
            self.account_label.setText(tr("Signed in as {email} on {server}.", email=view.email, server=view.server))
        elif view.server:
            self.account_label.setText(tr("Not signed in. The last server used was {server}.", server=view.server))
        else:
            self.account_label.setText(_("Not signed in. You can work without the cooperative; sign in to send "
                                         "your documents and get their validation, number and payments."))
        self.keyring_label.setVisible(view.signed_in and view.keyring_warning)
        self.sign_in_button.setText(_("Sign in again…") if view.server else _("Sign in…"))
        self.sign_in_button.setVisible(not view.signed_in or view.error_kind == "auth")
        self.sign_out_button.setVisible(view.signed_in)
        self.sync_button.setEnabled(view.signed_in and not view.running)
        if not view.signed_in:
            self.online_label.setText("○ " + _("Not connected to the cooperative"))
        else:
            self.online_label.setText(("● " + _("Online")) if view.online else ("○ " + _("Offline")))
        self.last_label.setText("⟳ " + _("Syncing…") if view.running else since_text(view.last_success_at))
        self.waiting_label.setText(ntr("{n} change waiting to be sent", "{n} changes waiting to be sent", view.pending,
                                       n=view.pending) if view.pending
                                   else _("Everything is sent") if view.last_success_at else _("Nothing waiting"))
        _short, full = error_texts(view)
        if full and not view.running:
            self.error_label.setText(full)
            self.error_label.setToolTip(view.error_detail)
            self.error_label.show()
        else:
            self.error_label.hide()
        if (view.conflicts, view.rejections) != (self._counts()):
            self.refresh_lists()

    def _counts(self) -> tuple[int, int]:
        return (sum(isinstance(c, ConflictCard) for c in self.cards),
                sum(isinstance(c, RejectionCard) for c in self.cards))

    def refresh_lists(self) -> None:
        """Rebuild the conflict and refusal cards when what they show has changed."""
        try:
            conflicts = self.controller.conflicts()
            rejections = self.controller.rejections()
        except Exception:  # noqa: BLE001 - the store is closing
            return
        key = ([(c.id, c.server_version, c.local_value == c.server_value) for c in conflicts],
               [r.mutation_id for r in rejections])
        if key == self._shown:
            return
        self._shown = key
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        self.no_conflicts.setVisible(not conflicts)
        self.no_rejections.setVisible(not rejections)
        for c in conflicts:
            card = ConflictCard(self.ws, c)
            card.chosen.connect(self.choose)
            self.conflicts_layout.addWidget(card)
            self.cards.append(card)
        for r in rejections:
            rcard = RejectionCard(self.ws, r)
            rcard.dismissed.connect(self.dismiss)
            rcard.open_requested.connect(self.open_document.emit)
            self.rejections_layout.addWidget(rcard)
            self.cards.append(rcard)

    # --- actions ---------------------------------------------------------------------------------------
    def choose(self, conflict_id: int, keep: str) -> None:
        """Resolve a conflict; with an undo step (Ctrl+Z) when the page has an undo stack."""
        conflict = next((c for c in self.controller.conflicts() if c.id == conflict_id), None)
        if conflict is None:
            return
        state: dict[str, Any] = {"first": True, "copy": None}

        def done(new_id: object) -> None:
            self.refresh_lists()
            self.controller.refresh_view()
            if keep == "copy":
                self.message.emit(_("Your version is now a new draft; the cooperative's version stays."))
            elif keep == "mine":
                self.message.emit(_("Your version is kept; it is sent at the next sync."))
            else:
                self.message.emit(_("The cooperative's version is kept."))
            self.controller.documents_changed.emit({conflict.entity_id} | ({str(new_id)} if new_id else set()))
            self.controller.schedule_soon()

        def failed(exc: BaseException) -> None:
            self.message.emit(error_text(exc))

        def apply() -> object:
            if state["first"]:  # the first time: the sync module records the choice
                state["first"] = False
                new_id = resolve(self.ws, conflict_id, keep)
                if new_id:
                    state["copy"] = self.ws.get_document(new_id)
                return new_id
            if keep == "copy":  # redo after an undo: the draft comes back
                if state["copy"] is not None:
                    self.ws.restore_document(state["copy"])
                return ""
            write_version(self.ws, conflict.entity, conflict.local_value if keep == "mine" else conflict.server_value)
            return ""

        def revert() -> object:
            if keep == "copy":
                if state["copy"] is not None:
                    self.ws.delete_document(state["copy"].id)
                return ""
            write_version(self.ws, conflict.entity, conflict.server_value if keep == "mine" else conflict.local_value)
            return ""

        if self.undo_stack is None:
            self.tasks.write(apply, done, failed)
            return
        names = {"mine": N_("Keep my version"), "theirs": N_("Keep the cooperative's version"),
                 "copy": N_("Copy my version to a new draft")}
        self.undo_stack.push(CallbackCommand(
            _(names[keep]), lambda: self.tasks.write(apply, done, failed),
            lambda: self.tasks.write(revert, lambda _r: (self.refresh_lists(), self.controller.refresh_view(),
                                                         self.controller.documents_changed.emit(set()),
                                                         self.controller.schedule_soon()), failed)))

    def dismiss(self, mutation_id: int) -> None:
        from smartdesk.sync import local

        self.tasks.write(lambda: local.dismiss_rejection(self.ws.store, mutation_id),
                         lambda _r: (self.refresh_lists(), self.controller.refresh_view()))

    def show_sign_in(self) -> SignInDialog:
        dialog = SignInDialog(self.controller, self)
        dialog.setModal(True)
        dialog.open()
        return dialog

    def add_news(self, texts: list[tuple[str, str]]) -> None:
        stamp = datetime.now().strftime("%H:%M")
        if self.news_empty is not None:
            self.news_list.takeItem(self.news_list.row(self.news_empty))
            self.news_empty = None
        for text, doc_id in texts:
            item = QListWidgetItem(f"{stamp}  {text}")
            item.setData(Qt.ItemDataRole.UserRole, doc_id)
            self.news_list.insertItem(0, item)
        while self.news_list.count() > 50:
            self.news_list.takeItem(self.news_list.count() - 1)


    def _news_activated(self, item: QListWidgetItem) -> None:
        doc_id = item.data(Qt.ItemDataRole.UserRole)
        if doc_id:
            self.open_document.emit(str(doc_id))


# --- in-window notice ----------------------------------------------------------------------------------------
class Notice(QFrame):
    """A non-blocking notice in the top-right corner of the window; it never takes the focus."""

    open_requested = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("syncNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("QFrame#syncNotice { border: 1px solid palette(mid); border-left: 4px solid #2e7d32; "
                           "border-radius: 4px; background: palette(base); }")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("noticeText")
        self.open_button = QPushButton(_("Open"))
        self.open_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.open_button.clicked.connect(self._open)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(_("Close this notice"))
        self.close_button.setAccessibleName(_("Close this notice"))
        self.close_button.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.label, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self._doc_id = ""
        self._timer = QTimer(self, singleShot=True, interval=20_000)
        self._timer.timeout.connect(self.hide)
        window.installEventFilter(self)
        self.hide()

    def show_news(self, texts: list[tuple[str, str]]) -> None:
        if len(texts) == 1:
            self.label.setText(texts[0][0])
        else:
            shown = "".join(f"<li>{t}</li>" for t, _d in texts[:4])
            more = tr("…and {n} more on the Sync page.", n=len(texts) - 4) if len(texts) > 4 else ""
            self.label.setText(f"<ul style='margin:0; -qt-list-indent:1'>{shown}</ul>{more}")
        self._doc_id = texts[0][1] if len(texts) == 1 else ""
        self.open_button.setText(_("Open") if self._doc_id else _("See the Sync page"))
        width = min(440, max(280, self.parentWidget().width() // 3))
        self.setFixedWidth(width)
        layout = self.layout()
        layout.activate()
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.setFixedHeight(max(height, layout.minimumSize().height()))
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    def _open(self) -> None:
        self.hide()
        self.open_requested.emit(self._doc_id)

    def _place(self) -> None:
        parent = self.parentWidget()
        bottom = parent.height() - 12
        status = getattr(parent, "statusBar", None)
        if callable(status):
            bottom -= status().height()
        self.move(parent.width() - self.width() - 16, bottom - self.height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


# --- wiring ------------------------------------------------------------------------------------------------
class SyncUi(QObject):
    """Everything sync adds to the main window."""

    def __init__(self, window: MainWindow, controller: SyncController | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller or SyncController(window.ws, self)
        c = self.controller
        self.status_button = SyncStatusButton(c)
        self.status_button.clicked.connect(lambda: window.show_page("sync"))
        window.statusBar().addPermanentWidget(self.status_button)
        self.notice = Notice(window)
        self.notice.open_requested.connect(self._open_from_notice)
        self.tray: QSystemTrayIcon | None = None
        menu = window.menuBar().addMenu(_("&Sync"))
        self.act_sync = QAction(_("Sync now"), window)
        self.act_sync.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.act_sync.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.act_sync.triggered.connect(c.sync_now)
        menu.addAction(self.act_sync)
        window.addAction(self.act_sync)
        self.act_sign_in = menu.addAction(_("Sign in…"), self.sign_in)
        self.act_sign_out = menu.addAction(_("Sign out"), c.sign_out)
        menu.addSeparator()
        menu.addAction(_("Open the Sync page"), lambda: window.show_page("sync"))
        c.view_changed.connect(self._view_changed)
        c.documents_changed.connect(self._documents_changed)
        c.news.connect(self._news)
        c.signed_in.connect(lambda email: window.show_message(tr("Signed in as {email}.", email=email)))
        c.signed_out.connect(lambda: window.show_message(_("Signed out. Your changes stay on this computer.")))
        window.tasks.busy_changed.connect(lambda busy: None if busy else c.check_outbox())
        self._view_changed(c.view)

    def start(self) -> None:
        self.controller.start()

    def close(self) -> None:
        self.controller.close()

    def page(self) -> SyncPage:
        page = SyncPage(self.window.ws, self.window.tasks, self.controller, undo_stack=self.window.list_stack)
        page.open_document.connect(self.window.open_document)
        page.message.connect(self.window.show_message)
        return page

    def sync_page(self) -> SyncPage | None:
        page = self.window.pages.get("sync")
        return page if isinstance(page, SyncPage) else None

    def sign_in(self) -> SignInDialog:
        self.window.show_page("sync")
        page = self.sync_page()
        assert page is not None
        return page.show_sign_in()

    def _view_changed(self, view: SyncView) -> None:
        if self.controller.ready:  # the status button shows it all from now on
            self.window.net_label.hide()
            self.window.pending_label.hide()
        self.act_sync.setEnabled(view.signed_in)
        self.act_sign_out.setEnabled(view.signed_in)
        if self.window.online != (view.online and view.signed_in):
            self.window.set_online(view.online and view.signed_in)
        elif view.pending != getattr(self, "_pending", -1):
            self.window.refresh_status()
        self._pending = view.pending

    def _documents_changed(self, ids: object) -> None:
        """A pull wrote documents: the lists refresh; the open document too, when it is one of them and
        no edit of it is still being saved."""
        w = self.window
        w._documents_changed()  # noqa: SLF001 - the window's own "documents changed" refresh
        for key in ("clients", "activities"):
            page = w.pages.get(key)
            refresh = getattr(page, "refresh", None)
            if page is not None and page.isVisible() and callable(refresh):
                refresh()
        from smartdesk.gui.main_window import EDITOR

        if w.current_key() == EDITOR and isinstance(ids, set | frozenset) and w.editor.doc.id in ids:
            if w.tasks.pending:
                QTimer.singleShot(500, lambda: self._documents_changed(ids))
            elif self._differs(w.editor.doc):
                w.editor.load(w.editor.doc.id)

    def _differs(self, shown: Any) -> bool:
        """Does the stored document differ from the one on screen? (The echo of the member's own edits
        does not: the editor is left alone, with its undo history.)"""
        from smartdesk.domain.serialize import document_to_dict

        try:
            stored = self.window.ws.get_document(shown.id)
        except Exception:  # noqa: BLE001 - deleted elsewhere: the editor shows what it has
            return False
        skip = ("version", "updated_at", "created_at")
        a = {k: v for k, v in document_to_dict(stored).items() if k not in skip}
        b = {k: v for k, v in document_to_dict(shown).items() if k not in skip}
        return a != b

    def _news(self, items: object) -> None:
        news = [n for n in items if isinstance(n, News)] if isinstance(items, list) else []
        if not news:
            return
        texts = [(news_text(n), n.document_id) for n in news]
        page = self.window.page("sync")
        if isinstance(page, SyncPage):
            page.add_news(texts)
        self.notice.show_news(texts)
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self.tray is None:
                self.tray = QSystemTrayIcon(self.window.windowIcon(), self)
                self.tray.messageClicked.connect(self.window.raise_)
            self.tray.show()
            body = texts[0][0] if len(texts) == 1 else "\n".join(t for t, _d in texts[:5])
            self.tray.showMessage("SmartDesk", body, QSystemTrayIcon.MessageIcon.Information, 10_000)
            QTimer.singleShot(15_000, self.tray.hide)  # the icon is there only while the message is

    def _open_from_notice(self, doc_id: str) -> None:
        if doc_id:
            self.window.open_document(doc_id)
        else:
            self.window.show_page("sync")


def install_sync(window: MainWindow, start: bool = True) -> SyncUi:
    """Add sync to the main window. ``start`` loads the saved sign-in (on the sync thread) right away."""
    sync_ui = SyncUi(window)
    if start:  # once the window is up: the sync thread's imports must not slow down the first paint
        QTimer.singleShot(START_DELAY_MS, sync_ui.start)
    return sync_ui


__all__ = ["SignInDialog", "SyncPage", "SyncStatusButton", "SyncUi", "install_sync"]
