"""Waiting for a condition outside Qt (GUI tests use ``qtbot.waitUntil``): a loaded machine is slow, so
tests wait for what they need, as long as it takes up to a generous limit, and never for a fixed time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    pass


def wait_until(
    condition: Callable[[], T], *, timeout: float = 60.0, interval: float = 0.02, what: str = "the condition"
) -> T:
    """Call ``condition`` until it returns something true and return that; fail after ``timeout``
    seconds with ``what`` in the message. The limit only stops a test that would hang: never rely on it."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise WaitTimeout(f"waited {timeout:.0f} s for {what}")
        pause.wait(interval)


# The limit of every condition wait in the GUI tests (qtbot.waitUntil, waitExposed), in milliseconds: as
# long as a machine shared by many test runs may need. Waits return as soon as the condition holds, so a
# long limit costs nothing; it only stops a test that would hang. Never a limit near one of the app's own
# delays (debounce, backoff, camera patience): a test that needs a delay to pass sets it short instead.
WAIT_MS = 60_000
