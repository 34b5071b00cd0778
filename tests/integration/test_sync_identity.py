"""The cooperative's identity and the archive of issued PDFs, from the desktop app's side, against the real
server subprocess on 127.0.0.1: before the first sync a draft says its cooperative details are
provisional; after ``set-entity`` and a sync it prints the cooperative's identity; once validated, the app
shows and exports the archived PDF (same bytes as the server's), whatever the brand becomes."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pdfplumber

from smartdesk.domain.documents import Brand
from smartdesk.services import Workspace
from tests.support.sync_harness import (
    SyncServer,
    draft_invoice,
    needs_server,
    seed_member_data,
    server_cli,
    signed_in_engine,
)

pytestmark = needs_server

IDENTITY = {
    "code": "BE",
    "name": "Coopérative Lumière SC",
    "address": {"street": "Avenue des Tests 9", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
    "vat_number": "BE0403170701",
    "registration": "RPM Bruxelles 0403.170.701",
    "iban": "BE14063123456783",
    "bic": "GKCCBEBB",
    "legal_mentions": {lang: f"Mention légale ({lang})." for lang in ("fr", "nl", "en", "de", "es", "it")},
}
PROVISIONAL_FR = "Coordonnées de la coopérative provisoires"


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_identity_reaches_drafts_and_issued_documents_keep_their_archive(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    email, _member = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        activity, client = seed_member_data(ws)
        profile = ws.profile.get()
        profile.brand = Brand(display_name="Studio Aurore", accent_color="#AA0000")
        ws.profile.save(profile)
        doc = draft_invoice(ws, activity, client)
        # before any sync: the built-in identity, said to be provisional on the draft's PDF
        assert ws.pdf.provisional(doc)
        first = _text(ws.pdf.render(doc))
        assert PROVISIONAL_FR in first and "SMart Coop SC (demo)" in first
        path = tmp_path / "entity.json"
        path.write_text(json.dumps(IDENTITY), encoding="utf-8")
        done = server_cli(sync_server.process.data_dir, "set-entity", str(path))
        assert done.returncode == 0, done.stderr
        engine = signed_in_engine(ws, sync_server.url, email)
        engine.sync()
        assert ws.pdf.published_entities()["BE"].name == "Coopérative Lumière SC"
        assert not ws.pdf.provisional(doc)
        synced = _text(ws.pdf.render(doc))
        assert PROVISIONAL_FR not in synced and "Coopérative Lumière SC" in synced
        assert "SMart Coop SC" not in synced
        # submitted, validated by the cooperative, synced back: number, dates and the archived PDF
        ws.documents.submit(doc.id)
        engine.sync()
        done = server_cli(sync_server.process.data_dir, "advisor", "validate", doc.id)
        assert done.returncode == 0, done.stderr
        result = engine.sync()
        issued = ws.documents.get(doc.id)
        assert issued.number.startswith("BE-INV-") and issued.issue_date is not None
        assert issued.issuer is not None and issued.issuer.name == "Coopérative Lumière SC"
        assert result.archives_fetched == 1 and issued.archive_sha256
        archived = ws.pdf.render(issued)
        assert hashlib.sha256(archived).hexdigest() == issued.archive_sha256
        text = _text(archived)
        assert "Studio Aurore" in text and issued.number in text and "Coopérative Lumière SC" in text
        # the member changes brand and theme: the issued invoice's PDF stays the archived one
        profile = ws.profile.get()
        profile.brand = Brand(display_name="Atelier Nuit", accent_color="#0000AA", theme="bold")
        ws.profile.save(profile)
        engine.sync()
        assert ws.pdf.render(ws.documents.get(doc.id)) == archived
        assert ws.pdf.render(doc.id, theme="classic", language="en") == archived
        # what the app exports is the same file (the command line's export as the GUI's)
        out = tmp_path / "export.pdf"
        from smartdesk.cli import main as app_main

        argv = ["--data-dir", str(tmp_path / "laptop"), "export", doc.id, "--format", "pdf", "-o", str(out)]
        assert app_main(argv) == 0
        assert out.read_bytes() == archived
        # a new draft is rendered again, with the new brand
        fresh = draft_invoice(ws, activity, client, title="Another")
        assert "Atelier Nuit" in _text(ws.pdf.render(fresh))
