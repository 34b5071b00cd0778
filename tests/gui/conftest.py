"""GUI test fixtures: offscreen Qt, a real data folder, isolated window settings."""

from __future__ import annotations

import functools
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from smartdesk.i18n import ui  # noqa: E402
from smartdesk.services import Workspace  # noqa: E402
from tests.support.screens import save_shot, screenshot_folder  # noqa: E402,F401 - for branches in flight
from tests.support.waits import WAIT_MS  # noqa: E402


def patient(cls: type, name: str) -> None:
    """pytest-qt waits 5 s unless told otherwise: on a loaded 2-core machine a plain
    ``qtbot.waitUntil(cond)`` then fails now and then. Every wait without its own ``timeout`` gets
    ``WAIT_MS``; waits return as soon as their condition holds, so this only stops a hang later."""
    original = getattr(cls, name)

    @functools.wraps(original)
    def wait(self: object, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", WAIT_MS)
        return original(self, *args, **kwargs)

    setattr(cls, name, wait)


PATIENT_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitCallback", "waitExposed", "waitActive")
for _name in PATIENT_WAITS:
    patient(QtBot, _name)


@pytest.fixture(autouse=True)
def english_ui(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ui.ENV_UI_LANG, raising=False)
    ui.set_language("en")
    yield
    ui.set_language("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ini_path(tmp_path: Path) -> Path:
    return tmp_path / "window.ini"


@pytest.fixture
def open_ws(data_dir: Path) -> Iterator[Callable[[], Workspace]]:
    opened: list[Workspace] = []

    def factory() -> Workspace:
        ws = Workspace.open(data_dir)
        ws.settings.set("first_run_done", True)
        opened.append(ws)
        return ws

    yield factory
    for ws in opened:
        ws.close()


@pytest.fixture
def make_window(qtbot, ini_path: Path):
    from smartdesk.gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def factory(ws: Workspace, width: int = 1280, height: int = 800) -> MainWindow:
        window = MainWindow(ws, settings=QSettings(str(ini_path), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window, timeout=WAIT_MS)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        windows.append(window)
        return window

    yield factory
    for w in windows:
        w.tasks.close()
