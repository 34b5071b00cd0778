"""The validation harness itself: the official examples pass, broken copies fail with the expected rules."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from smartdesk.einvoice import Severity, check_xml, rules
from smartdesk.einvoice.rules import RULE_SETS, ValidationSetupError, parse_svrl

EXAMPLES = rules.validation_dir()


def _example(relative: str) -> bytes:
    return (EXAMPLES / relative).read_bytes()


def _remove(xml: bytes, pattern: str) -> bytes:
    """The XML without the first element matching ``pattern`` (a regex over the text)."""
    text = xml.decode("utf-8")
    broken, count = re.subn(pattern, "", text, count=1, flags=re.S)
    assert count == 1, f"nothing matched {pattern}"
    return broken.encode("utf-8")


def _fatal_ids(xml: bytes, only: list[str], country: str | None = None) -> set[str]:
    return {f.rule_id for f in check_xml(xml, issuer_country=country, only=only).fatal}


@pytest.mark.parametrize(
    "relative, only",
    [
        ("en16931-1.3.16/examples/ubl-tc434-example1.xml", ["en16931"]),
        ("en16931-1.3.16/examples/CII_example1.xml", ["en16931"]),
        ("peppol-bis-3.0.21/examples/base-example.xml", ["en16931", "peppol"]),
        ("peppol-bis-3.0.21/examples/base-creditnote-correction.xml", ["en16931", "peppol"]),
        ("peppol-bis-3.0.21/examples/Allowance-example.xml", ["en16931", "peppol"]),
        ("peppol-bis-3.0.21/examples/vat-category-E.xml", ["en16931", "peppol"]),
    ],
)
def test_official_examples_have_no_fatal_finding(relative: str, only: list[str]) -> None:
    report = check_xml(_example(relative), only=only)
    assert len(report.rule_sets) == len(only)
    assert report.fatal == []


@pytest.mark.parametrize(
    "relative, only, pattern, expected",
    [
        # BT-1 invoice number, BT-2 issue date, BT-27 seller name: EN 16931 BR-02, BR-03, BR-06
        (
            "en16931-1.3.16/examples/ubl-tc434-example1.xml",
            ["en16931"],
            r"<cbc:ID>12115118</cbc:ID>",
            "BR-02",
        ),
        (
            "en16931-1.3.16/examples/ubl-tc434-example1.xml",
            ["en16931"],
            r"<cbc:IssueDate>[^<]*</cbc:IssueDate>",
            "BR-03",
        ),
        # Peppol: no buyer reference and no order reference (R003)
        (
            "peppol-bis-3.0.21/examples/base-example.xml",
            ["en16931", "peppol"],
            r"<cbc:BuyerReference>[^<]*</cbc:BuyerReference>",
            "PEPPOL-EN16931-R003",
        ),
        # no amount due (BT-115) any more
        (
            "peppol-bis-3.0.21/examples/base-example.xml",
            ["en16931", "peppol"],
            r"<cbc:PayableAmount currencyID=\"EUR\">1656.25</cbc:PayableAmount>",
            "BR-15",
        ),
    ],
)
def test_broken_copies_fail_with_the_expected_rule(
    relative: str, only: list[str], pattern: str, expected: str
) -> None:
    original = _example(relative)
    assert expected not in _fatal_ids(original, only)
    broken = _remove(original, pattern)
    assert expected in _fatal_ids(broken, only)


def test_seller_name_removed_from_cii_fails_br06() -> None:
    text = _example("en16931-1.3.16/examples/CII_example1.xml").decode("utf-8")
    seller = text.index("<ram:SellerTradeParty>")
    start = text.index("<ram:Name>", seller)
    end = text.index("</ram:Name>", start) + len("</ram:Name>")
    broken = (text[:start] + text[end:]).encode("utf-8")
    assert "BR-06" in _fatal_ids(broken, ["en16931"])


def test_ublbe_rules_run_and_find_the_belgian_requirements() -> None:
    # The Peppol base example is not a Belgian invoice: UBL.BE must see it lacks its own references
    ids = _fatal_ids(_example("peppol-bis-3.0.21/examples/base-example.xml"), ["ublbe"])
    assert {"ubl-BE-01", "ubl-BE-15"} <= ids


def test_french_rules_run_on_cii_and_require_the_french_notes() -> None:
    ids = _fatal_ids(_example("en16931-1.3.16/examples/CII_example1.xml"), ["fr-ctc"])
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB", "BR-FR-10_BT-30"} <= ids


def test_waived_rule_is_reported_as_a_warning_with_its_reason() -> None:
    ublbe = next(s for s in RULE_SETS if s.key == "ublbe")
    svrl = (
        '<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">'
        '<svrl:failed-assert id="PEPPOL-EN16931-R004" flag="fatal" location="/Invoice" test="x">'
        "<svrl:text>Specification identifier MUST have the value &apos;urn:UBL.BE&apos;.</svrl:text>"
        "</svrl:failed-assert>"
        '<svrl:failed-assert id="ubl-BE-01" flag="fatal" location="/Invoice" test="y">'
        "<svrl:text>[ubl-BE-01]-At least two &lt;refs&gt;</svrl:text></svrl:failed-assert>"
        "</svrl:schematron-output>"
    )
    found = {f.rule_id: f for f in parse_svrl(svrl, ublbe)}
    assert found["PEPPOL-EN16931-R004"].severity is Severity.WARNING
    assert "Peppol" in found["PEPPOL-EN16931-R004"].waived_because
    assert found["PEPPOL-EN16931-R004"].text == "Specification identifier MUST have the value 'urn:UBL.BE'."
    assert found["ubl-BE-01"].severity is Severity.FATAL
    assert found["ubl-BE-01"].text == "[ubl-BE-01]-At least two <refs>"


def test_checks_from_several_threads_give_the_same_findings() -> None:
    xml = _remove(
        _example("peppol-bis-3.0.21/examples/base-example.xml"),
        r"<cbc:BuyerReference>[^<]*</cbc:BuyerReference>",
    )
    expected = sorted(f.rule_id for f in check_xml(xml, only=["en16931", "peppol"]).findings)
    results: list[list[str]] = []

    def work() -> None:
        results.append(sorted(f.rule_id for f in check_xml(xml, only=["en16931", "peppol"]).findings))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_a_wrong_override_folder_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(rules.ENV_DIR, str(tmp_path))
    rules.validation_dir.cache_clear()
    try:
        with pytest.raises(ValidationSetupError, match="rule sets"):
            rules.validation_dir()
    finally:
        monkeypatch.delenv(rules.ENV_DIR)
        rules.validation_dir.cache_clear()
    assert rules.validation_dir() == EXAMPLES
