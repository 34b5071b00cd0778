"""Shared pieces of the sync tests: the real server in a subprocess, a fault-injecting HTTP proxy, a
file keyring for the CLI tests, an in-memory credential store, and helpers that make a member's local
data and read the server's truth. (No tests here.)"""

from __future__ import annotations

import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, Line
from smartdesk.services import Workspace
from smartdesk.sync import local
from smartdesk.sync.client import SyncClient
from smartdesk.sync.credentials import Credentials, CredentialStore
from smartdesk.sync.engine import SyncEngine
from tests.support.member_records import activity_and_client
from tests.support.net import free_port
from tests.support.optional import SERVER_MODULES, missing, requires

ROOT = Path(__file__).resolve().parents[2]
SERVER_CMD = [sys.executable, "-m", "smartdesk_server.cli"]
PASSWORD = "correct horse battery staple"
# how long a server may take to listen: on a loaded 2-core machine its imports alone took over 30 s once
START_LIMIT_S = 120


# Skip the sync suite only when the server's optional dependencies are not installed, naming them; when
# they are, the server package is imported here so that any error in it fails the tests (at collection)
# instead of skipping them all.
needs_server = requires(*SERVER_MODULES)
if not missing(*SERVER_MODULES):
    import smartdesk_server.cli  # noqa: F401


def server_cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SMARTDESK_DATABASE_URL"}
    return subprocess.run(
        [*SERVER_CMD, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "SMARTDESK_SERVER_DATA": str(data_dir)},
        check=False,
    )


@dataclass
class ServerProcess:
    data_dir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)  # more environment (e.g. SMARTDESK_SMTP_HOST)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("ab")
        env = {k: v for k, v in os.environ.items() if k != "SMARTDESK_DATABASE_URL"} | self.env
        self.proc = subprocess.Popen(
            [
                *SERVER_CMD,
                "--data-dir",
                str(self.data_dir),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--followup-interval",
                "0",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + START_LIMIT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    "server exited: " + (self.data_dir / "server.log").read_text(errors="replace")
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(
            f"server did not start in {START_LIMIT_S} s: "
            + (self.data_dir / "server.log").read_text(errors="replace")
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


# --- fault-injecting proxy ---------------------------------------------------------------------------
@dataclass
class Fault:
    """Applied to the next ``count`` requests whose path contains ``path``.

    modes: ``drop`` (forward, then close without answering: the acknowledgement is lost),
    ``duplicate`` (forward twice, answer the second), ``error`` (answer ``status`` without forwarding),
    ``error_after`` (forward, then answer ``status``: applied but reported failed),
    ``cut`` (forward only the first half of the body and close: an interrupted upload),
    ``reset`` (close the connection at once with a TCP reset, nothing forwarded),
    ``stall`` (wait ``stall`` seconds, then forward: longer than the client's read timeout),
    ``restart`` (forward, call ``FaultProxy.on_restart`` (restart the server), close without answering).
    """

    path: str
    mode: str
    count: int = 1
    status: int = 503
    stall: float = 0.0
    after: int = 0  # let this many matching requests through first


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, int]] = []
        self.lock = threading.Lock()
        self.on_restart: Callable[[], None] | None = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy.take(self.path)
                mode = fault.mode if fault else ""
                if mode == "error":
                    proxy.record(self.command, self.path, fault.status)  # type: ignore[union-attr]
                    self._answer(fault.status, b'{"error": {"code": "unavailable", "message": "injected"}}')  # type: ignore[union-attr]
                    return
                if mode == "reset":  # the connection dies before anything reaches the server
                    proxy.record(self.command, self.path, -2)
                    self.close_connection = True
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    return
                if (
                    mode == "stall"
                ):  # no answer for longer than the client waits, then the request goes through
                    time.sleep(fault.stall)  # type: ignore[union-attr]
                if mode == "restart":  # the server applies the request, then restarts before answering
                    proxy.forward(self.command, self.path, self.headers, body)
                    proxy.record(self.command, self.path, -3)
                    if proxy.on_restart is not None:
                        proxy.on_restart()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "cut":
                    half = body[: max(1, len(body) // 2)]
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
                    headers["Content-Length"] = str(len(body))
                    try:
                        conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=5)
                        conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                        for k, v in headers.items():
                            conn.putheader(k, v)
                        conn.endheaders()
                        conn.send(half)
                        time.sleep(0.2)
                        conn.close()
                    except OSError:
                        pass
                    proxy.record(self.command, self.path, -1)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, headers, data = proxy.forward(self.command, self.path, self.headers, body)
                if mode == "duplicate":
                    status, headers, data = proxy.forward(self.command, self.path, self.headers, body)
                proxy.record(self.command, self.path, status)
                if mode == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if mode == "error_after":
                    self._answer(fault.status, b'{"error": {"code": "unavailable", "message": "injected"}}')  # type: ignore[union-attr]
                    return
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in (
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "date",
                        "server",
                    ):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _answer(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(
        self, path: str, mode: str, count: int = 1, status: int = 503, stall: float = 0.0, after: int = 0
    ) -> None:
        with self.lock:
            self.faults.append(Fault(path, mode, count, status, stall, after))

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def take(self, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.path in path and f.count > 0:
                    if f.after > 0:
                        f.after -= 1
                        return None
                    f.count -= 1
                    return f
        return None

    def record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.log.append((method, path, status))

    def forward(
        self, method: str, path: str, headers: Any, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            fwd = {
                k: v for k, v in headers.items() if k.lower() not in ("host", "connection", "content-length")
            }
            fwd["Content-Length"] = str(len(body))
            conn.request(method, path, body=body, headers=fwd)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        except OSError:
            return 502, [], b'{"error": {"code": "bad_gateway", "message": "upstream down"}}'
        finally:
            conn.close()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- a keyring backend in a file (for CLI tests in separate processes) --------------------------------
class FileKeyring(KeyringBackend):  # type: ignore[misc]
    """Test-only keyring: a JSON file named by $SMARTDESK_TEST_KEYRING (never for real secrets)."""

    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["SMARTDESK_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path().read_text()))
        except (OSError, ValueError):
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\0{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}\0{username}", None)
        self._path().write_text(json.dumps(data))


def iter_lines(path: Path) -> Iterator[str]:
    yield from path.read_text().splitlines()


# --- members, local data, the server's truth -------------------------------------------------------
class MemoryCredentials(CredentialStore):
    """The credential store with the keyring part switched off (the unreachable edge in tests)."""

    def __init__(self, account: str) -> None:
        super().__init__(account)
        self._keyring = None
        self.warning = ""
        self._memory = {}  # this instance only


class ServerDb:
    """Direct access to the server's database: accounts for the tests and the truth to compare with."""

    def __init__(self, data_dir: Path) -> None:
        from smartdesk_server.config import Settings
        from smartdesk_server.db import make_engine, sqlite_url

        self.settings = Settings(data_dir=data_dir, database_url=sqlite_url(data_dir))
        self.engine = make_engine(self.settings.database_url)

    def create(self, role: str = "member") -> tuple[str, str]:
        from smartdesk_server import auth

        email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
        account_id = auth.create_account(
            self.engine, email=email, password=PASSWORD, name=f"Test {role}", role=role, entity="BE"
        )
        return email, account_id

    def records(self, member_id: str, type_: str | None = None) -> dict[str, dict[str, Any]]:
        """id -> {version, deleted, body} of a member's records on the server."""
        from sqlalchemy import select

        from smartdesk_server.db import read, records

        cond = records.c.member_id == member_id
        if type_:
            cond = cond & (records.c.type == type_)
        with read(self.engine) as conn:
            rows = conn.execute(select(records).where(cond)).all()
        return {
            r.id: {
                "type": r.type,
                "version": int(r.version),
                "deleted": bool(r.deleted),
                "body": json.loads(r.body) if r.body else None,
            }
            for r in rows
        }

    def last_mutation_id(self, client_id: str) -> int:
        from sqlalchemy import select

        from smartdesk_server.db import read, sync_clients

        with read(self.engine) as conn:
            value = conn.execute(
                select(sync_clients.c.last_mutation_id).where(sync_clients.c.client_id == client_id)
            ).scalar()
        return int(value or 0)

    def close(self) -> None:
        self.engine.dispose()


def seed_member_data(ws: Workspace) -> tuple[Activity, Client]:
    """An activity and a client, as a member sets them up before the first invoice."""
    activity, client = activity_and_client()
    return ws.activities.save(activity), ws.clients.save(client)


def draft_invoice(
    ws: Workspace, activity: Activity, client: Client, title: str = "Two days of shooting", days: int = 2
) -> Document:
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id, activity_id=activity.id)
    doc.title = title
    doc.lines = [
        Line(description="Shooting day", quantity=Decimal(days), unit_price=Decimal("400"), unit="DAY")
    ]
    return ws.documents.save(doc)


def signed_in_engine(
    ws: Workspace,
    url: str,
    email: str,
    *,
    timeout: tuple[float, float] = (5.0, 30.0),
    creds: Credentials | None = None,
) -> SyncEngine:
    """A sync engine for this store, signed in (with ``creds``: the tokens of an earlier sign-in of
    the same member, as a second device would have after its own sign-in; saves a password hash)."""
    store = MemoryCredentials(str(ws.folder))
    if creds is not None:
        store.save(replace(creds, server=url))
    client = SyncClient(url, store, client_id=local.client_id(ws.store), timeout=timeout)
    if creds is None:
        client.login(email, PASSWORD)
    return SyncEngine(ws.store, client, ws.attachments)


def sent_invoice(ws: Workspace, server: SyncServer, email: str) -> tuple[SyncEngine, Document]:
    """A member's invoice, submitted from this laptop, validated and sent to the client by the cooperative
    and synced back: awaiting payment. Returns the signed-in engine and the invoice as the laptop has it."""
    activity, client = seed_member_data(ws)
    doc = draft_invoice(ws, activity, client)
    ws.documents.submit(doc.id)
    engine = signed_in_engine(ws, server.url, email)
    engine.sync()
    for command in ("validate", "mark-sent"):
        done = server_cli(server.process.data_dir, "advisor", command, doc.id)
        assert done.returncode == 0, done.stderr
    engine.sync()
    return engine, ws.documents.get(doc.id)


def server_documents(db: ServerDb, member_id: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in db.records(member_id, "document").items() if not v["deleted"]}


@dataclass
class SyncServer:
    process: ServerProcess
    db: ServerDb

    @property
    def url(self) -> str:
        return self.process.url

    def member(self) -> tuple[str, str]:
        return self.db.create("member")


def running_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    """One real server subprocess (SQLite) for all the tests of a module (the module-scoped ``sync_server``
    fixture of tests/integration/conftest.py; each test makes its own member)."""
    data_dir = tmp_path_factory.mktemp("sync-server")
    process = ServerProcess(data_dir)
    process.start()
    db = ServerDb(data_dir)
    try:
        yield SyncServer(process, db)
    finally:
        process.stop()
        db.close()


class EditLog:
    """Every outbox entry the member's edits made, in order: (mutation_id, name, entity_id)."""

    def __init__(self) -> None:
        self.made: list[tuple[int, str, str]] = []

    def capture(self, ws: Workspace) -> None:
        after = self.made[-1][0] if self.made else 0
        self.made += [
            (e.mutation_id, e.name, e.entity_id) for e in ws.store.outbox_entries(limit=100_000, after=after)
        ]


def assert_exactly_once(db: ServerDb, member_id: str, ws: Workspace, log: EditLog) -> None:
    """The server took every edit once and in order; the local store equals the server."""
    from collections import Counter

    client_id = local.client_id(ws.store)
    assert ws.sync.pending_changes() == 0, "the outbox must end empty"
    assert local.list_rejections(ws.store, include_dismissed=True) == []
    assert local.list_conflicts(ws.store) == []
    ids = [m for m, _, _ in log.made]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert db.last_mutation_id(client_id) == ids[-1]
    on_server = db.records(member_id)
    edited = Counter(e for _, _, e in log.made)
    for entity_id, count in edited.items():
        assert on_server[entity_id]["version"] == count, (entity_id, count, on_server[entity_id]["version"])
    for entity_id, rec in on_server.items():
        if rec["type"] != "document" or rec["deleted"] or entity_id not in edited:
            continue
        mine = ws.documents.get(entity_id)
        assert rec["body"]["title"] == mine.title
        assert [ln["description"] for ln in rec["body"]["lines"]] == [ln.description for ln in mine.lines]
        assert ws.store.server_version(entity_id) == rec["version"]


def edit_documents(
    ws: Workspace, rng: Any, docs: list[str], activity: Activity, client: Client, n: int
) -> None:
    """``n`` member edits: new drafts, and new lines and titles on existing ones."""
    for _ in range(n):
        if not docs or rng.random() < 0.2:
            docs.append(draft_invoice(ws, activity, client, title=f"Doc {len(docs) + 1}").id)
            continue
        doc = ws.documents.get(rng.choice(docs))
        step = len(doc.lines) + 1
        doc.title = f"{doc.title.split(' / ')[0]} / edit {step}"
        doc.lines.append(
            Line(description=f"line {step}", quantity=Decimal(1), unit_price=Decimal(step), unit="HUR")
        )
        ws.documents.save(doc)
