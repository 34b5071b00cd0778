"""Every endpoint called as anonymous, member A, member B, A's advisor and another advisor.

The list below must cover every route the application declares (checked first), so a new endpoint
cannot appear without its authorization being tested.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from smartdesk.domain.ids import uuid7
from smartdesk_server import coop
from smartdesk_server.statements import service as statements
from smartdesk_server.statements.samples import Movement, coda

from .conftest import Api, RunningServer, new_advisor, new_member, submitted_invoice

PUBLIC = {
    ("GET", "/"),
    ("GET", "/health"),
    ("GET", "/docs"),
    ("GET", "/openapi.json"),
    ("GET", "/redoc"),
    ("GET", "/docs/oauth2-redirect"),
}

EMPTY_STATEMENT = coda([]).encode()

# (method, path, body, who may use it): "any" = any signed-in account, "member" = members only (their own
# data), "advisor" = advisors following the member, "auth" = the login/refresh endpoints themselves
ENDPOINTS: list[tuple[str, str, Any, str]] = [
    ("POST", "/sync/v1/login", {"email": "{email_a}", "password": "wrong password"}, "auth"),
    ("POST", "/sync/v1/refresh", {"refresh_token": "not-a-token"}, "auth"),
    ("POST", "/sync/v1/logout", {}, "any"),
    ("GET", "/sync/v1/me", None, "any"),
    ("GET", "/sync/v1/devices", None, "any"),
    ("POST", "/sync/v1/devices/{device_a}/revoke", {}, "owner-device"),
    (
        "POST",
        "/sync/v1/push",
        {"protocol_version": 1, "schema_version": 1, "client_id": "{cid}", "mutations": []},
        "member",
    ),
    (
        "POST",
        "/sync/v1/pull",
        {"protocol_version": 1, "schema_version": 1, "client_id": "{cid}", "cursor": None},
        "member",
    ),
    ("GET", "/sync/v1/catalogues", None, "any"),
    ("GET", "/sync/v1/blobs/{sha}/status", None, "any"),
    ("HEAD", "/sync/v1/blobs/{sha}", None, "any"),
    ("GET", "/sync/v1/blobs/{sha}", None, "blob"),
    # the archived PDF of an issued document: its member only (not even the advisor who validated it)
    ("GET", "/sync/v1/archives/{archive}", None, "archive"),
    (
        "PUT",
        "/sync/v1/blobs/{sha}",
        b"receipt bytes of A",
        "member",
    ),  # after GET: uploading the bytes gives B access
    ("GET", "/advisor/v1/queue", None, "advisor-list"),
    ("GET", "/advisor/v1/requests", None, "advisor-list"),
    ("GET", "/advisor/v1/documents/{doc}", None, "advisor"),
    ("POST", "/advisor/v1/documents/{doc}/validate", {}, "advisor"),
    ("POST", "/advisor/v1/documents/{doc}/return", {"remarks": "Add the client's VAT number."}, "advisor"),
    (
        "POST",
        "/advisor/v1/documents/{doc}/reject-line",
        {"line_id": "{line}", "reason": "No receipt."},
        "advisor",
    ),
    ("POST", "/advisor/v1/documents/{doc}/mark-sent", {}, "advisor"),
    ("POST", "/advisor/v1/documents/{doc}/payments", {"amount": "10.00"}, "advisor"),
    ("POST", "/advisor/v1/documents/{doc}/reimburse", {}, "advisor"),
    ("POST", "/advisor/v1/requests/{req}/answer", {"body": "We are on it."}, "advisor"),
    ("POST", "/advisor/v1/clients/{client}/payment-flag", {"flag": "late"}, "advisor"),
    ("POST", "/advisor/v1/activities/{activity}/figures", {"month": "2026-01", "hours": "12"}, "advisor"),
    # bank statements: the cooperative's own accounts, any advisor; an assignment only to a followed invoice
    ("POST", "/advisor/v1/statements", EMPTY_STATEMENT, "advisor-list"),
    ("GET", "/advisor/v1/payments/unmatched", None, "advisor-list"),
    ("POST", "/advisor/v1/payments/{tx}/assign", {"document_id": "{doc}"}, "advisor"),
    ("POST", "/advisor/v1/payments/{tx}/ignore", {"reason": "a test transfer"}, "advisor-list"),
]


def _route_set(srv: RunningServer) -> set[tuple[str, str]]:
    from fastapi.routing import APIRoute

    app = srv.served.app
    out = set()
    for route in app.routes:
        for method in getattr(route, "methods", set()) or set():
            if method == "HEAD" and (not isinstance(route, APIRoute) or "GET" in route.methods):
                continue  # Starlette's automatic HEAD of a GET route
            out.add((method, route.path))
    return out


def _template(path: str) -> str:
    import re

    return re.sub(r"\{[a-z_]+\}", "{x}", path)


def test_every_route_is_in_the_authorization_table(srv: RunningServer) -> None:
    declared = {(m, _template(p)) for m, p in _route_set(srv) if (m, p) not in PUBLIC}
    tested = {(m, _template(p)) for m, p, _b, _w in ENDPOINTS}
    assert declared == tested


@pytest.fixture
def world(srv: RunningServer) -> dict[str, Any]:
    a, b = new_member(srv), new_member(srv)
    adv_a, adv_b = new_advisor(srv, a), new_advisor(srv, b)
    doc = submitted_invoice(a)
    issued = submitted_invoice(a)
    archive = coop.validate(srv.engine, None, issued.id)["document"]["archive_sha256"]
    req_id = uuid7()
    a.api.push(
        (
            "request.open",
            {
                "id": req_id,
                "service": "legal",
                "subject": "Late client",
                "body": "Help?",
                "document_id": None,
            },
        )
    )
    data = b"receipt bytes of A"
    sha = hashlib.sha256(data).hexdigest()
    assert a.api.req("PUT", f"/sync/v1/blobs/{sha}", content=data).status_code == 200
    device_a = a.api.req("GET", "/sync/v1/devices").json()["devices"][0]["id"]
    bank_ref = f"AUTHZ-{uuid7()[-12:]}"
    statements.import_files(
        srv.engine,
        [
            (
                "authz.cod",
                coda([Movement(Decimal("5.00"), bank_ref, date(2026, 11, 27), text="unknown")]).encode(),
            )
        ],
    )
    tx = next(t["id"] for t in statements.unmatched(srv.engine, limit=5000) if t["bank_ref"] == bank_ref)
    return {
        "tx": tx,
        "a": a,
        "b": b,
        "adv_a": adv_a,
        "adv_b": adv_b,
        "doc": doc.id,
        "line": doc.lines[0].id,
        "req": req_id,
        "sha": sha,
        "archive": archive,
        "client": a.client.id,
        "activity": a.activity.id,
        "device_a": device_a,
        "email_a": a.email,
    }


def _fill(value: Any, w: dict[str, Any], cid: str) -> Any:
    if isinstance(value, str):
        return value.format(**{k: v for k, v in w.items() if isinstance(v, str)}, cid=cid)
    if isinstance(value, dict):
        return {k: _fill(v, w, cid) for k, v in value.items()}
    return value


def _call(api: Api, method: str, path: str, body: Any, w: dict[str, Any]) -> Any:
    url = _fill(path, w, api.client_id)
    if isinstance(body, bytes):
        return api.req(method, url, content=body)
    if body is None:
        return api.req(method, url)
    return api.req(method, url, json=_fill(body, w, api.client_id))


def _doc_version(w: dict[str, Any]) -> int:
    data = w["a"].api.pull(cursor=None)
    return next(ch["version"] for ch in data["changes"] if ch["id"] == w["doc"])


def test_every_endpoint_for_every_role(srv: RunningServer, world: dict[str, Any]) -> None:
    w = world
    anon = Api(srv.url)
    a, b, adv_a, adv_b = w["a"].api, w["b"].api, w["adv_a"], w["adv_b"]
    before = _doc_version(w)
    for method, path, body, who in ENDPOINTS:
        if path.endswith("/logout") or path.endswith("/revoke"):
            continue  # below, they end sessions
        label = f"{method} {path}"
        r = _call(anon, method, path, body, w)
        if who == "auth":
            assert r.status_code in (400, 401), label
        else:
            assert r.status_code == 401, label
            if method != "HEAD":
                assert r.json()["error"]["code"] == "unauthenticated", label
        if who == "auth":
            continue
        # member B: never A's data, never the advisor API
        r = _call(b, method, path, body, w)
        if who in ("advisor", "advisor-list"):
            assert r.status_code == 403, label
        elif who in ("blob", "archive"):
            assert r.status_code == 404, label
        else:
            assert r.status_code == 200, label
            if path.endswith("/status"):
                assert r.json()["complete"] is False, label  # knowing A's hash gives B nothing
        # the other advisor: nothing of A's, no member endpoint
        r = _call(adv_b, method, path, body, w)
        if who in ("member",):
            assert r.status_code == 403, label
        elif who in ("advisor", "blob", "archive"):
            assert r.status_code == 404, label
        elif who == "advisor-list":
            assert r.status_code == 200 and w["doc"] not in r.text and w["req"] not in r.text, label
        else:
            assert r.status_code == 200, label
    assert _doc_version(w) == before  # nobody but A's advisor changed A's document
    flags = {ch["id"]: ch["value"] for ch in w["a"].api.pull(cursor=None)["changes"]}
    assert flags[w["client"]]["payment_flag"] == ""
    # A's advisor and A
    for method, path, body, who in ENDPOINTS:
        if path.endswith("/logout") or path.endswith("/revoke") or who == "auth":
            continue
        label = f"{method} {path}"
        r = _call(a, method, path, body, w)
        assert r.status_code == (403 if who in ("advisor", "advisor-list") else 200), label
        r = _call(adv_a, method, path, body, w)
        if who == "member":
            assert r.status_code == 403, label
        elif who == "advisor":
            assert r.status_code in (200, 409), (label, r.text)  # 409: not in the right state for that step
        elif who == "archive":
            assert r.status_code == 404, label
        else:
            assert r.status_code == 200, label
    assert w["doc"] in _call(adv_a, "GET", "/advisor/v1/queue", None, w).text or _doc_version(w) > before
    # revoking: B cannot revoke A's device; A can; then A's token is dead
    assert _call(b, "POST", "/sync/v1/devices/{device_a}/revoke", {}, w).status_code == 404
    assert _call(adv_b, "POST", "/sync/v1/devices/{device_a}/revoke", {}, w).status_code == 404
    assert a.req("GET", "/sync/v1/me").status_code == 200
    assert _call(a, "POST", "/sync/v1/devices/{device_a}/revoke", {}, w).status_code == 200
    assert a.req("GET", "/sync/v1/me").status_code == 401
    # logout ends exactly the session it is called with
    assert b.post("/sync/v1/logout").status_code == 200
    assert b.req("GET", "/sync/v1/me").status_code == 401
    assert adv_b.req("GET", "/sync/v1/me").status_code == 200
    anon.close()


def test_tokens_refresh_and_login_throttling(srv: RunningServer) -> None:
    m = new_member(srv)
    api = m.api
    old_access, old_refresh = api.token, api.refresh_token
    r = api.post("/sync/v1/refresh", {"refresh_token": old_refresh})
    assert r.status_code == 200
    api.token = r.json()["access_token"]
    assert api.req("GET", "/sync/v1/me").json()["email"] == m.email
    # the old pair is rotated away
    assert api.req("GET", "/sync/v1/me", headers={"Authorization": f"Bearer {old_access}"}).status_code == 401
    assert api.post("/sync/v1/refresh", {"refresh_token": old_refresh}).status_code == 401
    # throttling: after 5 wrong passwords the right one waits too, from a place never used before
    other = Api(srv.url)
    other.http.headers["X-Forwarded-For"] = "203.0.113.7"  # the test server trusts 127.0.0.1 as its proxy
    for _ in range(5):
        r = other.login(m.email, "wrong password!")
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"
    r = other.login(m.email)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert int(r.headers["Retry-After"]) > 0
    # ... but the member, from where they signed in before, is not locked out by that stranger
    assert Api(srv.url).login(m.email).status_code == 200
    # an unknown e-mail says the same as a wrong password
    r = other.login("nobody@example.org", "whatever password")
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"
    other.close()
