"""A process writing a burst of edits is killed (SIGKILL) at random moments; the store stays whole.

After each kill: the integrity check passes, and every edit is either fully present with its
outbox entry or absent (the outbox holds exactly edits 1..K of the document whose title is edit-K).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from smartdesk.services import Workspace
from smartdesk.store import database

WRITER = r"""
import sys
from smartdesk.services import Workspace
from smartdesk.domain.documents import DocumentKind
ws = Workspace.open(sys.argv[1])
doc = ws.documents.new(DocumentKind.QUOTE)
print("doc", doc.id, flush=True)
n = 0
while True:
    n += 1
    doc.title = f"edit-{n}"
    ws.documents.save(doc)
    print(n, flush=True)
"""

ROUNDS = 25


def test_sigkill_during_a_burst_of_edits(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    folder = tmp_path / "data"
    Workspace.open(folder).close()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    checked = 0
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None
        first = proc.stdout.readline().split()
        assert first[0] == "doc", first
        doc_id = first[1]
        time.sleep(rng.uniform(0.005, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged = [int(x) for x in out.split()] or [0]
        assert database.integrity_problem(folder / database.DB_NAME) is None
        with Workspace.open(folder) as ws:
            doc = ws.documents.get(doc_id)
            titles = [
                e.args["document"]["title"]
                for e in ws.store.outbox_entries(limit=100_000)
                if e.entity_id == doc_id
            ]
        k = int(doc.title.split("-")[1]) if doc.title else 0
        assert k >= max(acknowledged), "an acknowledged edit was lost"
        assert titles == [""] + [f"edit-{i}" for i in range(1, k + 1)], "outbox and data disagree"
        checked += k
    assert checked > 0
