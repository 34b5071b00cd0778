"""The cooperative's legal identities per country, built in so the app works offline at first start.

The identities below are well-formed but fictitious (valid check digits, invented numbers) and
marked ``provisional``: the real ones come from the cooperative's backend at the first sync (the
``entities`` catalogue, docs/sync.md) and are kept in the local store; ``entity_for(code, published)``
prefers them. A validated document carries the identity the server stamped on it (``doc.issuer``):
:func:`issuer_of` returns that one, never the current or built-in identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from smartdesk.domain.documents import Address, CooperativeEntity, Document

BUILTIN_ENTITIES: dict[str, CooperativeEntity] = {
    "BE": CooperativeEntity(
        code="BE",
        name="SMart Coop SC (demo)",
        address=Address(street="Rue Coenraets 72", postcode="1060", city="Saint-Gilles", country="BE"),
        vat_number="BE0999123457",
        registration="RPM Bruxelles 0999.123.457",
        iban="BE71096123456769",
        bic="GKCCBEBB",
        email="factures@demo.smart.coop",
        phone="+32 2 542 10 80",
        website="smart.coop",
        legal_mentions="Société coopérative, numéro d'entreprise 0999.123.457.",
        legal_mentions_by_language={
            "fr": "Société coopérative, numéro d'entreprise 0999.123.457.",
            "nl": "Coöperatieve vennootschap, ondernemingsnummer 0999.123.457.",
            "en": "Cooperative company, company number 0999.123.457.",
            "de": "Genossenschaft, Unternehmensnummer 0999.123.457.",
            "es": "Sociedad cooperativa, número de empresa 0999.123.457.",
            "it": "Società cooperativa, numero d'impresa 0999.123.457.",
        },
        enterprise_number="0999.123.457",
        time_zone="Europe/Brussels",
        demo=True,
        provisional=True,
    ),
    "FR": CooperativeEntity(
        code="FR",
        name="SMart France SCIC (démo)",
        address=Address(street="12 rue de la Coopération", postcode="69002", city="Lyon", country="FR"),
        vat_number="FR65912345675",
        registration="RCS Lyon 912 345 675",
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        email="factures@demo.smart-france.coop",
        phone="+33 4 72 00 00 00",
        website="smart-france.coop",
        legal_mentions="SCIC SA à capital variable, RCS Lyon 912 345 675.",
        legal_mentions_by_language={
            "fr": "SCIC SA à capital variable, RCS Lyon 912 345 675.",
            "nl": "SCIC SA (coöperatieve vennootschap) met veranderlijk kapitaal, RCS Lyon 912 345 675.",
            "en": "SCIC SA (cooperative company) with variable capital, RCS Lyon 912 345 675.",
            "de": "SCIC SA (Genossenschaft) mit variablem Kapital, RCS Lyon 912 345 675.",
            "es": "SCIC SA (sociedad cooperativa) de capital variable, RCS Lyon 912 345 675.",
            "it": "SCIC SA (società cooperativa) a capitale variabile, RCS Lyon 912 345 675.",
        },
        late_penalty_rate=Decimal("12.15"),
        enterprise_number="912345675",
        time_zone="Europe/Paris",
        demo=True,
        provisional=True,
    ),
}


def entity_for(code: str, published: Mapping[str, CooperativeEntity] | None = None) -> CooperativeEntity:
    """The identity of entity ``code``: the cooperative's published one when the app has it, else the
    built-in (provisional) one."""
    key = code.upper()
    if published and key in published:
        return published[key]
    return BUILTIN_ENTITIES.get(key, BUILTIN_ENTITIES["BE"])


def issuer_of(doc: Document, published: Mapping[str, CooperativeEntity] | None = None) -> CooperativeEntity:
    """The identity a document prints: the stamped one once validated, else the entity's current one."""
    if doc.issuer is not None:
        return doc.issuer
    return entity_for(doc.entity, published)
