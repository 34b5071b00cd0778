"""Every qtbot wait without a timeout of its own gets the suite's generous limit, not pytest-qt's 5 s."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.gui.conftest import PATIENT_WAITS, patient
from tests.support.waits import WAIT_MS


class _Waits:
    def __init__(self) -> None:
        self.seen: list[int] = []

    def waitUntil(self, callback, *, timeout: int = 5000) -> None:  # noqa: N802 - pytest-qt's name
        self.seen.append(timeout)


def test_a_wait_without_a_timeout_gets_the_suites_limit():
    patient(_Waits, "waitUntil")
    w = _Waits()
    w.waitUntil(lambda: True)
    w.waitUntil(lambda: True, timeout=123)
    assert w.seen == [WAIT_MS, 123]


def test_every_qtbot_wait_is_the_patient_one(qtbot):
    for name in PATIENT_WAITS:
        assert getattr(getattr(QtBot, name), "__wrapped__", None) is not None, name
    qtbot.waitUntil(lambda: True)  # and it still waits for real
