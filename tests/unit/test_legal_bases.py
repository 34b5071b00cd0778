"""Legal bases of the VAT situations that charge no VAT: one table (smartdesk.domain.legal_basis) for the
sentence printed on the PDF in the document's language and the VATEX code of the e-invoice."""

from __future__ import annotations

import pytest

from smartdesk import einvoice
from smartdesk.domain.legal_basis import legal_basis
from smartdesk.domain.vat import VatCategory, default_category
from smartdesk.einvoice.model import build
from tests.unit import pdf_fixtures as fx
from tests.unit.test_pdf_render import all_text, norm, render


@pytest.mark.parametrize(
    ("category", "code"),
    [
        (VatCategory.REVERSE_CHARGE, "VATEX-EU-AE"),
        (VatCategory.INTRA_COMMUNITY, "VATEX-EU-IC"),
        (VatCategory.EXPORT, "VATEX-EU-G"),
        (VatCategory.OUT_OF_SCOPE, "VATEX-EU-O"),
    ],
)
def test_each_category_has_its_vatex_code(category: VatCategory, code: str) -> None:
    basis = legal_basis(category, "BE", "CH")
    assert basis is not None and basis.vatex == code


def test_standard_rate_needs_no_legal_basis() -> None:
    assert legal_basis(VatCategory.STANDARD, "BE", "BE") is None


def test_services_to_a_business_outside_the_eu_are_outside_the_scope_not_an_export() -> None:
    # the default for a service to a Swiss company was "export" (art. 146, goods): wrong basis
    assert default_category("BE", "CH", True) is VatCategory.OUT_OF_SCOPE
    assert default_category("BE", "CH", False) is VatCategory.STANDARD
    basis = legal_basis(VatCategory.OUT_OF_SCOPE, "BE", "CH")
    assert basis is not None and basis.text_key == "legal.outside_eu_services.BE"
    # category O for a client inside the EU keeps the plain "outside the scope" sentence
    inside = legal_basis(VatCategory.OUT_OF_SCOPE, "BE", "BE")
    assert inside is not None and inside.text_key == "legal.out_of_scope"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "hors du champ d'application de la TVA belge (art. 21, § 2 du Code de la TVA"),
        ("nl", "buiten het toepassingsgebied van de Belgische btw (art. 21, § 2 Btw-Wetboek"),
        ("en", "outside the scope of Belgian VAT (art. 21 §2 Belgian VAT Code; art. 44 Directive"),
        ("de", "nicht der belgischen Mehrwertsteuer unterworfen (Art. 21 § 2"),
        ("es", "no sujeta al IVA belga (art. 21, § 2 del Código del IVA belga"),
        ("it", "fuori dal campo di applicazione dell'IVA belga (art. 21, § 2"),
    ],
)
def test_pdf_prints_the_services_basis_in_the_document_language(lang: str, words: str) -> None:
    doc = fx.invoice(2, language=lang, category=VatCategory.OUT_OF_SCOPE)
    text = norm(all_text(render(doc, fx.client_ch())))
    assert norm(words) in text
    assert "146" not in text


def test_french_entity_cites_the_french_tax_code_for_services_outside_the_eu() -> None:
    doc = fx.invoice(1, language="fr", entity="FR", category=VatCategory.OUT_OF_SCOPE)
    text = norm(all_text(render(doc, fx.client_ch(), entity=fx.FR)))
    assert "TVA non applicable, art. 259-1 du CGI" in text


def test_goods_exported_keep_article_146() -> None:
    doc = fx.invoice(1, language="en", category=VatCategory.EXPORT)
    text = norm(all_text(render(doc, fx.client_ch())))
    assert "art. 146 Directive 2006/112/EC" in text


def test_einvoice_carries_the_same_basis_as_the_pdf_and_passes_the_official_rules() -> None:
    doc = fx.invoice(2, language="en", category=VatCategory.OUT_OF_SCOPE)
    client = fx.client_ch()
    inv = build(doc, client=client, entity=fx.BE)
    (group,) = inv.tax_groups
    assert group.exemption_code == "VATEX-EU-O"
    assert "art. 21 §2 Belgian VAT Code" in group.exemption_text
    fatal = [
        f"{f.rule_id}: {f.rule_text}" for f in einvoice.check(doc, client=client, entity=fx.BE) if f.fatal
    ]
    assert fatal == []
