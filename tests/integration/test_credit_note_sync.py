"""A credit note from the member's laptop to the cooperative and back, against the real server on 127.0.0.1:
the app refuses an over-credit before submitting, the validated credit note lowers the invoice's amount due
and its scan-to-pay amount (read back from the rendered page), and an invoice credited in full is closed
and leaves the Follow-up page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from smartdesk.domain.documents import Document, Line
from smartdesk.errors import ValidationError
from smartdesk.services import Workspace
from smartdesk.sync.engine import SyncEngine
from tests.support.pdf_reading import qr_payloads
from tests.support.sync_harness import SyncServer, needs_server, sent_invoice, server_cli

pytestmark = needs_server


def _qr_amounts(pdf: bytes) -> list[str]:
    return [payload.split("\n")[7] for payload in qr_payloads(pdf)]


def _credit_validated(
    ws: Workspace, engine: SyncEngine, server: SyncServer, note: Document, what: str
) -> None:
    """``note`` credits one day (400.00 excl. VAT, ``what``): submitted, synced, validated by the cooperative
    on its command line, synced back."""
    note.lines = [Line(description=what, quantity=Decimal(1), unit_price=Decimal("400"))]
    ws.documents.save(note)
    ws.documents.submit(note.id)
    engine.sync()
    done = server_cli(server.process.data_dir, "advisor", "validate", note.id)
    assert done.returncode == 0, done.stderr
    engine.sync()


def test_credit_notes_lower_the_amount_due_then_close_the_invoice(
    sync_server: SyncServer, tmp_path: Path
) -> None:
    email, _ = sync_server.member()
    with Workspace.open(tmp_path / "laptop") as ws:
        engine, invoice = sent_invoice(ws, sync_server, email)  # 2 x 400 + 21 % = 968.00
        assert _qr_amounts(ws.pdf.render(invoice.id)) == ["EUR968.00"]

        # "make a credit note" from the invoice: prefilled with its number and date
        note = ws.documents.credit_note_for(invoice.id)
        assert (note.corrects_id, note.corrects_number, note.corrects_date) == (
            invoice.id,
            invoice.number,
            invoice.issue_date,
        )
        assert [r.id for r in ws.documents.creditable_invoices()] == [invoice.id]
        # the whole invoice plus one more day: refused here, in plain words, before anything is sent
        note.lines.append(Line(description="Extra day", quantity=Decimal(1), unit_price=Decimal("400")))
        ws.documents.save(note)
        with pytest.raises(ValidationError) as refused:
            ws.documents.submit(note.id)
        assert [p.code for p in refused.value.problems] == ["credit.too_much"]
        assert (
            "1452.00" in refused.value.problems[0].message
            and invoice.number in refused.value.problems[0].message
        )

        # one day credited: validated by the cooperative, the invoice asks for 484.00 and its QR code says so
        _credit_validated(ws, engine, sync_server, note, "Shooting day cancelled")
        assert ws.documents.get(note.id).corrects_number == invoice.number
        credited = ws.documents.get(invoice.id)
        assert credited.credited_amount == Decimal("484.00") and credited.status == "awaiting_payment"
        assert _qr_amounts(ws.pdf.render(invoice.id)) == ["EUR484.00"]
        assert [f.id for f in ws.followup.invoices()] == [invoice.id]

        # the second day credited too: the invoice is closed and leaves the follow-up
        second = ws.documents.credit_note_for(invoice.id)
        _credit_validated(ws, engine, sync_server, second, "Second day cancelled")
        closed = ws.documents.get(invoice.id)
        assert closed.status == "cancelled" and closed.credited_amount == Decimal("968.00")
        assert ws.followup.invoices() == []
        assert _qr_amounts(ws.pdf.render(invoice.id)) == []  # nothing left to pay: no scan-to-pay code
        assert ws.documents.creditable_invoices() == []
