"""``followup.clear``: an invoice follows the member's default again for a step. The server drops the
member's own choice for that invoice (a tombstone the next pull brings), the follow-up engine applies
the default again, and nobody can clear a choice on someone else's invoice. The last test runs the
desktop client's sync against the real server on 127.0.0.1: undo of a per-invoice choice, offline, then
synced, leaves no override on either side."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from smartdesk.services import Workspace
from smartdesk.sync import local
from smartdesk_server import auth, coop, issuing
from smartdesk_server.store import get_record
from tests.support.sync_harness import draft_invoice, seed_member_data, signed_in_engine

from .conftest import Api, Member, RunningServer, new_advisor, server_doc, submitted_invoice

SCHEDULE = {"reminder_1": 7, "reminder_2": 21, "formal_notice": 35, "litigation": 60}


def _sent_invoice(member: Member, advisor: Api, due: date) -> str:
    doc = submitted_invoice(member, issue_date=due - timedelta(days=30), due_date=due)
    # validated on its issue date: the server dates a document on the day it validates it
    with issuing.frozen(datetime.combine(due - timedelta(days=30), time(10), UTC)):
        assert advisor.post(f"/advisor/v1/documents/{doc.id}/validate", {}).status_code == 200
    assert (
        advisor.post(f"/advisor/v1/documents/{doc.id}/mark-sent", {}).json()["status"] == "awaiting_payment"
    )
    return doc.id


def _hold_first_reminder(member: Member, doc_id: str) -> dict[str, Any]:
    """The member holds the first reminder of this invoice (pushed, accepted); the follow-up record the
    server keeps of that choice."""
    choice = {"document_id": doc_id, "step": "reminder_1", "hold": True, "notify_days_before": None}
    res = member.api.push(("followup.set", choice))
    assert [r["status"] for r in res["results"]] == ["ok"]
    return {"id": f"{member.account_id}:{doc_id}:reminder_1", **choice}


def _followups(member: Member) -> dict[str, dict[str, Any]]:
    """The member's follow-up records after a full pull: id -> {"deleted", "value"}."""
    return {
        c["id"]: {"deleted": c["deleted"], "value": c["value"]}
        for c in member.api.pull(cursor=None)["changes"]
        if c["entity"] == "followup"
    }


def _server_followup(srv: RunningServer, rid: str) -> dict[str, Any] | None:
    """The server's own follow-up record (None: never set, or dropped)."""
    with srv.engine.connect() as conn:
        rec = get_record(conn, "followup", rid)
    return None if rec is None or rec.deleted else dict(rec.body or {})


def test_clear_drops_the_invoice_choice_and_the_default_applies_again(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    due = date(2026, 1, 10)
    doc_id = _sent_invoice(member_a, advisor, due)
    api = member_a.api
    held = _hold_first_reminder(member_a, doc_id)
    rid = held["id"]
    assert _followups(member_a)[rid] == {"deleted": False, "value": held}
    coop.tick(srv.engine, due + timedelta(days=10), SCHEDULE)
    assert server_doc(member_a, doc_id)["status"] == "awaiting_payment"  # held for this invoice

    api.cursor = None
    api.pull()  # where this device stands: the next pull brings only what the clear changed
    res = api.push(("followup.clear", {"document_id": doc_id, "step": "reminder_1"}))
    assert [(r["status"], r["code"]) for r in res["results"]] == [("ok", "ok")]
    changes = [c for c in api.pull()["changes"] if c["entity"] == "followup"]
    assert [(c["id"], c["deleted"], c["value"]) for c in changes] == [(rid, True, None)]
    assert _server_followup(srv, rid) is None
    # the default (OK) applies again: the engine sends the first reminder
    coop.tick(srv.engine, due + timedelta(days=10), SCHEDULE)
    assert server_doc(member_a, doc_id)["status"] == "reminder_1"
    # clearing again, or a step never chosen, changes nothing and is not an error
    res = api.push(
        ("followup.clear", {"document_id": doc_id, "step": "reminder_1"}),
        ("followup.clear", {"document_id": doc_id, "step": "litigation"}),
    )
    assert [r["status"] for r in res["results"]] == ["ok", "ok"]
    assert [c for c in api.pull()["changes"] if c["entity"] == "followup"] == []
    # a new choice after the clear is a choice again
    api.push(
        ("followup.set", {"document_id": doc_id, "step": "reminder_2", "hold": True, "notify_days_before": 2})
    )
    rid2 = f"{member_a.account_id}:{doc_id}:reminder_2"
    assert _followups(member_a)[rid2]["value"]["hold"] is True


def test_clear_is_scoped_to_the_members_own_invoices(
    srv: RunningServer, member_a: Member, member_b: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    due = date(2026, 1, 10)
    doc_id = _sent_invoice(member_a, advisor, due)
    held = _hold_first_reminder(member_a, doc_id)
    rid = held["id"]
    res = member_b.api.push(
        ("followup.clear", {"document_id": doc_id, "step": "reminder_1"}),
        ("followup.clear", {"document_id": doc_id, "step": "jail"}),
        ("followup.clear", {"document_id": None, "step": "reminder_1"}),
        ("followup.clear", {"step": "reminder_1"}),
    )
    assert [(r["status"], r["code"]) for r in res["results"]] == [
        ("rejected", "not_found"),
        ("rejected", "not_found"),
        ("rejected", "invalid"),
        ("rejected", "invalid"),
    ]
    # member A's choice is untouched: still held, the engine waits
    assert _server_followup(srv, rid) == held
    coop.tick(srv.engine, due + timedelta(days=10), SCHEDULE)
    assert server_doc(member_a, doc_id)["status"] == "awaiting_payment"
    # member A's own bad step is refused plainly
    res = member_a.api.push(("followup.clear", {"document_id": doc_id, "step": "jail"}))
    assert [(r["status"], r["code"]) for r in res["results"]] == [("rejected", "invalid")]
    assert "reminder_1" in res["results"][0]["message"]


def test_undo_of_an_invoice_choice_synced_leaves_no_override_anywhere(
    srv: RunningServer, member_a: Member, tmp_path: Path
) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        activity, client = seed_member_data(ws)
        doc = draft_invoice(ws, activity, client)
        ws.documents.submit(doc.id)
        engine = signed_in_engine(ws, srv.url, member_a.email)
        engine.sync()
        advisor = new_advisor(srv)
        auth.follow(srv.engine, advisor.account_id, activity.id)
        for action in ("validate", "mark-sent"):
            assert advisor.post(f"/advisor/v1/documents/{doc.id}/{action}", {}).status_code == 200
        engine.sync()
        assert ws.documents.get(doc.id).status == "awaiting_payment"
        rid = f"{member_a.account_id}:{doc.id}:reminder_1"

        # Hold for this invoice, synced; then undone (what Ctrl+Z does), offline first
        ws.followup.set("reminder_1", True, document_id=doc.id)
        assert engine.sync().rejected == 0
        assert [r["id"] for r in local.list_records(ws.store, "followup")] == [rid]
        ws.followup.clear("reminder_1", doc.id)
        [followed] = ws.followup.invoices()
        assert not followed.overridden and followed.setting.pending  # at once, before the sync
        result = engine.sync()
        assert (result.rejected, ws.store.outbox_count()) == (0, 0)
        assert local.list_records(ws.store, "followup") == []  # the tombstone came back
        [followed] = ws.followup.invoices()
        assert (followed.overridden, followed.setting.hold, followed.setting.pending) == (False, False, False)
        assert rid not in _followups(member_a) and _server_followup(srv, rid) is None

        # set and undone before any sync: both go, in order, and nothing is left either
        ws.followup.set("reminder_1", True, 3, document_id=doc.id)
        ws.followup.clear("reminder_1", doc.id)
        assert engine.sync().rejected == 0 and ws.store.outbox_count() == 0
        assert ws.followup.settings().overrides == {} and ws.followup.settings().cleared == frozenset()
        assert rid not in _followups(member_a) and _server_followup(srv, rid) is None
        # the cooperative applies the default (OK): the first reminder goes out
        coop.tick(
            srv.engine, (ws.documents.get(doc.id).due_date or date.today()) + timedelta(days=10), SCHEDULE
        )
        engine.sync()
        assert ws.documents.get(doc.id).status == "reminder_1"
