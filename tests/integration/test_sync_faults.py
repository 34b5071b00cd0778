"""Lost acknowledgements and network faults between the client and the real server (a fault-injecting
HTTP proxy on 127.0.0.1): commit then drop the answer, duplicated requests, 5xx bursts, stalls longer
than the client waits, connection resets, the server restarted in the middle of a batch.
Nothing is lost, nothing is doubled."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartdesk.errors import SyncError
from smartdesk.services import Workspace
from smartdesk.sync.client import SyncClient
from smartdesk.sync.credentials import Credentials
from smartdesk.sync.engine import SyncEngine, sync_with_retry
from tests.support.sync_harness import (
    PASSWORD,
    EditLog,
    FaultProxy,
    MemoryCredentials,
    SyncServer,
    assert_exactly_once,
    edit_documents,
    needs_server,
    seed_member_data,
    signed_in_engine,
)

pytestmark = needs_server

PUSH, PULL = "/sync/v1/push", "/sync/v1/pull"


@pytest.fixture
def proxy(sync_server: SyncServer) -> Iterator[FaultProxy]:
    p = FaultProxy(sync_server.process.port)
    p.on_restart = sync_server.process.restart
    yield p
    p.close()


@pytest.fixture(scope="module")
def member(sync_server: SyncServer) -> tuple[str, str, Credentials]:
    """One member for the module (each test is another device of it, with its own outbox)."""
    email, member_id = sync_server.member()
    client = SyncClient(sync_server.url, MemoryCredentials("first-device"))
    return email, member_id, client.login(email, PASSWORD)


class Device:
    def __init__(
        self, member: tuple[str, str, Credentials], proxy: FaultProxy, folder: Path, seed: int = 1
    ) -> None:
        self.email, self.member_id, creds = member
        self.ws = Workspace.open(folder)
        self.engine: SyncEngine = signed_in_engine(
            self.ws, proxy.url, self.email, timeout=(2.0, 0.8), creds=creds
        )
        self.engine.push_batch = 4
        self.engine.pull_limit = 5
        self.activity, self.client = seed_member_data(self.ws)
        self.rng = random.Random(seed)
        self.docs: list[str] = []
        self.log = EditLog()
        self.log.capture(self.ws)

    def edit(self, n: int) -> None:
        edit_documents(self.ws, self.rng, self.docs, self.activity, self.client, n)
        self.log.capture(self.ws)

    def sync(self) -> None:
        sync_with_retry(self.engine, attempts=12, base=0.02)


@pytest.fixture
def device(member: tuple[str, str, Credentials], proxy: FaultProxy, tmp_path: Path) -> Iterator[Device]:
    d = Device(member, proxy, tmp_path / "laptop")
    yield d
    d.ws.close()


@pytest.mark.parametrize(
    ("path", "mode", "count"),
    [
        (PUSH, "drop", 2),  # the server committed, the answer never came
        (PULL, "drop", 2),
        (PUSH, "duplicate", 3),  # the same batch reaches the server twice
        (PULL, "duplicate", 2),
        (PUSH, "error", 4),  # a burst of 503 before anything is applied
        (PUSH, "error_after", 2),  # applied, then reported as a 503
        (PULL, "error", 3),
        (PUSH, "stall", 1),  # longer than the client waits; the server applies it afterwards
        (PULL, "stall", 1),
        (PUSH, "reset", 3),  # connection reset before anything is sent on
        (PULL, "reset", 2),
        (PUSH, "restart", 1),  # applied, then the server restarts before answering
    ],
)
def test_fault_loses_nothing_and_doubles_nothing(
    sync_server: SyncServer, proxy: FaultProxy, device: Device, path: str, mode: str, count: int
) -> None:
    device.edit(14)  # several push batches and pull pages
    proxy.add(path, mode, count=count, stall=1.0)
    device.sync()
    # a stalled request may still be on its way to the server: let it land, then sync again
    device.edit(3)
    device.sync()
    device.sync()
    hit = [entry for entry in proxy.log if path in entry[1]]
    assert len(hit) >= count  # the fault really happened
    assert_exactly_once(sync_server.db, device.member_id, device.ws, device.log)


def test_a_lost_answer_keeps_the_outbox_until_the_server_confirms(
    sync_server: SyncServer, proxy: FaultProxy, device: Device
) -> None:
    device.edit(3)
    before = device.ws.sync.pending_changes()
    proxy.add(PUSH, "drop", count=1)
    with pytest.raises(SyncError) as err:
        device.engine.sync()
    assert err.value.kind == "network"
    assert device.ws.sync.pending_changes() == before  # applied on the server, but not confirmed: kept
    assert "internet connection" in (device.engine.status().last_error or "")
    assert not device.engine.status().online
    device.engine.sync()
    assert device.engine.status().online and device.engine.status().last_error is None
    assert_exactly_once(sync_server.db, device.member_id, device.ws, device.log)


def test_server_restarted_between_and_within_batches(
    sync_server: SyncServer, proxy: FaultProxy, device: Device
) -> None:
    device.edit(12)
    restarted = []

    def restart_after_first_batch(event: str, data: dict[str, object]) -> None:
        if event == "progress" and data.get("step") == "push" and data.get("first") != 1 and not restarted:
            restarted.append(True)
            sync_server.process.restart()

    unsubscribe = device.engine.subscribe(restart_after_first_batch)
    proxy.add(PUSH, "restart", count=1)  # the first batch: applied, then the server goes down
    device.sync()
    unsubscribe()
    assert restarted
    device.edit(2)
    device.sync()
    assert_exactly_once(sync_server.db, device.member_id, device.ws, device.log)


def test_random_mix_of_faults_over_many_syncs(
    sync_server: SyncServer, proxy: FaultProxy, device: Device
) -> None:
    rng = random.Random(4242)
    modes = ["drop", "duplicate", "error", "error_after", "reset", "stall"]
    for _ in range(10):
        device.edit(rng.randint(1, 6))
        for _ in range(rng.randint(0, 3)):
            proxy.add(rng.choice([PUSH, PULL]), rng.choice(modes), count=rng.randint(1, 2), stall=1.0)
        try:
            device.sync()
        except SyncError:
            pass  # more faults than retries this time: the next round continues
    proxy.clear()
    device.sync()
    device.sync()
    assert_exactly_once(sync_server.db, device.member_id, device.ws, device.log)
