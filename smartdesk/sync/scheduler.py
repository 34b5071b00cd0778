"""When to sync: on demand, shortly after edits, periodically, and when the connection returns.

``SyncScheduler`` runs :meth:`SyncEngine.sync` on ONE background thread (never the caller's: the GUI
thread only calls the cheap, non-blocking methods below). Transient failures (network, busy server)
are retried with exponential back-off and jitter; while the server is unreachable a cheap probe
(``GET /health``) decides when a real sync is worth trying again. Problems that need the member
(sign in again, update SmartDesk) stop the automatic tries until :meth:`request` is called.

No Qt here: the GUI forwards its network-information signal to :meth:`connectivity_changed` and
listens to the engine (``engine.subscribe``) for progress and results.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from smartdesk.errors import SyncError
from smartdesk.sync.engine import SyncEngine
from smartdesk.sync.failpoints import backoff_delay

AFTER_EDIT = 3.0      # seconds of quiet after the last edit before syncing it
PERIOD = 300.0        # a sync every 5 minutes anyway (the cooperative's changes come by themselves)
PROBE_EVERY = 15.0    # while unreachable: how often the cheap probe runs, at most


class SyncScheduler:
    def __init__(self, engine: SyncEngine, *, after_edit: float = AFTER_EDIT, period: float = PERIOD,
                 probe_every: float = PROBE_EVERY, backoff_base: float = 1.0, backoff_cap: float = 300.0,
                 probe: Callable[[], bool] | None = None, rng: random.Random | None = None) -> None:
        self.engine = engine
        self.after_edit = after_edit
        self.period = period
        self.probe_every = probe_every
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.probe = probe or engine.client.probe
        self.rng = rng or random.Random()
        self.attempt = 0              # failed tries in a row
        self.blocked_reason = ""      # set when only the member can fix it (auth, version)
        self.runs = 0
        self._cond = threading.Condition()
        self._now = False
        self._edit_due: float | None = None
        self._retry_due: float | None = None
        self._periodic_due = time.monotonic() + period
        self._unreachable = False
        self._stop = False
        self._thread: threading.Thread | None = None

    # --- what the GUI calls (cheap, never blocks) -----------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="smartdesk-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the run in progress (an interrupted run is harmless anyway)."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request(self) -> None:
        """Sync now (F5, the sync button, after signing in)."""
        with self._cond:
            self._now = True
            self.blocked_reason = ""
            self._cond.notify_all()

    def edited(self) -> None:
        """Something was saved: sync once the member pauses."""
        with self._cond:
            self._edit_due = time.monotonic() + self.after_edit
            self._cond.notify_all()

    def connectivity_changed(self, online: bool) -> None:
        """The system says the network came back (or went away)."""
        if online:
            with self._cond:
                self._now = True
                self._cond.notify_all()

    # --- the background thread ------------------------------------------------------------------
    def _due(self) -> float | None:
        """Monotonic time of the next run (None: nothing due)."""
        if self._now:
            return 0.0
        if self.blocked_reason:
            return None
        dues = [d for d in (self._edit_due, self._periodic_due) if d is not None]
        if self._retry_due is not None:
            dues = [self._retry_due]  # while backing off, edits and the period wait for the retry
        return min(dues) if dues else None

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stop:
                    due = self._due()
                    wait = None if due is None else due - time.monotonic()
                    if wait is not None and wait <= 0:
                        break
                    self._cond.wait(wait)
                if self._stop:
                    return
                forced = self._now
                self._now = False
                self._edit_due = None
                retrying = self._retry_due is not None
                self._retry_due = None
            if retrying and self._unreachable and not forced and not self._probe():
                self._schedule_retry(probe_only=True)
                continue
            self._run()

    def _probe(self) -> bool:
        try:
            return bool(self.probe())
        except Exception:  # noqa: BLE001 - a failing probe means "not yet"
            return False

    def _run(self) -> None:
        self.runs += 1
        try:
            self.engine.sync()
        except SyncError as exc:
            if exc.kind == "conflict" and "already running" in exc.message:
                return
            if not exc.retry or exc.kind in ("auth", "version"):
                with self._cond:
                    self.blocked_reason = exc.message
                    self.attempt = 0
                    self._retry_due = None
                return
            self._unreachable = exc.kind == "network"
            self._schedule_retry(probe_only=False)
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not end the thread; tried again later
            self.engine._record_error(f"Unexpected problem while syncing ({type(exc).__name__}).")
            self._schedule_retry(probe_only=False)
            return
        with self._cond:
            self.attempt = 0
            self._unreachable = False
            self._retry_due = None
            self._periodic_due = time.monotonic() + self.period

    def _schedule_retry(self, probe_only: bool) -> None:
        with self._cond:
            delay = backoff_delay(self.attempt, base=self.backoff_base, cap=self.backoff_cap, rng=self.rng)
            if self._unreachable:
                delay = min(delay, self.probe_every)
            self.attempt += 1
            self._retry_due = time.monotonic() + delay
            self._cond.notify_all()


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass (for scripts and tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
