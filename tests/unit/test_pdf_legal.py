"""Legal mentions of issue 13 read back from the rendered PDF (pdfplumber): the corrected invoice's number
and date on credit notes, the credited amount on invoices, French mentions, the affiliation line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smartdesk.domain.credits import amount_due
from tests.support.pdf_reading import qr_payloads
from tests.unit import pdf_fixtures as fx
from tests.unit.test_pdf_render import all_text, norm, render


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fr", "Cette note de crédit corrige la facture 2026-000123 du 5 mars 2026."),
        ("nl", "Deze creditnota corrigeert factuur 2026-000123 van 5 mrt 2026."),
        ("en", "This credit note corrects invoice 2026-000123 of 05 Mar 2026."),
        ("de", "Diese Gutschrift berichtigt die Rechnung 2026-000123 vom 05.03.2026."),
        ("es", "Esta nota de crédito rectifica la factura 2026-000123 del 5 mar 2026."),
        ("it", "Questa nota di credito rettifica la fattura 2026-000123 del 5 mar 2026."),
    ],
)
def test_credit_note_prints_the_invoice_number_and_date(lang: str, sentence: str) -> None:
    note = fx.credit_note(lang)
    note.corrects_date = date(2026, 3, 5)
    text = norm(all_text(render(note, fx.client_be())))
    assert sentence in text


def test_credited_invoice_prints_what_is_left_and_its_qr_code_asks_for_it() -> None:
    doc = fx.simple_invoice("en")  # 1,493.75 incl. VAT
    doc.credited_amount = Decimal("493.75")
    assert amount_due(doc) == Decimal("1000.00")
    pdf = render(doc, fx.client_be())
    text = norm(all_text(pdf))
    assert "Total incl. VAT 1.493,75 € Credited (credit notes) -493,75 € Amount due 1.000,00 €" in text
    [payload] = qr_payloads(pdf)
    assert payload.split("\n")[7] == "EUR1000.00"


@pytest.mark.parametrize(
    ("lang", "affiliation", "mention"),
    [
        (
            "fr",
            "Émis par SMart Coop SC (demo) pour le compte de l'activité",
            "Société coopérative, numéro d'entreprise",
        ),
        (
            "nl",
            "Uitgegeven door SMart Coop SC (demo) in naam van de activiteit",
            "Coöperatieve vennootschap, ondernemingsnummer 0999.123.457.",
        ),
        (
            "en",
            "Issued by SMart Coop SC (demo) on behalf of the activity",
            "Cooperative company, company number",
        ),
        (
            "de",
            "Ausgestellt von SMart Coop SC (demo) im Auftrag der Tätigkeit",
            "Genossenschaft, Unternehmensnummer 0999.123.457.",
        ),
        (
            "es",
            "Emitida por SMart Coop SC (demo) por cuenta de la actividad",
            "Sociedad cooperativa, número de empresa 0999.123.457.",
        ),
        (
            "it",
            "Emessa da SMart Coop SC (demo) per conto dell'attività",
            "Società cooperativa, numero d'impresa 0999.123.457.",
        ),
    ],
)
def test_affiliation_and_legal_mentions_follow_the_document_language(
    lang: str, affiliation: str, mention: str
) -> None:
    text = norm(all_text(render(fx.simple_invoice(lang), fx.client_be())))
    assert affiliation in text and mention in text
    if lang != "fr":
        assert "numéro d'entreprise" not in text  # the cooperative's line no longer stays French
