"""Everything sync adds to the main window: the status bar entry, the Sync menu (F5), the notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QSystemTrayIcon,
)

from smartdesk import APP_NAME
from smartdesk.gui.sync.controller import SyncController, SyncView
from smartdesk.gui.sync.news import News
from smartdesk.gui.sync.notice import Notice
from smartdesk.gui.sync.page import SyncPage
from smartdesk.gui.sync.sign_in import SignInDialog
from smartdesk.gui.sync.status import SyncStatusButton
from smartdesk.gui.sync.texts import news_text
from smartdesk.i18n.ui import _, tr

if TYPE_CHECKING:
    from smartdesk.gui.main_window import MainWindow


START_DELAY_MS = 300


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
        self._page: SyncPage | None = None
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
        c.news.connect(self._news)
        c.signed_in.connect(lambda email: window.show_message(tr("Signed in as {email}.", email=email)))
        c.signed_out.connect(
            lambda: window.show_message(_("Signed out. Your changes stay on this computer."))
        )
        window.tasks.busy_changed.connect(lambda busy: None if busy else c.check_outbox())
        self._view_changed(c.view)

    def start(self) -> None:
        self.controller.start()

    def close(self) -> None:
        self.controller.close()

    def page(self) -> SyncPage:
        """The Sync page (the window's page registry calls this once, when the page is first shown, and
        wires its messages and the documents it opens like every screen's)."""
        page = SyncPage(self.window.ws, self.window.tasks, self.controller, undo_stack=self.window.list_stack)
        self._page = page
        return page

    def sync_page(self) -> SyncPage | None:
        """The Sync page once it was made (None before it was first shown)."""
        return self._page

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
            self.tray.showMessage(APP_NAME, body, QSystemTrayIcon.MessageIcon.Information, 10_000)
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
