"""Prepares the recurring invoices' drafts on time: at start (after the first paint) and then on a
timer, on the writer thread; tells the member (a notice, and the home page and lists refresh through
the event bus). The day comes from ``ws.recurring.clock`` (tests move it forward)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from smartdesk.domain.documents import Document
from smartdesk.gui.events import events
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n.ui import ntr
from smartdesk.services import Workspace

CHECK_MS = 15 * 60 * 1000  # a quarter of an hour: a new day is noticed soon after midnight


class RecurringRunner(QObject):
    prepared = Signal(object)  # list[Document], after each run that made drafts
    message = Signal(str)  # what to tell the member (the main window's status bar)

    def __init__(self, ws: Workspace, tasks: TaskManager, interval_ms: int = CHECK_MS) -> None:
        super().__init__(tasks)
        self.ws = ws
        self.tasks = tasks
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)

    def start(self) -> None:
        self.run_now()
        self.timer.start()

    def run_now(self) -> None:
        if self._running:
            return
        self._running = True
        self.tasks.write(self.ws.recurring.run, self._done, self._failed)

    def _failed(self, _exc: BaseException) -> None:
        self._running = False  # tried again on the next tick

    def _done(self, made: list[Document]) -> None:
        self._running = False
        if not made:
            return
        events().documents_changed.emit(frozenset(d.id for d in made))
        self.message.emit(
            ntr(
                "{n} invoice was prepared from its recurring schedule: check it and submit it.",
                "{n} invoices were prepared from their recurring schedules: check them and submit them.",
                len(made),
                n=len(made),
            )
        )
        self.prepared.emit(made)
