"""Delivery benchmark (issue 14, server side): prints figures (never asserts them).

    .venv/bin/python bench/delivery.py [--docs N]

- validation of a Belgian business invoice with its e-invoice (written, checked with EN 16931 +
  Peppol + UBL.BE, archived), p50 / p95, against the same validation of a private client's invoice
  (no e-invoice): what the e-invoice adds to the advisor's action;
- one delivery pass to the local access point on 127.0.0.1 (lookup + send + its own rule check +
  the status written back): deliveries per second;
- one pass by e-mail through aiosmtpd on 127.0.0.1 (PDF rendered, Factur-X made for a French client).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartdesk.domain.documents import Activity, Client, Document, DocumentKind, Line  # noqa: E402
from smartdesk.domain.ids import uuid7  # noqa: E402
from smartdesk.domain.serialize import client_to_dict  # noqa: E402
from smartdesk_server import auth, coop  # noqa: E402
from smartdesk_server.cli import open_engine  # noqa: E402
from smartdesk_server.config import Settings  # noqa: E402
from smartdesk_server.db import write  # noqa: E402
from smartdesk_server.delivery import einvoices, mail  # noqa: E402
from smartdesk_server.delivery import queue as delivery  # noqa: E402
from smartdesk_server.delivery.accesspoint import HttpAccessPoint  # noqa: E402
from smartdesk_server.delivery.local_ap import LocalAccessPoint  # noqa: E402
from smartdesk_server.demo import put_new_document  # noqa: E402
from smartdesk_server.store import Tx  # noqa: E402
from tests.support import parties  # noqa: E402
from tests.support.net import free_port  # noqa: E402


def _client(country: str, business: bool) -> Client:
    """The French company, the Belgian theatre (business) or, with ``business`` false, a private person
    at the theatre's address."""
    if country == "FR":
        return parties.client("FR", email="compta@caira.example")
    theatre = parties.client("BE", email="compta@balsamine.example")
    if business:
        return theatre
    return replace(theatre, name="Jan Peeters", vat_number="", is_business=False)


def _submitted(engine: object, member: str, client: Client, n: int) -> list[str]:
    activity = Activity(id=uuid7(), name="Bench", code="A-1", entity="BE")
    ids = []
    with write(engine) as conn:  # type: ignore[arg-type]
        tx = Tx(conn, member)
        tx.put(
            "activity",
            activity.id,
            {"id": activity.id, "name": "Bench", "code": "A-1", "entity": "BE"},
            existing=None,
        )
        tx.put("client", client.id, client_to_dict(client), existing=None)
        for i in range(n):
            doc = Document(
                id=uuid7(),
                kind=DocumentKind.INVOICE,
                status="submitted",
                activity_id=activity.id,
                client_id=client.id,
                title=f"Bench {i}",
                reference=f"PO-{i}",
                lines=[
                    Line(description=f"Day {k}", quantity=1, unit_price=400, unit="DAY") for k in range(5)
                ],
            )
            put_new_document(tx, doc)
            ids.append(doc.id)
    return ids


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"p50 {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(Settings(data_dir=Path(tmp)))
        member = auth.create_account(
            engine, email="bench@example.org", password="bench password 1", name="Ana Bench", role="member"
        )
        t = time.perf_counter()
        einvoices.warm_up()
        print(f"rule sets compiled at start: {time.perf_counter() - t:.2f} s")
        for label, client in (
            ("business (e-invoice)", _client("BE", True)),
            ("private (no e-invoice)", _client("BE", False)),
        ):
            times = []
            for doc_id in _submitted(engine, member, client, args.docs):
                t = time.perf_counter()
                coop.validate(engine, None, doc_id)
                times.append(time.perf_counter() - t)
            print(f"validation, {label}: {_ms(times)}")
        with LocalAccessPoint({"0208:0417497106": True}) as ap:
            transports = delivery.Transports(HttpAccessPoint(ap.url), None, "")
            t = time.perf_counter()
            stats = delivery.process_due(engine, transports, now=time.time() + 10)
            took = time.perf_counter() - t
            sent = stats.get("delivered", 0)
            print(f"Peppol pass: {stats} in {took:.2f} s, {sent / took:.1f} deliveries/s")
        try:
            from aiosmtpd.controller import Controller
            from aiosmtpd.handlers import Sink
        except ImportError:
            print("e-mail pass: aiosmtpd not installed (dev extra), skipped")
            return
        fr = _client("FR", True)
        _submitted(engine, member, fr, args.docs // 3 or 1)
        for doc in coop.queue(engine, None):
            coop.validate(engine, None, doc["id"])
        smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
        smtp.start()
        try:
            transports = delivery.Transports(
                None, mail.SmtpConfig("127.0.0.1", smtp.port, "none"), "bench@smart.coop"
            )
            t = time.perf_counter()
            stats = delivery.process_due(engine, transports, now=time.time() + 10)
            took = time.perf_counter() - t
            n = sum(stats.values())
            print(
                f"e-mail pass (PDF rendered; Factur-X for French clients): {stats} in {took:.2f} s, "
                f"{took / max(n, 1) * 1000:.0f} ms per delivery"
            )
        finally:
            smtp.stop()


if __name__ == "__main__":
    main()
