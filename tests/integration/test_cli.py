"""The headless command line, run as a real process: output, files and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import run_captured


def run(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "smartdesk.cli", "--data-dir", str(data), *args]
    return run_captured(argv, stdin=stdin, timeout=120)


def _smartdesk_file(path: Path, **sections: object) -> Path:
    """A SmartDesk JSON file (format version 1) with these sections (``clients``, ``documents``...)."""
    path.write_text(json.dumps({"format": "smartdesk", "version": 1, **sections}))
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    result = run(data, "demo-data", "--documents", "300")
    assert result.returncode == 0, result.stderr
    assert "300 documents" in result.stdout
    return data


def test_help_everywhere(tmp_path: Path) -> None:
    for args in (
        ["--help"],
        ["list", "--help"],
        ["import", "--help"],
        ["export", "--help"],
        ["demo-data", "--help"],
    ):
        result = run(tmp_path, *args)
        assert result.returncode == 0 and "usage: smartdesk" in result.stdout


def test_list_json_and_filters(demo: Path) -> None:
    result = run(demo, "list", "--kind", "invoice", "--status", "paid", "--json", "--limit", "500")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == len(data["documents"]) > 0
    assert {d["kind"] for d in data["documents"]} == {"invoice"}
    assert {d["status"] for d in data["documents"]} == {"paid"}


def test_show_unknown_id_exit_code(demo: Path) -> None:
    result = run(demo, "show", "ffffffff-dead")
    assert result.returncode == 5
    assert "No document" in result.stderr and "Traceback" not in result.stderr


def test_export_then_import_gives_the_same_document(tmp_path: Path, demo: Path) -> None:
    listing = json.loads(run(demo, "list", "--kind", "quote", "--status", "draft", "--json").stdout)
    doc_id = listing["documents"][0]["id"]
    out = tmp_path / "quote.json"
    assert run(demo, "export", doc_id, "--format", "json", "-o", str(out)).returncode == 0
    exported = json.loads(out.read_text())
    fresh = tmp_path / "fresh"
    result = run(fresh, "import", str(out))
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.json"
    assert run(fresh, "export", doc_id, "-o", str(again)).returncode == 0
    assert json.loads(again.read_text()) == exported


def test_import_reports_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    bad = _smartdesk_file(
        tmp_path / "bad.json",
        clients=[{"name": "A", "address": 3}],
        documents=[{"kind": "invoice", "lines": [{"quantity": 2.5}]}],
    )
    result = run(tmp_path / "data", "import", str(bad))
    assert result.returncode == 3
    assert "$.clients[0].address" in result.stderr and "$.documents[0].lines[0].quantity" in result.stderr
    assert json.loads(run(tmp_path / "data", "list", "--json").stdout)["total"] == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    result = run(tmp_path / "data", "import", str(broken))
    assert result.returncode == 3 and "line 1" in result.stderr


def test_submit_incomplete_draft_says_what_is_missing(tmp_path: Path) -> None:
    doc = _smartdesk_file(
        tmp_path / "doc.json", documents=[{"kind": "invoice", "id": "01a20494-d914-7221-a71b-c22394a6ac52"}]
    )
    data = tmp_path / "data"
    assert run(data, "import", str(doc)).returncode == 0
    result = run(data, "submit", "01a20494-d914")
    assert result.returncode == 3
    assert "Choose the client this document is for." in result.stderr
