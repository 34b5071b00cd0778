"""`smartdesk-server` as a person runs it: subprocesses, exit codes, plain messages, a served demo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.net import free_port
from tests.support.processes import run_captured

ROOT = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SMARTDESK_DATABASE_URL",)}
    argv = [sys.executable, "-m", "smartdesk_server.cli", "--data-dir", str(data_dir), *args]
    return run_captured(argv, cwd=ROOT, env=env, stdin=stdin, timeout=120)


def test_help_and_usage_errors(tmp_path: Path) -> None:
    r = cli(tmp_path, "--help")
    assert r.returncode == 0 and "serve" in r.stdout and "advisor" in r.stdout
    r = cli(tmp_path, "advisor", "--help")
    assert r.returncode == 0 and "record-payment" in r.stdout
    r = cli(tmp_path, "frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr
    r = cli(tmp_path, "advisor", "validate", "no-such-document")
    assert r.returncode == 1 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    r = cli(tmp_path, "--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/none", "migrate")
    assert r.returncode == 1 and "database" in r.stderr and "Traceback" not in r.stderr
    r = cli(tmp_path, "tick", "--schedule", "30,20,10,5")
    assert r.returncode == 1 and "after the previous one" in r.stderr


def test_accounts_and_demo_served(tmp_path: Path) -> None:
    r = cli(
        tmp_path,
        "create-member",
        "--email",
        "Zoe@Example.org",
        "--name",
        "Zoé",
        "--password",
        "-",
        stdin="a long enough password\n",
    )
    assert r.returncode == 0 and "Created member zoe@example.org" in r.stdout
    r = cli(tmp_path, "create-member", "--email", "zoe@example.org", "--password", "another password")
    assert r.returncode == 1 and "already exists" in r.stderr
    r = cli(tmp_path, "create-advisor", "--email", "adv@example.org", "--password", "short")
    assert r.returncode == 1 and "at least 8" in r.stderr
    demo = cli(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    made = json.loads(demo.stdout)
    entities = json.loads(cli(tmp_path, "entities").stdout)  # the demo identities, published and marked
    assert sorted(entities) == ["BE", "FR"] and all(e["demo"] for e in entities.values())
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartdesk_server.cli",
            "--data-dir",
            str(tmp_path),
            "serve",
            "--port",
            str(port),
            "--followup-interval",
            "0",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "serve.log"
                ).read_text()
                time.sleep(0.1)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}")
        r = http.post(
            "/sync/v1/login", json={"email": made["members"][0]["email"], "password": made["password"]}
        )
        token = r.json()["access_token"]
        queue = json.loads(cli(tmp_path, "advisor", "queue").stdout)
        mine = [d for d in queue if d["member_id"] == r.json()["member_id"]]
        assert mine
        r = cli(tmp_path, "advisor", "validate", mine[0]["id"])
        assert r.returncode == 0 and "number BE-INV-" in r.stdout
        pulled = http.post(
            "/sync/v1/pull",
            headers={"Authorization": f"Bearer {token}"},
            json={"protocol_version": 1, "schema_version": 1, "client_id": "cli-test", "cursor": None},
        ).json()
        statuses = {c["value"]["status"] for c in pulled["changes"] if c["entity"] == "document"}
        assert "validated" in statuses
        activity = next(c["value"] for c in pulled["changes"] if c["entity"] == "activity")
        assert len(activity["monthly"]) == 12
        r = cli(tmp_path, "tick", "--date", "2030-01-01")
        assert r.returncode == 0 and "Follow-up:" in r.stdout
        http.close()
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_protocol_reference_lists_every_code_and_mutation() -> None:
    """docs/protocol.md stays in step with smartdesk/sync/protocol.py."""
    from smartdesk.sync import protocol as P

    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
    missing = [
        c
        for c in [*P.ERROR_CODES, *P.RESULT_CODES, *P.MUTATION_NAMES, *P.ENTITY_TYPES]
        if f"`{c}`" not in doc
    ]
    assert missing == []
