"""How a document-level allowance (discount) or charge is labelled in the totals table.

The label says what the amount is computed from, so a client can check it: "Discount 10 % of
1 280,00 € – Loyalty (VAT 20 %)". The VAT of the row is named when the document has more than one
VAT group (with a single group it is the VAT of every row).
"""

from __future__ import annotations

from collections.abc import Mapping

from smartdesk.domain.totals import AllowanceAmount
from smartdesk.domain.vat import VatCategory
from smartdesk.pdf.formatting import Formatter

NBSP = "\u00a0"


def allowance_label(
    cat: Mapping[str, str], fmt: Formatter, reason: str, row: AllowanceAmount, name_vat: bool
) -> str:
    label = cat["charge"] if row.is_charge else cat["allowance"]
    if row.percent is not None and row.base is not None:
        what = cat["ac.percent_of"].format(percent=fmt.percent(row.percent), base=fmt.money(row.base))
        label += " " + what.replace(" ", NBSP)  # "10 % of 1 280,00 €" never split over two lines
    if reason.strip():
        label += f" – {reason.strip()}"
    if name_vat:
        if row.category is VatCategory.STANDARD:
            vat = cat["ac.vat"].format(rate=fmt.percent(row.rate))
        else:
            vat = cat[f"vat_cat.{row.category.value}"]
        label += f" ({vat.replace(' ', NBSP)})"
    return label
