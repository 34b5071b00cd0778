"""Several server worker processes on one PostgreSQL database (``smartdesk-server serve --workers 2``):
parallel validations spread over both workers give unique, gap-free legal numbers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from smartdesk_server.db import make_engine
from tests.support.net import free_port

from .conftest import (
    PG_URL,
    Api,
    _reset_pg,
    _worker_database,
    new_advisor,
    new_member,
    server_doc,
    submitted_invoice,
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
    deadline = time.monotonic() + 60
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
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(chunk: list[Any]) -> None:
        # a new connection per request, so the kernel spreads requests over both worker processes
        for d in chunk:
            api = Api(srv.url, advisor.token)
            r = api.post(f"/advisor/v1/documents/{d.id}/validate", {})
            with lock:
                statuses.append(r.status_code)
            api.close()

    threads = [threading.Thread(target=worker, args=(docs[i % 6 :: 6],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # every document validated by two threads at once: one wins, the other is told it is already done
    assert statuses.count(200) == 24 and statuses.count(409) == 24, statuses
    numbers = []
    for i, d in enumerate(docs):
        value = server_doc(members[i % 2], d.id)
        assert value is not None and value["status"] == "validated"
        assert re.fullmatch(rf"BE-INV-{date.today().year}-\d{{6}}", value["number"])
        numbers.append(int(value["number"].rsplit("-", 1)[1]))
    assert sorted(numbers) == list(range(1, 25))
