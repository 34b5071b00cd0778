"""The no-change pull answered below the framework (smartdesk_server/quickpull.py) gives the same
answer as the full pull, and hands everything it is not sure about to the application unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator

from smartdesk_server import auth
from smartdesk_server import sync as server_sync

from .conftest import Member, RunningServer


def _body(member: Member, cursor: object, **extra: object) -> dict[str, object]:
    return {
        "protocol_version": 1,
        "schema_version": 1,
        "client_id": member.api.client_id,
        "cursor": cursor,
        **extra,
    }


def test_no_change_answer_equals_the_full_pull(srv: RunningServer, member_a: Member) -> None:
    cursor = member_a.api.pull(cursor=None)["cursor"]
    quick = member_a.api.post("/sync/v1/pull", _body(member_a, cursor))
    assert quick.status_code == 200 and quick.headers["content-type"] == "application/json"
    principal = auth.authenticate(srv.engine, member_a.api.token)
    full = server_sync.pull(srv.engine, principal, _body(member_a, cursor))  # the application's own path
    assert quick.json() == json.loads(json.dumps(full))
    assert quick.json()["changes"] == [] and quick.json()["more"] is False


def test_a_body_sent_in_pieces_is_read_whole(member_a: Member) -> None:
    cursor = member_a.api.pull(cursor=None)["cursor"]
    raw = json.dumps(_body(member_a, cursor)).encode()

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(raw), 7):
            yield raw[start : start + 7]

    r = member_a.api.req(
        "POST", "/sync/v1/pull", content=pieces(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["cursor"] == cursor and r.json()["changes"] == []


def test_what_it_cannot_answer_goes_on_to_the_application(member_a: Member) -> None:
    api = member_a.api
    cursor = api.pull(cursor=None)["cursor"]
    # too big for a pull: refused by the application, not answered
    big = api.post("/sync/v1/pull", _body(member_a, cursor, padding="x" * (70 * 1024)))
    assert big.status_code == 413 and big.json()["error"]["code"] == "body_too_large"
    # not JSON
    bad = api.req("POST", "/sync/v1/pull", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]["message"]
    # a malformed cursor gets the application's explanation
    odd = api.post("/sync/v1/pull", _body(member_a, {"epoch": cursor["epoch"], "rev": "7"}))
    assert odd.status_code == 400 and "cursor" in odd.json()["error"]["message"]
    # a cursor that is behind gets the changes
    behind = api.post("/sync/v1/pull", _body(member_a, {"epoch": cursor["epoch"], "rev": 0}))
    assert behind.status_code == 200 and behind.json()["changes"]
    # a stale epoch is told to start again
    stale = api.post("/sync/v1/pull", _body(member_a, {"epoch": "other", "rev": cursor["rev"]}))
    assert stale.status_code == 200 and stale.json().get("reset_required") is True


def test_a_signed_out_session_is_not_answered(member_a: Member) -> None:
    api = member_a.api
    cursor = api.pull(cursor=None)["cursor"]
    token = api.token
    assert api.post("/sync/v1/logout").status_code == 200
    r = api.req(
        "POST",
        "/sync/v1/pull",
        json=_body(member_a, cursor),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    wrong = api.req(
        "POST", "/sync/v1/pull", json=_body(member_a, cursor), headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
