"""Hold / OK on the cooperative's follow-up steps, against the real server on 127.0.0.1: a held first
reminder stops the follow-up engine (``smartdesk-server tick``), OK for that one invoice lets it go on,
and the member's next sync shows the new status; the cooperative's "upcoming action" notice comes back."""

from __future__ import annotations

from datetime import date, timedelta

from smartdesk.services import Workspace
from tests.support.sync_harness import SyncServer, needs_server, server_cli, server_documents

from .conftest import SentInvoice

pytestmark = needs_server


def test_a_held_reminder_waits_and_ok_for_the_invoice_lets_it_go(
    sync_server: SyncServer, laptop: Workspace, sent: SentInvoice
) -> None:
    # the advisor validated, then the cooperative sent it to the client: awaiting payment
    engine, doc, data, member_id = sent.engine, sent.doc, sent.server_data, sent.member_id
    assert doc.status == "awaiting_payment" and doc.due_date is not None
    [followed] = laptop.followup.invoices()
    assert (followed.id, followed.next_step, followed.setting.hold) == (doc.id, "reminder_1", False)

    # the member holds the first reminder by default, and wants a warning 3 days before the second one
    laptop.followup.set("reminder_1", True)
    laptop.followup.set("reminder_2", False, 3)
    assert laptop.followup.invoices()[0].setting.hold  # at once, before any sync
    result = engine.sync()
    assert result.rejected == 0 and result.pushed == 2
    assert laptop.store.outbox_count() == 0
    settings = laptop.followup.settings()  # the server's records came back, nothing pending any more
    assert settings.defaults["reminder_1"].hold and not settings.defaults["reminder_1"].pending
    assert settings.defaults["reminder_2"].notify_days_before == 3

    # long after the due date: the engine does not move a held step
    late = (doc.due_date + timedelta(days=30)).isoformat()
    done = server_cli(data, "tick", "--date", late)
    assert done.returncode == 0, done.stderr
    assert "held by the member" in done.stdout
    assert server_documents(sync_server.db, member_id)[doc.id]["body"]["status"] == "awaiting_payment"
    engine.sync()
    assert laptop.documents.get(doc.id).status == "awaiting_payment"

    # OK for this invoice only: the next tick sends the first reminder, the next sync shows it
    laptop.followup.set("reminder_1", False, document_id=doc.id)
    [followed] = laptop.followup.invoices()
    assert followed.overridden and not followed.setting.hold
    engine.sync()
    assert laptop.store.outbox_count() == 0
    done = server_cli(data, "tick", "--date", late)
    assert done.returncode == 0, done.stderr
    assert server_documents(sync_server.db, member_id)[doc.id]["body"]["status"] == "reminder_1"
    engine.sync()
    assert laptop.documents.get(doc.id).status == "reminder_1"
    assert laptop.followup.settings().effective("reminder_1").hold  # the default is still Hold
    [followed] = laptop.followup.invoices()
    assert followed.next_step == "reminder_2"

    # the second reminder (21 days after the due date by default) is announced 3 days ahead
    before = (doc.due_date + timedelta(days=19)).isoformat()
    assert date.fromisoformat(before) < doc.due_date + timedelta(days=21)
    assert server_cli(data, "tick", "--date", before).returncode == 0
    result = engine.sync()
    assert [n["step"] for n in result.notices if n["kind"] == "notice"] == ["reminder_2"]
    notices = laptop.followup.notices()
    assert [(n.document_id, n.step, n.on) for n in notices] == [
        (doc.id, "reminder_2", (doc.due_date + timedelta(days=21)).isoformat())
    ]
    assert laptop.documents.get(doc.id).status == "reminder_1"
