"""The Sync page: account, last sync, "Sync now", choices to make, refused changes, latest news."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartdesk.gui.commands import CallbackCommand
from smartdesk.gui.errors import error_text
from smartdesk.gui.events import events
from smartdesk.gui.sync.cards import ConflictCard, RejectionCard, title_label, wrapped_label
from smartdesk.gui.sync.controller import SyncController, SyncView
from smartdesk.gui.sync.sign_in import SignInDialog, keyring_warning
from smartdesk.gui.sync.texts import error_texts, since_text
from smartdesk.gui.widgets import scroll_page
from smartdesk.gui.widgets.screen import Screen
from smartdesk.i18n.ui import N_, _, ntr, tr

if TYPE_CHECKING:
    from smartdesk.gui.tasks import TaskManager
    from smartdesk.services import Workspace


class SyncPage(Screen):
    """Account, last sync, "Sync now", choices to make (conflicts), refused changes and recent news."""

    def __init__(
        self,
        ws: Workspace,
        tasks: TaskManager,
        controller: SyncController,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(ws, tasks, parent)
        self.controller = controller
        self.undo_stack = undo_stack
        self.recent: list[str] = []
        layout = scroll_page(self)
        layout.setContentsMargins(18, 12, 18, 18)
        layout.setSpacing(12)
        layout.addWidget(title_label(_("Sync with the cooperative")))

        account = QGroupBox(_("Your account"))
        a = QVBoxLayout(account)
        self.account_label = wrapped_label(name="accountLabel")
        self.keyring_label = keyring_warning()
        row = QHBoxLayout()
        self.sign_in_button = QPushButton(_("Sign in…"))
        self.sign_in_button.clicked.connect(self.show_sign_in)
        self.sign_out_button = QPushButton(_("Sign out"))
        self.sign_out_button.setToolTip(
            _(
                "SmartDesk forgets your sign-in on this computer. Changes not sent "
                "yet stay here and are sent after you sign in again."
            )
        )
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
        self.error_label = wrapped_label(name="errorLabel")
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
        self.no_conflicts = wrapped_label(_("Nothing to choose: nothing was changed in two places."))
        self.conflicts_layout.addWidget(self.no_conflicts)
        layout.addWidget(self.conflicts_box)
        self.rejections_box = QGroupBox(_("Changes the cooperative refused"))
        self.rejections_layout = QVBoxLayout(self.rejections_box)
        self.no_rejections = wrapped_label(_("No refused change."))
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
            self.account_label.setText(
                tr("Signed in as {email} on {server}.", email=view.email, server=view.server)
            )
        elif view.server:
            self.account_label.setText(
                tr("Not signed in. The last server used was {server}.", server=view.server)
            )
        else:
            self.account_label.setText(
                _(
                    "Not signed in. You can work without the cooperative; sign in to send "
                    "your documents and get their validation, number and payments."
                )
            )
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
        self.waiting_label.setText(
            ntr(
                "{n} change waiting to be sent",
                "{n} changes waiting to be sent",
                view.pending,
                n=view.pending,
            )
            if view.pending
            else _("Everything is sent")
            if view.last_success_at
            else _("Nothing waiting")
        )
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
        return (
            sum(isinstance(c, ConflictCard) for c in self.cards),
            sum(isinstance(c, RejectionCard) for c in self.cards),
        )

    def refresh_lists(self) -> None:
        """Rebuild the conflict and refusal cards when what they show has changed."""
        try:
            conflicts = self.controller.conflicts()
            rejections = self.controller.rejections()
        except Exception:  # noqa: BLE001 - the store is closing
            return
        key = (
            [(c.id, c.server_version, c.local_value == c.server_value) for c in conflicts],
            [r.mutation_id for r in rejections],
        )
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
            events().documents_changed.emit(
                frozenset({conflict.entity_id} | ({str(new_id)} if new_id else set()))
            )
            self.controller.schedule_soon()

        def failed(exc: BaseException) -> None:
            self.message.emit(error_text(exc))

        def apply() -> object:
            if state["first"]:  # the first time: the sync service records the choice (one transaction)
                state["first"] = False
                new_id = self.ws.sync.resolve(conflict_id, keep)
                if new_id:
                    state["copy"] = self.ws.documents.get(new_id)
                return new_id
            if keep == "copy":  # redo after an undo: the draft comes back
                if state["copy"] is not None:
                    self.ws.documents.restore(state["copy"])
                return ""
            self.ws.sync.write_version(
                conflict.entity, conflict.local_value if keep == "mine" else conflict.server_value
            )
            return ""

        def revert() -> object:
            if keep == "copy":
                if state["copy"] is not None:
                    self.ws.documents.delete(state["copy"].id)
                return ""
            self.ws.sync.write_version(
                conflict.entity, conflict.server_value if keep == "mine" else conflict.local_value
            )
            return ""

        def reverted(_result: object) -> None:
            self.refresh_lists()
            self.controller.refresh_view()
            events().documents_changed.emit(frozenset())
            self.controller.schedule_soon()

        if self.undo_stack is None:
            self.tasks.write(apply, done, failed)
            return
        names = {
            "mine": N_("Keep my version"),
            "theirs": N_("Keep the cooperative's version"),
            "copy": N_("Copy my version to a new draft"),
        }
        self.undo_stack.push(
            CallbackCommand(
                _(names[keep]),
                lambda: self.tasks.write(apply, done, failed),
                lambda: self.tasks.write(revert, reverted, failed),
            )
        )

    def dismiss(self, mutation_id: int) -> None:
        def dismissed(_result: object) -> None:
            self.refresh_lists()
            self.controller.refresh_view()

        self.tasks.write(lambda: self.ws.sync.dismiss(mutation_id), dismissed)

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
