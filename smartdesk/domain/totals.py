"""Document totals following EN 16931.

- line net amount (BT-131) = round2(qty x price) - round2(discount), 2 decimals; the unit price
  keeps up to 4 decimals and is multiplied exactly before that one rounding;
- document allowances (BG-20) and charges (BG-21), each with its own VAT category and rate: a fixed
  amount, or a percentage of its *line base*, the sum of the line nets of the same VAT category and
  rate (never of other allowances or charges, so two 10 % discounts are 10 % + 10 %); each amount is
  rounded once to the cent and is the amount printed;
- VAT base per category/rate (BT-116) = its line nets + its charges - its allowances, VAT (BT-117)
  computed once on that base, not per line;
- totals BT-106 .. BT-115 as an invoice prints them, all sums of the rows above.

Categories other than "S" have a 0 % rate whatever rate an old body stored with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from smartdesk.domain.documents import AllowanceCharge, Document, ExpenseLine, Line
from smartdesk.domain.money import HUNDRED, ZERO, round2
from smartdesk.domain.vat import VatCategory


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal  # qty x price, rounded
    discount: Decimal
    net: Decimal


@dataclass(frozen=True)
class VatBreakdown:
    category: VatCategory
    rate: Decimal
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117


@dataclass(frozen=True)
class AllowanceAmount:
    """One document-level allowance or charge as it is printed and written to an e-invoice."""

    is_charge: bool
    category: VatCategory
    rate: Decimal  # 0 for categories other than S
    percent: Decimal | None
    base: Decimal | None  # BT-93 / BT-100: the line base a percentage applies to
    amount: Decimal  # BT-92 / BT-99, 2 decimals, positive for a normal discount or charge


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineAmounts, ...]
    line_total: Decimal  # BT-106 sum of line net amounts
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    vat_breakdown: tuple[VatBreakdown, ...]
    vat_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    paid: Decimal  # BT-113
    due: Decimal  # BT-115
    allowance_rows: tuple[AllowanceAmount, ...] = ()  # in the document's order


def line_amounts(line: Line) -> LineAmounts:
    gross = round2(line.quantity * line.unit_price)
    discount = round2(gross * line.discount_percent / HUNDRED) if line.discount_percent else ZERO
    return LineAmounts(gross=gross, discount=discount, net=gross - discount)


def allowance_amount(ac: AllowanceCharge, base: Decimal) -> Decimal:
    """The amount of one allowance/charge; ``base`` is its line base (used for a percentage only)."""
    if ac.percent is not None:
        return round2(base * ac.percent / HUNDRED)
    return round2(ac.amount)


def vat_key(category: VatCategory, rate: Decimal) -> tuple[VatCategory, Decimal]:
    """The VAT group a line or an allowance belongs to: only "S" has a rate other than 0."""
    return (category, Decimal(0) if category.zero_rate else rate.normalize())


def compute_totals(
    lines: Iterable[Line], allowances: Iterable[AllowanceCharge] = (), paid: Decimal = ZERO
) -> Totals:
    lines = list(lines)
    amounts = tuple(line_amounts(line) for line in lines)
    line_bases: dict[tuple[VatCategory, Decimal], Decimal] = {}
    for line, amount in zip(lines, amounts, strict=True):
        key = vat_key(line.vat_category, line.vat_rate)
        line_bases[key] = line_bases.get(key, ZERO) + amount.net
    line_total = sum((a.net for a in amounts), ZERO)
    bases = dict(line_bases)
    rows: list[AllowanceAmount] = []
    allowance_total = charge_total = ZERO
    for ac in allowances:
        key = vat_key(ac.vat_category, ac.vat_rate)
        base = line_bases.get(key, ZERO) if ac.percent is not None else None
        value = allowance_amount(ac, base if base is not None else ZERO)
        rows.append(
            AllowanceAmount(
                is_charge=ac.is_charge,
                category=key[0],
                rate=Decimal(0) if key[0].zero_rate else ac.vat_rate,
                percent=ac.percent,
                base=base,
                amount=value,
            )
        )
        if ac.is_charge:
            charge_total += value
            bases[key] = bases.get(key, ZERO) + value
        else:
            allowance_total += value
            bases[key] = bases.get(key, ZERO) - value
    breakdown = tuple(
        VatBreakdown(
            category=cat,
            rate=rate,
            taxable=base,
            tax=ZERO if cat.zero_rate else round2(base * rate / HUNDRED),
        )
        for (cat, rate), base in sorted(
            bases.items(), key=lambda kv: (kv[0][0] != VatCategory.STANDARD, -kv[0][1], kv[0][0].value)
        )
    )
    tax_exclusive = line_total - allowance_total + charge_total
    vat_total = sum((b.tax for b in breakdown), ZERO)
    tax_inclusive = tax_exclusive + vat_total
    return Totals(
        lines=amounts,
        line_total=line_total,
        allowance_total=allowance_total,
        charge_total=charge_total,
        tax_exclusive=tax_exclusive,
        vat_breakdown=breakdown,
        vat_total=vat_total,
        tax_inclusive=tax_inclusive,
        paid=paid,
        due=tax_inclusive - paid,
        allowance_rows=tuple(rows),
    )


# --- expense notes: amounts include VAT ----------------------------------------------------------


def expense_vat(line: ExpenseLine) -> Decimal:
    """VAT contained in an amount including VAT, unless the member typed it from the receipt."""
    if line.vat_amount_override is not None:
        return round2(line.vat_amount_override)
    if not line.vat_rate:
        return ZERO
    return round2(line.amount_incl * line.vat_rate / (HUNDRED + line.vat_rate))


@dataclass(frozen=True)
class ExpenseTotals:
    total_incl: Decimal
    total_vat: Decimal
    total_excl: Decimal
    accepted_incl: Decimal  # without lines the advisor rejected


def expense_totals(lines: Iterable[ExpenseLine]) -> ExpenseTotals:
    total = vat = accepted = ZERO
    for line in lines:
        amount = round2(line.amount_incl)
        total += amount
        vat += expense_vat(line)
        if not line.rejection_reason:
            accepted += amount
    return ExpenseTotals(total_incl=total, total_vat=vat, total_excl=total - vat, accepted_incl=accepted)


def document_total(doc: Document) -> Decimal:
    """The amount including VAT a list shows for any kind of document."""
    if doc.is_expense:
        return expense_totals(doc.expense_lines).total_incl
    return compute_totals(doc.lines, doc.allowances, doc.paid_amount).tax_inclusive


def document_totals(doc: Document) -> Totals:
    return compute_totals(doc.lines, doc.allowances, doc.paid_amount)
