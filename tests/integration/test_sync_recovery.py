"""Recovery against the real server: a new server epoch (reset_required), a version the server does not
speak, an interrupted receipt upload, a poison change, a lost cursor."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import pytest

from smartdesk.domain.documents import DocumentKind, Line
from smartdesk.errors import SyncError
from smartdesk.services import DocumentQuery, Workspace
from smartdesk.store.repository import Store
from smartdesk.sync import local
from tests.support.sync_harness import (
    EditLog,
    FaultProxy,
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
    server_cli,
    server_documents,
    signed_in_engine,
)

from .conftest import SignedIn

pytestmark = needs_server


def test_new_server_epoch_pulls_everything_again_and_keeps_unsent_changes(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn, tmp_path: Path
) -> None:
    email, member_id, engine, activity, client = signed_in
    docs = [draft_invoice(laptop, activity, client, title=f"Doc {i}") for i in range(6)]
    engine.sync()
    cursor_before = local.get_cursor(laptop.store)

    # a draft deleted on another device while this one was away
    with Workspace.open(tmp_path / "phone") as phone:
        signed_in_engine(phone, sync_server.url, email).sync()
        phone.documents.delete(docs[0].id)
        signed_in_engine(phone, sync_server.url, email).sync()

    reset = server_cli(sync_server.process.data_dir, "reset-epoch")
    assert reset.returncode == 0, reset.stderr

    # an edit made while this sync runs (after the push, before the pull): it must survive the reset
    def edit_during_pull(event: str, data: dict[str, object]) -> None:
        if event == "progress" and data.get("step") == "pull" and data.get("cursor") is not None:
            doc = laptop.documents.get(docs[1].id)
            doc.title = "Edited during the reset"
            laptop.documents.save(doc)

    unsubscribe = engine.subscribe(edit_during_pull)
    result = engine.sync()
    unsubscribe()
    assert result.reset
    assert any("full refresh" in m for m in result.messages)
    assert result.pulled >= len(docs) - 1 + 2  # every live document, the client and the activity again
    cursor_after = local.get_cursor(laptop.store)
    assert cursor_before and cursor_after and cursor_after["epoch"] != cursor_before["epoch"]
    assert laptop.sync.pending_changes() == 1  # the unsent edit is kept...
    assert laptop.documents.get(docs[1].id).title == "Edited during the reset"
    ids = {r.id for r in laptop.documents.list(DocumentQuery(limit=100)).rows}
    assert docs[0].id not in ids  # ...and what the server no longer has is gone
    assert {d.id for d in docs[1:]} <= ids

    engine.sync()  # ...and sent at the next sync
    assert laptop.sync.pending_changes() == 0
    assert (
        server_documents(sync_server.db, member_id)[docs[1].id]["body"]["title"] == "Edited during the reset"
    )
    assert local.list_conflicts(laptop.store) == []


def test_a_version_the_server_does_not_speak_is_explained_and_the_outbox_kept(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn
) -> None:
    email, _, engine, activity, client = signed_in
    draft_invoice(laptop, activity, client)
    pending = laptop.sync.pending_changes()
    engine.client.protocol_version = 99  # an old (or future) SmartDesk
    with pytest.raises(SyncError) as err:
        engine.sync()
    assert err.value.kind == "version" and not err.value.retry
    assert "Install the latest SmartDesk" in err.value.message
    assert "kept" in err.value.message
    assert laptop.sync.pending_changes() == pending
    assert "Install the latest SmartDesk" in (engine.status().last_error or "")

    engine.client.protocol_version = 1  # after the update
    engine.sync()
    assert laptop.sync.pending_changes() == 0


def _noise_png(size: int = 160) -> bytes:
    from PIL import Image

    img = Image.frombytes("RGB", (size, size), random.Random(7).randbytes(size * size * 3))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_an_interrupted_receipt_upload_resumes_and_the_hash_matches(
    sync_server: SyncServer, laptop: Workspace
) -> None:
    email, member_id = sync_server.member()
    proxy = FaultProxy(sync_server.process.port)
    try:
        engine = signed_in_engine(laptop, proxy.url, email)
        engine.blob_chunk = 4096
        activity, _ = seed_member_data(laptop)
        note = laptop.documents.new(DocumentKind.EXPENSE_NOTE, activity_id=activity.id)
        added = laptop.receipts.add(note.id, [(_noise_png(), "taxi.png")])
        [sha] = added.hashes
        size = laptop.attachments.size(sha)
        assert size > 3 * engine.blob_chunk

        proxy.add("/sync/v1/blobs/", "reset", count=1, after=3)  # status + 2 chunks go through, then cut
        with pytest.raises(SyncError):
            engine.sync()
        assert laptop.sync.pending_changes() > 0  # the note waits for its receipt
        held = engine.client.blob_offset(sha)
        assert held == 2 * engine.blob_chunk  # the server kept what it received

        puts_before = sum(1 for m, p, _ in proxy.log if m == "PUT")
        engine.sync()
        puts = sum(1 for m, p, _ in proxy.log if m == "PUT") - puts_before
        assert puts == -(-(size - held) // engine.blob_chunk)  # only the rest was sent
        assert engine.client.blob_offset(sha) is None
        data = engine.client.download_blob(sha)
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
        assert laptop.sync.pending_changes() == 0
        body = server_documents(sync_server.db, member_id)[note.id]["body"]
        assert body["expense_lines"][0]["receipts"] == [sha]
        # a second sync sends nothing again
        assert engine.sync().blobs_uploaded == 0
    finally:
        proxy.close()


def test_a_poison_change_does_not_block_the_queue(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn
) -> None:
    email, member_id, engine, activity, client = signed_in
    first = draft_invoice(laptop, activity, client, title="Before the poison")
    # two changes the server will never accept: a change name it does not know (a newer SmartDesk,
    # a damaged entry) and a document far beyond the limits
    with laptop.store.write() as conn:
        Store._enqueue(conn, "document.frobnicate", first.id, {"id": first.id}, 0)
    huge = laptop.documents.new(DocumentKind.INVOICE, client_id=client.id, activity_id=activity.id)
    huge.lines = [Line(description=f"l{i}") for i in range(501)]
    laptop.documents.save(huge)
    after = draft_invoice(laptop, activity, client, title="After the poison")
    log = EditLog()
    log.capture(laptop)

    result = engine.sync()
    assert laptop.sync.pending_changes() == 0
    assert result.rejected >= 2
    reasons = {r.name: r for r in local.list_rejections(laptop.store)}
    assert reasons["document.frobnicate"].code == "unknown_mutation"
    assert "Update SmartDesk" in reasons["document.frobnicate"].reason
    assert reasons["document.put"].code == "invalid" and reasons["document.put"].entity_id == huge.id
    on_server = server_documents(sync_server.db, member_id)
    assert on_server[after.id]["body"]["title"] == "After the poison"
    assert on_server[first.id]["body"]["title"] == "Before the poison"
    assert sync_server.db.last_mutation_id(local.client_id(laptop.store)) == log.made[-1][0]


def test_a_lost_cursor_costs_only_a_full_pull(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn
) -> None:
    email, member_id, engine, activity, client = signed_in
    docs = [draft_invoice(laptop, activity, client, title=f"Doc {i}") for i in range(5)]
    engine.sync()
    before = {d.id: laptop.documents.get(d.id) for d in docs}
    edited = laptop.documents.get(docs[2].id)
    edited.title = "Not sent yet"
    laptop.documents.save(edited)

    # the cursor is gone (written by an older copy of the data, a crash between apply and save...)
    with laptop.store.write() as conn:
        laptop.store.set_state(conn, local.KEY_CURSOR, None)
    result = engine.sync()
    assert result.pulled >= len(docs) + 2  # everything again, once
    assert not result.reset
    assert laptop.sync.pending_changes() == 0
    assert laptop.documents.count(DocumentQuery()) == len(docs)
    for doc_id, doc in before.items():
        again = laptop.documents.get(doc_id)
        assert again.title == ("Not sent yet" if doc_id == docs[2].id else doc.title)
        assert again.lines == doc.lines
    assert local.list_conflicts(laptop.store) == [] and local.list_rejections(laptop.store) == []
    assert server_documents(sync_server.db, member_id)[docs[2].id]["body"]["title"] == "Not sent yet"


def test_refusals_reported_on_a_later_pull_page_are_kept_with_both_values(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn, tmp_path: Path
) -> None:
    email, _, engine, activity, client = signed_in
    shared = draft_invoice(laptop, activity, client, title="Shared")
    engine.sync()
    with Workspace.open(tmp_path / "phone") as phone:
        other = signed_in_engine(phone, sync_server.url, email)
        other.sync()
        for i in range(7):  # enough changes before mine to fill several pages
            draft_invoice(phone, activity, client, title=f"Phone {i}")
        theirs = phone.documents.get(shared.id)
        theirs.title = "Phone title"
        phone.documents.save(theirs)
        other.sync()
    mine = laptop.documents.get(shared.id)
    mine.title = "Laptop title"
    laptop.documents.save(mine)
    with laptop.store.write() as conn:
        Store._enqueue(conn, "document.frobnicate", shared.id, {"id": shared.id}, 0)

    engine.pull_limit = 2  # the answers about my changes come on the last page
    result = engine.sync()
    assert result.rejected == 2
    assert {r.code for r in local.list_rejections(laptop.store)} == {"conflict", "unknown_mutation"}
    [conflict] = local.list_conflicts(laptop.store)
    assert conflict.local_value and conflict.local_value["title"] == "Laptop title"
    assert conflict.server_value and conflict.server_value["title"] == "Phone title"
    assert laptop.documents.get(shared.id).title == "Phone title"
    assert laptop.sync.pending_changes() == 0
    assert laptop.documents.count(DocumentQuery()) == 8


def test_a_server_that_forgot_confirmed_changes_is_explained_and_nothing_is_dropped(
    sync_server: SyncServer, laptop: Workspace, signed_in: SignedIn
) -> None:
    email, _, engine, activity, client = signed_in
    draft_invoice(laptop, activity, client)
    engine.sync()
    # the server no longer knows this device (restored from a backup taken before its first sync)
    engine.client.client_id = "00000000-0000-4000-8000-000000000000"
    draft_invoice(laptop, activity, client, title="After the restore")
    pending = laptop.sync.pending_changes()
    with pytest.raises(SyncError) as err:
        engine.sync()
    assert err.value.kind == "server" and not err.value.retry
    assert "restored from a backup" in err.value.message and "kept" in err.value.message
    assert laptop.sync.pending_changes() == pending
