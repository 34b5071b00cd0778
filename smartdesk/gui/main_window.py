"""The main window: navigation, lists, the editor, undo across everything, status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from smartdesk import APP_NAME
from smartdesk.domain.documents import Document, DocumentKind
from smartdesk.domain.lifecycle import is_deletable
from smartdesk.errors import SmartDeskError
from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.documents.list_page import DocumentListPage
from smartdesk.gui.events import events
from smartdesk.gui.labels import KIND_NAMES
from smartdesk.gui.pages.registry import BY_KEY, DOC_PAGES, REGISTRY, page_shortcut
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.window_state import WindowState
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr
from smartdesk.services import Workspace

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from smartdesk.gui.documents.editor import DocumentEditor
    from smartdesk.gui.sync.ui import SyncUi

SYNC_START_MS = 300  # the sync thread starts once the window is up: its imports must not slow the first paint


def report_error(parent: QWidget, exc: BaseException) -> str:
    from smartdesk.gui.errors import error_text

    return error_text(exc)


PAGES: list[tuple[str, str, str]] = [
    (spec.key, spec.label, spec.tip) for spec in REGISTRY
]  # key, label, tooltip
EDITOR = "editor"


class MainWindow(QMainWindow):
    """Only what the first paint needs is built in ``__init__``; sync (status bar entry, Sync menu, F5,
    background sync) is installed right after the first paint, or as soon as something asks for it."""

    start_finished = Signal()  # the first paint is done and everything deferred is built

    def __init__(
        self, ws: Workspace, tasks: TaskManager | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__()
        self.ws = ws
        self.tasks = tasks or TaskManager(self)
        self.state = WindowState(settings)
        self.qsettings: QSettings = self.state.qsettings  # the preview finds its export folder through it
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(900, 600))
        self.undo_group = QUndoGroup(self)
        self.list_stack = QUndoStack(self)
        self.undo_group.addStack(self.list_stack)
        self.online = False

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMinimumWidth(170)
        self.nav.setStyleSheet(
            "QListWidget#nav { font-size: 11pt; } QListWidget#nav::item { padding: 7px 10px; }"
        )
        for key, _label, _tip in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self._label_nav()
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._editor: DocumentEditor | None = None
        self._editor_state: QByteArray | None = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        events().language_chosen.connect(self._language_chosen)
        self._editor_from = "home"
        self._editor_back: str | None = None  # the page the editor returns to, when not its kind's list

        self._build_menus()
        self.net_label = QLabel()
        self.pending_label = QLabel()
        self.statusBar().addPermanentWidget(self.pending_label)
        self.statusBar().addPermanentWidget(self.net_label)
        self.tasks.busy_changed.connect(lambda busy: None if busy else self.refresh_status())
        self.tasks.failed.connect(lambda exc: self.show_message(report_error(self, exc)))
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(5000)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()
        self.set_online(False)
        self._sync: SyncUi | None = None
        self._painted = False
        self._start_finished = False
        self._closed = False
        QTimer.singleShot(SYNC_START_MS, self, self._start_sync)
        self._restore_layout()

    def _label_nav(self) -> None:
        for row, (key, label, tip) in enumerate(PAGES):
            item = self.nav.item(row)
            item.setText(_(label))
            item.setToolTip(_(tip) + (f"  ({page_shortcut(key)})" if page_shortcut(key) else ""))
        self.nav.setMinimumWidth(max(170, self.nav.sizeHintForColumn(0) + 16))

    @property
    def sync(self) -> SyncUi:
        """Status bar entry, Sync menu, F5, background sync: installed after the first paint (its imports
        would delay it), or earlier when a page or a test needs it."""
        if self._sync is None:
            from smartdesk.gui.sync.ui import install_sync

            self._sync = install_sync(self, start=False)  # started by _start_sync
        return self._sync

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(
                0, self, self._finish_start
            )  # next turn of the event loop: the window is on screen

    def _finish_start(self) -> None:
        """What the first paint does not need: built once the window is shown."""
        if self._start_finished:
            return
        self._start_finished = True
        if not self._closed:
            self.sync  # noqa: B018 - installs sync
            from smartdesk.gui.recurring import RecurringRunner

            self.recurring = RecurringRunner(self.ws, self.tasks)  # recurring invoices' drafts, on time
            self.recurring.message.connect(self.show_message)
            self.recurring.start()
        self.start_finished.emit()

    def _start_sync(self) -> None:
        """Load the saved sign-in on the sync thread (then sync); finishes the start-up first if the window
        was never painted (hidden, minimised)."""
        if self._closed:
            return
        self._finish_start()
        self.sync.start()

    @property
    def editor(self) -> DocumentEditor:
        """The document editor, built the first time a document is opened."""
        if self._editor is None:
            from smartdesk.gui.documents.editor import DocumentEditor

            editor = DocumentEditor(self.ws, self.tasks)
            self.undo_group.addStack(editor.undo_stack)
            editor.closed.connect(self.close_editor)
            editor.open_document.connect(self.open_document)
            editor.delete_requested.connect(self.delete_document)
            editor.message.connect(self.show_message)
            if self._editor_state is not None:
                editor.splitter.restoreState(self._editor_state)
            self.stack.addWidget(editor)
            self._editor = editor
        return self._editor

    # --- menus and shortcuts ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.act_new = file_menu.addAction(_("New document"), QKeySequence.StandardKey.New, self.new_document)
        file_menu.addSeparator()
        file_menu.addAction(_("Quit"), QKeySequence.StandardKey.Quit, self.close)
        edit = self.edit_menu = bar.addMenu(_("&Edit"))
        self._undo_words = (N_("Undo"), N_("Redo"))  # translated again when the language changes
        self.act_undo, self.act_redo = self._undo_actions()
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addAction(_("Search"), QKeySequence.StandardKey.Find, self.focus_search)
        go = bar.addMenu(_("&Go to"))
        for key, label, _tip in PAGES:
            act = QAction(_(label), self)
            act.setShortcut(QKeySequence(page_shortcut(key)))
            act.triggered.connect(lambda _c=False, k=key: self.show_page(k))
            go.addAction(act)
            self.addAction(act)
        help_menu = bar.addMenu(_("&Help"))
        self.act_user_guide = help_menu.addAction(_("User guide"), self.show_user_guide)
        self.act_user_guide.setShortcut(QKeySequence("F1"))
        help_menu.addAction(_("Glossary"), lambda: self.show_page("glossary"))
        help_menu.addAction(_("Keyboard shortcuts"), self.show_shortcuts)

    def _undo_actions(self) -> tuple[QAction, QAction]:
        """Edit › Undo and Redo, named in the interface language ("Undo" + the step's name)."""
        undo = self.undo_group.createUndoAction(self, _(self._undo_words[0]))
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.undo_group.createRedoAction(self, _(self._undo_words[1]))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for act in (undo, redo):
            act.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        return undo, redo

    # --- the interface language ---------------------------------------------------------------------------
    def _language_chosen(self, lang: object) -> None:
        """The member chose a language in the settings: applied once the choice's own handler is done."""
        QTimer.singleShot(0, self, lambda: self.set_language(str(lang)))

    def set_language(self, lang: str) -> None:
        """Show the whole window in ``lang`` at once, in place (decision 0029): every text is turned into
        the same message of the new catalogue; nothing is rebuilt, so the page, the open document, its
        undo history, a cell being edited, pending saves, running tasks and sync all carry on."""
        from PySide6.QtCore import QLocale
        from PySide6.QtWidgets import QApplication

        from smartdesk.gui.app import install_language
        from smartdesk.gui.language import retranslator, translate_tree, translate_undo

        old, old_locale = ui.language(), ui.qt_locale_name()
        if lang == old:
            return
        self._flush_pages()  # typing that waits for a pause is saved before a screen shows itself again
        self.tasks.flush()
        app = QApplication.instance()
        new = install_language(app, lang) if isinstance(app, QApplication) else ui.set_language(lang)
        if new == old:
            return
        words = retranslator(old, new, old_locale)
        # first (the window's dialogs included): what follows writes in the new language directly
        translate_tree(self, words)
        for stack in self.undo_group.stacks():
            translate_undo(stack, words)
        self._replace_undo_actions()
        self.setLocale(QLocale(ui.qt_locale_name()))  # dates and numbers of Qt's own widgets
        self._label_nav()
        self.set_online(self.online)
        if self._sync is not None:
            self._sync.status_button.show_view(self._sync.controller.view)
        if self._editor is not None:
            self._editor.show_texts_again()
        page = self.stack.currentWidget()
        refresh: Callable[[], Any] | None = getattr(page, "refresh", None)
        if refresh is not None and page is not self._editor:
            refresh()
        message = self.statusBar().currentMessage()
        if message:
            self.show_message(words.text(message))
        events().language_changed.emit(new)

    def _replace_undo_actions(self) -> None:
        undo, redo = self._undo_actions()
        for old, new in ((self.act_undo, undo), (self.act_redo, redo)):
            self.edit_menu.insertAction(old, new)
            self.edit_menu.removeAction(old)
            old.deleteLater()
        self.act_undo, self.act_redo = undo, redo

    def show_user_guide(self) -> None:
        from smartdesk.gui.dialogs.user_guide import UserGuideDialog

        self.user_guide = UserGuideDialog(self)
        self.user_guide.open()

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            self,
            _("Keyboard shortcuts"),
            "\n".join(
                (
                    _("Ctrl+N: new document · Ctrl+F: search · Ctrl+1 … Ctrl+9: go to a page · F5: sync now"),
                    _("Ctrl+0: ask the cooperative (in a message, Ctrl+Enter sends)"),
                    _(
                        "In a document: Enter adds a line, Tab moves to the next cell, Ctrl+↑/↓ moves a line, "
                        "Ctrl+Delete removes it"
                    ),
                    _("Ctrl+Z: undo · Ctrl+Shift+Z: redo · Esc: back to the list"),
                )
            ),
        )

    # --- pages ----------------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            page = BY_KEY[key].factory(self) if key in BY_KEY else BY_KEY["glossary"].factory(self)
            page.setObjectName(f"page_{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def current_key(self) -> str:
        widget = self.stack.currentWidget()
        if widget is not None and widget is self._editor:
            return EDITOR
        return next((k for k, w in self.pages.items() if w is widget), "home")

    def show_page(self, key: str) -> None:
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # calls _nav_changed
        else:
            self._nav_changed(row)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        page = self.page(key)
        refresh: Callable[[], Any] | None = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()
        self.stack.setCurrentWidget(page)
        self.undo_group.setActiveStack(self.list_stack)
        if isinstance(page, DocumentListPage):
            (page.table if page.model.rowCount() else page.search).setFocus()

    def focus_search(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, DocumentListPage):
            page.focus_search()
        elif hasattr(page, "search"):
            getattr(page, "search").setFocus()  # noqa: B009 - any page with a search box

    # --- documents -------------------------------------------------------------------------------------
    def current_kind(self) -> DocumentKind:
        key = self.current_key()
        if key == EDITOR:
            return self.editor.doc.kind
        return DOC_PAGES.get(key, DocumentKind.QUOTE)

    def new_document(self, kind: DocumentKind | None = None) -> None:
        kind = kind if isinstance(kind, DocumentKind) else self.current_kind()
        holder: dict[str, Document] = {}

        def create() -> Document:
            holder["doc"] = self.ws.documents.new(kind)
            return holder["doc"]

        def done(doc: Document) -> None:
            self.open_document(doc.id)
            self.editor.client_edit.setFocus()

        self.tasks.write(create, done)

    def open_document(self, doc_id: str, back_to: str | None = None) -> None:
        """Open a document in the editor; ``back_to``: the page the editor returns to when closed (kept
        while documents are opened from the editor itself), else the list of the document's kind."""
        try:
            if self.current_key() != EDITOR:
                self._editor_from = self.current_key()
                self._editor_back = back_to
            elif back_to is not None:
                self._editor_back = back_to
            self.editor.load(doc_id)
            back_label = next((label for key, label, _tip in PAGES if key == self._editor_back), "")
            self.editor.back_button.setText(
                tr("◀ Back to {page}", page=_(back_label)) if back_label else _("◀ Back to the list")
            )
        except SmartDeskError as exc:
            self.show_message(report_error(self, exc))
            return
        self.tasks.write(lambda: self.ws.recurring.seen(doc_id))  # a prepared draft, now seen
        self.stack.setCurrentWidget(self.editor)
        self.undo_group.setActiveStack(self.editor.undo_stack)
        kind_key = next(k for k, v in DOC_PAGES.items() if v is self.editor.doc.kind)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(next(i for i, p in enumerate(PAGES) if p[0] == kind_key))
        self.nav.blockSignals(False)

    def close_editor(self) -> None:
        back, self._editor_back = self._editor_back, None
        kind_key = next(k for k, v in DOC_PAGES.items() if v is self.editor.doc.kind)
        self.show_page(back or kind_key)
        returned: Callable[[], None] | None = getattr(self.pages.get(back or ""), "back_from_editor", None)
        if returned is not None:
            returned()  # e.g. Follow-up: its list, on the invoice that was open, gets the focus

    def delete_document(self, doc_id: str) -> None:
        try:
            doc = self.ws.documents.get(doc_id)
        except SmartDeskError as exc:
            self.show_message(report_error(self, exc))
            return
        if not is_deletable(doc.status):
            self.show_message(
                _(
                    "This document has been seen by the cooperative and cannot be deleted. "
                    "An invoice is cancelled with a credit note."
                )
            )
            return
        label = doc.title or _(KIND_NAMES[doc.kind])

        def refresh(_r: object = None) -> None:
            if self.current_key() == EDITOR and self.editor.doc.id == doc_id:
                self.close_editor()
            events().documents_changed.emit(frozenset({doc_id}))

        def do() -> None:
            self.tasks.write(
                lambda: self.ws.documents.delete(doc_id),
                refresh,
                lambda exc: self.show_message(report_error(self, exc)),
            )

        def undo() -> None:
            self.tasks.write(lambda: self.ws.documents.restore(doc), refresh)

        if self.current_key() == EDITOR:
            self.close_editor()
        self.list_stack.push(CallbackCommand(tr("Delete “{title}”", title=label), do, undo))
        self.show_message(tr("“{title}” deleted. Ctrl+Z brings it back.", title=label))

    # --- status bar ---------------------------------------------------------------------------------------
    def set_online(self, online: bool) -> None:
        self.online = online
        if online:
            self.net_label.setText("● " + _("Online"))
            self.net_label.setToolTip(_("Connected to the cooperative"))
        else:
            self.net_label.setText("○ " + _("Offline"))
            self.net_label.setToolTip(
                _(
                    "Not connected: you can keep working, everything is saved on this "
                    "computer and will be sent later."
                )
            )
        self.refresh_status()

    def refresh_status(self) -> None:
        try:
            n = self.ws.sync.pending_changes()
        except SmartDeskError:
            return
        self.pending_label.setText(
            ntr("{n} change not sent yet", "{n} changes not sent yet", n, n=n)
            if n
            else _("Everything is sent")
        )

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # --- layout memory ------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.state.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)
        state = self.state.window_state
        if state is not None:
            self.restoreState(state)
        split = self.state.splitter
        if split is not None:
            self.splitter.restoreState(split)
        else:
            self.splitter.setSizes([self.nav.minimumWidth(), 1010])
        self._editor_state = self.state.editor_splitter
        last = self.state.last_page
        self.show_page(last if last in {p[0] for p in PAGES} else "home")  # the home page: the first screen
        last_doc = self.state.last_document
        if last_doc:
            try:
                self.ws.documents.get(last_doc)
            except SmartDeskError:
                return
            self.open_document(last_doc)

    def save_layout(self) -> None:
        key = self.current_key()
        self.state.geometry = self.saveGeometry()
        self.state.window_state = self.saveState()
        self.state.splitter = self.splitter.saveState()
        if self._editor is not None:
            self.state.editor_splitter = self._editor.splitter.saveState()
        self.state.last_page = self._editor_from if key == EDITOR else key
        self.state.last_document = self.editor.doc.id if key == EDITOR else ""
        self.state.sync()

    def _flush_pages(self) -> None:
        for page in self.pages.values():
            flush = getattr(page, "flush_pending", None)
            if callable(flush):
                flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True  # sync is not installed nor started any more if it was not yet
        self._flush_pages()  # an edit typed just before closing is saved, not dropped
        if self._sync is not None:
            self._sync.close()
        self.tasks.flush()
        self.save_layout()
        self.tasks.close()  # every change is on disk; the writer thread ends
        super().closeEvent(event)
