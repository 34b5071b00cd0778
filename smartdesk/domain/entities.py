"""The cooperative's legal identities per country, built in so the app works offline at first start.

The identities below are well-formed but fictitious (valid check digits, invented numbers): the
real ones come from the cooperative's backend at the first sync.
"""

from __future__ import annotations

from decimal import Decimal

from smartdesk.domain.documents import Address, CooperativeEntity

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
        legal_mentions_by_language=(
            ("fr", "Société coopérative, numéro d'entreprise 0999.123.457."),
            ("nl", "Coöperatieve vennootschap, ondernemingsnummer 0999.123.457."),
            ("en", "Cooperative company, company number 0999.123.457."),
            ("de", "Genossenschaft, Unternehmensnummer 0999.123.457."),
            ("es", "Sociedad cooperativa, número de empresa 0999.123.457."),
            ("it", "Società cooperativa, numero d'impresa 0999.123.457."),
        ),
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
        legal_mentions_by_language=(
            ("fr", "SCIC SA à capital variable, RCS Lyon 912 345 675."),
            ("nl", "SCIC SA (coöperatieve vennootschap) met veranderlijk kapitaal, RCS Lyon 912 345 675."),
            ("en", "SCIC SA (cooperative company) with variable capital, RCS Lyon 912 345 675."),
            ("de", "SCIC SA (Genossenschaft) mit variablem Kapital, RCS Lyon 912 345 675."),
            ("es", "SCIC SA (sociedad cooperativa) de capital variable, RCS Lyon 912 345 675."),
            ("it", "SCIC SA (società cooperativa) a capitale variabile, RCS Lyon 912 345 675."),
        ),
        late_penalty_rate=Decimal("12.15"),
    ),
}


def entity_for(code: str) -> CooperativeEntity:
    return BUILTIN_ENTITIES.get(code.upper(), BUILTIN_ENTITIES["BE"])
