"""Convergence (Hypothesis stateful): two devices of one member and an advisor act on a random schedule
against the real server; devices sync now and then (sometimes through a network that drops answers).
After the network heals and both devices sync, both equal the server, every conflict is surfaced, and
no edit was dropped silently: each one was applied, or is listed as refused with the server's reason."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from smartdesk.domain.documents import Activity, Client
from smartdesk.errors import SmartDeskError, SyncError
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.sync import local
from smartdesk.sync.engine import SyncEngine, sync_with_retry
from smartdesk_server import coop
from smartdesk_server.errors import ApiError
from tests.support.sync_harness import (
    FaultProxy,
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
    signed_in_engine,
)

pytestmark = needs_server

FIELDS = ("title", "intro_text", "closing_text")
COMPARED = (*FIELDS, "status", "number", "kind")


def _results_on_server(server: SyncServer, client_id: str) -> list[dict[str, Any]]:
    import json

    from sqlalchemy import select

    from smartdesk_server.db import read, results

    with read(server.db.engine) as conn:
        rows = conn.execute(select(results.c.body).where(results.c.client_id == client_id)).all()
    return [json.loads(r[0]) for r in rows]


def make_machine(server: SyncServer, proxy: FaultProxy) -> type[RuleBasedStateMachine]:
    class TwoDevicesAndAnAdvisor(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.folder = Path(tempfile.mkdtemp(prefix="converge-"))
            self.email, self.member_id = server.member()
            self.devices: list[Workspace] = [
                Workspace.open(self.folder / "laptop"),
                Workspace.open(self.folder / "phone"),
            ]
            self.engines: list[SyncEngine] = [
                signed_in_engine(ws, proxy.url, self.email, timeout=(2.0, 5.0)) for ws in self.devices
            ]
            for engine in self.engines:
                engine.push_batch, engine.pull_limit = 3, 4
            self.activity, self.client = seed_member_data(self.devices[0])
            self.docs: list[str] = [
                draft_invoice(self.devices[0], self.activity, self.client, title=f"Shared {i}").id
                for i in range(2)
            ]
            self.counter = 0
            for engine in self.engines:  # both devices start from the same drafts
                engine.sync()

        def _doc(self, device: int, pick: int) -> tuple[Workspace, str] | None:
            if not self.docs:
                return None
            ws = self.devices[device]
            doc_id = self.docs[-1 - pick % min(len(self.docs), 4)]  # mostly the recent ones: they meet
            if not ws.store.ids_present("documents", {doc_id}):
                return None
            return ws, doc_id

        @rule(device=st.integers(0, 1))
        def new_draft(self, device: int) -> None:
            ws = self.devices[device]
            if not ws.store.ids_present("activities", {self.activity.id}):
                return  # this device has not received the activity yet
            act: Activity = ws.activities.get(self.activity.id)
            client: Client = ws.clients.get(self.client.id)
            self.counter += 1
            self.docs.append(draft_invoice(ws, act, client, title=f"Draft {self.counter}").id)

        @rule(
            device=st.integers(0, 1),
            pick=st.integers(0, 50),
            field=st.sampled_from((*FIELDS, "title", "title")),
            value=st.sampled_from(["alpha", "beta", "gamma", "delta"]),
        )
        def edit(self, device: int, pick: int, field: str, value: str) -> None:
            found = self._doc(device, pick)
            if found is None:
                return
            ws, doc_id = found
            doc = ws.documents.get(doc_id)
            self.counter += 1
            setattr(doc, field, f"{value} {self.counter}")
            try:
                ws.documents.save(doc)
            except SmartDeskError:
                pass  # locked here already (validated...): refused at once, nothing queued

        def _try(self, device: int, pick: int, action: Callable[[Workspace, str], object]) -> None:
            """``action`` on a picked document of the device, if it has one; one the app refuses at once
            (locked here already...) is skipped, nothing queued."""
            found = self._doc(device, pick)
            if found is not None:
                with contextlib.suppress(SmartDeskError):
                    action(*found)

        @rule(device=st.integers(0, 1), pick=st.integers(0, 50))
        def submit(self, device: int, pick: int) -> None:
            self._try(device, pick, lambda ws, doc_id: ws.documents.submit(doc_id))

        @rule(device=st.integers(0, 1), pick=st.integers(0, 50))
        def delete(self, device: int, pick: int) -> None:
            self._try(device, pick, lambda ws, doc_id: ws.documents.delete(doc_id))

        @rule(pick=st.integers(0, 50), action=st.sampled_from(["validate", "validate", "return"]))
        def advisor(self, pick: int, action: str) -> None:
            waiting = sorted(
                k
                for k, v in server.db.records(self.member_id, "document").items()
                if v["body"] and v["body"]["status"] == "submitted"
            )
            if not waiting:
                return
            doc_id = waiting[pick % len(waiting)]
            try:
                if action == "validate":
                    coop.validate(server.db.engine, None, doc_id)
                else:
                    coop.return_document(server.db.engine, None, doc_id, "Add the purchase order number.")
            except (ApiError, LookupError):
                pass  # not there yet, or not in a state the advisor can act on

        @rule(device=st.integers(0, 1), flaky=st.booleans())
        def sync(self, device: int, flaky: bool) -> None:
            if flaky:
                proxy.add("/sync/v1/p", "drop", count=1)
            try:
                self.engines[device].sync()
            except SyncError:
                pass
            proxy.clear()

        @rule(device=st.integers(0, 1), keep=st.sampled_from(["mine", "theirs", "copy"]))
        def resolve(self, device: int, keep: str) -> None:
            ws = self.devices[device]
            open_ = local.list_conflicts(ws.store, include_held=False)
            if not open_:
                return
            try:
                new_id = local.resolve_conflict(ws.store, open_[0].id, keep)
            except (SmartDeskError, ValueError):
                return
            if new_id:
                self.docs.append(new_id)

        def teardown(self) -> None:
            if not hasattr(self, "devices"):
                return
            try:
                self._heal_and_check()
            finally:
                for ws in self.devices:
                    ws.close()
                shutil.rmtree(self.folder, ignore_errors=True)

        def _heal_and_check(self) -> None:
            proxy.clear()
            for _ in range(2):
                for engine in self.engines:
                    sync_with_retry(engine, attempts=3, base=0.01)
            truth = {
                k: v["body"]
                for k, v in server.db.records(self.member_id, "document").items()
                if not v["deleted"]
            }
            for ws, engine in zip(self.devices, self.engines, strict=True):
                assert ws.sync.pending_changes() == 0
                rows = ws.documents.list(DocumentQuery(limit=10_000)).rows
                assert {r.id for r in rows} == set(truth), "the device holds other documents than the server"
                for doc_id, body in truth.items():
                    mine = ws.documents.get(doc_id)
                    assert {f: getattr(mine, f) if f != "kind" else mine.kind.value for f in COMPARED} == {
                        f: body[f] for f in COMPARED
                    }, doc_id
                # nothing held back, and every refusal of the server is listed on the device
                assert all(c.state == "open" for c in local.list_conflicts(ws.store))
                refused = _results_on_server(server, local.client_id(ws.store))
                listed = {r.mutation_id: r for r in local.list_rejections(ws.store, include_dismissed=True)}
                assert {r["mutation_id"] for r in refused} == set(listed)
                for r in refused:
                    assert listed[r["mutation_id"]].reason == r["message"]
                conflicts = {c.entity_id for c in local.list_conflicts(ws.store)}
                for r in refused:
                    if r["status"] == "conflict":  # a same-field conflict: shown with both values...
                        entity = listed[r["mutation_id"]].entity_id
                        resolved = entity not in conflicts
                        assert resolved or any(
                            c.local_value and c.server_value
                            for c in local.list_conflicts(ws.store)
                            if c.entity_id == entity
                        )
                assert engine.status().pending == 0

    return TwoDevicesAndAnAdvisor


def test_two_devices_and_an_advisor_converge(sync_server: SyncServer) -> None:
    proxy = FaultProxy(sync_server.process.port)
    try:
        machine = make_machine(sync_server, proxy)
        machine.TestCase.settings = settings(
            max_examples=int(os.environ.get("SMARTDESK_CONVERGE_EXAMPLES", "10")),
            stateful_step_count=45,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        machine.TestCase().runTest()
    finally:
        proxy.close()
