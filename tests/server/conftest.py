"""The real server on 127.0.0.1 (uvicorn in a thread), on SQLite always and on PostgreSQL when
$SMARTDESK_TEST_PG_URL is set (e.g. postgresql+psycopg://smartdesk@127.0.0.1:55432/smartdesk_test)."""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import activity_to_dict, client_to_dict, document_to_dict
from smartdesk_server import auth
from smartdesk_server.app import create_app
from smartdesk_server.config import Settings
from smartdesk_server.db import make_engine, metadata
from smartdesk_server.migrate import upgrade
from smartdesk_server.sync import init_epoch
from tests.support.member_records import activity_and_client
from tests.support.net import free_port  # noqa: F401 - importable from here for branches in flight
from tests.support.servers import ThreadedServer

PASSWORD = "correct horse battery staple"
PG_URL = os.environ.get("SMARTDESK_TEST_PG_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


@dataclass
class RunningServer:
    url: str
    engine: Engine
    settings: Settings
    backend: str
    served: ThreadedServer


def _worker_database(base_url: str, suffix: str = "") -> str:
    """A database of its own for this pytest-xdist worker (workers run server test files in parallel)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_url(base_url)
    name = f"smartdesk_test_{worker}{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _reset_pg(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def start_server(data_dir: Path, backend: str) -> RunningServer:
    url = _worker_database(PG_URL) if backend == "postgres" else ""
    if url:
        _reset_pg(url)
    settings = Settings(data_dir=data_dir, database_url=url, login_max_failures=5)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    init_epoch(engine)
    served = ThreadedServer(create_app(settings, engine))
    served.start()
    return RunningServer(served.url, engine, settings, backend, served)


@pytest.fixture(scope="session", params=BACKENDS)
def srv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp(f"server-{request.param}"), request.param)
    yield running
    running.served.stop()
    running.engine.dispose()


class Api:
    """A small HTTP client speaking the protocol (tests talk HTTP only)."""

    def __init__(self, url: str, token: str = "") -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.token = token
        self.client_id = str(uuid.uuid4())
        self.next_id = 1
        self.cursor: dict[str, Any] | None = None
        self.refresh_token = ""
        self.account_id = ""

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def req(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers(), **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.req("POST", path, json=body if body is not None else {}, **kw)

    def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        r = self.post("/sync/v1/login", {"email": email, "password": password, "device_name": "pytest"})
        if r.status_code == 200:
            self.token = r.json()["access_token"]
            self.refresh_token = r.json()["refresh_token"]
            self.account_id = r.json()["account_id"]
        return r

    def push_raw(self, mutations: list[dict[str, Any]], client_id: str | None = None) -> httpx.Response:
        return self.post(
            "/sync/v1/push",
            {
                "protocol_version": 1,
                "schema_version": 1,
                "client_id": client_id or self.client_id,
                "mutations": mutations,
            },
        )

    def mutation(self, name: str, args: dict[str, Any], base: int = 0) -> dict[str, Any]:
        m = {"mutation_id": self.next_id, "name": name, "args": args, "base_version": base}
        self.next_id += 1
        return m

    def push(self, *muts: tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], int]) -> dict[str, Any]:
        batch = [self.mutation(*m) for m in muts]
        r = self.push_raw(batch)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def pull(self, cursor: Any = "mine", limit: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "protocol_version": 1,
            "schema_version": 1,
            "client_id": self.client_id,
            "cursor": self.cursor if cursor == "mine" else cursor,
        }
        if limit:
            body["limit"] = limit
        r = self.post("/sync/v1/pull", body)
        assert r.status_code == 200, r.text
        data = dict(r.json())
        if cursor == "mine" and data.get("cursor"):
            self.cursor = data["cursor"]
        return data

    def close(self) -> None:
        self.http.close()


@dataclass
class Member:
    api: Api
    email: str
    account_id: str
    activity: Activity
    client: Client
    docs: list[str] = field(default_factory=list)


def new_account(srv: RunningServer, role: str, entity: str = "BE") -> tuple[str, str]:
    email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
    account_id = auth.create_account(
        srv.engine, email=email, password=PASSWORD, name=f"Test {role}", role=role, entity=entity
    )
    return email, account_id


def new_member(srv: RunningServer) -> Member:
    email, account_id = new_account(srv, "member")
    api = Api(srv.url)
    assert api.login(email).status_code == 200
    activity, client = activity_and_client()
    api.push(
        ("activity.put", {"activity": activity_to_dict(activity)}),
        ("client.put", {"client": client_to_dict(client), "changed": []}),
    )
    return Member(api, email, account_id, activity, client)


def new_advisor(srv: RunningServer, *follow: Member) -> Api:
    email, advisor_id = new_account(srv, "advisor")
    for m in follow:
        auth.follow(srv.engine, advisor_id, m.activity.id)
    api = Api(srv.url)
    assert api.login(email).status_code == 200
    return api


def invoice(member: Member, **kw: Any) -> Document:
    doc = Document(
        id=uuid7(),
        kind=kw.pop("kind", DocumentKind.INVOICE),
        activity_id=member.activity.id,
        client_id=member.client.id,
        title=kw.pop("title", "Two days of shooting"),
        lines=[
            Line(
                description="Shooting day",
                quantity=__import__("decimal").Decimal(2),
                unit_price=__import__("decimal").Decimal("400"),
                unit="DAY",
            )
        ],
        **kw,
    )
    return doc


def put_doc(member: Member, doc: Document, changed: list[str] | None = None, base: int = 0) -> dict[str, Any]:
    args: dict[str, Any] = {"document": document_to_dict(doc)}
    if changed is not None:
        args["changed"] = changed
    return member.api.push(("document.put", args, base))


def submitted_invoice(member: Member, **kw: Any) -> Document:
    doc = invoice(member, **kw)
    res = member.api.push(
        ("document.put", {"document": document_to_dict(doc)}),
        ("document.transition", {"id": doc.id, "to": "submitted"}),
    )
    assert [r["status"] for r in res["results"]] == ["ok", "ok"], res
    return doc


def server_doc(member: Member, doc_id: str) -> dict[str, Any] | None:
    """The member's view of a document after a full pull."""
    data = member.api.pull(cursor=None)
    for ch in data["changes"]:
        if ch["entity"] == "document" and ch["id"] == doc_id:
            return dict(ch["value"])
    return None


@pytest.fixture
def member_a(srv: RunningServer) -> Iterator[Member]:
    m = new_member(srv)
    yield m
    m.api.close()


@pytest.fixture
def member_b(srv: RunningServer) -> Iterator[Member]:
    m = new_member(srv)
    yield m
    m.api.close()


def validate_twice_at_once(
    url: str, advisor: Api, docs: list[Document], threads: int, *, connection_per_request: bool = False
) -> list[int]:
    """The advisor validates every document of ``docs`` from two of ``threads`` threads at once (thread i
    takes every (threads / 2)-th document from the i-th); the HTTP status of every answer. With
    ``connection_per_request`` each request opens its own connection (spread over worker processes)."""
    step = threads // 2
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(chunk: list[Document]) -> None:
        api = None if connection_per_request else Api(url, advisor.token)
        for d in chunk:
            one = api or Api(url, advisor.token)
            r = one.post(f"/advisor/v1/documents/{d.id}/validate", {})
            with lock:
                statuses.append(r.status_code)
            if api is None:
                one.close()
        if api is not None:
            api.close()

    running = [threading.Thread(target=worker, args=(docs[i % step :: step],)) for i in range(threads)]
    for t in running:
        t.start()
    for t in running:
        t.join()
    return statuses


def validated_values(members: list[Member], docs: list[Document]) -> list[dict[str, Any]]:
    """The server's value of each of ``docs`` (document i belongs to ``members[i % len(members)]``), each
    checked validated and numbered BE-INV-<this year>-<six digits>."""
    values = []
    for i, d in enumerate(docs):
        value = server_doc(members[i % len(members)], d.id)
        assert value is not None and value["status"] == "validated"
        assert re.fullmatch(rf"BE-INV-{date.today().year}-\d{{6}}", value["number"])
        values.append(value)
    return values


def sequence_number(value: dict[str, Any]) -> int:
    """The running number at the end of a validated document's legal number (BE-INV-2026-000042: 42)."""
    return int(value["number"].rsplit("-", 1)[1])


def fresh_database(backend: str, pg_suffix: str, sqlite_file: Path) -> Engine:
    """An empty server database, migrated, with its epoch: on PostgreSQL this worker's database with
    ``pg_suffix`` (emptied first), else the SQLite file ``sqlite_file``. The caller disposes of it."""
    if backend == "postgres":
        url = _worker_database(PG_URL, pg_suffix)
        _reset_pg(url)
    else:
        url = f"sqlite:///{sqlite_file}"
    engine = make_engine(url)
    upgrade(engine)
    init_epoch(engine)
    return engine
