"""Failed rules point at the editor field they concern: by rule id, else by the XPath location."""

from __future__ import annotations

import copy

import pytest

from smartdesk import einvoice
from smartdesk.einvoice.messages import field_from_location, wording
from tests.unit.einvoice_scenarios import twenty_lines

UBL = "/*:Invoice[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'][1]"
CAC = "/*:{}[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'][1]"


@pytest.mark.parametrize(
    ("location", "field"),
    [
        (UBL + CAC.format("InvoiceLine").replace("[1]", "[3]"), "lines[2]"),
        (UBL + CAC.format("AccountingCustomerParty") + CAC.format("Party"), "client"),
        (UBL + CAC.format("AccountingSupplierParty"), "entity"),
        (UBL + CAC.format("PaymentMeans") + CAC.format("PayeeFinancialAccount"), "entity"),
        (UBL + CAC.format("OrderReference"), "reference"),
        (UBL + CAC.format("BillingReference"), "corrects_number"),
        (UBL, ""),
    ],
)
def test_field_from_location(location: str, field: str) -> None:
    assert field_from_location(location) == field


def test_a_rule_without_its_own_field_takes_the_one_of_its_location() -> None:
    at_client = UBL + CAC.format("AccountingCustomerParty")
    assert wording("PEPPOL-EN16931-R008", "Peppol", "", at_client, True).field == "client"
    assert wording("XX-UNKNOWN-1", "Peppol", "some text", at_client, True).field == "client"
    # a rule with its own field keeps it wherever it points
    assert wording("PEPPOL-EN16931-R003", "Peppol", "", at_client, True).field == "reference"


def test_the_official_rules_name_the_client_when_its_name_is_missing() -> None:
    pytest.importorskip("saxonche")
    sc = twenty_lines()
    client = copy.deepcopy(sc.client)
    client.name = ""
    fatal = [f for f in einvoice.check(sc.doc, client=client, entity=sc.entity) if f.fatal]
    assert {f.rule_id for f in fatal} >= {"BR-07"}
    assert {f.field for f in fatal} == {"client"}
    assert "The client has no name" in next(f for f in fatal if f.rule_id == "BR-07").message("en")
