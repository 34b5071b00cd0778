"""Sync figures (issue 6) against the real server on 127.0.0.1 (a subprocess, SQLite). Prints; asserts nothing.

- first sync of 10,000 documents into an empty local store (target <= 8 s);
- a sync with nothing to do: time (median) and bytes on the wire, headers included (<= 30 ms, <= 1 KB);
- pushing 100 edits (a whole sync: push, then the pull that acknowledges them; <= 0.5 s);
- the cost of a 10-change sync (5 edits pushed, 5 changes from another device pulled) at 1,000,
  10,000 and 50,000 documents in the store (it should grow with the changes, not with the store).

    .venv/bin/python bench/sync.py [--first 10000] [--sizes 1000,10000,50000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line  # noqa: E402
from smartdesk.domain.ids import uuid7  # noqa: E402
from smartdesk.domain.serialize import activity_to_dict, client_to_dict, document_to_dict  # noqa: E402
from smartdesk.services import Workspace  # noqa: E402
from smartdesk.sync import local  # noqa: E402
from smartdesk.sync.client import SyncClient  # noqa: E402
from smartdesk.sync.credentials import CredentialStore  # noqa: E402
from smartdesk.sync.engine import SyncEngine  # noqa: E402

PASSWORD = "benchmark password"


class MemoryCredentials(CredentialStore):
    """Tokens in memory only (a benchmark must not touch the system keyring)."""

    def __init__(self, account: str) -> None:
        super().__init__(account)
        self._keyring = None
        self._memory = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Remote:
    """Another device of the member, speaking the protocol directly (fills the server fast)."""

    def __init__(self, url: str, email: str) -> None:
        self.client = SyncClient(
            url, MemoryCredentials("remote-" + uuid.uuid4().hex), client_id=str(uuid.uuid4())
        )
        self.client.login(email, PASSWORD)
        self.next_id = 1
        self.activity = Activity(id=uuid7(), name="Photography", code="A-1", entity="BE")
        self.customer = Client(
            id=uuid7(),
            name="Studio Noord",
            address=Address("Rue Haute 1", "1000", "Bruxelles", "BE"),
            email="studio@example.org",
        )
        self.push(
            [
                ("activity.put", {"activity": activity_to_dict(self.activity)}),
                ("client.put", {"client": client_to_dict(self.customer)}),
            ]
        )
        self.docs: list[dict[str, Any]] = []

    def push(self, muts: list[tuple[str, dict[str, Any]]], base: int = 0) -> None:
        batch = []
        for name, args in muts:
            batch.append({"mutation_id": self.next_id, "name": name, "args": args, "base_version": base})
            self.next_id += 1
        answer = self.client.push(batch)
        bad = [r for r in answer["results"] if r["status"] != "ok"]
        if bad:
            raise SystemExit(f"seeding refused: {bad[0]}")

    def add_documents(self, n: int) -> None:
        for start in range(0, n, 500):
            muts = []
            for i in range(start, min(n, start + 500)):
                doc = Document(
                    id=uuid7(),
                    kind=DocumentKind.INVOICE,
                    activity_id=self.activity.id,
                    client_id=self.customer.id,
                    title=f"Invoice {len(self.docs) + 1}",
                    lines=[
                        Line(
                            description="Shooting day",
                            quantity=Decimal(2),
                            unit_price=Decimal(400),
                            unit="DAY",
                        ),
                        Line(
                            description="Travel", quantity=Decimal(1), unit_price=Decimal(i % 90), unit="C62"
                        ),
                    ],
                )
                body = document_to_dict(doc)
                self.docs.append(body)
                muts.append(("document.put", {"document": body}))
            self.push(muts)

    def change_documents(self, n: int, tag: str) -> None:
        """``n`` edits of existing documents (other documents than the member edits)."""
        muts = []
        for body in self.docs[-n:]:
            body = dict(body)
            body["intro_text"] = f"changed on the phone {tag}"
            muts.append(("document.put", {"document": body, "changed": ["intro_text"]}))
        self.push(muts, base=10**6)


def signed_in_laptop(folder: Path, url: str, email: str) -> tuple[Workspace, SyncEngine]:
    """The member's laptop: a new local store in ``folder`` and its sync engine, signed in to ``url``."""
    ws = Workspace.open(folder)
    engine = SyncEngine(
        ws.store,
        SyncClient(url, MemoryCredentials(str(ws.folder)), client_id=local.client_id(ws.store)),
        ws.attachments,
    )
    engine.client.login(email, PASSWORD)
    return ws, engine


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--first", type=int, default=10_000)
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    work = Path(tempfile.mkdtemp(prefix="smartdesk-sync-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "SMARTDESK_DATABASE_URL"}
    env["SMARTDESK_SERVER_DATA"] = str(work / "server")
    cli = [sys.executable, "-m", "smartdesk_server.cli"]
    emails = [f"bench-{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(2)]
    for e in emails:
        subprocess.run(
            [*cli, "create-member", "--email", e, "--password", PASSWORD],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--followup-interval", "0"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.05)
        print(f"SmartDesk sync benchmark (server and client on this machine, SQLite; {os.cpu_count()} CPUs)")

        # --- first sync of N documents --------------------------------------------------------
        remote = Remote(url, emails[0])
        t0 = time.perf_counter()
        remote.add_documents(args.first)
        print(
            f"  (server filled with {args.first:,} documents by another device in {time.perf_counter() - t0:.1f} s)"
        )
        ws, engine = signed_in_laptop(work / "laptop", url, emails[0])
        result = engine.sync()
        print(
            f"first sync of {args.first:,} documents: {result.seconds:.2f} s, {result.requests} requests, "
            f"{result.bytes_received / 1e6:.1f} MB received (target <= 8 s)"
        )

        # --- no-change sync ----------------------------------------------------------------------
        times, sizes_bytes, reqs = [], [], []
        for _ in range(args.repeat):
            r = engine.sync()
            times.append(r.seconds)
            sizes_bytes.append(r.bytes_sent + r.bytes_received)
            reqs.append(r.requests)
        print(
            f"sync with nothing to do: {median_ms(times)} (median of {args.repeat}), "
            f"{statistics.median(sizes_bytes):.0f} bytes on the wire incl. headers, {max(reqs)} request(s) "
            "(targets <= 30 ms, <= 1 KB)"
        )

        # --- 100 edits -----------------------------------------------------------------------------
        ids = [d["id"] for d in remote.docs[:100]]
        push_times = []
        for round_ in range(3):
            for doc_id in ids:
                doc = ws.documents.get(doc_id)
                doc.title = f"{doc.title.split(' /')[0]} / edited {round_}"
                ws.documents.save(doc)
            r = engine.sync()
            push_times.append(r.seconds)
            assert r.pushed == 100 and ws.sync.pending_changes() == 0, r
        print(
            f"pushing 100 edits (push + acknowledging pull): {median_ms(push_times)} (median of 3; target <= 0.5 s)"
        )
        ws.close()

        # --- cost of a 10-change sync against the store size ------------------------------------
        remote2 = Remote(url, emails[1])
        ws2, engine2 = signed_in_laptop(work / "growing", url, emails[1])
        have = 0
        rows = []
        for size in sizes:
            remote2.add_documents(size - have)
            have = size
            engine2.sync()
            costs, moved = [], []
            mine = [d["id"] for d in remote2.docs[:5]]
            for i in range(args.repeat):
                for doc_id in mine:
                    doc = ws2.documents.get(doc_id)
                    doc.title = f"{doc.title.split(' /')[0]} / edit {i}"
                    ws2.documents.save(doc)
                remote2.change_documents(5, f"{size}-{i}")
                r = engine2.sync()
                costs.append(r.seconds)
                moved.append(r.bytes_sent + r.bytes_received)
            rows.append((size, statistics.median(costs), statistics.median(moved)))
        print("a 10-change sync (5 edits pushed, 5 changes pulled) by documents in the store:")
        for size, cost, moved_bytes in rows:
            print(f"  {size:>7,} documents: {cost * 1000:6.1f} ms, {moved_bytes / 1024:5.1f} KB on the wire")
        if len(rows) > 1:
            print(
                f"  ratio largest/smallest store: {rows[-1][1] / rows[0][1]:.2f}x for {rows[-1][0] / rows[0][0]:.0f}x "
                "the documents (should stay near 1x)"
            )
        ws2.close()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
