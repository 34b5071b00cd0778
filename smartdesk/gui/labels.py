"""Labels and constants shared by the screens: kind names, languages, countries, currencies.

Light and free of Qt widgets, so any screen imports it without pulling another screen (this module
is what breaks the old import cycle among the gui modules)."""

from __future__ import annotations

from smartdesk.domain.documents import DocumentKind
from smartdesk.i18n.ui import N_

# The capitalised name of a kind, as a label or title (inside a sentence: domain.lifecycle.kind_word).
KIND_NAMES: dict[DocumentKind, str] = {
    DocumentKind.QUOTE: N_("Quote"),
    DocumentKind.INVOICE: N_("Invoice"),
    DocumentKind.CREDIT_NOTE: N_("Credit note"),
    DocumentKind.EXPENSE_NOTE: N_("Expense note"),
}


LANGUAGE_NAMES = {
    "fr": N_("French"),
    "nl": N_("Dutch"),
    "en": N_("English"),
    "de": N_("German"),
    "es": N_("Spanish"),
    "it": N_("Italian"),
}


COUNTRIES = ("BE", "FR", "NL", "DE", "LU", "ES", "IT", "AT", "SE", "PT", "IE", "CH", "GB", "US")


CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK")


# The name of a list of documents of a kind (the navigation, the list pages' titles).
PLURALS = {
    DocumentKind.QUOTE: N_("Quotes"),
    DocumentKind.INVOICE: N_("Invoices"),
    DocumentKind.CREDIT_NOTE: N_("Credit notes"),
    DocumentKind.EXPENSE_NOTE: N_("Expense notes"),
}
