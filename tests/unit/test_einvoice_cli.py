"""``smartdesk export --format ubl|cii|facturx`` and ``smartdesk einvoice check`` on a real local store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartdesk.cli import main
from smartdesk.domain.documents import MemberProfile
from smartdesk.einvoice import read_invoice
from smartdesk.pdf import render_document
from smartdesk.services import Workspace
from tests.unit.einvoice_scenarios import SCENARIOS


def _store(tmp_path: Path, scenario: str, **changes: object) -> tuple[Path, str]:
    sc = SCENARIOS[scenario]()
    doc = sc.doc
    doc.status, doc.number = "draft", ""  # only drafts can be imported; the cooperative numbers them
    doc.client_id = sc.client.id
    for key, value in changes.items():
        setattr(doc, key, value)
    data = tmp_path / "data"
    with Workspace.open(data) as ws:
        ws.documents.import_bundle([], [sc.client], [doc])
    return data, doc.id


@pytest.mark.parametrize("fmt, suffix", [("ubl", ".xml"), ("cii", ".xml"), ("facturx", ".pdf")])
def test_export_writes_a_valid_einvoice_that_check_accepts(
    tmp_path: Path, fmt: str, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data, doc_id = _store(tmp_path, "fr_domestic" if fmt != "ubl" else "be_domestic")
    target = tmp_path / f"out{suffix}"
    assert main(["--data-dir", str(data), "export", doc_id, "--format", fmt, "-o", str(target)]) == 0
    assert f"Saved {target}" in capsys.readouterr().out
    assert read_invoice(target.read_bytes()).total_incl > 0
    assert main(["einvoice", "check", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Valid: no rule failed" in out


def test_export_of_an_incomplete_invoice_says_which_rule_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, doc_id = _store(tmp_path, "be_domestic", reference="")
    target = tmp_path / "x.xml"
    assert (
        main(
            ["--data-dir", str(data), "export", doc_id, "--format", "ubl", "-o", str(target), "--lang", "nl"]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "PEPPOL-EN16931-R003 [reference]" in err and "referentie" in err
    assert target.exists()  # written anyway, to be looked at
    assert main(["einvoice", "check", str(target), "--json"]) == 3
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["syntax"] == "ubl" and report["issuer_country"] == "BE"
    assert report["rule_sets"] == ["EN 16931 (UBL)", "Peppol BIS Billing 3.0", "UBL.BE 1.31"]
    assert "PEPPOL-EN16931-R003" in {f["rule_id"] for f in report["findings"] if f["severity"] == "fatal"}


def test_json_and_pdf_exports_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, doc_id = _store(tmp_path, "be_domestic")
    assert main(["--data-dir", str(data), "export", doc_id, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["id"] == doc_id


def test_check_refuses_what_is_not_an_einvoice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "bomb.xml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Invoice>&b;</Invoice>'
    )
    assert main(["einvoice", "check", str(hostile)]) == 8
    assert "DOCTYPE" in capsys.readouterr().err
    other = tmp_path / "other.xml"
    other.write_text("<note><to>nobody</to></note>")
    assert main(["einvoice", "check", str(other)]) == 8
    assert main(["einvoice", "check", str(tmp_path / "missing.xml")]) == 5
    plain = tmp_path / "plain.pdf"
    sc = SCENARIOS["be_domestic"]()
    plain.write_bytes(
        render_document(sc.doc, client=sc.client, activity=None, entity=sc.entity, profile=MemberProfile())
    )
    assert main(["einvoice", "check", str(plain)]) == 8
    assert "no e-invoice inside" in capsys.readouterr().err
