"""Hostile input (Hypothesis): oversized, malformed, wrong types, unknown fields. Never a 500, never a
stack trace, never a partial write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import document_to_dict
from smartdesk.sync import protocol as P
from smartdesk_server.db import records, sync_clients

from .conftest import Api, Member, RunningServer, invoice, new_advisor, new_member

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "kind",
        "status",
        "lines",
        "client",
        "document",
        "to",
        "step",
        "hold",
        "changed",
        "activity",
        "profile",
        "body",
        "service",
        "number",
    ]
)
args_strategy = st.dictionaries(field_names, json_value, max_size=6)


def _snapshot(srv: RunningServer, member: Member) -> list[tuple[str, str, int]]:
    with srv.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.type, records.c.id, records.c.version)
            .where(records.c.member_id == member.account_id)
            .order_by(records.c.type, records.c.id)
        ).all()
        last = conn.execute(
            select(sync_clients.c.last_mutation_id).where(sync_clients.c.client_id == member.api.client_id)
        ).scalar()
    return [(r.type, r.id, int(r.version)) for r in rows] + [("last", "", int(last or 0))]


def _plain_error(r: Any) -> None:
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        err = r.json()["error"]
        assert set(err) >= {"code", "message"} and "Traceback" not in r.text
        assert err["code"] in P.ERROR_CODES, err


@pytest.fixture(scope="module")
def victim(srv: RunningServer) -> Member:
    return new_member(srv)


@SETTINGS
@given(body=json_value)
def test_any_json_body_on_push_and_pull(srv: RunningServer, victim: Member, body: Any) -> None:
    before = _snapshot(srv, victim)
    for path in ("/sync/v1/push", "/sync/v1/pull", "/sync/v1/login", "/sync/v1/refresh"):
        r = victim.api.post(path, body)
        _plain_error(r)
    assert _snapshot(srv, victim) == before


@SETTINGS
@given(
    name=st.sampled_from(list(P.MUTATION_NAMES) + ["x", ""]),
    args=args_strategy,
    base=st.one_of(st.integers(min_value=-5, max_value=2**40), st.none(), st.text(max_size=3)),
)
def test_any_mutation_args_are_applied_whole_or_refused(
    srv: RunningServer, victim: Member, name: str, args: dict[str, Any], base: Any
) -> None:
    api = victim.api
    before = _snapshot(srv, victim)
    good = {"mutation_id": api.next_id, "name": "client.delete", "args": {"id": uuid7()}, "base_version": 0}
    bad = {"mutation_id": api.next_id + 1, "name": name, "args": args, "base_version": base}
    r = api.push_raw([good, bad])
    _plain_error(r)
    after = _snapshot(srv, victim)
    if r.status_code != 200:
        assert after == before  # the whole request refused: nothing at all
        return
    api.next_id += 2
    [_ok, res] = r.json()["results"]
    assert res["status"] in ("ok", "rejected", "conflict") and res["code"] in P.RESULT_CODES
    if res["status"] != "ok":
        assert after[:-1] == before[:-1]  # refused mutation: no trace except the advanced id
    assert after[-1][2] == api.next_id - 1


@SETTINGS
@given(
    doc_patch=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "lines",
                "expense_lines",
                "issue_date",
                "kind",
                "payment_terms_days",
                "currency",
                "allowances",
                "client_id",
            ]
        ),
        json_value,
        max_size=3,
    )
)
def test_malformed_documents_never_half_written(
    srv: RunningServer, victim: Member, doc_patch: dict[str, Any]
) -> None:
    body = document_to_dict(invoice(victim))
    body.update(doc_patch)
    before = _snapshot(srv, victim)
    r = victim.api.push_raw([victim.api.mutation("document.put", {"document": body})])
    _plain_error(r)
    if r.status_code != 200:  # refused whole (e.g. 422 invalid_text for a NUL): nothing at all
        assert (
            r.json()["error"]["code"] in ("invalid_text", "invalid_request")
            and _snapshot(srv, victim) == before
        )
        victim.api.next_id -= 1
        return
    [res] = r.json()["results"]
    after = _snapshot(srv, victim)
    if res["status"] == "ok":
        assert len(after) == len(before) + 1
    else:
        assert after[:-1] == before[:-1]


def test_oversized_and_malformed_requests(srv: RunningServer, victim: Member) -> None:
    api = victim.api
    before = _snapshot(srv, victim)
    huge = b'{"protocol_version": 1, "x": "' + b"a" * (P.MAX_BODY_BYTES + 10) + b'"}'
    r = api.req("POST", "/sync/v1/push", content=huge, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    for raw in (b"{", b"\xff\xfe", b"[1, 2]", b'{"a": NaN}', b"[" * 5000 + b"]" * 5000, b""):
        r = api.req("POST", "/sync/v1/push", content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request", raw[:10]
    too_many = [api.mutation("client.delete", {"id": uuid7()}) for _ in range(P.MAX_MUTATIONS_PER_PUSH + 1)]
    api.next_id -= len(too_many)
    r = api.push_raw(too_many)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_many_mutations"
    long_title = document_to_dict(invoice(victim))
    long_title["title"] = "x" * 20_000
    long_title["lines"] = long_title["lines"] * 600
    res = api.push(("document.put", {"document": long_title}))
    assert res["results"][0]["code"] == "invalid"
    for bad_cursor in ({"epoch": 1, "rev": 1}, {"epoch": "x", "rev": -1}, [1], "abc", {"epoch": "x"}):
        r = api.post(
            "/sync/v1/pull",
            {"protocol_version": 1, "schema_version": 1, "client_id": "c", "cursor": bad_cursor},
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"
    for cid in ("", "x" * 65, 5, None):
        r = api.post(
            "/sync/v1/push", {"protocol_version": 1, "schema_version": 1, "client_id": cid, "mutations": []}
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"
    r = api.req("PUT", "/sync/v1/blobs/" + "a" * 64, content=b"x" * (P.MAX_BLOB_CHUNK_BYTES + 1))
    assert r.status_code == 413
    r = api.req(
        "PUT",
        "/sync/v1/blobs/" + "a" * 64,
        content=b"x",
        headers={"Content-Range": f"bytes 0-0/{P.MAX_BLOB_BYTES + 1}"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "blob_too_large"
    for path in ("/sync/v1/blobs/NOTAHASH/status", "/sync/v1/blobs/../../etc/passwd"):
        r = api.req("GET", path)
        assert r.status_code in (400, 404) and "error" in r.json()
    r = api.req("DELETE", "/sync/v1/push")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = api.req("GET", "/sync/v1/me", headers={"Authorization": "Bearer " + "x" * 5000})
    assert r.status_code == 401
    assert _snapshot(srv, victim)[:-1] == before[:-1]


@SETTINGS
@given(
    body=json_value,
    action=st.sampled_from(["validate", "return", "reject-line", "mark-sent", "payments", "reimburse"]),
)
def test_advisor_endpoints_take_any_body(srv: RunningServer, victim: Member, body: Any, action: str) -> None:
    advisor = _advisor(srv, victim)
    r = advisor.post(f"/advisor/v1/documents/{uuid7()}/{action}", body)
    _plain_error(r)
    r = advisor.post(f"/advisor/v1/requests/{uuid7()}/answer", body)
    _plain_error(r)
    r = advisor.post(f"/advisor/v1/activities/{victim.activity.id}/figures", body)
    _plain_error(r)


_advisors: dict[str, Api] = {}


def _advisor(srv: RunningServer, member: Member) -> Api:
    if member.account_id not in _advisors:
        _advisors[member.account_id] = new_advisor(srv, member)
    return _advisors[member.account_id]


def test_errors_are_json_everywhere(srv: RunningServer) -> None:
    api = Api(srv.url)
    for method, path in (("GET", "/nope"), ("POST", "/sync/v1/me"), ("GET", "/sync/v1/push")):
        r = api.req(method, path)
        assert r.status_code in (404, 405) and json.loads(r.text)["error"]["message"]
    assert api.req("GET", "/openapi.json").json()["info"]["title"] == "SmartDesk cooperative server"
    assert api.req("GET", "/docs").status_code == 200
    api.close()


# --- hostile values at the places the server reads: numbers, dates, ids, texts (issue 19) ----------
def _rss_kib() -> int:
    """Resident memory of the process running the server (the test server runs in this process)."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


any_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=40)  # surrogates and NUL too
hostile_leaf = st.one_of(
    st.sampled_from(
        [
            "1e100000000",
            "-1E+999999",
            "9" * 5000,
            "١٢٣",
            "１２",
            "0x1F",
            "NaN",
            "Infinity",
            " 1",
            "1\n",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "20261122",
            "urn:uuid:" + "0" * 36,
            "\x00",
            "\ud800",
            "a" * 20_000,
            "İ" * 400,
            "",
        ]
    ),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    any_text,
)
hostile_value = st.recursive(
    hostile_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(any_text, inner, max_size=3)),
    max_leaves=6,
)
document_keys = st.sampled_from(
    [
        "unit_price",
        "quantity",
        "vat_rate",
        "discount_percent",
        "amount",
        "amount_incl",
        "issue_date",
        "due_date",
        "delivery_date",
        "date",
        "payment_terms_days",
        "id",
        "activity_id",
        "client_id",
        "corrects_id",
        "title",
        "entity",
        "receipts",
    ]
)
_RSS_START: dict[str, int] = {}


@SETTINGS
@given(
    top=st.dictionaries(document_keys, hostile_value, max_size=4),
    line=st.dictionaries(document_keys, hostile_value, max_size=4),
    kind=st.sampled_from(["invoice", "expense-note", "credit-note", "quote"]),
)
def test_hostile_document_bodies_never_500_never_half_written_bounded_memory(
    srv: RunningServer, victim: Member, top: dict[str, Any], line: dict[str, Any], kind: str
) -> None:
    _RSS_START.setdefault(srv.backend, _rss_kib())
    body = document_to_dict(invoice(victim))
    body["kind"] = kind
    body.update(top)
    body["lines"] = [{**body["lines"][0], **line}]
    body["expense_lines"] = [line]
    api = victim.api
    before = _snapshot(srv, victim)
    raw = json.dumps(
        {
            "protocol_version": 1,
            "schema_version": 1,
            "client_id": api.client_id,
            "mutations": [api.mutation("document.put", {"document": body})],
        }
    ).encode()
    r = api.req("POST", "/sync/v1/push", content=raw, headers={"Content-Type": "application/json"})
    _plain_error(r)
    after = _snapshot(srv, victim)
    if r.status_code != 200:
        api.next_id -= 1
        assert after == before  # refused whole: nothing at all
    else:
        [res] = r.json()["results"]
        assert res["status"] in ("ok", "rejected") and res["code"] in P.RESULT_CODES
        if res["status"] != "ok":
            assert after[:-1] == before[:-1]
    assert _rss_kib() - _RSS_START[srv.backend] < 300_000, "the server's memory grew by more than 300 MB"


@SETTINGS
@given(
    email=st.one_of(any_text, hostile_leaf),
    password=st.one_of(any_text, hostile_leaf),
    device=st.one_of(any_text, hostile_leaf),
    token=st.one_of(any_text, hostile_leaf),
)
def test_hostile_sign_in_bodies_never_500(
    srv: RunningServer, email: Any, password: Any, device: Any, token: Any
) -> None:
    api = Api(srv.url)
    api.http.headers["X-Forwarded-For"] = "203.0.113.200"
    for path, payload in (
        ("/sync/v1/login", {"email": email, "password": password, "device_name": device}),
        ("/sync/v1/refresh", {"refresh_token": token}),
    ):
        r = api.req(
            "POST", path, content=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        _plain_error(r)
        assert r.status_code != 200
    api.close()
