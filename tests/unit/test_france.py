"""French mandatory mentions (from 1 September 2026) on the French entity's documents: the client's
SIREN (required for a French business client, checked with python-stdnum, printed as "SIREN"), goods /
services / both, HT / TTC wording, and the delivery address when it differs; PDFs read back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartdesk.domain.documents import Address, Client, Document
from smartdesk.domain.identifiers import siren_of
from smartdesk.domain.validation import validate_document
from tests.unit import pdf_fixtures as fx
from tests.unit.test_pdf_render import all_text, norm, render


def _fr_invoice(**kw: object) -> Document:
    doc = fx.invoice(2, language="fr", entity="FR", rate="20")
    doc.client_id = "c"
    doc.activity_id = "a"
    for key, value in kw.items():
        setattr(doc, key, value)
    return doc


def _codes(doc: Document, client: Client) -> list[str]:
    return [p.code for p in validate_document(doc, client=client, entity=fx.FR, for_submit=True)]


def test_siren_comes_from_the_siren_the_siret_or_the_french_vat_number() -> None:
    assert siren_of("", "303 265 045") == "303265045"
    assert siren_of("", "30326504500021") == "303265045"  # SIRET: SIREN + 5-digit establishment number
    assert siren_of("FR40303265045", "") == "303265045"
    assert siren_of("", "303265046") == ""  # wrong check digit
    assert siren_of("BE0417497106", "") == ""


def test_a_french_business_client_needs_its_siren() -> None:
    doc = _fr_invoice(supply_type="services")
    bare = replace(fx.client_fr(), vat_number="", enterprise_number="")
    problems = validate_document(doc, client=bare, entity=fx.FR, for_submit=True)
    [siren] = [p for p in problems if p.code == "required.client_siren"]
    assert siren.field == "client.enterprise_number" and "SIREN" in siren.message
    assert "required.client_siren" not in _codes(doc, replace(bare, enterprise_number="30326504500021"))
    assert "required.client_siren" not in _codes(doc, replace(bare, is_business=False))  # a private person
    # a Belgian entity's invoice to the same client is not under the French rule
    be_doc = fx.invoice(1, language="fr")
    be_codes = [p.code for p in validate_document(be_doc, client=bare, entity=fx.BE, for_submit=True)]
    assert "required.client_siren" not in be_codes


def test_goods_services_or_both_is_required_on_french_invoices() -> None:
    assert "required.supply_type" in _codes(_fr_invoice(), fx.client_fr())
    assert "required.supply_type" not in _codes(_fr_invoice(supply_type="both"), fx.client_fr())


def test_french_invoice_prints_siren_supply_and_ht_ttc() -> None:
    client = replace(fx.client_fr(), vat_number="", enterprise_number="30326504500021")
    text = norm(all_text(render(_fr_invoice(supply_type="services"), client, entity=fx.FR)))
    assert "SIREN 303 265 045" in text
    assert "Nature de l'opération Prestation de services" in text
    assert "Prix unitaire HT" in text and "Total HT" in text and "Total TTC" in text
    assert "HTVA" not in text and "TVAC" not in text


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "Aard van de handeling Levering van goederen"), ("de", "Art der Leistung Lieferung von Waren")],
)
def test_supply_type_in_other_languages(lang: str, words: str) -> None:
    doc = _fr_invoice(supply_type="goods", language=lang)
    assert words in norm(all_text(render(doc, fx.client_fr(), entity=fx.FR)))


def test_belgian_documents_keep_htva_tvac() -> None:
    text = norm(all_text(render(fx.invoice(1, language="fr"), fx.client_be())))
    assert "Total HTVA" in text and "Total TVAC" in text


def test_delivery_address_is_printed_only_when_it_differs() -> None:
    client = fx.client_fr()
    other = Address(street="Entrepôt 4, quai Rambaud", postcode="69002", city="Lyon", country="FR")
    text = norm(
        all_text(render(_fr_invoice(supply_type="goods", delivery_address=other), client, entity=fx.FR))
    )
    assert "Adresse de livraison : Entrepôt 4, quai Rambaud, 69002 Lyon" in text
    same = replace(client.address)
    text = norm(
        all_text(render(_fr_invoice(supply_type="goods", delivery_address=same), client, entity=fx.FR))
    )
    assert "Adresse de livraison" not in text
