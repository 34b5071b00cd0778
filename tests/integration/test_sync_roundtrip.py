"""Round trips against the real server on 127.0.0.1: the headless commands, the advisor's validation
coming back, refused changes with the server's reason, conflicts with both values, two devices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

from smartdesk.domain.documents import Document
from smartdesk.domain.serialize import document_to_dict
from smartdesk.errors import SyncError
from smartdesk.services import Workspace
from smartdesk.sync import local
from smartdesk.sync.engine import SyncEngine
from smartdesk_server import coop
from tests.support.processes import run_captured
from tests.support.sync_harness import (
    PASSWORD,
    ROOT,
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
    server_cli,
    server_documents,
    signed_in_engine,
)

pytestmark = needs_server


def run_cli(
    data: Path, keyring: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.support.sync_harness.FileKeyring",
        "SMARTDESK_TEST_KEYRING": str(keyring),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SMARTDESK_FAILPOINT", None)
    argv = [sys.executable, "-m", "smartdesk.cli", "--data-dir", str(data), *args]
    return run_captured(argv, cwd=ROOT, env=env, stdin=stdin, timeout=120)


def _edit(ws: Workspace, doc_id: str, **fields: str) -> None:
    """The member changes these fields of the document on this device (saved at once, not synced)."""
    doc = ws.documents.get(doc_id)
    for name, value in fields.items():
        setattr(doc, name, value)
    ws.documents.save(doc)


def test_cli_login_sync_then_the_advisors_number_comes_back(sync_server: SyncServer, tmp_path: Path) -> None:
    email, member_id = sync_server.member()
    data, keyring = tmp_path / "laptop", tmp_path / "keyring.json"
    with Workspace.open(data) as ws:
        activity, client = seed_member_data(ws)
        doc = draft_invoice(ws, activity, client)
        doc.title = "Wedding, two days"  # a second edit of the same draft before any sync
        ws.documents.save(doc)
        ws.documents.submit(doc.id)
        other = draft_invoice(ws, activity, client, title="Still a draft")
        assert ws.store.outbox_count() >= 5 and ws.sync.pending_changes() == 4  # 4 records, 5+ edits

    done = run_cli(
        data, keyring, "login", "--server", sync_server.url, "--email", email, stdin=PASSWORD + "\n"
    )
    assert done.returncode == 0, done.stderr
    assert "Signed in" in done.stdout
    stored = json.loads(keyring.read_text())
    assert any("access_token" in v for v in stored.values())  # in the (test) keyring, nowhere else
    assert PASSWORD not in keyring.read_text()

    done = run_cli(data, keyring, "sync")
    assert done.returncode == 0, done.stderr
    assert "refused" not in done.stdout
    on_server = server_documents(sync_server.db, member_id)
    assert on_server[doc.id]["body"]["status"] == "submitted"
    assert on_server[doc.id]["body"]["title"] == "Wedding, two days"
    assert on_server[other.id]["body"]["status"] == "draft"

    # the advisor validates on the server (its own command line)
    validated = server_cli(sync_server.process.data_dir, "advisor", "validate", doc.id)
    assert validated.returncode == 0, validated.stderr
    number = validated.stdout.split("number ")[1].strip().rstrip(".")

    done = run_cli(data, keyring, "sync", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"]["pending"] == 0 and report["result"]["pulled"] >= 1
    assert {
        "document_id": doc.id,
        "number": number,
        "from": "submitted",
        "to": "validated",
    }.items() <= report["result"]["notices"][0].items()
    with Workspace.open(data) as ws:
        back = ws.documents.get(doc.id)
        assert back.number == number and back.status == "validated"
        assert [t.status for t in back.timeline][-2:] == ["submitted", "validated"]
        assert ws.sync.pending_changes() == 0
        assert ws.documents.get(other.id).number == ""

    # a payment recorded by the cooperative comes back too
    coop.mark_sent(sync_server.db.engine, None, doc.id)
    coop.record_payment(sync_server.db.engine, None, doc.id, "968.00")
    done = run_cli(data, keyring, "sync")
    assert done.returncode == 0
    assert f"{number} is now paid." in done.stdout
    with Workspace.open(data) as ws:
        assert ws.documents.get(doc.id).status == "paid"

    status = run_cli(data, keyring, "sync-status")
    assert "Everything is sent" in status.stdout and f"signed in as {email}" in status.stdout

    done = run_cli(data, keyring, "logout")
    assert done.returncode == 0 and "Signed out" in done.stdout
    assert not any("access_token" in v for v in json.loads(keyring.read_text()).values())
    done = run_cli(data, keyring, "sync")
    assert done.returncode == 7 and "Sign in" in done.stderr


def test_wrong_password_is_refused_in_plain_words(sync_server: SyncServer, tmp_path: Path) -> None:
    email, _ = sync_server.member()
    done = run_cli(
        tmp_path / "d",
        tmp_path / "k.json",
        "login",
        "--server",
        sync_server.url,
        "--email",
        email,
        stdin="not my password\n",
    )
    assert done.returncode == 7
    assert "password is not right" in done.stderr


class TwoDevices(NamedTuple):
    laptop: Workspace
    phone: Workspace
    a: SyncEngine  # the laptop's sync
    b: SyncEngine  # the phone's sync
    doc: Document  # a draft invoice made on the laptop, synced to both
    member_id: str


@contextmanager
def two_devices(sync_server: SyncServer, tmp_path: Path) -> Iterator[TwoDevices]:
    """One member's laptop and phone, both signed in, with the same draft invoice on both."""
    email, member_id = sync_server.member()
    laptop, phone = Workspace.open(tmp_path / "laptop"), Workspace.open(tmp_path / "phone")
    try:
        a = signed_in_engine(laptop, sync_server.url, email)
        b = signed_in_engine(phone, sync_server.url, email)
        activity, client = seed_member_data(laptop)
        doc = draft_invoice(laptop, activity, client)
        a.sync()
        b.sync()
        yield TwoDevices(laptop, phone, a, b, doc, member_id)
    finally:
        laptop.close()
        phone.close()


def test_edit_of_a_document_the_cooperative_locked_is_refused_kept_and_copyable(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    with two_devices(sync_server, tmp_path) as (laptop, phone, a, b, doc, member_id):
        assert phone.documents.get(doc.id).title == doc.title

        # the laptop submits and the advisor validates; meanwhile the phone (offline) edits the draft
        laptop.documents.submit(doc.id)
        a.sync()
        coop.validate(sync_server.db.engine, None, doc.id)
        _edit(phone, doc.id, title="Edited on the train")
        result = b.sync()

        assert result.rejected == 1
        [rejection] = local.list_rejections(phone.store)
        assert rejection.code == "document_locked" and "validated" in rejection.reason.lower()
        assert rejection.args["document"]["title"] == "Edited on the train"
        [conflict] = local.list_conflicts(phone.store)
        assert conflict.state == "open"
        assert conflict.local_value is not None and conflict.local_value["title"] == "Edited on the train"
        assert conflict.server_value is not None and conflict.server_value["status"] == "validated"
        shown = phone.documents.get(doc.id)
        assert shown.status == "validated" and shown.number  # the server's truth is in place
        assert b.status().conflicts == 1 and b.status().rejections == 1

        # the refusal never vanishes on its own: more syncs, it is still listed
        b.sync()
        assert len(local.list_rejections(phone.store)) == 1

        # copy mine to a new draft: the server gets a new draft with my title, the validated one stays
        new_id = local.resolve_conflict(phone.store, conflict.id, "copy")
        assert new_id and new_id != doc.id
        b.sync()
        on_server = server_documents(sync_server.db, member_id)
        assert on_server[new_id]["body"]["title"] == "Edited on the train"
        assert on_server[new_id]["body"]["status"] == "draft" and on_server[new_id]["body"]["number"] == ""
        assert on_server[doc.id]["body"]["title"] == doc.title
        assert local.list_conflicts(phone.store) == []
        local.dismiss_rejection(phone.store, rejection.mutation_id)
        assert local.list_rejections(phone.store) == []
        assert len(local.list_rejections(phone.store, include_dismissed=True)) == 1


def test_same_field_changed_on_two_devices_shows_both_and_keep_mine_wins(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    with two_devices(sync_server, tmp_path) as (laptop, phone, a, b, doc, member_id):
        _edit(laptop, doc.id, title="Laptop title", intro_text="Intro from the laptop")
        _edit(phone, doc.id, title="Phone title", closing_text="Closing from the phone")
        a.sync()
        result = b.sync()

        assert result.rejected == 1
        [conflict] = local.list_conflicts(phone.store)
        assert conflict.local_value is not None and conflict.server_value is not None
        assert conflict.local_value["title"] == "Phone title"
        assert conflict.server_value["title"] == "Laptop title"
        # until the member chooses, the server's version is shown
        assert phone.documents.get(doc.id).title == "Laptop title"

        local.resolve_conflict(phone.store, conflict.id, "mine")
        assert phone.documents.get(doc.id).title == "Phone title"
        b.sync()
        a.sync()
        server_body = server_documents(sync_server.db, member_id)[doc.id]["body"]
        assert server_body["title"] == "Phone title"
        assert server_body["closing_text"] == "Closing from the phone"
        for ws in (laptop, phone):
            mine = document_to_dict(ws.documents.get(doc.id))
            assert {k: mine[k] for k in ("title", "intro_text", "closing_text")} == {
                k: server_body[k] for k in ("title", "intro_text", "closing_text")
            }
        assert local.list_conflicts(phone.store) == [] and local.list_conflicts(laptop.store) == []


def test_edits_on_different_fields_of_two_devices_merge_without_conflict(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    with two_devices(sync_server, tmp_path) as (laptop, phone, a, b, doc, member_id):
        _edit(laptop, doc.id, title="Merged title")
        _edit(phone, doc.id, intro_text="Merged intro")
        a.sync()
        assert b.sync().rejected == 0
        a.sync()
        for ws in (laptop, phone):
            merged = ws.documents.get(doc.id)
            assert (merged.title, merged.intro_text) == ("Merged title", "Merged intro")
        body = server_documents(sync_server.db, member_id)[doc.id]["body"]
        assert (body["title"], body["intro_text"]) == ("Merged title", "Merged intro")


def test_an_expired_sign_in_is_refreshed_and_a_revoked_one_asks_to_sign_in_again(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from smartdesk_server.db import sessions, write

    email, member_id = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        engine = signed_in_engine(ws, sync_server.url, email)
        store = engine.client.credentials
        assert store is not None
        first = store.load()
        assert first is not None
        activity, client = seed_member_data(ws)
        engine.sync()

        with write(sync_server.db.engine) as conn:  # the access token runs out
            conn.execute(update(sessions).where(sessions.c.account_id == member_id).values(access_expires=0))
        draft_invoice(ws, activity, client)
        engine.sync()
        assert ws.sync.pending_changes() == 0
        renewed = store.load()
        assert renewed is not None and renewed.access_token != first.access_token  # kept for next time

        with write(sync_server.db.engine) as conn:  # the member signed this device out from elsewhere
            conn.execute(update(sessions).where(sessions.c.account_id == member_id).values(revoked=True))
        draft_invoice(ws, activity, client, title="Made after the revocation")
        with pytest.raises(SyncError) as err:
            engine.sync()
        assert err.value.kind == "auth" and "Sign in again" in err.value.message
        assert ws.sync.pending_changes() > 0
