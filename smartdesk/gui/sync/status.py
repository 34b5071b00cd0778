"""The status bar entry of sync: online or not, last sync, what waits, the last problem."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QToolButton,
    QWidget,
)

from smartdesk.gui.sync.controller import SyncController, SyncView
from smartdesk.gui.sync.texts import error_texts, since_text
from smartdesk.i18n.ui import _, ntr


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
            parts.append(
                ntr("{n} change waiting", "{n} changes waiting", view.pending, n=view.pending)
                if view.pending
                else _("Everything is sent")
            )
            if view.conflicts:
                parts.append(
                    ntr("{n} choice to make", "{n} choices to make", view.conflicts, n=view.conflicts)
                )
            if view.rejections:
                parts.append(
                    ntr("{n} change refused", "{n} changes refused", view.rejections, n=view.rejections)
                )
            short, full = error_texts(view)
            color = ""
            if short and not view.running:
                parts.append("⚠ " + short)
                color = "#b3261e"
            elif view.conflicts or view.rejections:
                color = "#8a5a00"
            tip = full or (
                _("Connected to the cooperative")
                if view.online
                else _(
                    "Not connected: you can keep working, everything is saved on this computer and will "
                    "be sent later."
                )
            )
            if view.error_detail and full:
                tip += "\n\n" + view.error_detail
        self.setText("  ·  ".join(parts))
        self.setToolTip(tip + "\n" + _("Click to open the Sync page (F5 syncs now)."))
        self.setStyleSheet(f"QToolButton#syncStatus {{ color: {color}; }}" if color else "")
