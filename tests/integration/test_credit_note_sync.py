"""A credit note from the member's laptop to the cooperative and back, against the real server on 127.0.0.1:
the app refuses an over-credit before submitting, the validated credit note lowers the invoice's amount due
and its scan-to-pay amount (read back from the rendered page), and an invoice credited in full is closed
and leaves the Follow-up page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pyzbar.pyzbar import decode

from smartdesk.domain.documents import Line
from smartdesk.errors import ValidationError
from smartdesk.services import Workspace
from tests.support.sync_harness import SyncServer, needs_server, sent_invoice, server_cli

pytestmark = needs_server


def _qr_amounts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [s.data.decode("utf-8").split("\n")[7] for s in decode(image)]


def _validate(server: SyncServer, doc_id: str) -> None:
    done = server_cli(server.process.data_dir, "advisor", "validate", doc_id)
    assert done.returncode == 0, done.stderr


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
        note.lines = [
            Line(description="Shooting day cancelled", quantity=Decimal(1), unit_price=Decimal("400"))
        ]
        ws.documents.save(note)
        ws.documents.submit(note.id)
        engine.sync()
        _validate(sync_server, note.id)
        engine.sync()
        assert ws.documents.get(note.id).corrects_number == invoice.number
        credited = ws.documents.get(invoice.id)
        assert credited.credited_amount == Decimal("484.00") and credited.status == "awaiting_payment"
        assert _qr_amounts(ws.pdf.render(invoice.id)) == ["EUR484.00"]
        assert [f.id for f in ws.followup.invoices()] == [invoice.id]

        # the second day credited too: the invoice is closed and leaves the follow-up
        second = ws.documents.credit_note_for(invoice.id)
        second.lines = [
            Line(description="Second day cancelled", quantity=Decimal(1), unit_price=Decimal("400"))
        ]
        ws.documents.save(second)
        ws.documents.submit(second.id)
        engine.sync()
        _validate(sync_server, second.id)
        engine.sync()
        closed = ws.documents.get(invoice.id)
        assert closed.status == "cancelled" and closed.credited_amount == Decimal("968.00")
        assert ws.followup.invoices() == []
        assert _qr_amounts(ws.pdf.render(invoice.id)) == []  # nothing left to pay: no scan-to-pay code
        assert ws.documents.creditable_invoices() == []
