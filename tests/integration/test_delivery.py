"""Issue 14, the cooperative's side, against the real server on 127.0.0.1: at validation the e-invoice is
produced, checked with the official rules and archived; the background worker delivers it to a local
Peppol access point (a Belgian business client) or by e-mail through a real SMTP server (aiosmtpd: a
French client gets a Factur-X, read back here); the status comes back to the member's app through sync;
an access point's rejection puts the document back in the advisor's queue; a fatal rule refuses the
validation with the report."""

from __future__ import annotations

import difflib
import email
import email.policy
import hashlib
import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line
from smartdesk.domain.ids import uuid7
from smartdesk.services import Workspace
from smartdesk.sync import local
from smartdesk.sync.engine import SyncEngine
from tests.support.net import free_port
from tests.support.sync_harness import (
    ServerDb,
    ServerProcess,
    needs_server,
    server_cli,
    server_documents,
    signed_in_engine,
)
from tests.support.waits import wait_until

pytestmark = [needs_server, pytest.mark.slow]

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

BE_PEPPOL = "0208:0417497106"
REFUSING_VAT = "BE0203201340"  # a valid Belgian number the access point knows, but refuses invoices for
REFUSING_PEPPOL = "0208:0203201340"


@dataclass
class Mailbox:
    """Messages aiosmtpd accepted; addresses at refused.example get 550 (a bounce)."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 Message accepted for delivery"


@dataclass
class Coop:
    process: ServerProcess
    db: ServerDb
    ap: Any
    mailbox: Mailbox


@pytest.fixture(scope="module")
def coop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coop]:
    from smartdesk_server.delivery.local_ap import LocalAccessPoint

    mailbox = Mailbox()
    smtp = aiosmtpd.Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    ap = LocalAccessPoint({BE_PEPPOL: True, REFUSING_PEPPOL: False}).start()
    data_dir = tmp_path_factory.mktemp("delivery-server")
    process = ServerProcess(
        data_dir,
        env={
            "SMARTDESK_AP_URL": ap.url,
            "SMARTDESK_SMTP_HOST": "127.0.0.1",
            "SMARTDESK_SMTP_PORT": str(smtp.port),
            "SMARTDESK_SMTP_TLS": "none",
            "SMARTDESK_SMTP_FROM": "factures@demo.smart.coop",
            "SMARTDESK_DELIVERY_INTERVAL": "0.1",
        },
    )
    process.start()
    db = ServerDb(data_dir)
    try:
        yield Coop(process, db, ap, mailbox)
    finally:
        process.stop()
        db.close()
        ap.stop()
        smtp.stop()


def _invoice(ws: Workspace, client: Client, reference: str = "PO-4471") -> Document:
    activity = ws.activities.save(Activity(id=uuid7(), name="Photography", code="A-1", entity="BE"))
    client = ws.clients.save(client)
    doc = ws.documents.new(DocumentKind.INVOICE, client_id=client.id, activity_id=activity.id)
    doc.title = "Two days of shooting"
    doc.reference = reference
    doc.lines = [Line(description="Shooting day", quantity=Decimal(2), unit_price=Decimal("400"), unit="DAY")]
    doc = ws.documents.save(doc)
    ws.documents.submit(doc.id)
    return doc


def _be_client(vat: str = "BE0417497106") -> Client:
    return Client(
        id=uuid7(),
        name="Théâtre de la Balsamine ASBL",
        address=Address("Avenue Félix Marchal 1", "1030", "Schaerbeek", "BE"),
        vat_number=vat,
        email="compta@balsamine.example",
        language="nl",
    )


def _fr_client(mail: str = "compta@caira.example") -> Client:
    return Client(
        id=uuid7(),
        name="Compagnie Ça Ira SARL",
        address=Address("3 rue de la République", "69001", "Lyon", "FR"),
        vat_number="FR40303265045",
        enterprise_number="303265045",
        email=mail,
        language="fr",
    )


def _submitted(coop: Coop, ws: Workspace, client: Client, **kw: str) -> tuple[SyncEngine, Document, str]:
    email_, member_id = coop.db.create("member")
    doc = _invoice(ws, client, **kw)
    engine = signed_in_engine(ws, coop.process.url, email_)
    engine.sync()
    return engine, doc, member_id


def _validated_number(coop: Coop, doc_id: str, member_id: str) -> str:
    """The cooperative validates the document on its command line; the legal number the server gave it."""
    done = server_cli(coop.process.data_dir, "advisor", "validate", doc_id)
    assert done.returncode == 0, done.stderr
    return str(server_documents(coop.db, member_id)[doc_id]["body"]["number"])


def _delivery(ws: Workspace, engine: SyncEngine, doc_id: str, final: bool = True) -> dict[str, Any]:
    """The delivery record as the app has it, once it is no longer queued (syncing until then)."""

    def settled() -> dict[str, Any] | None:
        engine.sync()
        found = local.records_of(ws.store, "delivery", doc_id)
        if found and (not final or found[0]["status"] != "queued"):
            return found[0]
        return None

    return wait_until(settled, what="the delivery status to reach the app", interval=0.2)


def _archive(coop: Coop, doc_id: str) -> tuple[str, bytes]:
    with sqlite3.connect(coop.process.data_dir / "smartdesk-server.sqlite3") as conn:
        row = conn.execute(
            "SELECT d.syntax, f.content, f.sha256 FROM einvoice_documents d "
            "JOIN einvoice_files f ON f.sha256 = d.sha256 WHERE d.document_id = ?",
            (doc_id,),
        ).fetchone()
    assert row is not None, "no e-invoice archived for the document"
    syntax, content, sha = row
    assert hashlib.sha256(content).hexdigest() == sha
    return syntax, bytes(content)


def test_a_belgian_business_invoice_goes_over_peppol_and_the_app_sees_it_delivered(
    coop: Coop, tmp_path: Path
) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        engine, doc, member_id = _submitted(coop, ws, _be_client())
        number = _validated_number(coop, doc.id, member_id)

        syntax, xml = _archive(coop, doc.id)
        assert syntax == "ubl" and number.encode() in xml and b"PO-4471" in xml

        delivery = _delivery(ws, engine, doc.id)
        assert (delivery["status"], delivery["channel"], delivery["recipient"]) == (
            "delivered",
            "peppol",
            BE_PEPPOL,
        )
        assert delivery["einvoice"] == {"syntax": "ubl", "sha256": hashlib.sha256(xml).hexdigest()}
        shown = ws.deliveries.latest(doc.id)  # what the editor's delivery box shows
        assert shown is not None and (shown.status, shown.channel, shown.einvoice_syntax) == (
            "delivered",
            "peppol",
            "ubl",
        )
        # what the access point received is exactly the archived XML, for the right receiver
        [got] = [m for m in coop.ap.received if number.encode() in m.xml]
        assert (got.receiver, got.sender, got.xml) == (BE_PEPPOL, "0208:0999123457", xml)
        # delivered = sent: the invoice now awaits payment, on the server and in the app
        engine.sync()
        assert ws.documents.get(doc.id).status == "awaiting_payment"


def test_a_french_client_gets_a_factur_x_by_email_in_french(coop: Coop, tmp_path: Path) -> None:
    from facturx import get_xml_from_pdf

    with Workspace.open(tmp_path / "laptop") as ws:
        engine, doc, member_id = _submitted(coop, ws, _fr_client())
        number = _validated_number(coop, doc.id, member_id)
        syntax, xml = _archive(coop, doc.id)
        assert syntax == "cii"

        delivery = _delivery(ws, engine, doc.id)
        assert (delivery["status"], delivery["channel"], delivery["recipient"]) == (
            "delivered",
            "email",
            "compta@caira.example",
        )
        [msg] = [m for m in coop.mailbox.messages if number in str(m["Subject"])]
        assert str(msg["To"]) == "compta@caira.example"
        assert str(msg["Subject"]).startswith(f"Facture {number}")
        body = msg.get_body(("plain",))
        assert body is not None and "Veuillez trouver ci-joint" in body.get_content()
        [pdf_part] = list(msg.iter_attachments())
        assert pdf_part.get_content_type() == "application/pdf"
        pdf = pdf_part.get_payload(decode=True)
        assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
        # the Factur-X carries exactly the XML the server archived and checked at validation
        name, embedded = get_xml_from_pdf(io.BytesIO(pdf), check_xsd=False)
        assert name == "factur-x.xml" and embedded == xml
        # its pages are the PDF issued at validation (the archive the app downloaded), not a new render
        issued = ws.pdf.render(doc.id)
        assert ws.documents.get(doc.id).archive_sha256 == hashlib.sha256(issued).hexdigest()
        mailed, archived = _pages_text(pdf), _pages_text(issued)
        assert mailed == archived, "\n".join(
            difflib.unified_diff(
                "\n".join(archived).splitlines(), "\n".join(mailed).splitlines(), lineterm=""
            )
        )
        assert number in mailed[0]


def _pages_text(pdf: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        return [page.extract_text() or "" for page in opened.pages]


def test_an_access_point_rejection_puts_the_document_back_in_the_advisor_queue(
    coop: Coop, tmp_path: Path
) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        engine, doc, _member = _submitted(coop, ws, _be_client(REFUSING_VAT))
        done = server_cli(coop.process.data_dir, "advisor", "validate", doc.id)
        assert done.returncode == 0, done.stderr

        delivery = _delivery(ws, engine, doc.id)
        assert (delivery["status"], delivery["channel"]) == ("rejected", "peppol")
        assert "does not accept" in delivery["reason"]
        assert ws.documents.get(doc.id).status == "validated"  # not sent

        queue = server_cli(coop.process.data_dir, "advisor", "queue")
        assert queue.returncode == 0, queue.stderr
        [back] = [d for d in json.loads(queue.stdout) if d["id"] == doc.id]
        assert back["delivery"]["status"] == "rejected" and "does not accept" in back["delivery"]["reason"]

        listed = server_cli(coop.process.data_dir, "deliveries", "--status", "rejected")
        assert listed.returncode == 0, listed.stderr
        [row] = [r for r in json.loads(listed.stdout) if r["document_id"] == doc.id]
        # the staff try again: queued again for the member, then rejected again by the same receiver
        again = server_cli(coop.process.data_dir, "deliveries", "--retry", row["id"])
        assert again.returncode == 0 and "queued again" in again.stdout, again.stderr


def test_a_refused_email_address_bounces_and_the_member_sees_why(coop: Coop, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        engine, doc, _member = _submitted(coop, ws, _fr_client("nobody@refused.example"))
        assert server_cli(coop.process.data_dir, "advisor", "validate", doc.id).returncode == 0
        delivery = _delivery(ws, engine, doc.id)
        assert (delivery["status"], delivery["channel"]) == ("bounced", "email")
        assert "550" in delivery["reason"]


def test_a_fatal_rule_refuses_the_validation_with_the_report(coop: Coop, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        engine, doc, member_id = _submitted(coop, ws, _be_client(), reference="")
        done = server_cli(coop.process.data_dir, "advisor", "validate", doc.id)
        assert done.returncode == 1
        assert "PEPPOL-EN16931-R003" in done.stderr and "einvoice_refused" in done.stderr
        assert "client's reference" in done.stderr
        server_doc = server_documents(coop.db, member_id)[doc.id]["body"]
        assert server_doc["status"] == "submitted" and not server_doc.get("number")
        with sqlite3.connect(coop.process.data_dir / "smartdesk-server.sqlite3") as conn:
            assert conn.execute(
                "SELECT count(*) FROM deliveries WHERE document_id = ?", (doc.id,)
            ).fetchone() == (0,)
        engine.sync()
        assert local.records_of(ws.store, "delivery", doc.id) == []
