"""Shared fixtures: a real local store in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests on a loaded machine: no per-example deadline (Hypothesis' default 200 ms is a timing
# assertion, and tests never assert timings) and no "too slow" health check; no example database, so a
# run depends only on its seed (pytest-randomly seeds Hypothesis; the seed is printed at the end).
settings.register_profile(
    "smartdesk", deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "smartdesk"))

from smartdesk.services import Workspace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    try:
        yield ws
    finally:
        ws.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say which random order this run took (pytest-randomly), even with -q, so a failure that depends
    on the order can be replayed with the same seed."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(
            f"tests ran in a random order: replay it with -p randomly --randomly-seed={seed}"
        )
