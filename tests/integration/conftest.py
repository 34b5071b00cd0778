"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.sync_harness import SyncServer, running_server


@pytest.fixture(scope="module")
def sync_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    """One real server subprocess (SQLite on 127.0.0.1) per test module; each test makes its own member."""
    yield from running_server(tmp_path_factory)
