"""A demo cooperative: entities BE and FR, offices, an advisor, members, activities with monthly figures,
clients and documents at various steps. Idempotent per e-mail address (run it once on an empty database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from smartdesk.domain.documents import Activity, Address, Client, Document, DocumentKind, Line
from smartdesk.domain.entities import BUILTIN_ENTITIES
from smartdesk.domain.identity import identity_to_dict
from smartdesk.domain.ids import uuid7
from smartdesk.domain.serialize import activity_to_dict, client_to_dict, document_to_dict
from smartdesk_server import auth, coop, identities
from smartdesk_server.db import accounts, write
from smartdesk_server.store import Tx, dumps, set_meta

PASSWORD = "demo-password-2026"
OFFICES = [
    {"id": "brussels", "entity": "BE", "name": "Bruxelles / Brussel", "city": "Saint-Gilles"},
    {"id": "ghent", "entity": "BE", "name": "Gent", "city": "Gent"},
    {"id": "lyon", "entity": "FR", "name": "Lyon", "city": "Lyon"},
]
MEMBERS = [
    ("alice@demo.smart.coop", "Alice Peeters", "BE", "Photography", "A-10001"),
    ("bruno@demo.smart.coop", "Bruno Martin", "FR", "Sound engineering", "F-20001"),
    ("chloe@demo.smart.coop", "Chloé Dubois", "BE", "Theatre workshops", "A-10002"),
]


def _monthly(seed: int, months: int = 12) -> list[dict[str, str]]:
    out = []
    start = date.today().replace(day=1)
    for i in range(months, 0, -1):
        month = (start - timedelta(days=30 * i)).strftime("%Y-%m")
        revenue = Decimal(1500 + (seed * 137 + i * 251) % 2500)
        out.append(
            {
                "month": month,
                "revenue_invoiced": format(revenue, "f"),
                "revenue_paid": format(revenue * Decimal("0.85"), "f"),
                "expenses": format(Decimal(200 + (seed + i * 97) % 600), "f"),
                "wages": format(revenue * Decimal("0.55"), "f"),
                "hours": str(40 + (seed * 7 + i * 13) % 90),
            }
        )
    return out


DEMO_PEPPOL_ID = "0208:0417497106"


def _peppol_invoice(tx: Tx, member: str, activity: Activity) -> None:
    """A Belgian business client (Peppol id 0208:0417497106) and a submitted invoice with its reference."""
    client = Client(
        id=uuid7(),
        name="Théâtre de la Balsamine ASBL",
        address=Address(street="Avenue Félix Marchal 1", postcode="1030", city="Schaerbeek", country="BE"),
        vat_number="BE0417497106",
        electronic_address=DEMO_PEPPOL_ID,
        email="compta@balsamine.example",
        language="fr",
    )
    tx.put("client", client.id, client_to_dict(client), existing=None)
    doc = Document(
        id=uuid7(),
        kind=DocumentKind.INVOICE,
        status="submitted",
        entity="BE",
        activity_id=activity.id,
        client_id=client.id,
        title=f"{activity.name}: season programme",
        reference="PO-2026-17",
        issue_date=date.today(),
        language="fr",
        lines=[
            Line(description="Day of work", quantity=Decimal(3), unit_price=Decimal("400.00"), unit="DAY")
        ],
    )
    put_new_document(tx, doc)


def put_new_document(tx: Tx, doc: Document) -> None:
    """Write ``doc`` as a new record of ``tx``'s member, straight into the server's tables at the step it is
    at (``doc.status``): no mutation and no checks, as the demo (and ``bench/delivery.py``) seed them."""
    tx.put(
        "document",
        doc.id,
        document_to_dict(doc),
        existing=None,
        status=doc.status,
        kind=doc.kind.value,
        activity_id=doc.activity_id,
    )


def create_demo(engine: Engine) -> dict[str, Any]:
    with write(engine) as conn:
        if conn.execute(select(accounts.c.id).where(accounts.c.email == "advisor@demo.smart.coop")).first():
            raise ValueError("the demo cooperative is already in this database")
        set_meta(conn, "offices", dumps(OFFICES))
    # the demo identities, published as a cooperative would with set-entity, and marked demo
    for builtin in BUILTIN_ENTITIES.values():
        identities.set_entity(engine, {**identity_to_dict(builtin), "demo": True})
    advisor = auth.create_account(
        engine, email="advisor@demo.smart.coop", password=PASSWORD, name="Dana Advisor", role="advisor"
    )
    made: dict[str, Any] = {
        "advisor": "advisor@demo.smart.coop",
        "password": PASSWORD,
        "members": [],
        # run `smartdesk-server access-point --participant 0208:0417497106` and serve with
        # SMARTDESK_AP_URL set to its URL: validated invoices of that client are delivered over "Peppol"
        "peppol_participants": [DEMO_PEPPOL_ID],
    }
    for seed, (email, name, entity, activity_name, code) in enumerate(MEMBERS, start=1):
        member = auth.create_account(
            engine, email=email, password=PASSWORD, name=name, role="member", entity=entity
        )
        activity = Activity(id=uuid7(), name=activity_name, code=code, entity=entity)
        country = entity
        client = Client(
            id=uuid7(),
            name=f"Client of {name.split()[0]}",
            address=Address(
                street="Rue de la Loi 16",
                postcode="1000" if country == "BE" else "69001",
                city="Bruxelles" if country == "BE" else "Lyon",
                country=country,
            ),
            is_business=False,
            email="billing@example.org",
        )
        with write(engine) as conn:
            tx = Tx(conn, member)
            tx.put(
                "activity",
                activity.id,
                {**activity_to_dict(activity), "monthly": _monthly(seed)},
                existing=None,
            )
            tx.put("client", client.id, client_to_dict(client), existing=None)
            tx.put(
                "profile",
                member,
                {
                    "id": member,
                    "first_name": name.split()[0],
                    "last_name": name.split()[1],
                    "email": email,
                    "entity": entity,
                },
                existing=None,
            )
            for i, status in enumerate(("draft", "submitted", "submitted")):
                doc = Document(
                    id=uuid7(),
                    kind=DocumentKind.INVOICE,
                    status=status,
                    entity=entity,
                    activity_id=activity.id,
                    client_id=client.id,
                    title=f"{activity_name} #{i + 1}",
                    issue_date=date.today(),
                    language="fr",
                    supply_type="services",  # a French mandatory mention; harmless on Belgian ones
                    lines=[
                        Line(
                            description="Day of work",
                            quantity=Decimal(2),
                            unit_price=Decimal("350.00"),
                            unit="DAY",
                            vat_rate=Decimal(21 if entity == "BE" else 20),
                        )
                    ],
                )
                put_new_document(tx, doc)
            if entity == "BE":  # a business client on Peppol: its validated invoice goes over the network
                _peppol_invoice(tx, member, activity)
        auth.follow(engine, advisor, activity.id)
        made["members"].append({"email": email, "activity_id": activity.id})
    for queued in coop.queue(engine, advisor)[:1]:
        coop.validate(engine, advisor, queued["id"])
    return made
