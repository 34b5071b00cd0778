"""Realistic sample data: several activities, clients in BE/FR/NL/DE, documents in every state.

Deterministic for a given seed. Used by ``smartdesk demo-data``, the tests and the benchmarks
(up to 100,000 documents, inserted in one transaction without outbox entries).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from smartdesk.domain.documents import (
    Activity,
    Address,
    Client,
    Document,
    DocumentKind,
    ExpenseLine,
    Line,
)
from smartdesk.domain.lifecycle import STATUSES
from smartdesk.domain.payments import ogm_for_document
from smartdesk.domain.totals import document_total
from smartdesk.domain.vat import VatCategory
from smartdesk.services.workspace import Workspace

ACTIVITIES = [
    ("Studio Lumière - photographie", "A-10231", "BE"),
    ("Compagnie Rivages - théâtre", "A-10877", "BE"),
    ("Traductions Van Dijk", "A-11502", "BE"),
    ("Atelier Bois & Fil - artisanat", "F-20450", "FR"),
    ("Formations Numériques Lyon", "F-21118", "FR"),
]

CLIENTS = [
    ("Centre culturel de Namur ASBL", "Rue du Pont 12", "5000", "Namur", "BE", "BE0999123457", "fr"),
    ("Theater Aan Zee vzw", "Zeedijk 4", "8400", "Oostende", "BE", "", "nl"),
    ("Galerie Sablon SRL", "Place du Grand Sablon 3", "1000", "Bruxelles", "BE", "", "fr"),
    ("Mairie de Villeurbanne", "Place Lazare Goujon", "69100", "Villeurbanne", "FR", "FR65912345675", "fr"),
    ("Festival des Lumières SAS", "Quai Saint-Antoine 8", "69002", "Lyon", "FR", "", "fr"),
    ("Studio Noord BV", "Prinsengracht 100", "1015 EA", "Amsterdam", "NL", "NL004495445B01", "nl"),
    ("Kulturbüro Köln GmbH", "Hohe Straße 52", "50667", "Köln", "DE", "DE136695976", "de"),
    ("Ana Martínez", "Calle Mayor 5", "28013", "Madrid", "ES", "", "es"),
    ("Museo Civico di Torino", "Via Roma 1", "10121", "Torino", "IT", "", "it"),
    ("Greenwood Events Ltd", "12 High Street", "EC1A 1BB", "London", "GB", "", "en"),
]

SERVICES = [
    ("Reportage photo - journée", "DAY", "650"),
    ("Retouche et livraison des images", "HUR", "55"),
    ("Représentation du spectacle", "LS", "1800"),
    ("Traduction FR > NL (par mot)", "C62", "0.12"),
    ("Atelier de formation", "HUR", "85"),
    ("Déplacement", "KMT", "0.4326"),
    ("Création d'une pièce sur mesure", "H87", "320"),
    ("Régie son et lumière", "DAY", "420"),
]

SUPPLIERS = [
    ("SNCB", "Transport"),
    ("Brico", "Materials"),
    ("Total Energies", "Fuel"),
    ("Fnac", "Equipment"),
    ("Le Pain Quotidien", "Meals"),
    ("Proximus", "Telecom"),
]


def make_documents(
    activities: list[Activity], clients: list[Client], count: int, seed: int = 7, today: date | None = None
) -> list[Document]:
    rng = random.Random(seed)
    day0 = today or date.today()
    kinds = (
        [DocumentKind.QUOTE] * 4
        + [DocumentKind.INVOICE] * 4
        + [DocumentKind.CREDIT_NOTE]
        + [DocumentKind.EXPENSE_NOTE]
    )
    counters: dict[tuple[str, str, int], int] = {}
    docs: list[Document] = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        activity = activities[rng.randrange(len(activities))]
        client = clients[rng.randrange(len(clients))]
        issue = day0 - timedelta(days=rng.randrange(0, 720))
        status = rng.choice(STATUSES[kind])
        doc = Document(
            kind=kind,
            status=status.value,
            entity=activity.entity,
            activity_id=activity.id,
            issue_date=issue,
            language=client.language if client.language in ("fr", "nl", "en", "de", "es", "it") else "en",
        )
        if kind is DocumentKind.EXPENSE_NOTE:
            doc.payment_terms_days = None
            for _ in range(rng.randint(1, 4)):
                supplier, category = SUPPLIERS[rng.randrange(len(SUPPLIERS))]
                doc.expense_lines.append(
                    ExpenseLine(
                        date=issue - timedelta(days=rng.randrange(0, 20)),
                        supplier=supplier,
                        category=category,
                        description=f"{category} for {activity.name.split(' - ')[0]}",
                        amount_incl=Decimal(rng.randrange(300, 25000)).scaleb(-2),
                        vat_rate=Decimal(21 if activity.entity == "BE" else 20),
                        activity_id=activity.id,
                    )
                )
            doc.title = f"Expenses {issue:%B %Y}"
        else:
            doc.client_id = client.id
            doc.payment_terms_days = client.payment_terms_days
            doc.due_date = doc.compute_due_date()
            doc.supply_type = "services"  # what members sell; a French mandatory mention
            foreign_b2b = (
                client.country != activity.entity
                and client.vat_number
                and client.country in ("BE", "FR", "NL", "DE", "ES", "IT")
            )
            outside_eu = client.country == "GB"
            category = (
                VatCategory.REVERSE_CHARGE
                if foreign_b2b
                else VatCategory.OUT_OF_SCOPE
                if outside_eu
                else VatCategory.STANDARD
            )
            rate = Decimal(0) if category.zero_rate else Decimal(21 if activity.entity == "BE" else 20)
            for _ in range(rng.randint(1, 6)):
                desc, unit, price = SERVICES[rng.randrange(len(SERVICES))]
                qty = Decimal(rng.randint(1, 12)) if unit != "C62" else Decimal(rng.randrange(500, 5000))
                doc.lines.append(
                    Line(
                        description=desc,
                        quantity=qty,
                        unit=unit,
                        unit_price=Decimal(price),
                        vat_category=category,
                        vat_rate=rate,
                    )
                )
            doc.title = doc.lines[0].description
            if kind is DocumentKind.CREDIT_NOTE:
                doc.corrects_number = f"{activity.entity}-{issue.year}-{rng.randint(1, 900):05d}"
        if status.value not in ("draft", "submitted", "returned") and kind is not DocumentKind.EXPENSE_NOTE:
            key = (activity.entity, kind.value, issue.year)
            counters[key] = counters.get(key, 0) + 1
            prefix = {"quote": "Q", "invoice": "F", "credit-note": "NC"}[kind.value]
            doc.number = f"{prefix}{activity.entity}-{issue.year}-{counters[key]:05d}"
            if kind is DocumentKind.INVOICE:
                doc.payment_reference = (
                    ogm_for_document(doc.id, doc.number) if activity.entity == "BE" else doc.number
                )
                if status.value == "paid":
                    doc.paid_amount = document_total(doc)
                elif status.value == "partially_paid":
                    doc.paid_amount = (document_total(doc) / 2).quantize(Decimal("0.01"))
        if status.value == "returned":
            doc.remarks = "Please add the client's VAT number and the date of the performance."
        docs.append(doc)
    return docs


def load_demo_data(ws: Workspace, documents: int = 200, seed: int = 7) -> tuple[int, int, int]:
    """Add sample activities, clients and ``documents`` documents; returns the three counts."""
    activities = [
        ws.store.put_activity(Activity(name=n, code=c, entity=e), enqueue=False) for n, c, e in ACTIVITIES
    ]
    clients = []
    for name, street, postcode, city, country, vat, lang in CLIENTS:
        client = Client(
            name=name,
            address=Address(street, postcode, city, country),
            vat_number=vat,
            language=lang,
            is_business=not name.startswith("Ana "),
            email=f"compta@{name.split()[0].lower()}.example",
            payment_terms_days=30,
        )
        clients.append(ws.store.put_client(client, enqueue=False))
    batch = 5000
    for start in range(0, documents, batch):
        ws.store.bulk_put_documents(
            make_documents(activities, clients, min(batch, documents - start), seed=seed + start)
        )
    return len(activities), len(clients), documents
