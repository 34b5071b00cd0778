"""The task manager: one worker thread for database writes (in order), a pool for other slow work.

Results come back to the GUI thread through a signal; workers never touch widgets. A callback that
is a method of a widget (or other QObject) Qt has deleted meanwhile is dropped: a result may come back
after its window or editor has gone.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


def qobject_alive(obj: QObject) -> bool:
    """False once Qt has deleted ``obj`` (a worker's answer may arrive after its window closed)."""
    return bool(shiboken6.isValid(obj))


def alive(callback: Callable[..., Any] | None) -> bool:
    """False for a method of a QObject that Qt has already deleted (its answer has nowhere to go)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or qobject_alive(owner)


class _Bridge(QObject):
    """Lives in the GUI thread; signals emitted from workers are queued to it."""

    finished = Signal(int, object, object)


class _WriteThread(QThread):
    def __init__(self, jobs: queue.Queue[tuple[int, Callable[[], Any]] | None], bridge: _Bridge) -> None:
        super().__init__()
        self.setObjectName("smartdesk-writer")
        self._jobs = jobs
        self._bridge = bridge

    def run(self) -> None:
        while True:
            item = self._jobs.get()
            try:
                if item is None:
                    return
                task_id, fn = item
                try:
                    result, error = fn(), None
                except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never lost
                    result, error = None, exc
                self._bridge.finished.emit(task_id, result, error)
            finally:
                self._jobs.task_done()


class _PoolJob(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self._task_id, self._fn, self._bridge = task_id, fn, bridge

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except BaseException as exc:  # noqa: BLE001
            result, error = None, exc
        self._bridge.finished.emit(self._task_id, result, error)


class TaskManager(QObject):
    """``write(fn, on_done, on_error)`` runs ``fn`` on the single writer thread, in call order;
    ``run(fn, ...)`` runs it on the pool. Callbacks run on the GUI thread."""

    busy_changed = Signal(bool)
    failed = Signal(object)  # an error no caller handled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._on_finished)
        self._jobs: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._writer = _WriteThread(self._jobs, self._bridge)
        self._writer.start()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(2)
        self._callbacks: dict[int, tuple[Callback | None, ErrorCallback | None]] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False

    def _register(self, on_done: Callback | None, on_error: ErrorCallback | None) -> int:
        with self._lock:
            self._next += 1
            task_id = self._next
        self._callbacks[task_id] = (on_done, on_error)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        return task_id

    def write(
        self, fn: Callable[[], Any], on_done: Callback | None = None, on_error: ErrorCallback | None = None
    ) -> int:
        if self._closed:
            raise RuntimeError("the task manager is closed")
        task_id = self._register(on_done, on_error)
        self._jobs.put((task_id, fn))
        return task_id

    def run(
        self, fn: Callable[[], Any], on_done: Callback | None = None, on_error: ErrorCallback | None = None
    ) -> int:
        task_id = self._register(on_done, on_error)
        self._pool.start(_PoolJob(task_id, fn, self._bridge))
        return task_id

    @Slot(int, object, object)
    def _on_finished(self, task_id: int, result: object, error: object) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if isinstance(error, BaseException):
            if on_error is None:
                self.failed.emit(error)
            elif alive(on_error):
                on_error(error)
        elif on_done is not None and alive(on_done):
            on_done(result)

    @property
    def pending(self) -> int:
        return self._pending

    def flush(self) -> None:
        """Wait until every queued write and pool job is done, then deliver their callbacks."""
        app = QApplication.instance()
        if app is not None:
            app.processEvents()  # queued GUI work (e.g. a cell editor's commit) may queue more writes
        while True:
            self._jobs.join()
            self._pool.waitForDone()
            if app is not None:
                app.processEvents()
            if not self._pending or app is None:
                break

    def close(self) -> None:
        if self._closed:
            return
        self.flush()
        self._closed = True
        self._jobs.put(None)
        self._writer.wait()
