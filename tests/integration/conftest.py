"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from smartdesk.domain.documents import Activity, Client, Document
from smartdesk.services import Workspace
from smartdesk.sync.engine import SyncEngine
from tests.support.sync_harness import (
    SyncServer,
    running_server,
    seed_member_data,
    sent_invoice,
    signed_in_engine,
)


@pytest.fixture(scope="module")
def sync_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    """One real server subprocess (SQLite on 127.0.0.1) per test module; each test makes its own member."""
    yield from running_server(tmp_path_factory)


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    """The member's computer: a local store in the test's own folder (``tmp_path / "laptop"``)."""
    with Workspace.open(tmp_path / "laptop") as ws:
        yield ws


class SignedIn(NamedTuple):
    """A new member of the module's server, signed in on the laptop, who has set up an activity and a client
    there (nothing synced yet)."""

    email: str
    member_id: str
    engine: SyncEngine
    activity: Activity
    client: Client


@pytest.fixture
def signed_in(sync_server: SyncServer, laptop: Workspace) -> SignedIn:
    email, member_id = sync_server.member()
    engine = signed_in_engine(laptop, sync_server.url, email)
    activity, client = seed_member_data(laptop)
    return SignedIn(email, member_id, engine, activity, client)


class SentInvoice(NamedTuple):
    """A new member's invoice, submitted from the laptop, validated and sent to the client by the cooperative
    and synced back: awaiting payment (``tests.support.sync_harness.sent_invoice``)."""

    member_id: str
    engine: SyncEngine
    doc: Document
    server_data: Path  # the server's data folder, for ``server_cli``


@pytest.fixture
def sent(sync_server: SyncServer, laptop: Workspace) -> SentInvoice:
    email, member_id = sync_server.member()
    engine, doc = sent_invoice(laptop, sync_server, email)
    return SentInvoice(member_id, engine, doc, sync_server.process.data_dir)
