"""The chart's grid amounts keep their thousands separators in every interface language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartdesk.gui.pages.home_chart import nice_step, whole_money
from smartdesk.i18n import ui


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "€300,000"), ("nl", "€\u00a0300.000"), ("fr", "300\u202f000\u00a0€")],
)
def test_grid_amounts_drop_the_cents_only(lang: str, expected: str) -> None:
    ui.set_language(lang)
    try:
        assert whole_money(Decimal(300000)) == expected
        assert whole_money(Decimal(0)) in ("€0", "€\u00a00", "0\u00a0€")
    finally:
        ui.set_language("en")
    assert [nice_step(Decimal(v)) for v in (290_000, 3_000, 9, 0)] == [
        Decimal(100_000),
        Decimal(1000),
        Decimal(5),
        Decimal(1),
    ]
