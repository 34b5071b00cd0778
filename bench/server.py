"""Benchmark of the reference server: sustained mutations/s pushed by concurrent clients, and the
latency of a no-change pull. Prints figures; asserts nothing.

    .venv/bin/python bench/server.py                      # SQLite in a temporary folder
    .venv/bin/python bench/server.py --database-url postgresql+psycopg://postgres@127.0.0.1:55432/bench

Targets on 2 cores: >= 1,000 mutations/s; no-change pull p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartdesk.domain.documents import Client  # noqa: E402
from smartdesk.domain.ids import uuid7  # noqa: E402
from smartdesk.domain.serialize import client_to_dict  # noqa: E402

PASSWORD = "benchmark password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "smartdesk_server.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--pulls", type=int, default=500)
    ap.add_argument(
        "--workers", type=int, default=1, help="server worker processes (PostgreSQL for more than 1)"
    )
    args = ap.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="smartdesk-bench-"))
    env = {**os.environ, "SMARTDESK_SERVER_DATA": str(data_dir)}
    if args.database_url:
        env["SMARTDESK_DATABASE_URL"] = args.database_url
        # start from empty tables
        from sqlalchemy import text

        from smartdesk_server.db import make_engine, metadata

        engine = make_engine(args.database_url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    cli(["migrate"], env)
    emails = [f"bench-{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(args.clients)]
    for e in emails:
        cli(["create-member", "--email", e, "--password", PASSWORD], env)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartdesk_server.cli",
            "serve",
            "--port",
            str(port),
            "--followup-interval",
            "0",
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/health", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        tokens = [
            httpx.post(url + "/sync/v1/login", json={"email": e, "password": PASSWORD}, timeout=120).json()[
                "access_token"
            ]
            for e in emails
        ]
        counts = [0] * args.clients
        latencies: list[float] = []
        errors: list[str] = []
        stop = time.monotonic() + args.seconds
        lock = threading.Lock()

        def pusher(i: int) -> None:
            http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {tokens[i]}"}, timeout=60)
            cid = str(uuid.uuid4())
            next_id = 1
            while time.monotonic() < stop:
                muts = []
                for _ in range(args.batch):
                    c = Client(id=uuid7(), name=f"Client {next_id}", email="x@example.org")
                    muts.append(
                        {
                            "mutation_id": next_id,
                            "name": "client.put",
                            "args": {"client": client_to_dict(c)},
                            "base_version": 0,
                        }
                    )
                    next_id += 1
                t0 = time.perf_counter()
                r = http.post(
                    "/sync/v1/push",
                    json={"protocol_version": 1, "schema_version": 1, "client_id": cid, "mutations": muts},
                )
                dt = time.perf_counter() - t0
                if r.status_code != 200:
                    with lock:
                        errors.append(f"{r.status_code} {r.text[:100]}")
                    next_id -= args.batch
                    continue
                with lock:
                    counts[i] += len(muts)
                    latencies.append(dt)
            http.close()

        elapsed = _timed_threads(pusher, args.clients)
        total = sum(counts)
        print(
            f"backend: {backend}; {args.clients} concurrent clients, batches of {args.batch}, {elapsed:.1f} s"
        )
        print(
            f"push: {total} mutations applied, {total / elapsed:,.0f} mutations/s "
            f"(target >= 1,000); push request p95 {_p(latencies, 95) * 1000:.1f} ms; errors: {len(errors)}"
        )
        if errors:
            print("  first error:", errors[0])

        # no-change pull latency, for a member holding the data just pushed
        http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60)
        body = {
            "protocol_version": 1,
            "schema_version": 1,
            "client_id": "bench-puller",
            "cursor": None,
            "limit": 5000,
        }
        cursor = None
        t0 = time.perf_counter()
        while True:
            page = http.post("/sync/v1/pull", json={**body, "cursor": cursor}).json()
            cursor = page["cursor"]
            if not page["more"]:
                break
        full = time.perf_counter() - t0
        print(f"full pull of {counts[0]} records: {full * 1000:.0f} ms")
        pulls = []
        for _ in range(args.pulls):
            t0 = time.perf_counter()
            r = http.post("/sync/v1/pull", json={**body, "cursor": cursor})
            pulls.append(time.perf_counter() - t0)
            assert r.status_code == 200 and not r.json()["changes"]
        print(
            f"no-change pull: p50 {_p(pulls, 50) * 1000:.2f} ms, p95 {_p(pulls, 95) * 1000:.2f} ms, "
            f"max {max(pulls) * 1000:.2f} ms over {len(pulls)} pulls (target p95 <= 10 ms)"
        )
        http.close()

        # no-change pulls from all clients at once: each caught up first, then pulling in a loop
        cursors: list[str | None] = []
        for tok in tokens:
            h = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {tok}"}, timeout=60)
            cur = None
            while True:
                page = h.post("/sync/v1/pull", json={**body, "cursor": cur}).json()
                cur = page["cursor"]
                if not page["more"]:
                    break
            cursors.append(cur)
            h.close()
        concurrent: list[float] = []
        pull_errors: list[str] = []

        def puller(i: int) -> None:
            h = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {tokens[i]}"}, timeout=60)
            mine: list[float] = []
            for _ in range(max(1, args.pulls // 5)):
                t0 = time.perf_counter()
                r = h.post("/sync/v1/pull", json={**body, "cursor": cursors[i]})
                mine.append(time.perf_counter() - t0)
                if r.status_code != 200 or r.json()["changes"]:
                    pull_errors.append(f"{r.status_code} {r.text[:100]}")
            h.close()
            with lock:
                concurrent.extend(mine)

        elapsed = _timed_threads(puller, args.clients)
        print(
            f"no-change pull, {args.clients} concurrent clients (threads of this process, httpx): "
            f"{len(concurrent) / elapsed:,.0f} pulls/s, p50 {_p(concurrent, 50) * 1000:.1f} ms, "
            f"p95 {_p(concurrent, 95) * 1000:.1f} ms; errors: {len(pull_errors)}"
        )
        # The same load from one process per client (as 20 members' laptops would be), each with the
        # standard library's HTTP client: the threads above share one interpreter lock, so part of
        # their latency is the load generator waiting for itself, not the server.
        ctx = multiprocessing.get_context("spawn")
        jobs = [
            (port, tokens[i], json.dumps({**body, "cursor": cursors[i]}), max(1, args.pulls // 5))
            for i in range(args.clients)
        ]
        with ctx.Pool(args.clients) as pool:
            pool.map(_warm, range(args.clients))  # every process started and imported before timing
            started = time.perf_counter()
            results = pool.map(_pull_loop, jobs)
            elapsed = time.perf_counter() - started
        separate = [t for times, _errs in results for t in times]
        errs = sum(e for _times, e in results)
        print(
            f"no-change pull, {args.clients} concurrent clients (one process each, http.client): "
            f"{len(separate) / elapsed:,.0f} pulls/s, p50 {_p(separate, 50) * 1000:.1f} ms, "
            f"p95 {_p(separate, 95) * 1000:.1f} ms (target p95 < 30 ms on PostgreSQL, 4 workers); "
            f"errors: {errs}"
        )
    finally:
        server.terminate()
        server.wait(10)


def _timed_threads(target: Callable[[int], None], count: int) -> float:
    """Run ``target(0)`` ... ``target(count - 1)`` on as many threads at once; the seconds until all end."""
    started = time.perf_counter()
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def _warm(_i: int) -> None:
    return None


def _pull_loop(job: tuple[int, str, str, int]) -> tuple[list[float], int]:
    """One client's no-change pulls over one kept-alive connection (runs in its own process)."""
    port, token, body, count = job
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    times: list[float] = []
    errors = 0
    for _ in range(count):
        t0 = time.perf_counter()
        conn.request("POST", "/sync/v1/pull", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        times.append(time.perf_counter() - t0)
        if response.status != 200 or json.loads(data)["changes"]:
            errors += 1
    conn.close()
    return times, errors


def _p(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100)[pct - 1]


if __name__ == "__main__":
    main()
