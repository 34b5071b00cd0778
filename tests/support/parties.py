"""Who bills whom in the document fixtures (tests/unit/einvoice_scenarios.py, tests/unit/pdf_fixtures.py):
the Belgian and French cooperative entities, and one table of four clients, so that both modules bill
the same theatre in Schaerbeek, the same foundation in Amsterdam..."""

from __future__ import annotations

from smartdesk.domain.documents import Address, Client, CooperativeEntity
from smartdesk.domain.entities import BUILTIN_ENTITIES

BE: CooperativeEntity = BUILTIN_ENTITIES["BE"]
FR: CooperativeEntity = BUILTIN_ENTITIES["FR"]

# country: name, language, VAT number, enterprise number
_CLIENTS: dict[str, tuple[str, str, str, str]] = {
    "BE": ("Théâtre de la Balsamine ASBL", "fr", "BE0417497106", ""),
    "NL": ("Stichting Podium Ölsen", "nl", "NL004495445B01", ""),
    "FR": ("Compagnie Ça Ira SARL", "fr", "FR40303265045", "303265045"),
    "CH": ("Kulturhaus Zürich AG", "de", "CHE-123.456.788 MWST", ""),
}
# country: street, postcode, city
_ADDRESSES: dict[str, tuple[str, str, str]] = {
    "BE": ("Avenue Félix Marchal 1", "1030", "Schaerbeek"),
    "NL": ("Keizersgracht 123", "1015 CJ", "Amsterdam"),
    "FR": ("3 rue de la République", "69001", "Lyon"),
    "CH": ("Bahnhofstrasse 10", "8001", "Zürich"),
}


def client(country: str, *, name: str = "", email: str = "") -> Client:
    """A new client of the table in ``country`` (BE, NL, FR or CH); ``name`` replaces its name."""
    table_name, language, vat_number, enterprise_number = _CLIENTS[country]
    street, postcode, city = _ADDRESSES[country]
    return Client(
        name=name or table_name,
        address=Address(street=street, postcode=postcode, city=city, country=country),
        vat_number=vat_number,
        enterprise_number=enterprise_number,
        email=email,
        language=language,
    )
