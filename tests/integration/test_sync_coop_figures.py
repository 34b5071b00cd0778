"""The cooperative's own facts come back and stay the cooperative's: an advisor sets an activity's monthly
figures and a client's payment flag over HTTP on the real server (127.0.0.1); the member's SmartDesk keeps
them after a sync, and the member's later edits (activity name, client e-mail) never send or wipe them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import httpx

from smartdesk.domain.documents import Activity
from smartdesk.services import Workspace
from smartdesk_server import auth
from tests.support.sync_harness import (
    PASSWORD,
    SyncServer,
    needs_server,
    seed_member_data,
    signed_in_engine,
)

pytestmark = needs_server


def _advisor(server: SyncServer, activity_id: str) -> httpx.Client:
    """An advisor following the activity, signed in over HTTP like the advisor's own tools."""
    email, advisor_id = server.db.create("advisor")
    auth.follow(server.db.engine, advisor_id, activity_id)
    http = httpx.Client(base_url=server.url, timeout=30)
    r = http.post("/sync/v1/login", json={"email": email, "password": PASSWORD, "device_name": "advisor"})
    assert r.status_code == 200, r.text
    http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return http


def test_figures_and_payment_flag_come_back_and_survive_member_edits(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    email, member_id = sync_server.member()
    ws = Workspace.open(tmp_path / "laptop")
    try:
        engine = signed_in_engine(ws, sync_server.url, email)
        activity, client = seed_member_data(ws)
        engine.sync()

        advisor = _advisor(sync_server, activity.id)
        try:
            for month, invoiced in (("2026-02", "980"), ("2026-03", "1200.50")):
                r = advisor.post(
                    f"/advisor/v1/activities/{activity.id}/figures",
                    json={
                        "month": month,
                        "revenue_invoiced": invoiced,
                        "revenue_paid": "900.00",
                        "expenses": "120.40",
                        "wages": "600",
                        "hours": "35.5",
                    },
                )
                assert r.status_code == 200, r.text
            r = advisor.post(f"/advisor/v1/clients/{client.id}/payment-flag", json={"flag": "late"})
            assert r.status_code == 200, r.text
        finally:
            advisor.close()

        result = engine.sync()
        assert result.rejected == 0
        pulled = ws.activities.get(activity.id)
        assert [m.month for m in pulled.monthly] == ["2026-02", "2026-03"]
        march = pulled.monthly[1]
        assert (march.revenue_invoiced, march.revenue_paid, march.expenses, march.wages, march.hours) == (
            Decimal("1200.50"),
            Decimal("900.00"),
            Decimal("120.40"),
            Decimal("600"),
            Decimal("35.5"),
        )
        assert ws.clients.get(client.id).payment_flag == "late"

        # the member renames the activity (from a fresh object, as an edit form builds it) and changes
        # the client's e-mail: neither edit carries the cooperative's fields
        ws.activities.save(
            Activity(id=activity.id, name="Photography & video", code=activity.code, entity=activity.entity)
        )
        edited = ws.clients.get(client.id)
        edited.email = "accounts@studio-noord.example"
        edited.payment_flag = ""  # even a stray change of the flag stays local-proof
        ws.clients.save(edited)
        sent = [e for e in ws.store.outbox_entries() if e.entity_id in (activity.id, client.id)]
        assert {e.name for e in sent} == {"activity.put", "client.put"}
        for e in sent:
            assert "monthly" not in json.dumps(e.args) and "payment_flag" not in json.dumps(e.args)
        [client_put] = [e for e in sent if e.name == "client.put"]
        assert client_put.args["changed"] == ["email"]
        # locally, nothing of the cooperative's was lost by the edits
        assert len(ws.activities.get(activity.id).monthly) == 2
        assert ws.clients.get(client.id).payment_flag == "late"

        result = engine.sync()
        assert result.rejected == 0 and ws.store.outbox_count() == 0
        on_server = sync_server.db.records(member_id)
        act_body = on_server[activity.id]["body"]
        assert act_body["name"] == "Photography & video"
        assert [m["month"] for m in act_body["monthly"]] == ["2026-02", "2026-03"]
        assert act_body["monthly"][1]["revenue_invoiced"] == "1200.50"
        client_body = on_server[client.id]["body"]
        assert client_body["email"] == "accounts@studio-noord.example"
        assert client_body["payment_flag"] == "late"

        # and after pulling its own edits back, the member still sees both
        engine.sync()
        back = ws.activities.get(activity.id)
        assert back.name == "Photography & video" and len(back.monthly) == 2
        assert ws.clients.get(client.id).payment_flag == "late"
        assert ws.clients.get(client.id).email == "accounts@studio-noord.example"
    finally:
        ws.close()
