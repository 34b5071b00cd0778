"""The document texts in English, each with its key: the source of the "documents" gettext domain.

``D_(key, english)`` marks a text for the extraction (Babel: the key is the message context); the
translations are in ``locale/<lang>/LC_MESSAGES/documents.po``. Placeholders use ``str.format`` names
(``{number}``, ``{date}``...) and must be the same in every language. Add a text here, then run
``python -m smartdesk.i18n.extract`` (docs/translations.md).
"""

from __future__ import annotations


def D_(key: str, english: str) -> tuple[str, str]:  # noqa: N802 - gettext marker, like N_
    return key, english


ENGLISH: dict[str, str] = dict(
    (
        D_("title.quote", "Quote"),
        D_("title.invoice", "Invoice"),
        D_("title.credit-note", "Credit note"),
        D_("title.expense-note", "Expense note"),
        D_("draft", "Draft"),
        D_("watermark", "DRAFT"),
        D_(
            "provisional_identity",
            "Provisional cooperative details: they are confirmed when SmartDesk first syncs.",
        ),
        D_("number", "Number"),
        D_("issue_date", "Date"),
        D_("due_date", "Due date"),
        D_("valid_until", "Valid until"),
        D_("delivery_date", "Date of supply"),
        D_("your_reference", "Your reference"),
        D_("corrects_invoice", "Corrected invoice"),
        D_("client", "Client"),
        D_("vat_number", "VAT number"),
        D_("enterprise_number", "Company number"),
        D_("activity", "Activity"),
        D_("member", "Member"),
        D_("page", "Page {page} / {pages}"),
        D_("col.description", "Description"),
        D_("col.quantity", "Quantity"),
        D_("col.unit", "Unit"),
        D_("col.unit_price", "Unit price excl. VAT"),
        D_("col.vat", "VAT"),
        D_("col.discount", "Discount"),
        D_("col.amount", "Amount excl. VAT"),
        D_("col.date", "Date"),
        D_("col.supplier", "Supplier"),
        D_("col.category", "Category"),
        D_("col.vat_amount", "incl. VAT"),
        D_("col.amount_incl", "Amount incl. VAT"),
        D_("col.line", "Line"),
        D_("subtotal", "Subtotal excl. VAT"),
        D_("allowance", "Discount"),
        D_("charge", "Surcharge"),
        D_("ac.percent_of", "{percent} of {base}"),
        D_("ac.vat", "VAT {rate}"),
        D_("vat_on", "VAT {rate} on {base}"),
        D_("vat_cat_on", "{category} – base {base}"),
        D_("vat_cat.AE", "Reverse charge"),
        D_("vat_cat.K", "Intra-Community supply"),
        D_("vat_cat.G", "Export"),
        D_("vat_cat.E", "Exempt"),
        D_("vat_cat.O", "Outside the scope of VAT"),
        D_("vat_cat.Z", "Zero rate"),
        D_("total_excl", "Total excl. VAT"),
        D_("total_vat", "Total VAT"),
        D_("total_incl", "Total incl. VAT"),
        D_("paid", "Already paid"),
        D_("amount_due", "Amount due"),
        D_("credit_total", "Total credited"),
        D_("quote.deposit", "Deposit of {percent} % on quote {quote}"),
        D_("quote.already_invoiced", "Already invoiced on quote {quote}"),
        D_("carried_forward", "Carried forward"),
        D_("brought_forward", "Brought forward"),
        D_("payment", "Payment"),
        D_("beneficiary", "Beneficiary"),
        D_("iban", "IBAN"),
        D_("bic", "BIC"),
        D_("structured_communication", "Structured communication"),
        D_("payment_reference", "Payment reference"),
        D_("scan_to_pay", "Scan to pay"),
        D_("payment_terms", "Payment within {days} days of the invoice date."),
        D_("pay_by", "Please pay {amount} by {date}."),
        D_("pay_on_receipt", "Payable on receipt."),
        D_(
            "draft_payment",
            "The payment reference and the scan-to-pay code are added when the cooperative "
            "validates the invoice.",
        ),
        D_("issued_by", "Issued by {cooperative} on behalf of the activity “{activity}”"),
        D_("issued_by_member", "Issued by {cooperative} on behalf of its member {member}"),
        D_("quote_valid", "This quote is valid until {date}."),
        D_("quote_accept", "Approved (date and signature):"),
        D_(
            "legal.reverse_charge",
            "Reverse charge – VAT to be accounted for by the customer (art. 196 Directive 2006/112/EC).",
        ),
        D_("legal.intra_eu", "VAT-exempt intra-Community supply (art. 138 Directive 2006/112/EC)."),
        D_(
            "legal.export",
            "Export outside the European Union – exempt from VAT (art. 146 Directive 2006/112/EC).",
        ),
        D_("legal.exempt", "Exempt from VAT."),
        D_("legal.out_of_scope", "Transaction outside the scope of VAT."),
        D_("legal.zero", "Zero-rated for VAT."),
        D_(
            "legal.fr_penalties",
            "Late payment incurs penalties at an annual rate of {rate} and a fixed recovery "
            "indemnity of {indemnity} (art. L441-10 French Commercial Code).",
        ),
        D_("legal.fr_no_discount", "No discount for early payment."),
        D_("legal.be_credit_vat", "VAT to be repaid to the State insofar as it was initially deducted."),
        D_("legal.credit_corrects", "This credit note corrects invoice {number}."),
        # --- issue 13 (branch legal): legal bases, credit notes, France, affiliation; kept together
        D_(
            "legal.outside_eu_services",
            "Services to a business outside the European Union – outside the scope of VAT "
            "(art. 44 Directive 2006/112/EC).",
        ),
        D_(
            "legal.outside_eu_services.BE",
            "Services to a business outside the European Union – outside the scope of Belgian VAT "
            "(art. 21 §2 Belgian VAT Code; art. 44 Directive 2006/112/EC).",
        ),
        D_(
            "legal.outside_eu_services.FR",
            "Services to a business outside the European Union – outside the scope of French VAT "
            "(art. 259-1 French Tax Code; art. 44 Directive 2006/112/EC).",
        ),
        D_("legal.credit_corrects_dated", "This credit note corrects invoice {number} of {date}."),
        D_("corrects_invoice_date", "Invoice date"),
        D_("credited", "Credited (credit notes)"),
        D_("siren", "SIREN"),
        D_("delivery_address", "Delivery address: {address}"),
        D_("supply_type", "Supply of"),
        D_("supply.goods", "Goods"),
        D_("supply.services", "Services"),
        D_("supply.both", "Goods and services"),
        # French-entity documents: HT / TTC wording instead of the Belgian HTVA / TVAC (the "ht." texts
        # replace the plain ones on documents the French entity issues; same English, other languages
        # may use the French entity's usual wording)
        D_("ht.col.unit_price", "Unit price excl. VAT"),
        D_("ht.col.amount", "Amount excl. VAT"),
        D_("ht.subtotal", "Subtotal excl. VAT"),
        D_("ht.total_excl", "Total excl. VAT"),
        D_("ht.total_incl", "Total incl. VAT"),
        D_("paid_with.own", "paid personally"),
        D_("paid_with.coop", "cooperative card"),
        D_("col.paid_with", "Paid with"),
        D_("receipt_for", "Receipt – line {line}: {supplier}, {date}, {amount}"),
        D_("receipt_count", "Receipt {index} of {count}"),
        D_("rejected", "Rejected: {reason}"),
        D_("total_accepted", "Accepted total"),
        D_("reimbursement", "Amount to reimburse"),
        D_("unit.HUR", "hour"),
        D_("unit.DAY", "day"),
        D_("unit.WEE", "week"),
        D_("unit.MON", "month"),
        D_("unit.MIN", "minute"),
        D_("unit.H87", "piece"),
        D_("unit.C62", "unit"),
        D_("unit.E48", "service"),
        D_("unit.LS", "lump sum"),
        D_("unit.KMT", "km"),
        D_("unit.MTR", "metre"),
        D_("unit.MTK", "m²"),
        D_("unit.KGM", "kg"),
        D_("unit.LTR", "litre"),
        D_("unit.SET", "set"),
        D_("unit.PR", "pair"),
    )
)

# The built-in expense categories (smartdesk/domain/data/expense_categories.json, whose English labels
# these are: a test keeps them equal), for the document languages the category lists do not carry.
CATEGORY_PREFIX = "category."
CATEGORIES: dict[str, str] = dict(
    (
        D_("category.travel_public", "Train and public transport"),
        D_("category.travel_car_km", "Car (kilometres)"),
        D_("category.fuel", "Fuel"),
        D_("category.parking_tolls", "Parking and tolls"),
        D_("category.taxi", "Taxi"),
        D_("category.flights", "Flights"),
        D_("category.accommodation", "Hotel and lodging"),
        D_("category.meals", "Meals and restaurants"),
        D_("category.small_equipment", "Small equipment"),
        D_("category.software", "Software and subscriptions"),
        D_("category.phone_internet", "Phone and internet"),
        D_("category.hosting", "Web hosting and domain names"),
        D_("category.office_supplies", "Office supplies"),
        D_("category.postage", "Postage"),
        D_("category.documentation", "Books and documentation"),
        D_("category.training", "Training"),
        D_("category.workspace", "Coworking and room hire"),
        D_("category.advertising", "Advertising and printing"),
        D_("category.fees", "Bank charges and commissions"),
        D_("category.other", "Other"),
    )
)
ENGLISH.update(CATEGORIES)
