"""Exactly once: a client process killed (SIGKILL) at every named failpoint and at random moments of a
sync, hundreds of times in a seeded run, then started again. Every edit reaches the server once, in
order, and the outbox ends empty.

One server subprocess lives for the whole run; each sync runs in a short-lived client process forked
from the test (a real process with its own SQLite connections, killed for real: named failpoints end
it with ``os._exit`` where they stand, random kills are ``SIGKILL`` from the test). Forking skips the
interpreter start-up, so hundreds of runs fit in the CI budget. The test process closes the local
store before each fork and makes the member's edits between runs.
"""

from __future__ import annotations

import io
import os
import random
import signal
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smartdesk.domain.documents import DocumentKind, Line
from smartdesk.services import Workspace
from smartdesk.sync import failpoints, local
from smartdesk.sync.client import SyncClient
from smartdesk.sync.credentials import Credentials
from smartdesk.sync.engine import SyncEngine
from tests.support.sync_harness import (
    MemoryCredentials,
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
)

pytestmark = [needs_server, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")]

SEED = int(os.environ.get("SMARTDESK_CRASH_SEED", "20261201"))
KILLS = int(os.environ.get("SMARTDESK_CRASH_KILLS", "220"))


def _receipt_png(rng: random.Random) -> bytes:
    """A real PNG of noise (incompressible: several upload chunks)."""
    from PIL import Image

    img = Image.frombytes("RGB", (160, 160), rng.randbytes(160 * 160 * 3))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _child_sync(data: Path, url: str, creds: Credentials, failpoint: str) -> None:
    """The client process: open the store, sync once, exit (or die at the armed failpoint)."""
    code = 0
    try:
        if failpoint:
            os.environ[failpoints.ENV] = failpoint
        else:
            os.environ.pop(failpoints.ENV, None)
        failpoints._hits.clear()
        ws = Workspace.open(data)
        store = MemoryCredentials(str(data))
        store.save(creds)
        engine = SyncEngine(ws.store, SyncClient(url, store, timeout=(5.0, 20.0)), ws.attachments)
        # small batches, pages and chunks: every crash point falls between two of them
        engine.push_batch, engine.pull_limit, engine.blob_chunk = 3, 4, 16 * 1024
        engine.sync()
        ws.close()
    except BaseException:  # noqa: BLE001 - any failure is an exit code for the parent
        import traceback

        traceback.print_exc()
        code = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class Member:
    """The member's edits, made by the test between client runs; every outbox entry is remembered."""

    def __init__(self, data: Path, rng: random.Random) -> None:
        self.data = data
        self.rng = rng
        self.made: list[tuple[int, str, str]] = []  # (mutation_id, name, entity_id), in order
        self.docs: list[str] = []
        self.notes: list[str] = []
        with Workspace.open(data) as ws:
            self.activity, self.client = seed_member_data(ws)
            self._remember(ws)

    def _remember(self, ws: Workspace) -> None:
        after = self.made[-1][0] if self.made else 0
        self.made += [
            (e.mutation_id, e.name, e.entity_id) for e in ws.store.outbox_entries(limit=10_000, after=after)
        ]

    def edit(self, n: int, with_receipt: bool) -> None:
        with Workspace.open(self.data) as ws:
            for _ in range(n):
                roll = self.rng.random()
                if not self.docs or roll < 0.15:
                    doc = draft_invoice(ws, self.activity, self.client, title=f"Doc {len(self.docs) + 1}")
                    self.docs.append(doc.id)
                elif roll < 0.25:
                    client = ws.clients.get(self.client.id)
                    client.notes = f"note {len(self.made)}"
                    ws.clients.save(client)
                else:
                    doc = ws.documents.get(self.rng.choice(self.docs))
                    step = len(doc.lines) + 1
                    doc.title = f"{doc.title.split(' / ')[0]} / edit {len(self.made)}"
                    doc.lines.append(
                        Line(
                            description=f"line {step}",
                            quantity=Decimal(1),
                            unit_price=Decimal(step),
                            unit="HUR",
                        )
                    )
                    ws.documents.save(doc)
                self._remember(ws)
            if with_receipt:
                if not self.notes or self.rng.random() < 0.3:
                    note = ws.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=self.activity.id)
                    self.notes.append(note.id)
                ws.receipts.add(self.rng.choice(self.notes), [(_receipt_png(self.rng), "receipt.png")])
                self._remember(ws)


def test_killed_at_failpoints_and_at_random_moments_every_edit_lands_exactly_once(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    email, member_id = sync_server.member()
    data = tmp_path / "laptop"
    with Workspace.open(data) as ws:
        creds = SyncClient(sync_server.url, MemoryCredentials("login"), client_id=local.client_id(ws.store))
        signed = creds.login(email, "correct horse battery staple")
        client_id = local.client_id(ws.store)
    member = Member(data, rng)

    kills: Counter[str] = Counter()
    clean_runs = 0
    durations: list[float] = [0.15]
    runs = 0
    while sum(kills.values()) < KILLS:
        runs += 1
        assert runs < KILLS * 4, f"too few kills: {kills}"
        name = ""
        roll = rng.random()
        if roll < 0.55:
            name = failpoints.FAILPOINTS[runs % len(failpoints.FAILPOINTS)]
        member.edit(rng.randint(0, 4), with_receipt=name.startswith("blob.") or rng.random() < 0.05)
        armed = f"{name}@{rng.randint(1, 3)}" if name else ""
        kill_after = (
            rng.uniform(0.0, 1.3 * sorted(durations)[len(durations) // 2])
            if roll >= 0.55 and roll < 0.95
            else None
        )
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child process
            _child_sync(data, sync_server.url, signed, armed)
        if kill_after is not None:
            time.sleep(kill_after)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
        elapsed = time.monotonic() - started
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            kills["random moment"] += 1
        elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 137:
            kills[name] += 1
        else:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (
                f"client run {runs} failed ({status})"
            )
            clean_runs += 1
            durations.append(elapsed)

    # every named failpoint was hit, and many random moments
    assert set(failpoints.FAILPOINTS) <= set(kills), kills
    assert kills["random moment"] >= KILLS // 6, kills
    print(
        f"\n{runs} client runs, {sum(kills.values())} killed: {dict(kills)}; {clean_runs} ran to the end; "
        f"median clean run {sorted(durations)[len(durations) // 2]:.3f} s, {len(member.made)} edits"
    )

    # restart one last time, without faults
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        _child_sync(data, sync_server.url, signed, "")
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    with Workspace.open(data) as ws:
        assert ws.sync.pending_changes() == 0  # the outbox ends empty
        assert local.list_rejections(ws.store, include_dismissed=True) == []
        assert local.list_conflicts(ws.store) == []
        local_docs = {d: ws.documents.get(d) for d in member.docs + member.notes}
        local_versions = {d: ws.store.server_version(d) for d in local_docs}

    # exactly once, in order: the server took mutation ids 1..N without a gap, each record's version
    # counts exactly the edits made to it (a replay would add one, a loss would miss one), no edit was
    # refused or taken as a conflict (an edit applied out of order conflicts with its own "before"),
    # and the last state is the member's
    mutation_ids = [m for m, _, _ in member.made]
    assert mutation_ids == list(range(1, len(mutation_ids) + 1))
    assert sync_server.db.last_mutation_id(client_id) == len(mutation_ids)
    edits_per_record = Counter(entity for _, _, entity in member.made)
    on_server = sync_server.db.records(member_id)
    for entity_id, count in edits_per_record.items():
        assert on_server[entity_id]["version"] == count, (entity_id, count, on_server[entity_id]["version"])
    for doc_id, doc in local_docs.items():
        body: dict[str, Any] = on_server[doc_id]["body"]
        assert body["title"] == doc.title
        assert [ln["description"] for ln in body["lines"]] == [ln.description for ln in doc.lines]
        assert [r for ln in body["expense_lines"] for r in ln["receipts"]] == [
            r for ln in doc.expense_lines for r in ln.receipts
        ]
        assert local_versions[doc_id] == on_server[doc_id]["version"]
    # every receipt reached the server whole (hash checked there), none is missing
    receipts = {r for doc in local_docs.values() for ln in doc.expense_lines for r in ln.receipts}
    assert receipts
    from smartdesk_server.db import blob_owners, read

    with read(sync_server.db.engine) as conn:
        owned = {
            r[0] for r in conn.execute(blob_owners.select().where(blob_owners.c.member_id == member_id)).all()
        }
    assert receipts <= owned
