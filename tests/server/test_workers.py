"""Several server worker processes on one PostgreSQL database (``smartdesk-server serve --workers 2``):
parallel validations spread over both workers give unique, gap-free legal numbers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from smartdesk_server.db import make_engine
from tests.support.net import free_port

from .conftest import (
    PG_URL,
    _reset_pg,
    _worker_database,
    new_advisor,
    new_member,
    sequence_number,
    submitted_invoice,
    validate_twice_at_once,
    validated_values,
)

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL ($SMARTDESK_TEST_PG_URL)")


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Any]:
    url = _worker_database(PG_URL, "_multi")
    _reset_pg(url)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartdesk_server.cli",
            "serve",
            "--workers",
            "2",
            "--port",
            str(port),
            "--database-url",
            url,
            "--data-dir",
            str(tmp_path),
            "--followup-interval",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded 2-core machine may need long to import and bind
    while True:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the server did not start: " + (proc.stdout.read() if proc.stdout else ""))
        time.sleep(0.1)
    engine = make_engine(url)
    yield SimpleNamespace(url=base, engine=engine, proc=proc)
    proc.terminate()
    proc.wait(20)
    engine.dispose()


def test_validations_across_worker_processes_are_gap_free(two_workers: Any) -> None:
    srv = two_workers
    members = [new_member(srv), new_member(srv)]
    advisor = new_advisor(srv, *members)
    docs = [submitted_invoice(members[i % 2]) for i in range(24)]
    # 12 threads, a new connection per request, so the kernel spreads requests over both worker processes
    statuses = validate_twice_at_once(srv.url, advisor, docs, 12, connection_per_request=True)
    # every document validated by two threads at once: one wins, the other is told it is already done
    assert statuses.count(200) == 24 and statuses.count(409) == 24, statuses
    numbers = [sequence_number(value) for value in validated_values(members, docs)]
    assert sorted(numbers) == list(range(1, 25))
