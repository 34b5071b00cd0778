"""Fields of a receipt or invoice from its text (plain strings in, :class:`ReceiptReading` out).

The rules cover Belgian, French and neighbouring receipts (FR, NL, DE, EN, ES, IT words). They are
tolerant of OCR mistakes (O for 0 in numbers, missing accents, a stray space before a decimal comma)
and give each field a confidence that the totals check raises or lowers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal

from smartdesk.receipts.reading.model import Field, ReceiptReading, T, VatLine
from smartdesk.receipts.reading.tokens import (
    CENT,
    find_amounts,
    find_dates,
    find_rates,
    find_vat_numbers,
    fold,
    spaced,
    split_lines,
)

_DATE_LABELS = ("date", "datum", "fecha", "data", "le ", "du ", "rechnungsdatum", "factuurdatum")
_NOT_THE_DATE = (
    "echeance",
    "vervaldag",
    "vervaldatum",
    "due",
    "falligkeit",
    "faellig",
    "valable",
    "geldig",
    "expir",
    "livraison",
    "levering",
    "naissance",
    "scadenza",
    "vencimiento",
)


# ------------------------------------------------------------------------------------------ keywords

_TOTAL_WORDS = (
    "total",
    "totaal",
    "summe",
    "gesamt",
    "totale",
    "a payer",
    "te betalen",
    "zu zahlen",
    "amount due",
    "net a payer",
    "montant ttc",
    "importe",
    "bedrag",
    "endbetrag",
    "te voldoen",
    "da pagare",
    "a pagar",
)
_NOT_TOTAL = (
    "sous-total",
    "sous total",
    "subtotal",
    "sub-total",
    "subtotaal",
    "zwischensumme",
    "subtotale",
    "total ht",
    "totaal excl",
    "excl",
    "hors tva",
    "netto",
    "net ht",
    "tva",
    "btw",
    "mwst",
    "ust",
    "iva",
    "vat",
    "tax",
    "points",
    "punten",
    "articles",
    "artikel",
    "items",
    "rendu",
    "wisselgeld",
    "ruckgeld",
    "change",
    "cambio",
    "remise",
    "korting",
    "rabatt",
    "sconto",
    "descuento",
)
_VAT_WORDS = ("tva", "btw", "mwst", "ust", "iva", "vat", "tax", "taxe", "tps")
_BASE_WORDS = ("ht", "excl", "base", "netto", "net", "maatstaf", "grondslag", "imponible", "imponibile")
_INCL_WORDS = ("ttc", "incl", "brutto", "totaal", "total")

_PAYMENT_METHODS: list[tuple[str, tuple[str, ...]]] = [
    ("mobile", ("payconiq", "apple pay", "google pay", "twint", "bizum", "satispay")),
    (
        "card",
        (
            "carte bancaire",
            "carte",
            "cb ",
            "cb:",
            "bancontact",
            "maestro",
            "visa",
            "mastercard",
            "debit",
            "credit card",
            "card",
            "kaart",
            "pinnen",
            "pin ",
            "girocard",
            "ec-karte",
            "ec karte",
            "karte",
            "tarjeta",
            "carta",
            "amex",
            "v pay",
            "contactless",
            "sans contact",
        ),
    ),
    (
        "cash",
        (
            "especes",
            "espece",
            "cash",
            "contant",
            "bar ",
            "bargeld",
            "barzahlung",
            "efectivo",
            "contanti",
            "liquide",
        ),
    ),
    (
        "bank_transfer",
        (
            "virement",
            "overschrijving",
            "uberweisung",
            "ueberweisung",
            "bank transfer",
            "transferencia",
            "bonifico",
        ),
    ),
    ("cheque", ("cheque", "check ")),
]

_NUMBER = re.compile(
    r"\b(?:ticket|kasticket|kassenbon|facture|factuur|rechnung|invoice|receipt|recu|bon|beleg|kassenbon|kasbon|quittung|"
    r"transaction|trans|transactie|numero|nummer|nr|no|n°|n o|n\.|num|fattura|factura|scontrino|ricevuta)"
    r"[\s.:#°ºo-]*(?:n[°ºo.]|nr\.?|no\.?|nummer|number|numero|#)?[\s.:#°º-]*"
    r"([A-Z0-9][A-Z0-9/_-]{1,24})",
    re.IGNORECASE,
)


# -------------------------------------------------------------------------------------------- fields


def _has(folded: str, words: Sequence[str]) -> bool:
    """A keyword at the start of a word; spaces inside it optional ("montantttc", as OCR may join words);
    keywords of three letters or fewer must also end a word ("ht", "cb", "bar")."""
    for w in words:
        w = w.strip()
        if w in ("tva", "btw", "mwst"):
            if w in folded:
                return True
            continue
        pattern = r"\s*".join(re.escape(part) for part in w.split())
        tail = "(?![a-z])" if len(w) <= 3 else ""
        if re.search(rf"(?<![a-z]){pattern}{tail}", folded):
            return True
    return False


def _ranked(
    lines: list[str], find: Callable[[str], list[T]], score: Callable[[str], float]
) -> list[tuple[float, int, T]]:
    """Every value ``find`` sees in the lines as (score, -line index, value), best first: the score of
    its line (``score`` is given the folded line), then the line nearer the top."""
    ranked: list[tuple[float, int, T]] = []
    for index, line in enumerate(lines):
        folded = fold(line)
        ranked.extend((score(folded), -index, value) for value in find(line))
    ranked.sort(reverse=True)
    return ranked


def _date_score(folded: str) -> float:
    """A date on a line that names a date is likely the receipt's; one named a due date (etc.) is not."""
    if _has(folded, _NOT_THE_DATE):
        return 0.3
    if _has(folded, _DATE_LABELS) or folded.startswith(("le ", "du ")):
        return 0.9
    return 0.75


def _pick_date(lines: list[str]) -> Field[date] | None:
    ranked = _ranked(lines, find_dates, _date_score)
    if not ranked:
        return None
    score, _index, best = ranked[0]
    distinct = {d for _s, _i, d in ranked}
    return Field(best, score if len(distinct) == 1 else score - 0.1)


def _pick_total(lines: list[str]) -> tuple[Field[Decimal] | None, list[Decimal]]:
    """The total incl. VAT, and the other total-like candidates (for the cross-check)."""
    candidates: list[tuple[float, int, Decimal]] = []
    for index, line in enumerate(lines):
        folded = fold(line)
        if not _has(folded, _TOTAL_WORDS):
            continue
        amounts = find_amounts(line)
        if not amounts and index + 1 < len(lines) and not find_rates(lines[index + 1]):
            amounts = find_amounts(lines[index + 1])
        if not amounts:
            continue
        score = 0.8
        if _has(folded, _NOT_TOTAL) and not _has(
            folded, ("ttc", "incl", "inkl", "tvac", "ivac", "tvai", "brutto")
        ):
            score = 0.2
        if _has(folded, ("ttc", "a payer", "te betalen", "zu zahlen", "amount due", "tvac", "incl", "inkl")):
            score = 0.9
        candidates.append((score, index, amounts[-1].value))
    if not candidates:
        return None, []
    good = [c for c in candidates if c[0] >= 0.8]
    pool = good or candidates
    # the last strong candidate is the total; a larger one above would be before a discount
    best = max(pool, key=lambda c: (c[0], c[2] > 0, c[1]))
    return Field(best[2], best[0] if best[2] > 0 else 0.3), [c[2] for c in candidates]


def _vat_from_line(
    line: str, rate: Decimal, amounts: list[Decimal]
) -> tuple[Decimal, Decimal | None, float] | None:
    """(vat, base, confidence) for one rate from the amounts printed after it."""

    def vat_of(base: Decimal) -> Decimal:
        return (base * rate / 100).quantize(CENT)

    positives = [a for a in amounts if a >= 0]
    if not positives:
        return None
    # a base and its VAT among the amounts (any order), perhaps with the amount incl. VAT
    best: tuple[Decimal, Decimal | None, float] | None = None
    for i, base in enumerate(positives):
        for j, vat in enumerate(positives):
            if i != j and base > vat and abs(vat_of(base) - vat) <= CENT:
                incl_ok = any(abs(a - (base + vat)) <= CENT for a in positives)
                conf = 0.95 if incl_ok else 0.9
                if best is None or conf > best[2]:
                    best = (vat, base, conf)
    if best is not None:
        return best
    if rate == 0:
        return (Decimal("0.00"), positives[0], 0.6)
    # an amount incl. VAT and its VAT
    for i, incl in enumerate(positives):
        for j, vat in enumerate(positives):
            if i != j and incl > vat and abs((incl * rate / (100 + rate)).quantize(CENT) - vat) <= CENT:
                return (vat, incl - vat, 0.85)
    folded = fold(line)
    if len(positives) == 1:
        return (positives[0], None, 0.6 if _has(folded, _VAT_WORDS) else 0.4)
    # several amounts that do not fit together: the last is usually the VAT in a "rate base vat" row
    return (positives[-1], positives[-2], 0.4)


def _pick_vat(lines: list[str]) -> list[VatLine]:
    by_rate: dict[Decimal, VatLine] = {}
    for index, line in enumerate(lines):
        folded = fold(line)
        rates = find_rates(line)
        if not rates:
            continue
        if _has(folded, ("remise", "korting", "rabatt", "sconto", "descuento", "discount", "reduction")):
            continue
        is_vat_line = _has(folded, _VAT_WORDS) or _looks_like_vat_table(lines, index)
        if not is_vat_line:
            continue
        for k, (rate, _start, end) in enumerate(rates):
            stop = rates[k + 1][1] if k + 1 < len(rates) else len(line)
            amounts = [a.value for a in find_amounts(line[end:stop])]
            if (
                not amounts
                and len(rates) == 1
                and index + 1 < len(lines)
                and not find_rates(lines[index + 1])
            ):
                amounts = [a.value for a in find_amounts(lines[index + 1])]
            got = _vat_from_line(line, rate, amounts)
            if got is None:
                continue
            vat, base, conf = got
            old = by_rate.get(rate)
            if old is None or conf > old.confidence:
                by_rate[rate] = VatLine(rate, vat, base, conf)
    return sorted(by_rate.values(), key=lambda v: v.rate, reverse=True)


def _looks_like_vat_table(lines: list[str], index: int) -> bool:
    """A row "21%  10,00  2,10" under a header that names VAT."""
    for back in range(1, 6):
        if index - back < 0:
            return False
        folded = fold(lines[index - back])
        if _has(folded, _VAT_WORDS) or any(w in folded for w in ("tva", "btw", "mwst", "vat", "iva")):
            return True
        if not find_rates(lines[index - back]):
            return False
    return False


_BUYER_WORDS = ("client", "klant", "kunde", "customer", "cliente", "acheteur", "koper")


def _vat_number_score(folded: str) -> float:
    """A VAT number is the supplier's, unless its line names the buyer."""
    return 0.5 if _has(folded, _BUYER_WORDS) else 0.95


def _pick_vat_number(lines: list[str]) -> Field[str] | None:
    ranked = _ranked(lines, find_vat_numbers, _vat_number_score)
    if not ranked:
        return None
    score, _index, best = ranked[0]
    return Field(best, score)


_SUPPLIER_SKIP = (
    "ticket",
    "facture",
    "factuur",
    "rechnung",
    "invoice",
    "receipt",
    "recu",
    "kassenbon",
    "kasbon",
    "quittung",
    "bienvenue",
    "welkom",
    "willkommen",
    "welcome",
    "bon ",
    "tel",
    "fax",
    "www",
    "http",
    "@",
    "rue ",
    "straat",
    "strasse",
    "str.",
    "avenue",
    "laan",
    "weg ",
    "place",
    "plein",
    "tva",
    "btw",
    "ust",
    "mwst",
    "vat",
    "siret",
    "siren",
    "rcs",
    "kbo",
    "bce",
    "duplicata",
    "copie",
    "kopie",
    "copy",
    "original",
)


def _pick_supplier(lines: list[str]) -> Field[str] | None:
    for index, line in enumerate(lines[:6]):
        folded = fold(line)
        letters = sum(ch.isalpha() for ch in line)
        if letters < 3 or letters < len(line.replace(" ", "")) * 0.5:
            continue
        if _has(folded, _SUPPLIER_SKIP) or find_dates(line) or find_amounts(line):
            continue
        if re.match(r"^\d{4,5}\s", line):  # a postcode line
            continue
        name = re.sub(r"\s{2,}", " ", line).strip(" *-=_.")
        return Field(name, 0.7 if index == 0 else 0.55)
    return None


def _pick_payment(lines: list[str]) -> Field[str] | None:
    for line in reversed(lines):
        folded = f" {fold(line)} "
        if _has(folded, ("tva", "btw", "mwst", "vat")) and find_rates(line):
            continue
        for method, words in _PAYMENT_METHODS:
            if any(w in folded for w in words):
                return Field(method, 0.8)
    return None


def _pick_number(lines: list[str]) -> Field[str] | None:
    for line in lines:
        folded = fold(line)
        if _has(
            folded,
            (
                "tva",
                "btw",
                "mwst",
                "ust",
                "vat",
                "tel",
                "siret",
                "iban",
                "kbo",
                "bce",
                "client",
                "klant",
                "kunde",
                "customer",
                "terminal",
                "tid",
                "caisse",
                "kassa",
                "kasse",
                "table",
            ),
        ):
            continue
        for m in _NUMBER.finditer(line):
            token = m.group(1).strip("-/")
            if not any(ch.isdigit() for ch in token) or find_dates(token):
                continue
            if len(token) < 2:
                continue
            return Field(token, 0.75)
    return None


_CURRENCIES = (
    ("EUR", ("€", "eur")),
    ("CHF", ("chf",)),
    ("GBP", ("£", "gbp")),
    ("USD", ("$", "usd")),
    ("SEK", ("sek",)),
    ("DKK", ("dkk",)),
    ("PLN", ("pln", "zl")),
    ("CZK", ("czk", "kc")),
)


def _pick_currency(lines: list[str]) -> Field[str] | None:
    counts: dict[str, int] = {}
    for line in lines:
        folded = fold(line)
        for code, marks in _CURRENCIES:
            for mark in marks:
                if (mark in line) if not mark.isalpha() else _has(folded, (mark,)):
                    counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    code = max(counts, key=lambda c: counts[c])
    return Field(code, 0.95 if len(counts) == 1 else 0.6)


# ----------------------------------------------------------------------------------------- the whole


def extract_fields(
    text: str | Iterable[str], *, source: str = "ocr", base_confidence: float = 1.0
) -> ReceiptReading:
    """Read every field from the text of a receipt (lines in reading order).

    ``base_confidence`` scales the confidences (1 for a PDF's own text, the recognizer's mean score for
    OCR). The totals check (bases + VAT = total, or VAT = total x rate / (100 + rate) when one rate has
    no base) raises the confidence of the total and of the VAT when they agree and lowers it when not.
    """
    original = split_lines(text)
    lines = [spaced(line) for line in original]
    date_f = _pick_date(lines)
    total_f, total_candidates = _pick_total(lines)
    vat_lines = _pick_vat(lines)
    agree: bool | None = None
    if total_f is not None and vat_lines:
        agree, total_f, vat_lines = _cross_check(total_f, total_candidates, vat_lines)
    reading = ReceiptReading(
        source=source,
        date=_scale(date_f, base_confidence),
        supplier=_scale(_pick_supplier(lines), base_confidence),
        supplier_vat=_scale(_pick_vat_number(lines), base_confidence),
        total=_scale(total_f, base_confidence),
        currency=_scale(_pick_currency(lines), base_confidence),
        vat_lines=tuple(
            VatLine(v.rate, v.vat, v.base, min(1.0, v.confidence * base_confidence)) for v in vat_lines
        ),
        payment_method=_scale(_pick_payment(lines), base_confidence),
        number=_scale(_pick_number(original), base_confidence),
        totals_agree=agree,
        text="\n".join(original),
    )
    return reading


def _cross_check(
    total: Field[Decimal], candidates: list[Decimal], vat_lines: list[VatLine]
) -> tuple[bool | None, Field[Decimal], list[VatLine]]:
    vat_sum = sum((v.vat for v in vat_lines), Decimal("0"))

    def agrees(amount: Decimal) -> bool:
        if all(v.base is not None for v in vat_lines):
            bases = sum((v.base or Decimal("0") for v in vat_lines), Decimal("0"))
            return abs(bases + vat_sum - amount) <= CENT * len(vat_lines)
        if len(vat_lines) == 1:
            rate = vat_lines[0].rate
            return abs((amount * rate / (100 + rate)).quantize(CENT) - vat_sum) <= CENT
        return False

    checkable = len(vat_lines) == 1 or all(v.base is not None for v in vat_lines)
    if not checkable:
        return None, total, vat_lines
    if agrees(total.value):
        fixed = [
            VatLine(
                v.rate,
                v.vat,
                v.base if v.base is not None else (total.value - v.vat if len(vat_lines) == 1 else None),
                max(v.confidence, 0.97),
            )
            for v in vat_lines
        ]
        return True, Field(total.value, max(total.confidence, 0.98)), fixed
    # another total-like amount agrees with the VAT: take it
    for amount in candidates:
        if amount != total.value and amount > 0 and agrees(amount):
            return (
                True,
                Field(amount, 0.9),
                [VatLine(v.rate, v.vat, v.base, max(v.confidence, 0.9)) for v in vat_lines],
            )
    return (
        False,
        Field(total.value, total.confidence * 0.8),
        [VatLine(v.rate, v.vat, v.base, v.confidence * 0.7) for v in vat_lines],
    )


def _scale(f: Field[T] | None, factor: float) -> Field[T] | None:
    if f is None:
        return None
    return Field(f.value, min(1.0, f.confidence * factor))
