"""Field extraction rules on plain strings (no OCR): dates, amounts, VAT lines, VAT numbers, totals check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from smartdesk.receipts.reading import (
    extract_fields,
    find_amounts,
    find_vat_numbers,
    parse_amount,
    parse_date,
    parse_epc_payload,
)

D = Decimal


@pytest.mark.parametrize(
    "text",
    [
        "03/12/2026",
        "03.12.26",
        "2026-12-03",
        "3 déc. 2026",
        "3 december 2026",
        "03-12-2026",
        "3/12/2026",
        "3. Dezember 2026",
        "3 Dez 2026",
        "December 3, 2026",
        "3 dec 2026",
        "Date : 03/12/2026 14:32",
        "Datum: 03.12.2026",
        "le 3 décembre 2026",
        "3 dicembre 2026",
        "3 diciembre 2026",
        "03 / 12 / 2026",
        "2026/12/03",
        "3 DEC. 2026",
        "03-12-26 12:04",
        # words and the time joined by OCR
        "Date:03/12/202614:32",
        "Datum:2026-12-0318:19",
        "Date:3déc.202613:00",
        "03/12/2609:51",
        "Datum:3Dez.2026",
    ],
)
def test_every_common_date_format(text):
    assert parse_date(text) == date(2026, 12, 3)


@pytest.mark.parametrize("text", ["31/02/2026", "12:34", "21%", "1234,56", "Tel 02 123 45 67"])
def test_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,34", "12.34"),
        ("12.34", "12.34"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("12,34 EUR", "12.34"),
        ("€ 3.50", "3.50"),
        ("EUR 3,50", "3.50"),
        ("-2,00", "-2.00"),
        ("12, 34", "12.34"),
        ("1'234.50 CHF", "1234.50"),
    ],
)
def test_amounts_with_comma_or_point(text, value):
    assert parse_amount(text) == D(value)


def test_percentages_and_quantities_are_not_amounts():
    assert [a.value for a in find_amounts("TVA 21% 12,34")] == [D("12.34")]
    assert [a.value for a in find_amounts("2 x 1,50   3,00")] == [D("1.50"), D("3.00")]
    assert find_amounts("5,5%") == []


def test_tva_21_percent_one_amount():
    r = extract_fields("Total TTC 71,10\nTVA 21% 12,34")
    assert [(v.rate, v.vat) for v in r.vat_lines] == [(D("21"), D("12.34"))]


@pytest.mark.parametrize(
    ("line", "rate"),
    [
        ("BTW 21%   10,00   2,10   12,10", "21"),
        ("MwSt 19% 10,00 1,90", "19"),
        ("IVA 21% 10,00 2,10", "21"),
        ("VAT 20% 10,00 2,00", "20"),
        ("TVA 5,5 % 10,00 0,55", "5.5"),
        ("USt. 7 % 10,00 0,70", "7"),
    ],
)
def test_vat_words_of_each_language(line, rate):
    r = extract_fields(f"SHOP\n{line}")
    assert len(r.vat_lines) == 1
    v = r.vat_lines[0]
    assert (v.rate, v.base) == (D(rate), D("10.00"))
    assert v.vat == (D("10.00") * D(rate) / 100).quantize(D("0.01"))


def test_several_rates_on_one_receipt_and_totals_check():
    text = """CARREFOUR MARKET
    TVA FR 40 303 265 045
    Ticket 0042-118
    03/12/2026 10:15
    TOTAL TTC   36,65
    Taux   HT      TVA
    20%    20,00   4,00
    5,5%   10,00   0,55
    10%    1,91    0,19
    CB     36,65
    """
    # 20,00 + 4,00 + 10,00 + 0,55 + 1,91 + 0,19 = 36,65
    r = extract_fields(text)
    assert [(v.rate, v.base, v.vat) for v in r.vat_lines] == [
        (D("20"), D("20.00"), D("4.00")),
        (D("10"), D("1.91"), D("0.19")),
        (D("5.5"), D("10.00"), D("0.55")),
    ]
    assert r.total is not None and r.total.value == D("36.65")
    assert r.totals_agree is True
    assert r.total.confidence >= 0.95
    assert r.supplier_vat is not None and r.supplier_vat.value == "FR40303265045"
    assert r.payment_method is not None and r.payment_method.value == "card"
    assert r.number is not None and r.number.value == "0042-118"
    assert r.date is not None and r.date.value == date(2026, 12, 3)


def test_disagreeing_totals_lower_the_confidence():
    agree = extract_fields("Totaal 12,10\nBTW 21% 10,00 2,10")
    disagree = extract_fields("Totaal 15,10\nBTW 21% 10,00 2,10")
    assert agree.totals_agree is True and disagree.totals_agree is False
    assert disagree.total.confidence < agree.total.confidence
    assert disagree.vat_lines[0].confidence < agree.vat_lines[0].confidence


def test_vat_only_with_rate_is_checked_against_the_total():
    r = extract_fields("Summe EUR 11,90\nMwSt 19% 1,90")
    assert r.totals_agree is True
    assert r.vat_lines[0].base == D("10.00")


def test_subtotal_and_change_are_not_the_total():
    r = extract_fields("Sous-total 10,00\nRemise -1,00\nTotal 9,00\nEspèces 20,00\nRendu 11,00")
    assert r.total.value == D("9.00")
    assert r.payment_method.value == "cash"


def test_total_on_the_next_line():
    r = extract_fields("TE BETALEN\n23,45 EUR\nBTW 6% 1,33")
    assert r.total.value == D("23.45")
    assert r.currency.value == "EUR"


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("TVA BE 0403.170.701", "BE0403170701"),
        ("BTW BE0403170701", "BE0403170701"),
        ("N° TVA : FR 40 303 265 045", "FR40303265045"),
        ("USt-IdNr. DE 136 695 976", "DE136695976"),
        ("BTW NL 004495445B01", "NL004495445B01"),
        ("TVA BE O4O3.17O.7O1", "BE0403170701"),
    ],
)
def test_vat_numbers_checked_with_stdnum(line, number):
    assert find_vat_numbers(line) == [number]


def test_an_invalid_vat_number_is_not_taken():
    assert find_vat_numbers("TVA BE 0403.170.702") == []
    assert extract_fields("SHOP\nTVA BE 0403.170.702").supplier_vat is None


def test_supplier_is_the_first_name_line():
    r = extract_fields("*** Bienvenue ***\nDELHAIZE ETTERBEEK\nAvenue de la Chasse 1\n1040 Bruxelles")
    assert r.supplier.value == "DELHAIZE ETTERBEEK"


@pytest.mark.parametrize(
    ("line", "method"),
    [
        ("Bancontact 12,00", "card"),
        ("Payé par CB", "card"),
        ("PIN 12,00", "card"),
        ("Contant 12,00", "cash"),
        ("Bar 12,00", "cash"),
        ("EC-Karte 12,00", "card"),
        ("Payconiq", "mobile"),
        ("Virement", "bank_transfer"),
    ],
)
def test_payment_methods(line, method):
    assert extract_fields(f"SHOP\nTotal 12,00\n{line}").payment_method.value == method


def test_nothing_in_a_text_without_fields():
    r = extract_fields("Merci de votre visite\nA bientôt")
    assert r.date is None and r.total is None and r.vat_lines == ()


def test_epc_payload():
    payload = (
        "BCD\n002\n1\nSCT\nGEBABEBB\nStudio Lumen\nBE71 0961 2345 6769\nEUR123.45\n\n\n+++090/9337/55493+++"
    )
    assert parse_epc_payload(payload) == {
        "name": "Studio Lumen",
        "iban": "BE71096123456769",
        "currency": "EUR",
        "amount": "123.45",
        "reference": "+++090/9337/55493+++",
    }
    assert parse_epc_payload("hello") is None
    assert parse_epc_payload("BCD\n002\n1\nSCT\n\nX\nnot an iban\nEUR1") is None


def test_amounts_joined_by_ocr_are_split():
    r = extract_fields("TOTAL 174.03EUR\nRate   Net VAT\n21%   96.3220.23\n9%52.734.75")
    assert [(v.rate, v.base, v.vat) for v in r.vat_lines] == [
        (D("21"), D("96.32"), D("20.23")),
        (D("9"), D("52.73"), D("4.75")),
    ]
    assert r.totals_agree is True
    assert parse_date("Datum: 26.06.26") == date(2026, 6, 26)  # a date is not two amounts
