"""A question to the cooperative, end to end with the real server on 127.0.0.1: asked offline, synced,
answered by the staff on the server's command line, the answer back on the member's computer."""

from __future__ import annotations

from pathlib import Path

from smartdesk.domain.documents import DocumentKind
from smartdesk.services import Workspace
from tests.support.sync_harness import (
    SyncServer,
    needs_server,
    server_cli,
    signed_in_engine,
)

pytestmark = needs_server


def test_question_asked_offline_is_answered_by_the_cooperative(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    email, member_id = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        doc = ws.documents.new(DocumentKind.INVOICE)
        # offline: the question is queued and shown at once
        rid = ws.requests.open(
            "collections", "Invoice not paid", "My client ignores my reminders.", document_id=doc.id
        )
        [mine] = ws.requests.list()
        assert mine.pending and mine.status == "open"

        engine = signed_in_engine(ws, sync_server.url, email)
        result = engine.sync()
        assert result.rejected == 0 and result.pushed >= 2
        on_server = sync_server.db.records(member_id, "request")
        assert on_server[rid]["body"]["subject"] == "Invoice not paid"
        assert on_server[rid]["body"]["document_id"] == doc.id
        [synced] = ws.requests.list()
        assert not synced.pending and synced.status == "open"
        assert [(m.author, m.body) for m in synced.messages] == [
            ("member", "My client ignores my reminders.")
        ]

        answered = server_cli(
            sync_server.process.data_dir,
            "advisor",
            "answer",
            rid,
            "--body",
            "We will send a formal notice for you.",
        )
        assert answered.returncode == 0, answered.stderr
        engine.sync()
        [back] = ws.requests.list()
        assert back.status == "answered" and not back.pending
        assert [(m.author, m.body) for m in back.messages] == [
            ("member", "My client ignores my reminders."),
            ("staff", "We will send a formal notice for you."),
        ]

        # the member replies, the staff close the question
        ws.requests.reply(rid, "Thank you!")
        engine.sync()
        closed = server_cli(
            sync_server.process.data_dir, "advisor", "answer", rid, "--body", "You're welcome.", "--close"
        )
        assert closed.returncode == 0, closed.stderr
        engine.sync()
        [last] = ws.requests.list()
        assert last.status == "closed" and ws.sync.pending_changes() == 0
        assert [m.author for m in last.messages] == ["member", "staff", "member", "staff"]
        assert sync_server.db.records(member_id, "request")[rid]["body"]["status"] == "closed"
