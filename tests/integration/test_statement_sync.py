"""A bank statement stops the reminders by itself, against the real server on 127.0.0.1: an invoice in
first reminder, the statement with its payment imported (`smartdesk-server import-statement`), the next
`tick` sends no second reminder, and after sync the app shows "Paid" with the payment and how it was
found, offline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from smartdesk.domain.payments import ogm_digits
from smartdesk.domain.totals import document_total
from smartdesk.i18n.ui import status_text
from smartdesk.services import Workspace
from smartdesk_server.statements.samples import Movement, coda
from tests.support.sync_harness import SyncServer, needs_server, server_cli, server_documents

from .conftest import SentInvoice

pytestmark = needs_server


def test_statement_payment_stops_the_reminders_and_the_app_shows_paid(
    sync_server: SyncServer, laptop: Workspace, sent: SentInvoice, tmp_path: Path
) -> None:
    engine, doc, data, member_id = sent.engine, sent.doc, sent.server_data, sent.member_id
    assert doc.due_date is not None
    first = (doc.due_date + timedelta(days=8)).isoformat()
    assert server_cli(data, "tick", "--date", first).returncode == 0
    engine.sync()
    here = laptop.documents.get(doc.id)
    assert here.status == "reminder_1"
    paid_before = {a.id: a.paid_total for a in laptop.activities.list()}[doc.activity_id]

    # the client pays with the structured communication printed on the invoice
    total = document_total(here)
    ogm = ogm_digits(here.payment_reference)
    assert ogm is not None
    statement = tmp_path / "statement.cod"
    statement.write_text(
        coda(
            [
                Movement(
                    total,
                    "STMT-INT-1",
                    date.today(),
                    structured=ogm,
                    name=laptop.clients.get(doc.client_id).name,
                )
            ]
        ),
        encoding="latin-1",
    )
    done = server_cli(data, "import-statement", str(statement))
    assert done.returncode == 0 and "1 matched" in done.stdout, done.stdout + done.stderr

    # the next runs of the follow-up engine send nothing more
    for days in (22, 40, 70):
        done = server_cli(data, "tick", "--date", (here.due_date + timedelta(days=days)).isoformat())
        assert done.returncode == 0, done.stderr
    server_doc = server_documents(sync_server.db, member_id)[doc.id]["body"]
    assert server_doc["status"] == "paid"
    assert [t["status"] for t in server_doc["timeline"]].count("reminder_2") == 0

    engine.sync()
    here = laptop.documents.get(doc.id)
    assert status_text(here.status) == "Paid" and here.paid_amount == total
    info = laptop.payments.for_invoice(here)
    assert [(p.amount, p.how) for p in info.payments] == [(total, "structured")] and info.due == Decimal(0)
    assert {a.id: a.paid_total for a in laptop.activities.list()}[doc.activity_id] == paid_before + total
