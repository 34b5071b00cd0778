"""Background sync for the desktop app: when to sync, on which thread, and what to tell the member.

``SyncController`` owns one worker thread (``smartdesk-sync``) that runs every network call: the
sign-in, the sync runs (``SyncEngine.sync``), the cheap reachability probe of ``/health``. The GUI
thread only starts jobs and receives their results through queued signals; it never waits for the
network.

A sync starts:

- on demand (``sync_now``: F5, the "Sync now" button);
- a few seconds after edits (the outbox grew; a debounce timer gathers a burst of edits in one run);
- periodically;
- when the connection returns (Qt's network information when a backend is available, plus a probe
  of the server's ``/health`` that backs off while the server stays unreachable);
- after a transient failure, with exponential back-off and jitter (``backoff_delay``).

Everything sync does goes through the workspace's one ``SyncService`` (``ws.sync``: sign in and out,
a run, counts, conflicts), the same the command line uses; this controller adds only the timers, the
worker thread and the signals. This is the app's ONE scheduler (docs/decisions/0009-one-sync-scheduler.md).
What the member should hear about after a pull is found in the pulled pages (``gui.sync.news``).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from smartdesk.gui.events import events
from smartdesk.gui.sync.news import News, make_watching_client

if TYPE_CHECKING:
    from smartdesk.services import Workspace
    from smartdesk.sync.engine import SyncEngine, SyncResult

_log = logging.getLogger(__name__)
T = TypeVar("T")  # what a job on the sync thread returns to its ``on_done``

DEBOUNCE_MS = 3000  # after the last edit, before a sync starts
PERIOD_MS = 5 * 60 * 1000  # a sync every few minutes, to get the cooperative's news
POLL_MS = 2000  # how often the outbox size is looked at (one COUNT on SQLite)
PROBE_TIMEOUT = 3.0  # seconds for the /health probe
BACKOFF_BASE = 2.0  # seconds: the first retry waits 1-2 s, then 2-4 s, 4-8 s ...
BACKOFF_CAP = 300.0  # never more than 5 minutes between tries

GUI_PULL_LIMIT = 500  # records per pull page in the app (see _load)


@dataclass(frozen=True)
class SyncView:
    """Everything the status bar and the Sync page show, built on the sync thread."""

    signed_in: bool = False
    email: str = ""
    server: str = ""
    online: bool = False
    running: bool = False
    last_success_at: str | None = None
    pending: int = 0
    conflicts: int = 0
    rejections: int = 0
    error_kind: str = ""  # network | auth | version | server | conflict | "" (none) | "unknown"
    error_detail: str = ""  # the technical message (tooltip), in English
    keyring_warning: bool = False
    next_try_in: float | None = None  # seconds until the next automatic try after a failure


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits, the GUI thread receives (queued connection)."""

    done = Signal(object, object, object)  # job, result, error
    engine_event = Signal(str, object)


class _Worker:
    """One daemon thread that runs network jobs in order. Closing never waits for a stalled request."""

    def __init__(self, bridge: _Bridge) -> None:
        self._bridge = bridge
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.pending = 0

    def submit(self, job: _Job) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="smartdesk-sync", daemon=True)
            self._thread.start()
        self.pending += 1
        self._jobs.put(job)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                result, error = job.fn(), None
            except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
                result, error = None, exc
            try:
                self._bridge.done.emit(job, result, error)
            except RuntimeError:  # the GUI side is gone (application closing)
                return

    def close(self, timeout: float) -> None:
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join(timeout)

    def idle(self) -> bool:
        return self.pending == 0


def error_kind_of(exc: BaseException) -> str:
    kind = getattr(exc, "kind", "")
    return str(kind) if kind in ("network", "auth", "version", "server", "conflict") else "unknown"


class SyncController(QObject):
    """Runs sync in the background and tells the GUI what happened (Qt signals, GUI thread)."""

    view_changed = Signal(object)  # SyncView
    started = Signal()
    finished = Signal(object)  # SyncResult
    failed = Signal(str, str)  # error kind, message (English detail)
    news = Signal(object)  # list[News]
    signed_in = Signal(str)  # e-mail
    sign_in_failed = Signal(str, str)  # kind, detail
    signed_out = Signal()
    engine_event = Signal(str, object)  # the engine's own events, re-emitted on the GUI thread

    def __init__(
        self,
        ws: Workspace,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        period_ms: int = PERIOD_MS,
        poll_ms: int = POLL_MS,
        backoff_base: float = BACKOFF_BASE,
        network_information: bool = True,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._bridge = _Bridge()
        self._bridge.done.connect(self._job_done)
        self._bridge.engine_event.connect(self._on_engine_event)
        self._worker = _Worker(self._bridge)
        self.view = SyncView()
        self._news: list[News] = []  # filled by the watching client during a run
        self._changed: set[str] = set()
        self._configured = False
        self._ready = False
        self._running = False
        self._again = False
        self._attempt = 0
        self.blocked = ""  # "auth" or "version": automatic tries wait for the member
        self._closed = False
        self._last_pending = -1
        self._last_head = -1
        self.backoff_base = backoff_base
        self._want_network_info = network_information

        self.debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self.debounce.timeout.connect(self.sync_now_quietly)
        self.periodic = QTimer(self, interval=period_ms)
        self.periodic.timeout.connect(self.sync_now_quietly)
        self.poll = QTimer(self, interval=poll_ms)
        self.poll.timeout.connect(self.check_outbox)
        self.retry = QTimer(self, singleShot=True)
        self.retry.timeout.connect(self._retry_due)

    # --- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the saved sign-in on the sync thread, then sync once if signed in."""
        if self._closed:
            return
        self._submit(self._load, self._loaded)
        self.poll.start()
        self.periodic.start()
        if self._want_network_info:
            QTimer.singleShot(0, self._watch_network)

    def close(self, timeout: float = 1.0) -> None:
        """Stop the timers and the worker. A sync in flight is abandoned: it is safe (exactly once)."""
        self._closed = True
        for timer in (self.debounce, self.periodic, self.poll, self.retry):
            timer.stop()
        self._worker.close(timeout)

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Tests and shutdown: process events until no job is left (or the time is up)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        while not self._worker.idle() and not deadline.hasExpired():
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return self._worker.idle()

    @property
    def account(self) -> str:
        return str(self.ws.folder)

    @property
    def ready(self) -> bool:
        """The saved sign-in was loaded (on the sync thread)."""
        return self._ready

    @property
    def running(self) -> bool:
        return self._running

    # --- jobs ------------------------------------------------------------------------------------
    def _submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._closed:
            return
        self._worker.submit(_Job(fn, on_done, on_error))

    @Slot(object, object, object)
    def _job_done(self, job: _Job, result: object, error: object) -> None:
        self._worker.pending -= 1
        if self._closed:
            return
        if isinstance(error, BaseException):
            if job.on_error is not None:
                job.on_error(error)
            else:
                _log.warning("sync job failed: %r", error)
        elif job.on_done is not None:
            job.on_done(result)

    # --- sign-in state (sync thread) ---------------------------------------------------------------
    def _configure(self) -> None:
        """How ``ws.sync`` builds its engines for the app (on the sync thread: the imports of the
        network stack must not slow down the first paint)."""
        if self._configured:
            return
        sync = self.ws.sync
        # smaller pull pages than the headless default: the sync thread parses and applies each page
        # holding Python's GIL, and the window must stay fluid meanwhile (a 2,000-record page stalled it
        # for up to 130 ms during a 10,000-document first sync)
        sync.configure(
            client_cls=make_watching_client(sync.document_statuses, self._news, self._changed),
            pull_limit=GUI_PULL_LIMIT,
        )
        self._configured = True

    def _load(self) -> SyncView:
        self._configure()
        if self.ws.sync.load():
            self._subscribe()
        return self._compute_view()

    def _subscribe(self) -> None:
        """Re-emit the events of the engine ``ws.sync`` just built on the GUI thread."""
        engine = self.ws.sync.engine
        if engine is not None:
            engine.subscribe(lambda event, data: self._bridge.engine_event.emit(event, dict(data)))

    @property
    def engine(self) -> SyncEngine | None:
        """The engine of the sign-in in use (None: signed out)."""
        return self.ws.sync.engine

    def _compute_view(self, **changes: Any) -> SyncView:
        sync = self.ws.sync
        creds = sync.signed_in()
        pending, conflicts, rejections = sync.counts()
        last_error = sync.last_error()
        base = replace(
            self.view,
            signed_in=creds is not None,
            email=creds.email if creds else sync.last_email(),
            server=(creds.server if creds else None) or sync.server(),
            last_success_at=sync.last_success_at(),
            pending=pending,
            conflicts=conflicts,
            rejections=rejections,
            keyring_warning=bool(sync.keyring_warning),
        )
        if last_error and not base.error_kind:
            base = replace(base, error_kind="unknown", error_detail=str(last_error))
        if not last_error and base.error_kind in ("unknown",):
            base = replace(base, error_kind="", error_detail="")
        return replace(base, **changes)

    def _loaded(self, view: object) -> None:
        assert isinstance(view, SyncView)
        self._ready = True
        self._set_view(view)
        if view.signed_in:
            self.sync_now_quietly()

    def _set_view(self, view: SyncView) -> None:
        self.view = view
        self.view_changed.emit(view)
        events().sync_state_changed.emit()

    # --- sign in / out -------------------------------------------------------------------------------
    def sign_in(self, server: str, email: str, password: str) -> None:
        """Sign in on the sync thread; ``signed_in`` or ``sign_in_failed`` answers."""

        def job() -> SyncView:
            self._configure()
            self.ws.sync.sign_in(server, email, password)
            self._subscribe()
            return self._compute_view(error_kind="", error_detail="", online=True)

        def done(view: object) -> None:
            assert isinstance(view, SyncView)
            self._attempt = 0
            self._set_view(view)
            self.signed_in.emit(view.email)
            self.sync_now()

        def failed(exc: BaseException) -> None:
            self.sign_in_failed.emit(error_kind_of(exc), str(getattr(exc, "message", "") or exc))

        self._submit(job, done, failed)

    def sign_out(self) -> None:
        """Forget the tokens (and revoke them on the server when it can be reached). Changes stay."""
        self.retry.stop()
        self.debounce.stop()
        self.blocked = ""

        def job() -> SyncView:
            self.ws.sync.sign_out()
            return self._compute_view(error_kind="", error_detail="", next_try_in=None)

        def done(view: object) -> None:
            assert isinstance(view, SyncView)
            self._set_view(view)
            self.signed_out.emit()

        self._submit(job, done)

    # --- triggers -------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """The member asked (F5, a button): sync at once, whatever the back-off said."""
        self._attempt = 0
        self.retry.stop()
        self.blocked = ""
        self._start_sync()

    def sync_now_quietly(self) -> None:
        """An automatic trigger (edits, timer, connection back): skipped while a retry is waiting, and
        while a problem only the member can fix (sign in again, update SmartDesk) stands."""
        if self.retry.isActive():
            return
        self._start_sync()

    def schedule_soon(self) -> None:
        """Edits were made: sync a few seconds after the last one."""
        if self.view.signed_in and not self._closed:
            self.debounce.start()

    def check_outbox(self) -> None:
        """Cheap poll on the GUI thread: when the newest outbox entry changed since last time, count what
        waits and schedule a sync. The count itself (distinct records over every unsent edit) is only
        run then: after weeks offline the outbox can hold tens of thousands of edits."""
        if not self.view.signed_in or self._closed:
            return
        try:
            head = self.ws.sync.outbox_head()
            if head == self._last_head and self._last_pending >= 0:
                return
            n = self.ws.sync.pending_changes()
        except Exception:  # noqa: BLE001 - the store is closing
            return
        self._last_head = head
        if n != self._last_pending:
            if n > self._last_pending >= 0 or (self._last_pending < 0 and n > 0):
                self.schedule_soon()
            self._last_pending = n
            if n != self.view.pending:
                self._set_view(replace(self.view, pending=n))

    def _start_sync(self) -> None:
        if not self._ready or self._closed or self.engine is None or not self.view.signed_in or self.blocked:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        self.debounce.stop()
        engine = self.engine
        self._set_view(replace(self.view, running=True))
        self.started.emit()

        def job() -> tuple[SyncResult, SyncView, list[News], set[str]]:
            self._news.clear()
            self._changed.clear()
            result = engine.sync()
            news, changed = list(self._news), set(self._changed)
            return (
                result,
                self._compute_view(
                    online=True, running=False, error_kind="", error_detail="", next_try_in=None
                ),
                news,
                changed,
            )

        def failed_view() -> SyncView:
            return self._compute_view(running=False)

        def done(value: tuple[SyncResult, SyncView, list[News], set[str]]) -> None:
            result, view, news, changed = value
            self._running = False
            self._attempt = 0
            self._last_pending = view.pending
            self._set_view(view)
            self.finished.emit(result)
            if changed:  # the screens that show these documents refresh themselves
                events().documents_changed.emit(frozenset(changed))
            events().coop_data_changed.emit()
            if news:
                self.news.emit(news)
            if self._again:
                self._start_sync()

        def failed(exc: BaseException) -> None:
            kind = error_kind_of(exc)
            detail = str(getattr(exc, "message", "") or exc)
            if kind == "conflict" and "already running" in detail:  # another run (CLI) holds the lock
                kind = "network"
            self._running = False
            delay: float | None = None
            if kind in ("auth", "version"):  # no automatic try until the member acts (sync_now, sign in)
                self.blocked = kind
            elif getattr(exc, "retry", True) is not False:
                from smartdesk.sync.failpoints import backoff_delay

                delay = backoff_delay(self._attempt, base=self.backoff_base, cap=BACKOFF_CAP)
                self._attempt += 1
                self.retry.start(max(50, int(delay * 1000)))
            online = kind != "network"
            self._set_view(
                replace(
                    self.view,
                    running=False,
                    online=online,
                    error_kind=kind,
                    error_detail=detail,
                    next_try_in=delay,
                )
            )
            self.failed.emit(kind, detail)
            self._submit(
                failed_view,
                lambda v: (
                    self._set_view(
                        replace(v, online=online, error_kind=kind, error_detail=detail, next_try_in=delay)
                    )
                    if isinstance(v, SyncView)
                    else None
                ),
            )

        self._submit(job, done, failed)

    def _retry_due(self) -> None:
        """After a failure: when offline, probe /health first (cheap); else sync again."""
        if self.view.online:
            self._start_sync()
        else:
            self.probe()

    # --- reachability ---------------------------------------------------------------------------------
    def probe(self) -> None:
        """GET /health on the sync thread; success while offline starts a sync, failure backs off."""
        if self.engine is None or self._closed:
            return

        def job() -> bool:
            return self.ws.sync.probe(PROBE_TIMEOUT)

        def done(ok: object) -> None:
            if ok:
                self._attempt = 0
                self._set_view(replace(self.view, online=True, next_try_in=None))
                self._start_sync()
                return
            from smartdesk.sync.failpoints import backoff_delay

            delay = backoff_delay(self._attempt, base=self.backoff_base, cap=BACKOFF_CAP)
            self._attempt += 1
            self.retry.start(max(50, int(delay * 1000)))
            self._set_view(replace(self.view, online=False, next_try_in=delay))

        self._submit(job, done)

    def _watch_network(self) -> None:
        """Qt's view of the network, when the platform has a backend: react when it comes back."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except Exception as exc:  # noqa: BLE001 - no backend: the probe and the timers do the work
            _log.info("no network information backend: %s", exc)
            return
        if info is None:
            return
        info.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._set_view(replace(self.view, online=False))
        elif reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Local,
        ):
            self.network_back()

    def network_back(self) -> None:
        """The system says the network is back: forget the back-off, probe, then sync."""
        if self.engine is None or self._closed:
            return
        self.retry.stop()
        self._attempt = 0
        self.probe()

    # --- engine events (sync thread → GUI thread) ----------------------------------------------------
    @Slot(str, object)
    def _on_engine_event(self, event: str, data: object) -> None:
        self.engine_event.emit(event, data)

    # --- conflicts and refused changes (writes go through the app's writer thread) -------------------
    def conflicts(self) -> list[Any]:
        return self.ws.sync.conflicts()

    def rejections(self) -> list[Any]:
        return self.ws.sync.rejections()

    def refresh_view(self) -> None:
        """Recount (on the sync thread) and tell the GUI."""
        self._submit(self._compute_view, lambda v: self._set_view(v) if isinstance(v, SyncView) else None)
