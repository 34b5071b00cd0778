"""E-invoice scenarios (issue 14), built straight from the domain dataclasses; used by tests and bench."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from smartdesk.domain.documents import (
    Address,
    AllowanceCharge,
    Client,
    CooperativeEntity,
    Document,
    DocumentKind,
    Line,
)
from smartdesk.domain.vat import VatCategory
from tests.support.parties import BE, FR, client

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


# new clients at each call (tests/support/parties.py), with the e-mail addresses e-invoices carry
client_be = partial(client, "BE", email="compta@balsamine.example")
client_nl = partial(client, "NL")
client_fr = partial(client, "FR")
client_ch = partial(client, "CH", email="buchhaltung@kulturhaus.example")


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
    lines = [
        line("Création lumière", "12", "65.50"),
        line("Livres de programme", "40", "7.25", rate="6", unit="H87"),
        line("Repas de l'équipe", "6", "18.40", rate="12", unit="H87", discount="5"),
    ]
    return Scenario("be-domestic-21-12-6", invoice(BE, lines), client_be(), BE)


def _reverse_charge_nl() -> Scenario:
    lines = [
        line("Lichtontwerp voorstelling", "3", "450", rate="0", category=AE, unit="DAY"),
        line("Technische begeleiding", "7.5", "62.40", rate="0", category=AE),
    ]
    return Scenario("reverse-charge-nl", invoice(BE, lines, language="nl"), client_nl(), BE)


def _intra_eu_goods() -> Scenario:
    lines = [line("Decorstukken (hout, geverfd)", "4", "312.50", rate="0", category=K, unit="H87")]
    doc = invoice(BE, lines, language="nl", delivery_date=date(2026, 11, 2))
    return Scenario("intra-eu-goods-nl", doc, client_nl(), BE)


def _export_services() -> Scenario:
    lines = [line("Lichtgestaltung Gastspiel", "2", "800", rate="0", category=O, unit="DAY")]
    return Scenario("export-services-ch", invoice(BE, lines, language="de"), client_ch(), BE)


def _fr_domestic() -> Scenario:
    lines = [
        line("Atelier d'écriture", "3", "240", rate="20", unit="DAY"),
        line("Recueils imprimés", "25", "12.80", rate="5.5", unit="H87"),
    ]
    return Scenario("fr-domestic-20-5.5", invoice(FR, lines, number="F2026-000042"), client_fr(), FR)


def _allowances_charges() -> Scenario:
    lines = [
        line("Création sonore", "10", "80"),
        line("Location de matériel", "2", "150", discount="10"),
        line("Catalogue", "30", "9.90", rate="6", unit="H87"),
    ]
    allowances = [
        AllowanceCharge(
            is_charge=False, percent=Decimal("10"), reason="Remise fidélité", vat_rate=Decimal("21")
        ),
        AllowanceCharge(is_charge=True, amount=Decimal("45"), reason="Transport", vat_rate=Decimal("21")),
        AllowanceCharge(
            is_charge=False, amount=Decimal("20"), reason="Geste commercial", vat_rate=Decimal("6")
        ),
    ]
    return Scenario("be-allowances-charges", invoice(BE, lines, allowances=allowances), client_be(), BE)


def _fr_allowances_charges() -> Scenario:
    lines = [
        line("Formation", "2", "650", rate="20", unit="DAY"),
        line("Supports", "12", "14.50", rate="5.5", unit="H87"),
    ]
    allowances = [
        AllowanceCharge(is_charge=True, amount=Decimal("45"), reason="Déplacement", vat_rate=Decimal("20")),
        AllowanceCharge(is_charge=False, percent=Decimal("5"), reason="Remise", vat_rate=Decimal("5.5")),
    ]
    doc = invoice(FR, lines, number="F2026-000043", allowances=allowances)
    return Scenario("fr-allowances-charges", doc, client_fr(), FR)


def _correcting(
    name: str, entity: CooperativeEntity, client: Client, corrected: str, number: str, corrected_line: Line
) -> Scenario:
    """A credit note of ``entity`` that corrects its invoice ``corrected`` of 2 October 2026."""
    doc = invoice(
        entity,
        [corrected_line],
        kind=DocumentKind.CREDIT_NOTE,
        number=number,
        corrects_number=corrected,
        corrects_date=date(2026, 10, 2),
    )
    return Scenario(name, doc, client, entity)


def _credit_note() -> Scenario:
    cancelled = line("Annulation d'une journée de montage", "1", "480", unit="DAY")
    return _correcting("be-credit-note", BE, client_be(), "2026/000123", "NC2026/000007", cancelled)


def _fr_credit_note() -> Scenario:
    cancelled = line("Séance annulée", "1", "240", rate="20", unit="DAY")
    return _correcting("fr-credit-note", FR, client_fr(), "F2026-000042", "AV2026-000003", cancelled)


def _lines_150() -> Scenario:
    rates = ["21", "12", "6"]
    lines = [
        line(
            f"Prestation {i + 1}",
            str(1 + i % 4),
            f"{10 + i * 1.37:.2f}",
            rate=rates[i % 3],
            discount="2.5" if i % 7 == 0 else "0",
        )
        for i in range(150)
    ]
    return Scenario("be-150-lines", invoice(BE, lines), client_be(), BE)


def _non_latin1() -> Scenario:
    client = Client(
        name="株式会社 東京劇場 – Ωμέγα Θέατρο",
        language="en",
        address=Address(street="Łódzka 7 ‹Ⅱ›", postcode="1000", city="Bruxelles", country="BE"),
        vat_number="BE0417497106",
    )
    lines = [line("舞台照明デザイン – Ψηφιακή σκηνογραφία “Ærø” ✓", "2", "310", unit="DAY")]
    doc = invoice(BE, lines, language="en", title="Tournée 東京 2026")
    return Scenario("be-non-latin1", doc, client, BE)


def _partial_payment() -> Scenario:
    lines = [line("Résidence de création", "5", "300", unit="DAY")]
    doc = invoice(BE, lines, paid_amount=Decimal("500"))
    return Scenario("be-partial-payment", doc, client_be(), BE)


def _zero_rated() -> Scenario:
    lines = [
        line("Conception graphique", "4", "75"),
        line("Journaux", "100", "1.20", rate="0", category=Z, unit="H87"),
    ]
    return Scenario("be-zero-rated-line", invoice(BE, lines), client_be(), BE)


def _exempt() -> Scenario:
    lines = [line("Formation professionnelle", "2", "400", rate="0", category=E, unit="DAY")]
    return Scenario("be-exempt", invoice(BE, lines), client_be(), BE)


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
