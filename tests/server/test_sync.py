"""Push/pull over real HTTP: exactly-once, gaps, conflicts, ownership, tombstones, epochs, versions."""

from __future__ import annotations

import json
import random
import socket
from dataclasses import replace
from urllib.parse import urlparse

from smartdesk.domain.documents import Client
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.identity import identity_to_dict
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import client_to_dict, document_to_dict
from smartdesk_server import sync as server_sync

from .conftest import Api, Member, RunningServer, invoice, put_doc, server_doc, submitted_invoice


def _client_muts(api: Api, n: int) -> tuple[list[dict], list[str]]:
    ids = [uuid7() for _ in range(n)]
    muts = [
        api.mutation("client.put", {"client": client_to_dict(Client(id=i, name=f"Client {k}"))})
        for k, i in enumerate(ids)
    ]
    return muts, ids


def _names(member: Member) -> dict[str, dict]:
    data = member.api.pull(cursor=None)
    return {ch["id"]: ch for ch in data["changes"] if ch["entity"] == "client"}


def test_push_then_pull_round_trip(member_a: Member) -> None:
    doc = invoice(member_a)
    res = put_doc(member_a, doc)
    assert res["last_mutation_id"] == 3 and res["results"][0]["status"] == "ok"
    data = member_a.api.pull(cursor=None)
    kinds = sorted(ch["entity"] for ch in data["changes"])
    assert kinds == ["activity", "client", "document"]
    value = next(ch["value"] for ch in data["changes"] if ch["entity"] == "document")
    assert value["title"] == doc.title and value["status"] == "draft" and value["number"] == ""
    assert data["last_mutation_id"] == 3 and data["cursor"]["rev"] >= 1
    # nothing new: an empty page at the same cursor
    again = member_a.api.pull(cursor=data["cursor"])
    assert again["changes"] == [] and again["cursor"] == data["cursor"] and again["more"] is False


def test_replayed_push_is_applied_once(member_a: Member) -> None:
    api = member_a.api
    muts, ids = _client_muts(api, 5)
    first = api.push_raw(muts)
    assert first.status_code == 200 and first.json()["last_mutation_id"] == 7
    rev = api.pull(cursor=None)["cursor"]["rev"]
    replay = api.push_raw(muts)  # the answer was lost; the client sends the same batch again
    assert replay.status_code == 200 and replay.json() == {"last_mutation_id": 7, "results": []}
    assert api.pull(cursor=None)["cursor"]["rev"] == rev  # nothing touched
    assert set(ids) <= set(_names(member_a))


def test_batch_cut_in_the_middle_resumes_without_duplicates(member_a: Member) -> None:
    api = member_a.api
    muts, ids = _client_muts(api, 10)
    # the server only got the first half (connection lost after it)...
    assert api.push_raw(muts[:5]).json()["last_mutation_id"] == muts[4]["mutation_id"]
    # ... the client retries the whole batch: the first half is skipped, the second applied
    second = api.push_raw(muts).json()
    assert second["last_mutation_id"] == muts[-1]["mutation_id"]
    assert [r["mutation_id"] for r in second["results"]] == [m["mutation_id"] for m in muts[5:]]
    clients = _names(member_a)
    assert all(clients[i]["version"] == 1 for i in ids)  # each applied exactly once


def test_gap_and_disorder_are_refused_without_effect(member_a: Member) -> None:
    api = member_a.api
    muts, ids = _client_muts(api, 4)
    r = api.push_raw([muts[0], muts[2], muts[3]])  # mutation 2 of the batch missing
    assert r.status_code == 409 and r.json()["error"]["code"] == "mutation_gap"
    r = api.push_raw(list(reversed(muts)))
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"
    r = api.push_raw(muts[1:])  # starts after the last applied + 1
    assert r.status_code == 409
    assert not set(ids) & set(_names(member_a))
    shuffled = muts[:]
    random.Random(4).shuffle(shuffled)
    assert api.push_raw(sorted(shuffled, key=lambda m: m["mutation_id"])).status_code == 200
    assert set(ids) <= set(_names(member_a))


def test_cut_request_body_applies_nothing(srv: RunningServer, member_a: Member) -> None:
    api = member_a.api
    muts, ids = _client_muts(api, 3)
    body = json.dumps(
        {"protocol_version": 1, "schema_version": 1, "client_id": api.client_id, "mutations": muts}
    ).encode()
    u = urlparse(srv.url)
    with socket.create_connection((u.hostname, u.port)) as s:
        s.sendall(
            b"POST /sync/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {api.token}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body[: len(body) // 2]
        )
    assert not set(ids) & set(_names(member_a))
    assert api.push_raw(muts).json()["last_mutation_id"] == muts[-1]["mutation_id"]


def test_rejection_is_recorded_and_the_queue_moves_on(member_a: Member) -> None:
    api = member_a.api
    res = api.push(
        ("no.such.mutation", {}),
        ("client.put", {"client": {"name": 12}}),
        ("client.put", {"client": client_to_dict(Client(id=uuid7(), name="Fine"))}),
    )
    assert [r["status"] for r in res["results"]] == ["rejected", "rejected", "ok"]
    assert [r["code"] for r in res["results"]] == ["unknown_mutation", "invalid", "ok"]
    assert res["results"][1]["problems"][0]["field"] == "client.name"
    pulled = api.pull(cursor=None)
    assert {r["mutation_id"] for r in pulled["results"]} == {
        res["results"][0]["mutation_id"],
        res["results"][1]["mutation_id"],
    }
    assert pulled["last_mutation_id"] == res["last_mutation_id"]


def test_same_field_edit_from_two_devices_is_a_conflict(srv: RunningServer, member_a: Member) -> None:
    laptop = member_a.api
    phone = Api(srv.url)
    phone.login(member_a.email)
    doc = invoice(member_a)
    put_doc(member_a, doc)
    version = server_version = 1
    doc.title = "From the laptop"
    assert (
        laptop.push(("document.put", {"document": document_to_dict(doc), "changed": ["title"]}, version))[
            "results"
        ][0]["status"]
        == "ok"
    )
    doc.title = "From the phone"
    res = phone.push(
        ("document.put", {"document": document_to_dict(doc), "changed": ["title"]}, server_version)
    )
    [r] = res["results"]
    assert (
        r["status"] == "conflict"
        and r["server_value"]["title"] == "From the laptop"
        and r["server_version"] == 2
    )
    assert server_doc(member_a, doc.id)["title"] == "From the laptop"  # nothing applied silently
    # a different field changed from the same old base merges
    doc.title = "From the laptop"
    doc.reference = "PO-7"
    res = phone.push(("document.put", {"document": document_to_dict(doc), "changed": ["reference"]}, 1))
    assert res["results"][0]["status"] == "ok"
    value = server_doc(member_a, doc.id)
    assert value["title"] == "From the laptop" and value["reference"] == "PO-7"
    phone.close()


def test_cooperative_fields_are_not_taken_from_members(member_a: Member) -> None:
    doc = invoice(member_a)
    body = document_to_dict(doc)
    body.update(status="paid", number="BE-INV-2026-999999", paid_amount="1000.00", remarks="forged")
    # the legal fields only the cooperative sets: credit total, stamped identity, archived PDF
    forged_issuer = identity_to_dict(replace(BUILTIN_ENTITIES["BE"], name="Forged Coop SC"))
    body.update(credited_amount="500.00", issuer=forged_issuer, archive_sha256="a" * 64)
    res = member_a.api.push(("document.put", {"document": body}))
    assert res["results"][0]["status"] == "ok"
    value = server_doc(member_a, doc.id)
    assert value["status"] == "draft" and value["number"] == "" and value["paid_amount"] == "0"
    assert value["credited_amount"] == "0" and value["issuer"] is None and value["archive_sha256"] == ""
    body["title"] = "edited"
    member_a.api.push(("document.put", {"document": body, "changed": ["title", "status", "number"]}, 1))
    value = server_doc(member_a, doc.id)
    assert value["title"] == "edited" and value["status"] == "draft" and value["number"] == ""


def test_locked_document_and_deletes(member_a: Member) -> None:
    doc = submitted_invoice(member_a)
    body = document_to_dict(doc)
    body["title"] = "too late"
    res = member_a.api.push(
        ("document.put", {"document": body, "changed": ["title"]}, 2), ("document.delete", {"id": doc.id})
    )
    assert [r["code"] for r in res["results"]] == ["document_locked", "not_deletable"]
    # withdraw it, then delete it: a tombstone comes down
    cursor = member_a.api.pull()["cursor"]
    res = member_a.api.push(
        ("document.transition", {"id": doc.id, "to": "draft"}), ("document.delete", {"id": doc.id})
    )
    assert [r["status"] for r in res["results"]] == ["ok", "ok"]
    changes = member_a.api.pull(cursor=cursor)["changes"]
    [tomb] = [c for c in changes if c["id"] == doc.id]
    assert tomb["deleted"] is True and tomb["value"] is None
    assert server_doc(member_a, doc.id) is None  # a full pull has no tombstones


def test_submit_is_validated(member_a: Member) -> None:
    doc = invoice(member_a)
    doc.lines = []
    res = member_a.api.push(
        ("document.put", {"document": document_to_dict(doc)}),
        ("document.transition", {"id": doc.id, "to": "submitted"}),
        ("document.transition", {"id": doc.id, "to": "paid"}),
    )
    r = res["results"]
    assert r[1]["code"] == "invalid" and any(p["code"] == "required.lines" for p in r[1]["problems"])
    assert r[2]["code"] == "invalid_transition"
    assert server_doc(member_a, doc.id)["status"] == "draft"


def test_pull_pages_and_epoch_reset(srv: RunningServer, member_a: Member) -> None:
    api = member_a.api
    muts, ids = _client_muts(api, 30)
    for m in muts:  # one revision each
        api.push_raw([m])
    seen: list[str] = []
    cursor = None
    while True:
        page = api.pull(cursor=cursor, limit=7)
        seen.extend(ch["id"] for ch in page["changes"])
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert set(ids) <= set(seen) and len(seen) == len(set(seen))
    server_sync.reset_epoch(srv.engine)
    page = api.pull(cursor=cursor)
    assert page["reset_required"] is True
    assert api.pull(cursor={"epoch": cursor["epoch"], "rev": 10**9})["reset_required"] is True


def test_unknown_versions_are_refused_plainly(member_a: Member) -> None:
    api = member_a.api
    for pv, sv in ((2, 1), (1, 99), ("1", 1), (None, 1)):
        body = {"protocol_version": pv, "schema_version": sv, "client_id": api.client_id, "cursor": None}
        r = api.post("/sync/v1/pull", body)
        assert r.status_code == 400 and r.json()["error"]["code"] == "version_not_supported", r.text
        assert "SmartDesk" in r.json()["error"]["message"]


def test_client_id_belongs_to_one_account(member_a: Member, member_b: Member) -> None:
    member_b.api.client_id = member_a.api.client_id
    r = member_b.api.push_raw([member_b.api.mutation("client.delete", {"id": uuid7()})])
    assert r.status_code == 403 and r.json()["error"]["code"] == "client_id_taken"


def test_other_members_records_are_untouchable(member_a: Member, member_b: Member) -> None:
    doc = invoice(member_a)
    put_doc(member_a, doc)
    stolen = document_to_dict(doc)
    stolen["title"] = "mine now"
    res = member_b.api.push(
        ("document.put", {"document": stolen}),
        ("document.delete", {"id": doc.id}),
        ("client.put", {"client": client_to_dict(member_a.client)}),
    )
    assert [r["code"] for r in res["results"]] == ["not_found", "not_found", "not_found"]
    assert server_doc(member_a, doc.id)["title"] == doc.title
    assert all(ch["id"] != doc.id for ch in member_b.api.pull(cursor=None)["changes"])
