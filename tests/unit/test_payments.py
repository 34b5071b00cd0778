"""Belgian structured communication and the EPC QR payload."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import ogm_vcs

from smartdesk.domain.payments import (
    epc_qr_payload,
    format_ogm,
    is_valid_ogm,
    ogm_for_document,
    ogm_from_number,
)


@given(st.integers(min_value=0, max_value=10**10 - 1))
def test_ogm_agrees_with_python_stdnum(base: int) -> None:
    ogm = ogm_from_number(base)
    assert ogm_vcs.is_valid(ogm)
    assert is_valid_ogm(ogm)
    assert ogm_vcs.format(ogm_vcs.compact(ogm)) == format_ogm(ogm).strip("+")


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_ogm_check_matches_stdnum_on_any_twelve_digits(value: int) -> None:
    digits = f"{value:012d}"
    assert is_valid_ogm(digits) == ogm_vcs.is_valid(digits)


def test_zero_remainder_becomes_97() -> None:
    assert ogm_from_number(97).endswith("/00097+++") is False
    assert ogm_from_number(97)[-5:-3] == "97"


def test_document_reference_is_stable() -> None:
    assert ogm_for_document("abc") == ogm_for_document("abc")
    assert ogm_for_document("abc") != ogm_for_document("abd")
    assert is_valid_ogm(ogm_for_document("x", "F-2026-00042"))


def test_epc_payload_lines() -> None:
    payload = epc_qr_payload(
        name="SMart Coop",
        iban="BE71 0961 2345 6769",
        bic="GKCCBEBB",
        amount=Decimal("1234.5"),
        structured_reference="+++090/9337/55493+++",
    )
    lines = payload.split("\n")
    assert lines[:8] == ["BCD", "002", "1", "SCT", "GKCCBEBB", "SMart Coop", "BE71096123456769", "EUR1234.50"]
    assert lines[10] == "+++090/9337/55493+++"


def test_epc_refuses_other_currencies_and_bad_amounts() -> None:
    with pytest.raises(ValueError, match="euro"):
        epc_qr_payload(name="x", iban="BE71096123456769", amount=Decimal(1), currency="USD")
    with pytest.raises(ValueError, match="between"):
        epc_qr_payload(name="x", iban="BE71096123456769", amount=Decimal(0))
