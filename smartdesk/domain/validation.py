"""Document and client validation: every problem at once, each with its field and a plain message.

Drafts may be incomplete: ``validate_document(..., for_submit=False)`` reports only what is wrong
(a bad VAT number, a negative quantity), ``for_submit=True`` also what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from smartdesk.domain import identifiers
from smartdesk.domain.documents import LANGUAGES, Client, CooperativeEntity, Document, DocumentKind
from smartdesk.domain.money import QTY_STEP, decimal_places, is_currency
from smartdesk.domain.units import is_unit
from smartdesk.domain.vat import VatCategory, in_eu, is_rate_valid
from smartdesk.errors import Problem

# code -> English template; the FR and NL wording is in smartdesk/i18n/locale/{fr,nl}/LC_MESSAGES/ui.po
MESSAGES: dict[str, str] = {
    "required.client": "Choose the client this document is for.",
    "required.activity": "Choose the activity this document belongs to.",
    "required.issue_date": "Give the date of the document.",
    "required.lines": "Add at least one line with what you sell.",
    "required.description": "Describe what this line is for.",
    "required.expense_lines": "Add at least one expense.",
    "required.receipt": "Attach the receipt of this expense (a photo or a PDF).",
    "required.supplier": "Say where you bought it (the shop or supplier).",
    "required.expense_date": "Give the date on the receipt.",
    "required.credit_target": "Choose the invoice this credit note corrects.",
    "required.client_name": "Give the client's name.",
    "required.client_country": "Choose the client's country.",
    "required.client_vat": "A business client in {country} needs a VAT number for this document: ask the client for it.",
    "required.client_address": "An invoice must carry the client's address: add the street, postcode and city of {name} (Clients page, or “New client…”).",
    "vat.checksum": "Client VAT number {value}: the check digits do not match. Check the number on the client's letterhead.",
    "vat.format": "Client VAT number {value}: this is not how a VAT number is written (two letters, then digits). Check it on the client's letterhead.",
    "vat.country": "Client VAT number {value}: “{prefix}” is not the code of an EU country.",
    "vat.country_mismatch": "Client VAT number {value} is from {prefix} but the client's address is in {country}: check both.",
    "enterprise.checksum": "Enterprise number {value}: the check digits do not match. Check it in the company register.",
    "enterprise.format": "Enterprise number {value} is not complete or has wrong characters. Check it in the company register.",
    "enterprise.country": "Enterprise number {value} is not valid.",
    "email.format": "Email address {value} looks wrong: it needs a name, an @ and a domain.",
    "language.unknown": "Documents can be written in French, Dutch, English, German, Spanish or Italian only.",
    "currency.unknown": "{value} is not a currency code (use three letters, such as EUR).",
    "quantity.zero": "Line {n}: the quantity is zero. Type how many hours, days or items you sell.",
    "quantity.negative": "Line {n}: a quantity cannot be negative here. To refund, make a credit note.",
    "quantity.precision": "Line {n}: a quantity has at most 3 decimals.",
    "price.negative": "Line {n}: a unit price cannot be negative. Use a discount or a credit note instead.",
    "price.precision": "Line {n}: a unit price has at most 4 decimals.",
    "unit.unknown": "Line {n}: “{value}” is not a unit SmartDesk knows.",
    "discount.range": "Line {n}: a discount is between 0 and 100 %.",
    "vat_rate.invalid": "Line {n}: {rate} % is not a VAT rate in {country} on {date}. Choose one of {rates}.",
    "vat_rate.must_be_zero": "Line {n}: with “{category}” no VAT is charged, so the rate must be 0 %.",
    "vat_category.reverse_charge_domestic": "Line {n}: reverse charge applies only to a business client in another EU country.",
    "vat_category.export_eu": "Line {n}: “export” is for clients outside the EU; this client is in the EU.",
    "due_date.before_issue": "The due date is before the date of the document.",
    "amount.negative": "Expense {n}: the amount cannot be negative.",
    "amount.zero": "Expense {n}: the amount is zero. Type the total shown on the receipt.",
    "expense_vat.too_high": "Expense {n}: the VAT ({vat}) is more than the amount ({amount}).",
    "total.negative": "The total is negative. Lower the discount, or make a credit note to refund.",
    "iban.checksum": "IBAN {value}: the check digits do not match. Copy it again from the bank statement.",
    "iban.format": "IBAN {value} is not complete or has wrong characters.",
    # --- issue 13 (branch legal): credit notes, French mentions, printable characters
    "credit.unknown_invoice": "The invoice {number} this credit note corrects is not among your invoices. Choose it again from the list.",
    "credit.not_an_invoice": "A credit note corrects an invoice: the document chosen is not an invoice.",
    "credit.not_validated": "Invoice {number} is not validated by the cooperative yet (or it is cancelled): only a validated invoice can be credited. Change the draft invoice instead.",
    "credit.other_entity": "Invoice {number} was issued by another entity of the cooperative: a credit note is issued by the same entity as its invoice.",
    "credit.other_client": "Invoice {number} is for another client: a credit note is for the client of the invoice it corrects.",
    "credit.too_much": "This credit note ({amount}) is more than what is left to credit on invoice {number} ({left} of {total}). Lower the amounts.",
    "required.client_siren": "A French business client needs its SIREN (9 digits) on the document: ask the client for it, or type its SIRET.",
    "required.supply_type": "Say whether this document is for goods, services or both (a French mandatory mention).",
    "text.unprintable": "{where}: the characters {chars} cannot be printed with the document font. Write them in Latin, Greek or Cyrillic letters.",
    "allowance.amount_negative": "Discount or charge {n}: the amount cannot be negative. Choose “discount” to lower the total, “charge” to add to it.",
    "allowance.empty": "Discount or charge {n} is zero: type an amount or a percentage, or remove it.",
    "allowance.percent_range": "Discount or charge {n}: a percentage is between 0 and 100 %.",
    "allowance.percent_precision": "Discount or charge {n}: a percentage has at most 2 decimals.",
    "allowance.amount_precision": "Discount or charge {n}: an amount has at most 2 decimals (cents).",
    "allowance.must_be_zero": "Discount or charge {n}: its VAT category charges no VAT, so its rate must be 0 %.",
    "allowance.vat_rate_invalid": "Discount or charge {n}: {rate} % is not a VAT rate in {country} on {date}. Choose one of {rates}.",
    "allowance.category_unused": "Discount or charge {n} has a VAT category that no line of this document has. Give it the VAT of the lines it concerns.",
    "allowance.no_lines_at_vat": "Discount or charge {n} is on the lines at VAT {vat}, but no line has that VAT. Give it the VAT of the lines it concerns.",
    "vat_base.negative": "The amount subject to VAT {vat} would be {base}: the discounts at this VAT are larger than the lines they lower. Lower those discounts, or give each one the VAT of the lines it lowers.",
}


def problem(field: str, code: str, **params: Any) -> Problem:
    template = MESSAGES[code]
    return Problem(
        field=field,
        code=code,
        message=template.format(**params),
        params=tuple(sorted((k, str(v)) for k, v in params.items())),
    )


def _client_problems(client: Client, prefix: str = "") -> list[Problem]:
    out: list[Problem] = []
    if client.vat_number.strip():
        reason = identifiers.check_vat(client.vat_number)
        value = client.vat_number.strip()
        if reason == "country":
            out.append(problem(f"{prefix}vat_number", "vat.country", value=value, prefix=value[:2].upper()))
        elif reason:
            out.append(problem(f"{prefix}vat_number", f"vat.{reason}", value=value))
        else:
            country = identifiers.vat_country(value)
            if client.address.country and country != client.address.country.upper():
                out.append(
                    problem(
                        f"{prefix}vat_number",
                        "vat.country_mismatch",
                        value=value,
                        prefix=country,
                        country=client.address.country,
                    )
                )
    if client.enterprise_number.strip() and client.address.country in ("BE", "FR"):
        reason = identifiers.check_enterprise_number(client.enterprise_number, client.address.country)
        if reason:
            out.append(
                problem(
                    f"{prefix}enterprise_number",
                    f"enterprise.{reason}",
                    value=client.enterprise_number.strip(),
                )
            )
    if client.email.strip() and not _looks_like_email(client.email):
        out.append(problem(f"{prefix}email", "email.format", value=client.email.strip()))
    if client.language not in LANGUAGES:
        out.append(problem(f"{prefix}language", "language.unknown"))
    return out


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.strip().partition("@")
    return bool(local) and "." in domain and " " not in text.strip()


def validate_client(client: Client, for_document: bool = False) -> list[Problem]:
    """Problems of a client record. ``for_document``: also what a B2B document needs."""
    out: list[Problem] = []
    if not client.name.strip():
        out.append(problem("name", "required.client_name"))
    if not client.address.country:
        out.append(problem("address.country", "required.client_country"))
    out.extend(_client_problems(client))
    if (
        for_document
        and client.is_business
        and in_eu(client.address.country)
        and not client.vat_number.strip()
    ):
        out.append(problem("vat_number", "required.client_vat", country=client.address.country))
    return out


def validate_document(
    doc: Document,
    *,
    client: Client | None = None,
    entity: CooperativeEntity | None = None,
    for_submit: bool = False,
) -> list[Problem]:
    out: list[Problem] = []
    add: Callable[..., None] = lambda field, code, **kw: out.append(problem(field, code, **kw))  # noqa: E731
    issuer_country = entity.country if entity else doc.entity

    if doc.language not in LANGUAGES:
        add("language", "language.unknown")
    if not is_currency(doc.currency):
        add("currency", "currency.unknown", value=doc.currency)
    if doc.issue_date and doc.due_date and doc.due_date < doc.issue_date:
        add("due_date", "due_date.before_issue")

    if doc.is_expense:
        _validate_expense(doc, add, for_submit)
        return out

    if for_submit:
        if not doc.client_id:
            add("client_id", "required.client")
        if not doc.activity_id:
            add("activity_id", "required.activity")
        if not doc.lines:
            add("lines", "required.lines")
        if doc.kind is DocumentKind.CREDIT_NOTE and not (doc.corrects_id or doc.corrects_number):
            add("corrects_id", "required.credit_target")
    if client is not None:
        out.extend(_client_problems(client, prefix="client."))
        reverse = any(line.vat_category is VatCategory.REVERSE_CHARGE for line in doc.lines)
        if (
            for_submit
            and client.is_business
            and in_eu(client.address.country)
            and not client.vat_number.strip()
            and (reverse or client.address.country == issuer_country)
        ):
            add("client.vat_number", "required.client_vat", country=client.address.country)
        a = client.address
        if (
            for_submit
            and doc.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
            and not (a.street.strip() and a.postcode.strip() and a.city.strip())
        ):
            add("client.address", "required.client_address", name=client.name)

    if for_submit and issuer_country == "FR" and doc.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE):
        # French mandatory mentions (from 1 September 2026): goods / services / both, the client's SIREN
        if not doc.supply_type:
            add("supply_type", "required.supply_type")
        if (
            client is not None
            and client.is_business
            and client.address.country == "FR"
            and not identifiers.siren_of(client.vat_number, client.enterprise_number)
        ):
            add("client.enterprise_number", "required.client_siren")

    from smartdesk.domain.printable import document_texts, unprintable

    for field_name, where, value in document_texts(doc, client):
        chars = unprintable(value)
        if chars:
            add(field_name, "text.unprintable", where=where, chars=" ".join(chars))

    rate_day = doc.issue_date
    for n, line in enumerate(doc.lines, start=1):
        field = f"lines[{n - 1}]"
        if for_submit and not line.description.strip():
            add(f"{field}.description", "required.description")
        if line.quantity == 0 and for_submit:
            add(f"{field}.quantity", "quantity.zero", n=n)
        elif line.quantity < 0:
            add(f"{field}.quantity", "quantity.negative", n=n)
        if line.quantity != line.quantity.quantize(QTY_STEP):
            add(f"{field}.quantity", "quantity.precision", n=n)
        if line.unit_price < 0:
            add(f"{field}.unit_price", "price.negative", n=n)
        if decimal_places(line.unit_price) > 4:
            add(f"{field}.unit_price", "price.precision", n=n)
        if not is_unit(line.unit):
            add(f"{field}.unit", "unit.unknown", n=n, value=line.unit)
        if not Decimal(0) <= line.discount_percent <= Decimal(100):
            add(f"{field}.discount_percent", "discount.range", n=n)
        if line.vat_category.zero_rate:
            if line.vat_rate != 0:
                add(
                    f"{field}.vat_rate",
                    "vat_rate.must_be_zero",
                    n=n,
                    category=line.vat_category.name.replace("_", " ").lower(),
                )
        elif not is_rate_valid(issuer_country, line.vat_rate, rate_day):
            _add_invalid_rate(
                add, f"{field}.vat_rate", "vat_rate.invalid", n, line.vat_rate, issuer_country, rate_day
            )
        if client is not None:
            client_country = client.address.country
            if line.vat_category is VatCategory.REVERSE_CHARGE and (
                client_country == issuer_country or not in_eu(client_country) or not client.is_business
            ):
                add(f"{field}.vat_category", "vat_category.reverse_charge_domestic", n=n)
            if line.vat_category is VatCategory.EXPORT and in_eu(client_country):
                add(f"{field}.vat_category", "vat_category.export_eu", n=n)

    _validate_allowances(doc, add, issuer_country, for_submit)
    return out


def _add_invalid_rate(
    add: Callable[..., None], field: str, code: str, n: int, rate: Decimal, country: str, day: date | None
) -> None:
    """Line or allowance ``n`` has a VAT rate the country does not have on that day: say which it has."""
    from smartdesk.domain.vat import rates_for  # local: avoid a cycle at import time

    add(
        field,
        code,
        n=n,
        rate=rate.normalize(),
        country=country,
        date=(day.isoformat() if day else "today"),
        rates=", ".join(f"{r.normalize()} %" for r in rates_for(country, day)),
    )


def _vat_label(category: VatCategory, rate: Decimal) -> str:
    """ "21 %" for a standard rate, "0 % (AE)" for a category that charges no VAT."""
    if category is VatCategory.STANDARD:
        return f"{rate.normalize():f} %"
    return f"0 % ({category.value})"


def _validate_allowances(
    doc: Document, add: Callable[..., None], issuer_country: str, for_submit: bool
) -> None:
    """Document-level allowances and charges (EN 16931 BG-20/BG-21), then the VAT bases they make."""
    from smartdesk.domain.totals import document_totals, vat_key

    line_keys = {vat_key(line.vat_category, line.vat_rate) for line in doc.lines}
    line_categories = {line.vat_category for line in doc.lines}
    for n, ac in enumerate(doc.allowances, start=1):
        field = f"allowances[{n - 1}]"
        if ac.percent is not None:
            if not Decimal(0) <= ac.percent <= Decimal(100):
                add(f"{field}.percent", "allowance.percent_range", n=n)
            elif decimal_places(ac.percent) > 2:
                add(f"{field}.percent", "allowance.percent_precision", n=n)
            elif for_submit and ac.percent == 0:
                add(f"{field}.percent", "allowance.empty", n=n)
        else:
            if ac.amount < 0:
                add(f"{field}.amount", "allowance.amount_negative", n=n)
            elif decimal_places(ac.amount) > 2:
                add(f"{field}.amount", "allowance.amount_precision", n=n)
            elif for_submit and ac.amount == 0:
                add(f"{field}.amount", "allowance.empty", n=n)
        if ac.vat_category.zero_rate:
            if ac.vat_rate != 0:
                add(f"{field}.vat_rate", "allowance.must_be_zero", n=n)
        elif not is_rate_valid(issuer_country, ac.vat_rate, doc.issue_date):
            _add_invalid_rate(
                add,
                f"{field}.vat_rate",
                "allowance.vat_rate_invalid",
                n,
                ac.vat_rate,
                issuer_country,
                doc.issue_date,
            )
        if not doc.lines:
            continue
        if ac.vat_category not in line_categories:
            add(f"{field}.vat_category", "allowance.category_unused", n=n)
        elif (ac.percent is not None or not ac.is_charge) and vat_key(
            ac.vat_category, ac.vat_rate
        ) not in line_keys:
            # a discount lowers lines, and a percentage is of lines: both need lines at that VAT
            add(
                f"{field}.vat_rate",
                "allowance.no_lines_at_vat",
                n=n,
                vat=_vat_label(ac.vat_category, ac.vat_rate),
            )
    if not doc.lines:
        return
    totals = document_totals(doc)
    negative = [b for b in totals.vat_breakdown if b.taxable < 0]
    for b in negative:
        add("allowances", "vat_base.negative", vat=_vat_label(b.category, b.rate), base=f"{b.taxable:f}")
    if not negative and totals.tax_inclusive < 0:
        add("allowances", "total.negative")


def _validate_expense(doc: Document, add: Callable[..., None], for_submit: bool) -> None:
    from smartdesk.domain.totals import expense_vat

    if for_submit and not doc.expense_lines:
        add("expense_lines", "required.expense_lines")
    for n, line in enumerate(doc.expense_lines, start=1):
        field = f"expense_lines[{n - 1}]"
        if line.amount_incl < 0:
            add(f"{field}.amount_incl", "amount.negative", n=n)
        elif for_submit and line.amount_incl == 0:
            add(f"{field}.amount_incl", "amount.zero", n=n)
        vat = expense_vat(line)
        if line.amount_incl >= 0 and vat > line.amount_incl:
            add(f"{field}.vat_amount_override", "expense_vat.too_high", n=n, vat=vat, amount=line.amount_incl)
        if for_submit:
            if not line.receipts:
                add(f"{field}.receipts", "required.receipt")
            if not line.supplier.strip():
                add(f"{field}.supplier", "required.supplier")
            if line.date is None:
                add(f"{field}.date", "required.expense_date")
            if not (line.activity_id or doc.activity_id):
                add(f"{field}.activity_id", "required.activity")
