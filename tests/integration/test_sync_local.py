"""Local sync pieces on a real SQLite store (no server): shadow writes, held conflicts, rejections,
client id, failpoints, back-off, credentials without a keyring."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date

import pytest

from smartdesk.domain.documents import Client, DocumentKind
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import client_to_dict, document_to_dict
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.sync import local
from smartdesk.sync.credentials import Credentials, CredentialStore
from smartdesk.sync.engine import SyncStatus, describe
from smartdesk.sync.failpoints import backoff_delay


def test_client_id_is_stable_per_store(workspace: Workspace) -> None:
    local.ensure_tables(workspace.store)
    first = local.client_id(workspace.store)
    assert first == local.client_id(workspace.store)
    assert len(first) == 36


def test_pulled_rows_are_written_without_outbox_entries(workspace: Workspace) -> None:
    local.ensure_tables(workspace.store)
    client = Client(id=uuid7(), name="Studio Noord")
    doc = workspace.documents.new(DocumentKind.INVOICE)
    body = document_to_dict(doc)
    before = workspace.sync.pending_changes()
    body["client_id"] = client.id
    body["title"] = "Pulled from the server"
    with workspace.store.write() as conn:
        local.apply_upsert(workspace.store, conn, "client", client.id, client_to_dict(client), 4)
        local.apply_upsert(workspace.store, conn, "document", doc.id, body, 9)
    assert workspace.sync.pending_changes() == before
    assert workspace.documents.get(doc.id).title == "Pulled from the server"
    assert workspace.store.server_version(doc.id) == 9
    assert workspace.store.get_client(client.id).version == 4
    assert workspace.documents.list(DocumentQuery(text="pulled")).total == 1  # full-text index follows
    with workspace.store.write() as conn:
        local.apply_delete(conn, "document", doc.id)
    assert workspace.documents.list(DocumentQuery()).total == 0
    assert workspace.sync.pending_changes() == before


def test_server_value_over_unsent_change_is_held_then_settled(workspace: Workspace) -> None:
    local.ensure_tables(workspace.store)
    doc = workspace.documents.new(DocumentKind.QUOTE)
    doc.title = "mine"
    workspace.documents.save(doc)
    theirs = document_to_dict(doc)
    theirs["title"] = "theirs"
    with workspace.store.write() as conn:
        pending = local.pending_ids(conn)
        assert doc.id in pending
        local.hold_server_value(conn, "document", doc.id, theirs, 3)
    assert workspace.documents.get(doc.id).title == "mine"  # never overwritten while unsent
    [held] = local.list_conflicts(workspace.store)
    assert held.state == "held" and held.server_value and held.server_value["title"] == "theirs"
    # the server refused my change: its value comes in, the conflict stays visible with my version
    with workspace.store.write() as conn:
        local.record_rejections(
            conn, [(1, "document.put", doc.id, "{}", "locked", "Validated by the advisor.")]
        )
        workspace.store.drop_acknowledged(conn, 10)
        local.settle_held(workspace.store, conn, local.pending_ids(conn), {doc.id})
    assert workspace.documents.get(doc.id).title == "theirs"
    [conflict] = local.list_conflicts(workspace.store, include_held=False)
    assert conflict.local_value and conflict.local_value["title"] == "mine"
    [rejection] = local.list_rejections(workspace.store)
    assert rejection.reason == "Validated by the advisor."
    # keep mine: queued again as a new edit
    local.resolve_conflict(workspace.store, conflict.id, "mine")
    assert workspace.documents.get(doc.id).title == "mine"
    assert workspace.sync.pending_changes() == 1
    assert local.list_conflicts(workspace.store) == []


def test_failpoint_ends_the_process_like_a_kill(tmp_path: object) -> None:
    code = (
        "from smartdesk.sync.failpoints import failpoint\nfailpoint('a')\nfailpoint('b')\nprint('survived')"
    )
    env = {**os.environ, "SMARTDESK_FAILPOINT": "b"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 137 and "survived" not in done.stdout
    env["SMARTDESK_FAILPOINT"] = "c"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "survived" in done.stdout


def test_backoff_grows_with_jitter_and_a_ceiling() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(a, base=1.0, cap=60.0, rng=rng) for a in range(10)]
    assert 0.5 <= delays[0] <= 1.0
    assert 4.0 <= delays[3] <= 8.0
    assert all(30.0 <= d <= 60.0 for d in delays[6:])
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered, not in step


def test_credentials_without_keyring_stay_in_memory_only() -> None:
    store = CredentialStore("test-account-" + uuid7())
    if store.persistent:  # a developer machine with a real keyring: nothing to check here
        return
    assert "keyring" in store.warning
    store.save(Credentials(server="http://x", email="a@b.c", access_token="t"))
    again = CredentialStore(store.account)
    loaded = again.load()
    assert loaded is not None and loaded.access_token == "t"
    again.delete()
    assert CredentialStore(store.account).load() is None


def test_status_sentence() -> None:
    text = describe(
        SyncStatus(
            online=False, last_success_at=None, pending=3, last_error="No network.", conflicts=1, rejections=2
        )
    )
    assert "3 change(s) waiting" in text and "never synced" in text.lower() and "No network." in text
    assert "2 change(s) refused" in text


def _open_conflict(workspace: Workspace) -> tuple[str, int]:
    """A document refused by the cooperative (locked) while I had changed its title: an open conflict."""
    local.ensure_tables(workspace.store)
    doc = workspace.documents.new(DocumentKind.INVOICE)
    doc.title = "Edited on the train"
    workspace.documents.save(doc)
    mine = document_to_dict(workspace.documents.get(doc.id))
    theirs = {**mine, "title": "As validated", "status": "validated", "number": "FBE-2026-00001"}
    with workspace.store.write() as conn:
        workspace.store.drop_acknowledged(conn, local.max_mutation_id(conn))
        local.apply_upsert(workspace.store, conn, "document", doc.id, theirs, 5)
        local.open_conflict(conn, "document", doc.id, theirs, 5, mine)
    [conflict] = workspace.sync.conflicts()
    return doc.id, conflict.id


def test_copy_mine_to_a_new_draft_is_one_transaction(workspace: Workspace) -> None:
    doc_id, conflict_id = _open_conflict(workspace)
    before = workspace.documents.count(DocumentQuery())

    def broken_copy(_doc: object) -> object:
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        local.resolve_conflict(workspace.store, conflict_id, "copy", new_draft=broken_copy)  # type: ignore[arg-type]
    assert [c.id for c in workspace.sync.conflicts()] == [conflict_id]  # still open: nothing half done
    assert workspace.documents.count(DocumentQuery()) == before

    new_id = workspace.sync.resolve(conflict_id, "copy")
    copy = workspace.documents.get(new_id)
    assert (copy.title, copy.status, copy.number, copy.source_id) == (
        "Edited on the train",
        "draft",
        "",
        doc_id,
    )
    assert copy.issue_date == date.today()  # the rules of "Duplicate"
    assert workspace.documents.get(doc_id).title == "As validated"  # theirs stays
    assert workspace.sync.conflicts() == []
    assert workspace.sync.counts() == (1, 0, 0)  # the new draft waits to be sent


def test_sync_service_signed_out_knows_what_waits_and_refuses_to_run(workspace: Workspace) -> None:
    from smartdesk.errors import SyncError

    workspace.documents.new(DocumentKind.QUOTE)
    status = workspace.sync.status()
    assert (status.pending, status.conflicts, status.rejections, status.last_success_at) == (1, 0, 0, None)
    assert workspace.sync.server() == "" and workspace.sync.signed_in() is None
    with pytest.raises(SyncError) as caught:
        workspace.sync.run()
    assert caught.value.kind == "auth" and not caught.value.retry
    assert workspace.sync.probe() is False
    assert workspace.sync.sign_out() is False  # nobody was signed in
    with pytest.raises(ValueError):
        workspace.sync.resolve(1, "both")
