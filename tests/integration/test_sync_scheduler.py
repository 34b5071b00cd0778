"""The background scheduler against the real server: shortly after edits, on demand, back-off while
the server is down (with a cheap probe), and back at once when it returns."""

from __future__ import annotations

import random
from pathlib import Path

from smartdesk.services import Workspace
from smartdesk.sync.scheduler import SyncScheduler, wait_until
from tests.support.sync_harness import (
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
    server_documents,
    signed_in_engine,
)

pytestmark = needs_server


def test_edits_are_sent_in_the_background_and_survive_a_server_outage(
        sync_server: SyncServer, tmp_path: Path) -> None:
    email, member_id = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        engine = signed_in_engine(ws, sync_server.url, email, timeout=(1.0, 5.0))
        events: list[str] = []
        engine.subscribe(lambda event, data: events.append(event))
        scheduler = SyncScheduler(engine, after_edit=0.05, period=3600, probe_every=0.2, backoff_base=0.05,
                                  backoff_cap=0.5, rng=random.Random(3))
        scheduler.start()
        try:
            activity, client = seed_member_data(ws)
            doc = draft_invoice(ws, activity, client)
            scheduler.edited()
            assert wait_until(lambda: ws.pending_changes() == 0, 20)
            assert doc.id in server_documents(sync_server.db, member_id)

            # the server goes away: edits wait, tries back off, the status says why
            sync_server.process.stop()
            later = draft_invoice(ws, activity, client, title="Made while the server was down")
            scheduler.edited()
            assert wait_until(lambda: scheduler.attempt >= 3, 20)
            status = engine.status()
            assert not status.online and status.pending > 0
            assert "cannot reach" in (status.last_error or "")

            # it comes back: the probe notices, the edit goes out without anyone asking
            sync_server.process.start()
            assert wait_until(lambda: ws.pending_changes() == 0, 30)
            assert server_documents(sync_server.db, member_id)[later.id]["body"]["title"] == later.title
            assert engine.status().online and engine.status().last_error is None
            assert scheduler.attempt == 0

            # on demand (F5)
            finished = events.count("finished")
            scheduler.request()
            assert wait_until(lambda: events.count("finished") > finished, 20)
            assert "failed" in events  # the outage was reported to listeners too
        finally:
            scheduler.stop()


def test_a_problem_only_the_member_can_fix_stops_the_automatic_tries(
        sync_server: SyncServer, tmp_path: Path) -> None:
    email, _ = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        engine = signed_in_engine(ws, sync_server.url, email)
        engine.client.protocol_version = 99
        scheduler = SyncScheduler(engine, after_edit=0.01, period=3600, backoff_base=0.01)
        scheduler.start()
        try:
            seed_member_data(ws)
            scheduler.edited()
            assert wait_until(lambda: bool(scheduler.blocked_reason), 20)
            assert "Install the latest SmartDesk" in scheduler.blocked_reason
            runs = scheduler.runs
            scheduler.edited()
            assert not wait_until(lambda: scheduler.runs > runs, 0.5)  # no hammering the server
            engine.client.protocol_version = 1  # updated
            scheduler.request()
            assert wait_until(lambda: ws.pending_changes() == 0, 20)
            assert scheduler.blocked_reason == ""
        finally:
            scheduler.stop()
