"""A worker's answer that comes back after its widget was deleted is dropped, not delivered to a dead object."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel, QWidget

from smartdesk.gui.tasks import TaskManager


class _Box(QWidget):
    def __init__(self, seen: list[object]) -> None:
        super().__init__()
        self.seen = seen
        self.label = QLabel(self)

    def done(self, result: object) -> None:
        self.seen.append(result)
        self.label.setText(str(result))  # raises RuntimeError on a deleted widget

    def failed(self, exc: BaseException) -> None:
        self.seen.append(exc)
        self.label.setText(str(exc))


def test_results_for_a_deleted_widget_are_dropped(qtbot):
    tm = TaskManager()
    seen: list[object] = []
    errors: list[BaseException] = []
    tm.failed.connect(errors.append)
    release = threading.Event()
    box = _Box(seen)
    tm.run(lambda: release.wait(10) and "late", box.done, box.failed)
    tm.write(lambda: release.wait(10) and 1 / 0, box.done, box.failed)
    shiboken6.delete(box)  # the window closed while the work was running
    release.set()
    tm.flush()
    assert seen == [] and errors == []
    # a living receiver still gets its answer
    kept = _Box(seen)
    tm.run(lambda: "on time", kept.done)
    qtbot.waitUntil(lambda: seen == ["on time"], timeout=10_000)
    assert kept.label.text() == "on time"
    tm.close()
