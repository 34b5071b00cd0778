"""Document totals following EN 16931.

- line net amount (BT-131) = round2(qty x price) - round2(discount), 2 decimals;
- document allowances/charges per VAT category and rate;
- VAT per category/rate computed once on the sum of its bases (BT-116/BT-117), not per line;
- totals BT-106 .. BT-115 as an invoice prints them.
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


def line_amounts(line: Line) -> LineAmounts:
    gross = round2(line.quantity * line.unit_price)
    discount = round2(gross * line.discount_percent / HUNDRED) if line.discount_percent else ZERO
    return LineAmounts(gross=gross, discount=discount, net=gross - discount)


def allowance_amount(ac: AllowanceCharge, base: Decimal) -> Decimal:
    if ac.percent is not None:
        return round2(base * ac.percent / HUNDRED)
    return round2(ac.amount)


def _key(category: VatCategory, rate: Decimal) -> tuple[VatCategory, Decimal]:
    return (category, Decimal(0) if category.zero_rate else rate.normalize())


def compute_totals(
    lines: Iterable[Line], allowances: Iterable[AllowanceCharge] = (), paid: Decimal = ZERO
) -> Totals:
    lines = list(lines)
    amounts = tuple(line_amounts(line) for line in lines)
    bases: dict[tuple[VatCategory, Decimal], Decimal] = {}
    for line, amount in zip(lines, amounts, strict=True):
        key = _key(line.vat_category, line.vat_rate)
        bases[key] = bases.get(key, ZERO) + amount.net
    line_total = sum((a.net for a in amounts), ZERO)
    allowance_total = charge_total = ZERO
    for ac in allowances:
        key = _key(ac.vat_category, ac.vat_rate)
        group_base = bases.get(key, ZERO)
        value = allowance_amount(ac, group_base if ac.percent is not None else line_total)
        if ac.is_charge:
            charge_total += value
            bases[key] = group_base + value
        else:
            allowance_total += value
            bases[key] = group_base - value
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
