"""E-invoice scenarios (issue 14), built straight from the domain dataclasses; used by tests and bench."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from smartdesk.domain.documents import (
    Address,
    AllowanceCharge,
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
    Line,
)
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.vat import VatCategory

BE: CooperativeEntity = BUILTIN_ENTITIES["BE"]
FR: CooperativeEntity = BUILTIN_ENTITIES["FR"]
ISSUE = date(2026, 11, 5)
S, Z, E, AE, K, O = (  # noqa: E741
    VatCategory.STANDARD,
    VatCategory.ZERO,
    VatCategory.EXEMPT,
    VatCategory.REVERSE_CHARGE,
    VatCategory.INTRA_COMMUNITY,
    VatCategory.OUT_OF_SCOPE,
)


@dataclass
class Scenario:
    name: str
    doc: Document
    client: Client
    entity: CooperativeEntity


def client_be() -> Client:
    return Client(
        name="Théâtre de la Balsamine ASBL",
        address=Address(street="Avenue Félix Marchal 1", postcode="1030", city="Schaerbeek", country="BE"),
        vat_number="BE0417497106",
        email="compta@balsamine.example",
        language="fr",
    )


def client_nl() -> Client:
    return Client(
        name="Stichting Podium Ölsen",
        language="nl",
        address=Address(street="Keizersgracht 123", postcode="1015 CJ", city="Amsterdam", country="NL"),
        vat_number="NL004495445B01",
    )


def client_fr() -> Client:
    return Client(
        name="Compagnie Ça Ira SARL",
        language="fr",
        address=Address(street="3 rue de la République", postcode="69001", city="Lyon", country="FR"),
        vat_number="FR40303265045",
        enterprise_number="303265045",
    )


def client_ch() -> Client:
    return Client(
        name="Kulturhaus Zürich AG",
        language="de",
        address=Address(street="Bahnhofstrasse 10", postcode="8001", city="Zürich", country="CH"),
        vat_number="CHE-123.456.788 MWST",
        email="buchhaltung@kulturhaus.example",
    )


def line(
    description: str,
    qty: str,
    price: str,
    rate: str = "21",
    category: VatCategory = S,
    unit: str = "HUR",
    discount: str = "0",
) -> Line:
    return Line(
        description=description,
        quantity=Decimal(qty),
        unit_price=Decimal(price),
        unit=unit,
        vat_category=category,
        vat_rate=Decimal(rate),
        discount_percent=Decimal(discount),
    )


def invoice(
    entity: CooperativeEntity,
    lines: list[Line],
    *,
    kind: DocumentKind = DocumentKind.INVOICE,
    number: str = "2026/000123",
    **fields: object,
) -> Document:
    doc = Document(
        kind=kind,
        status="validated",
        number=number,
        entity=entity.code,
        issue_date=ISSUE,
        payment_terms_days=30,
        language="fr",
        reference="PO-4471",
        lines=lines,
        # a French invoice says what it is for (mandatory mention since 1 September 2026)
        supply_type="services" if entity.code == "FR" else "",
    )
    doc.due_date = doc.compute_due_date()
    for key, value in fields.items():
        setattr(doc, key, value)
    return doc


def _be_domestic() -> Scenario:
    return Scenario(
        "be-domestic-21-12-6",
        invoice(
            BE,
            [
                line("Création lumière", "12", "65.50"),
                line("Livres de programme", "40", "7.25", rate="6", unit="H87"),
                line("Repas de l'équipe", "6", "18.40", rate="12", unit="H87", discount="5"),
            ],
        ),
        client_be(),
        BE,
    )


def _reverse_charge_nl() -> Scenario:
    return Scenario(
        "reverse-charge-nl",
        invoice(
            BE,
            [
                line("Lichtontwerp voorstelling", "3", "450", rate="0", category=AE, unit="DAY"),
                line("Technische begeleiding", "7.5", "62.40", rate="0", category=AE),
            ],
            language="nl",
        ),
        client_nl(),
        BE,
    )


def _intra_eu_goods() -> Scenario:
    return Scenario(
        "intra-eu-goods-nl",
        invoice(
            BE,
            [
                line("Decorstukken (hout, geverfd)", "4", "312.50", rate="0", category=K, unit="H87"),
            ],
            language="nl",
            delivery_date=date(2026, 11, 2),
        ),
        client_nl(),
        BE,
    )


def _export_services() -> Scenario:
    return Scenario(
        "export-services-ch",
        invoice(
            BE,
            [
                line("Lichtgestaltung Gastspiel", "2", "800", rate="0", category=O, unit="DAY"),
            ],
            language="de",
        ),
        client_ch(),
        BE,
    )


def _fr_domestic() -> Scenario:
    return Scenario(
        "fr-domestic-20-5.5",
        invoice(
            FR,
            [
                line("Atelier d'écriture", "3", "240", rate="20", unit="DAY"),
                line("Recueils imprimés", "25", "12.80", rate="5.5", unit="H87"),
            ],
            number="F2026-000042",
        ),
        client_fr(),
        FR,
    )


def _allowances_charges() -> Scenario:
    return Scenario(
        "be-allowances-charges",
        invoice(
            BE,
            [
                line("Création sonore", "10", "80"),
                line("Location de matériel", "2", "150", discount="10"),
                line("Catalogue", "30", "9.90", rate="6", unit="H87"),
            ],
            allowances=[
                AllowanceCharge(
                    is_charge=False, percent=Decimal("10"), reason="Remise fidélité", vat_rate=Decimal("21")
                ),
                AllowanceCharge(
                    is_charge=True, amount=Decimal("45"), reason="Transport", vat_rate=Decimal("21")
                ),
                AllowanceCharge(
                    is_charge=False, amount=Decimal("20"), reason="Geste commercial", vat_rate=Decimal("6")
                ),
            ],
        ),
        client_be(),
        BE,
    )


def _fr_allowances_charges() -> Scenario:
    return Scenario(
        "fr-allowances-charges",
        invoice(
            FR,
            [
                line("Formation", "2", "650", rate="20", unit="DAY"),
                line("Supports", "12", "14.50", rate="5.5", unit="H87"),
            ],
            number="F2026-000043",
            allowances=[
                AllowanceCharge(
                    is_charge=True, amount=Decimal("45"), reason="Déplacement", vat_rate=Decimal("20")
                ),
                AllowanceCharge(
                    is_charge=False, percent=Decimal("5"), reason="Remise", vat_rate=Decimal("5.5")
                ),
            ],
        ),
        client_fr(),
        FR,
    )


def _credit_note() -> Scenario:
    return Scenario(
        "be-credit-note",
        invoice(
            BE,
            [
                line("Annulation d'une journée de montage", "1", "480", unit="DAY"),
            ],
            kind=DocumentKind.CREDIT_NOTE,
            number="NC2026/000007",
            corrects_number="2026/000123",
            corrects_date=date(2026, 10, 2),
        ),
        client_be(),
        BE,
    )


def _fr_credit_note() -> Scenario:
    return Scenario(
        "fr-credit-note",
        invoice(
            FR,
            [
                line("Séance annulée", "1", "240", rate="20", unit="DAY"),
            ],
            kind=DocumentKind.CREDIT_NOTE,
            number="AV2026-000003",
            corrects_number="F2026-000042",
            corrects_date=date(2026, 10, 2),
        ),
        client_fr(),
        FR,
    )


def _lines_150() -> Scenario:
    rates = ["21", "12", "6"]
    return Scenario(
        "be-150-lines",
        invoice(
            BE,
            [
                line(
                    f"Prestation {i + 1}",
                    str(1 + i % 4),
                    f"{10 + i * 1.37:.2f}",
                    rate=rates[i % 3],
                    discount="2.5" if i % 7 == 0 else "0",
                )
                for i in range(150)
            ],
        ),
        client_be(),
        BE,
    )


def _non_latin1() -> Scenario:
    client = Client(
        name="株式会社 東京劇場 – Ωμέγα Θέατρο",
        language="en",
        address=Address(street="Łódzka 7 ‹Ⅱ›", postcode="1000", city="Bruxelles", country="BE"),
        vat_number="BE0417497106",
    )
    return Scenario(
        "be-non-latin1",
        invoice(
            BE,
            [
                line("舞台照明デザイン – Ψηφιακή σκηνογραφία “Ærø” ✓", "2", "310", unit="DAY"),
            ],
            language="en",
            title="Tournée 東京 2026",
        ),
        client,
        BE,
    )


def _partial_payment() -> Scenario:
    return Scenario(
        "be-partial-payment",
        invoice(
            BE,
            [
                line("Résidence de création", "5", "300", unit="DAY"),
            ],
            paid_amount=Decimal("500"),
        ),
        client_be(),
        BE,
    )


def _zero_rated() -> Scenario:
    return Scenario(
        "be-zero-rated-line",
        invoice(
            BE,
            [
                line("Conception graphique", "4", "75"),
                line("Journaux", "100", "1.20", rate="0", category=Z, unit="H87"),
            ],
        ),
        client_be(),
        BE,
    )


def _exempt() -> Scenario:
    return Scenario(
        "be-exempt",
        invoice(
            BE,
            [
                line("Formation professionnelle", "2", "400", rate="0", category=E, unit="DAY"),
            ],
        ),
        client_be(),
        BE,
    )


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    f.__name__.lstrip("_"): f
    for f in (
        _be_domestic,
        _reverse_charge_nl,
        _intra_eu_goods,
        _export_services,
        _fr_domestic,
        _allowances_charges,
        _fr_allowances_charges,
        _credit_note,
        _fr_credit_note,
        _lines_150,
        _non_latin1,
        _partial_payment,
        _zero_rated,
        _exempt,
    )
}


def twenty_lines() -> Scenario:
    return Scenario(
        "be-20-lines",
        invoice(
            BE,
            [
                line(f"Prestation {i + 1}", str(1 + i % 3), f"{50 + i}.25", rate=("21", "6")[i % 2])
                for i in range(20)
            ],
        ),
        client_be(),
        BE,
    )
