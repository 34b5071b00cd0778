"""The cooperative's identity, chronological numbers and the archive of issued PDFs, over HTTP on the real
server (SQLite, and PostgreSQL when $SMARTDESK_TEST_PG_URL is set).

- ``set-entity`` refuses bad files in plain words and publishes a good one (catalogue version changes);
- a validated invoice carries the stamped identity and its archived PDF prints it (pdfplumber, and the
  EPC QR code decoded with pyzbar), never the built-in demo identity;
- back-dated, forward-dated and previous-year drafts get the validation date, and numbers and dates
  rise together, also under concurrent validations; what changed is on the timeline;
- the archive is served to its member only and does not change when the brand changes afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import delete

from smartdesk.domain.documents import Document, DocumentKind
from smartdesk_server import archive, catalogues, identities, issuing
from smartdesk_server.cli import main as server_main
from smartdesk_server.db import meta, write
from tests.support.pdf_reading import qr_payloads

from .conftest import Api, Member, RunningServer, new_advisor, new_member, server_doc, submitted_invoice

IDENTITY: dict[str, Any] = {
    "code": "BE",
    "name": "Coopérative Lumière SC",
    "address": {"street": "Avenue des Tests 9", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
    "vat_number": "BE0403170701",
    "enterprise_number": "0403.170.701",
    "registration": "RPM Bruxelles 0403.170.701",
    "iban": "BE14063123456783",
    "bic": "GKCCBEBB",
    "email": "factures@lumiere.example",
    "phone": "+32 2 000 00 00",
    "website": "lumiere.example",
    "legal_mentions": {
        "fr": "Société coopérative agréée, capital variable.",
        "nl": "Erkende coöperatieve vennootschap, veranderlijk kapitaal.",
        "en": "Accredited cooperative company, variable capital.",
        "de": "Anerkannte Genossenschaft, variables Kapital.",
        "es": "Sociedad cooperativa acreditada, capital variable.",
        "it": "Società cooperativa accreditata, capitale variabile.",
    },
    "time_zone": "Europe/Brussels",
}


@pytest.fixture
def configured(srv: RunningServer) -> Iterator[dict[str, Any]]:
    """The BE identity set for one test, then the server back to no configured identity."""
    identities.set_entity(srv.engine, IDENTITY)
    yield IDENTITY
    with write(srv.engine) as conn:
        conn.execute(delete(meta).where(meta.c.key == identities.KEY))
        catalogues.refresh_version(conn)


def _validate(advisor: Api, doc_id: str) -> dict[str, Any]:
    r = advisor.post(f"/advisor/v1/documents/{doc_id}/validate", {})
    assert r.status_code == 200, r.text
    return dict(r.json()["document"])


def _archive(api: Api, sha: str) -> bytes:
    r = api.req("GET", f"/sync/v1/archives/{sha}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r.content


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _qr(pdf: bytes) -> list[str]:
    return [_utf8(payload) for payload in qr_payloads(pdf)]


def _utf8(text: str) -> str:
    """zbar may take UTF-8 bytes with accents for an Asian encoding (a known zbar habit) and
    transcode them; undo its guess when one gives back valid UTF-8."""
    for guess in ("big5", "shift_jis", "euc_jp"):
        try:
            return text.encode(guess).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- set-entity --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vat_number": "BE0403170702"}, "the VAT number 'BE0403170702' is not valid"),
        ({"vat_number": "FR40303265045"}, "is not a BE number"),
        ({"iban": "BE14063123456784"}, "the IBAN 'BE14063123456784' is not valid"),
        ({"bic": "GKCC"}, "the BIC 'GKCC' is not valid"),
        ({"name": ""}, "“name” is missing"),
        ({"name": "x" * 301}, "“name” is too long (at most 300 characters)"),
        ({"code": "NL"}, "the entities are BE, FR"),
        ({"time_zone": "Mars/Olympus"}, "the time zone 'Mars/Olympus' is not known"),
        (
            {"legal_mentions": {"fr": "Seulement en français."}},
            "“legal_mentions” needs a text in nl, en, de, es, it",
        ),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"late_penalty_rate": "ten"}, "“late_penalty_rate” is a yearly rate in %"),
        ({"address": "Brussels"}, "“address” must be an object"),
    ],
)
def test_set_entity_refuses_bad_files_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any], message: str
) -> None:
    path = tmp_path / "entity.json"
    path.write_text(json.dumps({**IDENTITY, **change}), encoding="utf-8")
    assert server_main(["--data-dir", str(tmp_path / "data"), "set-entity", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The identity was not set: ") and message in err, err
    assert server_main(["--data-dir", str(tmp_path / "data"), "entities"]) == 0
    assert json.loads(capsys.readouterr().out) == {}  # nothing was stored


def test_set_entity_refuses_what_is_not_an_identity_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "set-entity"]
    for content, message in (
        (b"{not json", "the file is not valid JSON (line 1, column 2"),
        (b"\xff\xfe{}", "the file is not UTF-8 text"),
        (b"[1, 2]", "the identity must be a JSON object"),
        (b'{"code": "BE", "x": NaN}', "NaN is not allowed"),
        (b" " * (70 * 1024), "the file is larger than 64 KB"),
    ):
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        assert server_main([*data, str(path)]) == 1
        err = capsys.readouterr().err
        assert message in err, (content[:20], err)
    assert server_main([*data, str(tmp_path / "missing.json")]) == 1
    assert "Cannot read" in capsys.readouterr().err
    fr = {**IDENTITY, "code": "FR", "address": {**IDENTITY["address"], "country": "FR"}}
    fr.update(vat_number="FR40303265045", enterprise_number="303265045", iban="FR7630006000011234567890189")
    path.write_text(json.dumps(fr), encoding="utf-8")
    assert server_main([*data, str(path)]) == 1
    assert "a French entity needs its “late_penalty_rate”" in capsys.readouterr().err
    path.write_text(json.dumps({**fr, "late_penalty_rate": "12.15"}), encoding="utf-8")
    assert server_main([*data, str(path)]) == 0
    assert "Entity FR is now “Coopérative Lumière SC”" in capsys.readouterr().out
    assert server_main(["--data-dir", str(tmp_path / "data"), "entities"]) == 0
    assert json.loads(capsys.readouterr().out)["FR"]["late_penalty_rate"] == "12.15"


def test_set_entity_is_published_beside_the_expense_categories(
    srv: RunningServer, member_a: Member, configured: dict[str, Any]
) -> None:
    pulled = member_a.api.pull(cursor=None)
    data = member_a.api.req("GET", "/sync/v1/catalogues?protocol_version=1&schema_version=1").json()
    assert data["version"] == pulled["catalogue_version"] != catalogues.builtin_version()
    assert [e["name"] for e in data["entities"]] == ["Coopérative Lumière SC"]
    assert data["entities"][0]["iban"] == "BE14063123456783"
    assert data["expense_categories"]  # the other list is still there


# --- stamping and the archive ------------------------------------------------------------------------
def test_a_validated_invoice_prints_the_identity_set_on_the_server(
    srv: RunningServer, member_a: Member, configured: dict[str, Any]
) -> None:
    advisor = new_advisor(srv, member_a)
    doc = submitted_invoice(member_a)
    body = _validate(advisor, doc.id)
    assert body["issuer"]["name"] == "Coopérative Lumière SC" and body["issuer"]["demo"] is False
    assert body["archive_sha256"] and server_doc(member_a, doc.id)["issuer"] == body["issuer"]
    pdf = _archive(member_a.api, body["archive_sha256"])
    assert hashlib.sha256(pdf).hexdigest() == body["archive_sha256"]
    text = _text(pdf)
    assert "Coopérative Lumière SC" in text and "BE0403170701" in text
    assert "Société coopérative agréée, capital variable." in text  # the FR mention of a FR document
    assert "SMart Coop SC" not in text and "BE0999123457" not in text and "BE71" not in text
    assert body["number"] in text
    (payload,) = _qr(pdf)
    lines = payload.split("\n")
    assert lines[:3] == ["BCD", "002", "1"] and lines[5] == "Coopérative Lumière SC"
    assert lines[6] == "BE14063123456783"
    stamped = archive.stamped_of(srv.engine, doc.id)
    assert stamped is not None and stamped["issuer"] == body["issuer"] and stamped["number"] == body["number"]


def test_without_set_entity_the_stamp_is_the_demo_identity(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    body = _validate(advisor, submitted_invoice(member_a).id)
    assert body["issuer"]["demo"] is True and "(demo)" in body["issuer"]["name"]


def test_changing_the_brand_afterwards_does_not_change_the_issued_pdf(
    srv: RunningServer, member_a: Member, configured: dict[str, Any]
) -> None:
    api = member_a.api
    api.push(
        ("profile.put", {"profile": {"brand": {"display_name": "Studio Aurore", "accent_color": "#AA0000"}}})
    )
    advisor = new_advisor(srv, member_a)
    doc = submitted_invoice(member_a)
    # the brand changes between submission and validation: the PDF wears the brand it was submitted with
    api.push(
        ("profile.put", {"profile": {"brand": {"display_name": "Atelier Nuit", "accent_color": "#0000AA"}}})
    )
    body = _validate(advisor, doc.id)
    first = _archive(api, body["archive_sha256"])
    assert "Studio Aurore" in _text(first) and "Atelier Nuit" not in _text(first)
    api.push(("profile.put", {"profile": {"brand": {"display_name": "Third Name", "theme": "bold"}}}))
    identities.set_entity(srv.engine, {**IDENTITY, "name": "Renamed Coop SC"})
    again = _archive(api, body["archive_sha256"])
    assert again == first  # byte for byte
    after = server_doc(member_a, doc.id)
    assert after is not None and after["archive_sha256"] == body["archive_sha256"]
    assert after["issuer"]["name"] == "Coopérative Lumière SC"  # the stamp, not the renamed identity
    # a document validated now wears the new brand and identity: the archive above was not re-made
    later = _validate(advisor, submitted_invoice(member_a).id)
    assert later["archive_sha256"] != body["archive_sha256"]
    assert "Renamed Coop SC" in _text(_archive(api, later["archive_sha256"]))


def test_an_archive_is_served_to_its_member_only(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    sha = _validate(advisor, submitted_invoice(member_a).id)["archive_sha256"]
    other = new_member(srv)
    for api in (other.api, advisor, Api(srv.url)):
        r = api.req("GET", f"/sync/v1/archives/{sha}")
        assert r.status_code in (401, 404) and sha[:12] not in r.text
    assert member_a.api.req("GET", "/sync/v1/archives/" + "0" * 64).status_code == 404
    assert member_a.api.req("GET", "/sync/v1/archives/not-a-hash").status_code == 400


# --- chronological numbers ---------------------------------------------------------------------------
def _number(value: str) -> tuple[int, int]:
    _entity, _series, year, n = value.split("-")
    return int(year), int(n)


def test_back_forward_and_previous_year_drafts_get_the_validation_date(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    today = date(2030, 6, 10)  # a year no other test numbers in
    drafts = [
        submitted_invoice(member_a, issue_date=date(2030, 5, 1)),  # back-dated
        submitted_invoice(member_a, issue_date=date(2030, 9, 1)),  # forward-dated
        submitted_invoice(member_a, issue_date=date(2029, 12, 15)),  # previous year
        submitted_invoice(member_a, issue_date=None, payment_terms_days=15),
    ]
    issued: list[dict[str, Any]] = []
    for i, doc in enumerate(drafts):
        with issuing.frozen(_at(today + timedelta(days=i))):
            issued.append(_validate(advisor, doc.id))
    numbers = [_number(b["number"]) for b in issued]
    dates = [date.fromisoformat(b["issue_date"]) for b in issued]
    assert dates == [today + timedelta(days=i) for i in range(4)]
    assert all(year == 2030 for year, _ in numbers)
    assert [n for _, n in numbers] == sorted(n for _, n in numbers) and len(set(numbers)) == 4
    assert [b["due_date"] for b in issued] == [
        (d + timedelta(days=t)).isoformat() for d, t in zip(dates, (30, 30, 30, 15), strict=True)
    ]
    notes = [b["timeline"][-1]["note"] for b in issued]
    assert "issue date 2030-05-01 → 2030-06-10" in notes[0] and "due date 2030-05-31 → 2030-07-10" in notes[0]
    assert "issue date 2030-09-01 → 2030-06-11" in notes[1]
    assert "issue date 2029-12-15 → 2030-06-12" in notes[2]
    assert "issue date (none) → 2030-06-13" in notes[3]
    # the member sees number and dates come back through sync
    pulled = server_doc(member_a, drafts[2].id)
    assert (
        pulled is not None
        and pulled["number"] == issued[2]["number"]
        and pulled["issue_date"] == "2030-06-12"
    )


def test_the_year_of_the_number_is_the_year_in_the_entitys_time_zone(
    srv: RunningServer, member_a: Member
) -> None:
    advisor = new_advisor(srv, member_a)
    doc = submitted_invoice(member_a, issue_date=date(2031, 12, 31))
    # 23:30 UTC on 31 December is already 1 January in Brussels
    with issuing.frozen(datetime(2031, 12, 31, 23, 30, tzinfo=UTC)):
        body = _validate(advisor, doc.id)
    assert body["issue_date"] == "2032-01-01" and _number(body["number"])[0] == 2032


def test_quotes_keep_their_own_series(srv: RunningServer, member_a: Member) -> None:
    advisor = new_advisor(srv, member_a)
    with issuing.frozen(_at(date(2033, 3, 1))):
        quote = _validate(advisor, submitted_invoice(member_a, kind=DocumentKind.QUOTE).id)
        invoice = _validate(advisor, submitted_invoice(member_a).id)
    assert quote["number"].startswith("BE-Q-2033-") and invoice["number"].startswith("BE-INV-2033-")
    assert quote["issue_date"] == invoice["issue_date"] == "2033-03-01"


class _TickingClock:
    """A clock that moves one hour at every reading (thread-safe): validations at once see rising times."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.lock = threading.Lock()

    def __call__(self) -> datetime:
        with self.lock:
            self.now += timedelta(hours=1)
            return self.now


def test_concurrent_validations_stay_gap_free_and_chronological(srv: RunningServer) -> None:
    members = [new_member(srv), new_member(srv)]
    advisor = new_advisor(srv, *members)
    docs: list[Document] = [submitted_invoice(members[i % 2], issue_date=date(2034, 1, 1)) for i in range(16)]
    codes: list[int] = []

    def worker(chunk: list[Document]) -> None:
        api = Api(srv.url, advisor.token)
        for d in chunk:
            codes.append(api.post(f"/advisor/v1/documents/{d.id}/validate", {}).status_code)
        api.close()

    with issuing.frozen(_TickingClock(datetime(2034, 2, 1, tzinfo=UTC))):
        threads = [threading.Thread(target=worker, args=(docs[i % 4 :: 4],)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(codes) == [200] * 16 + [409] * 16  # each document validated once, by one thread
    issued = sorted(
        (_number(v["number"])[1], v["issue_date"])
        for v in (server_doc(members[i % 2], d.id) for i, d in enumerate(docs))
        if v is not None
    )
    numbers = [n for n, _ in issued]
    assert numbers == list(range(numbers[0], numbers[0] + 16))  # gap-free
    assert [d for _, d in issued] == sorted(d for _, d in issued)  # dates rise with the numbers
    assert len({d for _, d in issued}) > 1  # the clock moved: the check above could have failed
