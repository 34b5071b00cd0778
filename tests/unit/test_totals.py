"""EN 16931 totals and rounding: examples worked out by hand, and properties checked against an exact
computation with fractions written in this file (not with the code under test)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from smartdesk.domain.documents import AllowanceCharge, ExpenseLine, Line
from smartdesk.domain.money import parse_decimal_text, to_decimal
from smartdesk.domain.totals import compute_totals, expense_totals, expense_vat
from smartdesk.domain.vat import VatCategory

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=4)
rates = st.sampled_from([Decimal("21"), Decimal("12"), Decimal("6"), Decimal("0")])
discounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
categories = st.sampled_from(
    [VatCategory.STANDARD, VatCategory.STANDARD, VatCategory.REVERSE_CHARGE, VatCategory.EXEMPT]
)
lines = st.builds(
    Line,
    quantity=quantities,
    unit_price=prices,
    vat_rate=rates,
    discount_percent=discounts,
    vat_category=categories,
)

D = Decimal


# --- an independent computation: exact fractions, rounding written out here ------------------------------
def half_cent_away(x: Fraction) -> Fraction:
    """Round to the cent, halves away from zero (EN 16931 amounts), on exact fractions."""
    n = abs(x) * 100
    whole = floor(n + Fraction(1, 2))
    return Fraction(whole if x >= 0 else -whole, 100)


def exact(value: Decimal) -> Fraction:
    return Fraction(value)


def money(x: Fraction) -> Decimal:
    assert (x * 100).denominator == 1, x
    return D((x * 100).numerator) / 100


def oracle_line_net(line: Line) -> Fraction:
    gross = half_cent_away(exact(line.quantity) * exact(line.unit_price))
    return gross - half_cent_away(gross * exact(line.discount_percent) / 100)


def oracle_groups(items: list[Line]) -> dict[tuple[str, Fraction], Fraction]:
    """(category, rate) -> sum of the line nets; categories other than S have a 0 rate."""
    groups: dict[tuple[str, Fraction], Fraction] = {}
    for line in items:
        rate = exact(line.vat_rate) if line.vat_category is VatCategory.STANDARD else Fraction(0)
        key = (line.vat_category.value, rate)
        groups[key] = groups.get(key, Fraction(0)) + oracle_line_net(line)
    return groups


# --- hand-computed examples (every amount worked out on paper, EN 16931 rules) -----------------------------
def test_a_belgian_invoice_worked_out_by_hand() -> None:
    items = [
        # 3 x 123.456 = 370.368 -> 370.37; 10 % = 37.037 -> 37.04; net 333.33
        Line(quantity=D(3), unit_price=D("123.456"), vat_rate=D(21), discount_percent=D(10)),
        # 2.5 x 19.99 = 49.975 -> 49.98 (half away from zero)
        Line(quantity=D("2.5"), unit_price=D("19.99"), vat_rate=D(21)),
        Line(quantity=D(1), unit_price=D("80.00"), vat_rate=D(6)),
        # 7 x 0.333 = 2.331 -> 2.33
        Line(quantity=D(7), unit_price=D("0.333"), vat_rate=D(6)),
        Line(quantity=D(1), unit_price=D(150), vat_category=VatCategory.REVERSE_CHARGE, vat_rate=D(0)),
    ]
    t = compute_totals(items, paid=D("100.00"))
    assert [a.net for a in t.lines] == [D("333.33"), D("49.98"), D("80.00"), D("2.33"), D("150.00")]
    assert [a.discount for a in t.lines] == [D("37.04"), D(0), D(0), D(0), D(0)]
    # 21 %: 333.33 + 49.98 = 383.31, VAT 80.4951 -> 80.50; 6 %: 82.33, VAT 4.9398 -> 4.94; AE: none
    assert [(b.category, b.rate, b.taxable, b.tax) for b in t.vat_breakdown] == [
        (VatCategory.STANDARD, D(21), D("383.31"), D("80.50")),
        (VatCategory.STANDARD, D(6), D("82.33"), D("4.94")),
        (VatCategory.REVERSE_CHARGE, D(0), D("150.00"), D("0.00")),
    ]
    assert (t.line_total, t.tax_exclusive, t.vat_total, t.tax_inclusive, t.due) == (
        D("615.64"),
        D("615.64"),
        D("85.44"),
        D("701.08"),
        D("601.08"),
    )


def test_vat_is_computed_on_the_sum_of_the_bases_not_per_line() -> None:
    # ten lines of 0.07 at 21 %: per line 0.0147 -> 0.01 (0.10 in all); on the base 0.70: 0.147 -> 0.15
    t = compute_totals([Line(quantity=D(1), unit_price=D("0.07"), vat_rate=D(21)) for _ in range(10)])
    assert (t.vat_breakdown[0].taxable, t.vat_total) == (D("0.70"), D("0.15"))
    # four lines of 0.125 at 6 %: each net 0.13 (half up), base 0.52, VAT 0.0312 -> 0.03 (per line 0.04)
    t = compute_totals([Line(quantity=D(1), unit_price=D("0.125"), vat_rate=D(6)) for _ in range(4)])
    assert (t.vat_breakdown[0].taxable, t.vat_total) == (D("0.52"), D("0.03"))


def test_document_allowance_and_charge_worked_out_by_hand() -> None:
    items = [
        Line(quantity=D(4), unit_price=D("250.00"), vat_rate=D(21)),
        Line(quantity=D(1), unit_price=D("99.99"), vat_rate=D(12)),
    ]
    t = compute_totals(
        items,
        [
            AllowanceCharge(percent=D(5), vat_rate=D(21)),  # 5 % of 1000.00 = 50.00
            AllowanceCharge(is_charge=True, amount=D("25.00"), vat_rate=D(21)),
        ],
    )
    # 21 %: 1000.00 - 50.00 + 25.00 = 975.00, VAT 204.75; 12 %: 99.99, VAT 11.9988 -> 12.00
    assert [(b.rate, b.taxable, b.tax) for b in t.vat_breakdown] == [
        (D(21), D("975.00"), D("204.75")),
        (D(12), D("99.99"), D("12.00")),
    ]
    assert (
        t.line_total,
        t.allowance_total,
        t.charge_total,
        t.tax_exclusive,
        t.vat_total,
        t.tax_inclusive,
    ) == (D("1099.99"), D("50.00"), D("25.00"), D("1074.99"), D("216.75"), D("1291.74"))


def test_reverse_charge_has_no_vat_and_groups_apart() -> None:
    items = [
        Line(quantity=D(2), unit_price=D(100), vat_rate=D(21)),
        Line(quantity=D(1), unit_price=D(50), vat_category=VatCategory.REVERSE_CHARGE, vat_rate=D(0)),
    ]
    t = compute_totals(items)
    assert [(b.category, b.taxable, b.tax) for b in t.vat_breakdown] == [
        (VatCategory.STANDARD, D("200.00"), D("42.00")),
        (VatCategory.REVERSE_CHARGE, D("50.00"), D("0.00")),
    ]
    assert t.tax_inclusive == D("292.00")


def test_paid_amount_reduces_what_is_due() -> None:
    t = compute_totals([Line(quantity=D(1), unit_price=D(100), vat_rate=D(21))], paid=D("21.00"))
    assert (t.tax_inclusive, t.paid, t.due) == (D("121.00"), D("21.00"), D("100.00"))


def test_expense_vat_worked_out_by_hand() -> None:
    # 12.10 incl. 21 %: 12.10 x 21 / 121 = 2.10; 10.00 incl. 6 %: 0.5660... -> 0.57; 0 %: none
    assert expense_vat(ExpenseLine(amount_incl=D("12.10"), vat_rate=D(21))) == D("2.10")
    assert expense_vat(ExpenseLine(amount_incl=D("10.00"), vat_rate=D(6))) == D("0.57")
    assert expense_vat(ExpenseLine(amount_incl=D("10.00"), vat_rate=D(0))) == D("0.00")
    # 5.30 incl. 6 %: 5.30 x 6 / 106 = 0.30 exactly; 1.05 incl. 5 %: 0.05 exactly
    assert expense_vat(ExpenseLine(amount_incl=D("5.30"), vat_rate=D(6))) == D("0.30")
    assert expense_vat(ExpenseLine(amount_incl=D("1.05"), vat_rate=D(5))) == D("0.05")


# --- properties against the independent computation -----------------------------------------------------
@given(st.lists(lines, min_size=1, max_size=30))
def test_totals_match_an_exact_computation(items: list[Line]) -> None:
    t = compute_totals(items)
    nets = [oracle_line_net(line) for line in items]
    assert [a.net for a in t.lines] == [money(n) for n in nets]
    groups = oracle_groups(items)
    got = {(b.category.value, exact(b.rate)): (b.taxable, b.tax) for b in t.vat_breakdown}
    assert len(got) == len(t.vat_breakdown), "one row per category and rate"
    assert got == {
        key: (money(base), money(half_cent_away(base * key[1] / 100))) for key, base in groups.items()
    }
    vat = sum((half_cent_away(base * key[1] / 100) for key, base in groups.items()), Fraction(0))
    assert t.line_total == t.tax_exclusive == money(sum(nets, Fraction(0)))
    assert t.vat_total == money(vat)
    assert t.tax_inclusive == money(sum(nets, Fraction(0)) + vat)


@given(st.lists(lines, min_size=1, max_size=30))
def test_rounding_stays_within_half_a_cent_on_both_sides(items: list[Line]) -> None:
    t = compute_totals(items)
    for line, amount in zip(items, t.lines, strict=True):
        unrounded = exact(line.quantity) * exact(line.unit_price) * (1 - exact(line.discount_percent) / 100)
        # gross and discount are each rounded once: at most a cent away, either way
        assert abs(exact(amount.net) - unrounded) <= Fraction(1, 100)
    for b in t.vat_breakdown:
        assert abs(exact(b.tax) - exact(b.taxable) * exact(b.rate) / 100) <= Fraction(1, 200)
        assert b.tax >= 0 and (b.category is VatCategory.STANDARD or b.tax == 0)


@given(
    st.lists(
        st.builds(Line, quantity=quantities, unit_price=prices, discount_percent=discounts),
        min_size=1,
        max_size=10,
    ),
    st.decimals(min_value=0, max_value=50, places=2),
)
def test_document_discount_lowers_the_base_exactly(items: list[Line], pct: Decimal) -> None:
    for line in items:
        line.vat_rate = D(21)
    t = compute_totals(items, [AllowanceCharge(percent=pct, vat_rate=D(21))])
    base = sum((oracle_line_net(line) for line in items), Fraction(0))
    allowance = half_cent_away(base * exact(pct) / 100)
    assert t.allowance_total == money(allowance)
    assert t.tax_exclusive == money(base - allowance)
    assert t.vat_total == money(half_cent_away((base - allowance) * 21 / 100))


@given(st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2), rates)
def test_expense_vat_is_the_exact_share_rounded(amount: Decimal, rate: Decimal) -> None:
    vat = expense_vat(ExpenseLine(amount_incl=amount, vat_rate=rate))
    share = exact(amount) * exact(rate) / (100 + exact(rate))
    assert vat == money(half_cent_away(share))
    assert abs(exact(vat) - share) <= Fraction(1, 200)
    assert D(0) <= vat < amount or (vat == 0 == rate)


def test_expense_override_and_rejected_lines() -> None:
    lines_ = [
        ExpenseLine(amount_incl=Decimal("12.10"), vat_rate=Decimal(21)),
        ExpenseLine(
            amount_incl=Decimal("10.00"),
            vat_rate=Decimal(21),
            vat_amount_override=Decimal("1.00"),
            rejection_reason="No receipt",
        ),
    ]
    t = expense_totals(lines_)
    assert t.total_incl == Decimal("22.10") and t.total_vat == Decimal("3.10")
    assert t.accepted_incl == Decimal("12.10")


def test_parse_amounts_typed_by_people() -> None:
    assert parse_decimal_text("1 234,50 €") == Decimal("1234.50")
    assert parse_decimal_text("€ 1.234,50") == Decimal("1234.50")
    assert parse_decimal_text("1,234.50") == Decimal("1234.50")
    assert to_decimal("12") == Decimal(12)
    for bad in ("", "abc", "1,2,3"):
        try:
            parse_decimal_text(bad)
        except ValueError as exc:
            assert str(exc)
        else:
            raise AssertionError(f"{bad!r} accepted")
    try:
        to_decimal(1.5)
    except ValueError as exc:
        assert "float" in str(exc)
    else:
        raise AssertionError("float accepted")
