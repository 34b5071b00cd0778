"""A local Peppol access point on 127.0.0.1 (tests and ``smartdesk-server access-point``).

It knows a list of participants; what it receives is checked like a receiving access point would:
the receiver is registered and accepts invoices, the receiver in the header is the one in the XML,
and the official rules (the same harness as the server, :func:`smartdesk.einvoice.check_xml`) find
no fatal error. It answers ``delivered`` (and keeps the message) or ``rejected`` with the reason.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from smartdesk import einvoice
from smartdesk.einvoice.safexml import UnreadableInvoice, parse_xml

MAX_MESSAGE = 20 * 1024 * 1024


@dataclass
class Received:
    message_id: str
    sender: str
    receiver: str
    xml: bytes


@dataclass
class LocalAccessPoint:
    """``participants``: SCHEME:ID -> accepts invoices (False: registered, but refuses them)."""

    participants: dict[str, bool] = field(default_factory=dict)
    inbox: Path | None = None  # where delivered messages are written, when given
    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (receiver, reason)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> LocalAccessPoint:
        ap = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if not self.path.startswith("/participants/"):
                    self._answer(404, {"error": "not found"})
                    return
                pid = unquote(self.path.removeprefix("/participants/"))[:200]
                if pid in ap.participants:
                    self._answer(200, {"id": pid, "accepts_invoices": ap.participants[pid]})
                else:
                    self._answer(404, {"error": "unknown participant"})

            def do_POST(self) -> None:  # noqa: N802
                if self.path != "/messages":
                    self._answer(404, {"error": "not found"})
                    return
                length = self.headers.get("Content-Length", "")
                if not length.isdigit() or int(length) > MAX_MESSAGE:
                    self._answer(400, {"error": "Content-Length missing or too large"})
                    return
                xml = self.rfile.read(int(length))
                status, answer = ap.receive(
                    self.headers.get("X-Peppol-Sender", "")[:200],
                    self.headers.get("X-Peppol-Receiver", "")[:200],
                    xml,
                )
                self._answer(status, answer)

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-ap", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(10)
        self._server = self._thread = None

    def __enter__(self) -> LocalAccessPoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what a receiving access point checks ----------------------------------------------------
    def _reject(self, receiver: str, reason: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.rejected.append((receiver, reason))
        return 200, {"status": "rejected", "reason": reason}

    def receive(self, sender: str, receiver: str, xml: bytes) -> tuple[int, dict[str, Any]]:
        if receiver not in self.participants:
            return self._reject(receiver, f"The receiver {receiver} is not registered on Peppol.")
        if not self.participants[receiver]:
            return self._reject(receiver, f"The receiver {receiver} does not accept Peppol BIS 3.0 invoices.")
        try:
            report = einvoice.check_xml(xml)
            root = parse_xml(xml)
        except UnreadableInvoice as exc:
            return self._reject(receiver, f"Not a readable e-invoice: {exc.message}")
        endpoint = root.find("./{*}AccountingCustomerParty/{*}Party/{*}EndpointID")
        in_xml = (
            f"{endpoint.get('schemeID', '')}:{(endpoint.text or '').strip()}" if endpoint is not None else ""
        )
        if in_xml != receiver:
            return self._reject(
                receiver, f"The invoice is addressed to {in_xml or 'nobody'}, not to {receiver}."
            )
        if report.fatal:
            rules = ", ".join(f.rule_id for f in report.fatal[:20])
            return self._reject(receiver, f"The invoice breaks the Peppol rules: {rules}.")
        message_id = uuid.uuid4().hex
        with self._lock:
            self.received.append(Received(message_id, sender, receiver, xml))
        if self.inbox is not None:
            self.inbox.mkdir(parents=True, exist_ok=True)
            (self.inbox / f"{message_id}.xml").write_bytes(xml)
        return 200, {"status": "delivered", "message_id": message_id}
