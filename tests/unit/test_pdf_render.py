"""Render real PDFs and read them back (pypdf, pdfplumber, pypdfium2 + pyzbar)."""

from __future__ import annotations

import hashlib
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pdfplumber
import pytest
from pypdf import PdfReader

from smartdesk.domain.documents import Client, Document, Line
from smartdesk.domain.payments import is_valid_ogm, ogm_for_document
from smartdesk.domain.totals import document_totals
from smartdesk.domain.vat import VatCategory
from smartdesk.errors import AttachmentError, SmartDeskError
from smartdesk.i18n.documents import CATALOGUES, DOCUMENT_LANGUAGES
from smartdesk.pdf import available_themes, render_document
from smartdesk.pdf.themes import THEMES
from smartdesk.resources import resource_path
from tests.support.pdf_reading import qr_payloads
from tests.unit import pdf_fixtures as fx

BASE14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats", "Times", "Arial"}


def render(doc: Document, client: Client | None, entity=fx.BE, **kw) -> bytes:
    kw.setdefault("logo_bytes", fx.png_bytes())
    return render_document(
        doc,
        client=client,
        activity=fx.activity(),
        entity=entity,
        profile=kw.pop("profile", fx.profile()),
        **kw,
    )


def norm(s: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, runs of white space collapsed."""
    return re.sub(r"\s+", " ", s.replace("\u202f", " ").replace("\xa0", " "))


def pages_text(pdf: bytes) -> list[str]:
    return [norm(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def words_present(label: str, text: str) -> bool:
    """Every word of a label appears (labels may wrap in a narrow table header; headings are in capitals)."""
    folded = text.casefold()
    return all(word.casefold() in folded for word in norm(label).split())


# --- languages ---------------------------------------------------------------------------------------

INVOICE_KEYS = [
    "title.invoice",
    "number",
    "issue_date",
    "due_date",
    "your_reference",
    "client",
    "vat_number",
    "activity",
    "col.description",
    "col.quantity",
    "col.unit",
    "col.unit_price",
    "col.vat",
    "col.discount",
    "col.amount",
    "total_excl",
    "total_incl",
    "payment",
    "beneficiary",
    "structured_communication",
    "scan_to_pay",
    "legal.reverse_charge",
]


@pytest.mark.parametrize("lang", DOCUMENT_LANGUAGES)
def test_every_label_in_the_document_language(lang: str) -> None:
    doc = fx.invoice(3, language=lang)
    doc.lines[0].discount_percent = Decimal("10")
    doc.lines[2].vat_category = VatCategory.REVERSE_CHARGE
    doc.lines[2].vat_rate = Decimal("0")
    pdf = render(doc, fx.client_be(), theme="classic")
    text = all_text(pdf)
    cat = CATALOGUES[lang]
    for key in INVOICE_KEYS:
        assert words_present(cat[key], text), f"{lang}: label {key!r} ({cat[key]!r}) missing"
    assert norm(cat["title.invoice"]) in text
    assert cat["page"].format(page=1, pages=1) in text
    for unit in ("unit.DAY", "unit.HUR"):
        assert cat[unit] in text
    totals = document_totals(doc)
    assert words_present(cat["payment_terms"].format(days=30), text)
    affiliation = cat["issued_by"].format(cooperative=fx.BE.name, activity="Scénographie Łucja (A-12345)")
    assert norm(affiliation) in text
    assert totals.vat_total > 0
    # the interface language plays no part: no other language's document title is printed
    for other in DOCUMENT_LANGUAGES:
        if CATALOGUES[other]["title.invoice"] != cat["title.invoice"]:
            assert CATALOGUES[other]["title.invoice"] not in text


@pytest.mark.parametrize(
    ("lang", "total", "base"),
    [
        ("fr", "1 493,75 €", "1 234,50"),
        ("nl", "€ 1.493,75", "1.234,50"),
        ("en", "1.493,75 €", "1.234,50"),
        ("de", "1.493,75 €", "1.234,50"),
        ("es", "1.493,75 €", "1.234,50"),
        ("it", "1.493,75 €", "1.234,50"),
    ],
)
def test_amounts_formatted_for_the_language_and_issuing_country(lang: str, total: str, base: str) -> None:
    text = all_text(render(fx.simple_invoice(lang), fx.client_be()))
    assert total in text
    assert base in text


def test_language_argument_overrides_the_document_language() -> None:
    text = all_text(render(fx.simple_invoice("fr"), fx.client_be(), language="de"))
    assert "Rechnung" in text and "Facture" not in text


# --- legal scenarios -----------------------------------------------------------------------------------


def test_belgian_domestic_invoice_structured_communication_and_qr() -> None:
    doc = fx.invoice(3, language="fr")
    pdf = render(doc, fx.client_be())
    text = all_text(pdf)
    ogm = ogm_for_document(doc.id, doc.number)
    assert is_valid_ogm(ogm) and ogm in text
    assert "Communication structurée" in text
    assert "BE71 0961 2345 6769" in text and "GKCCBEBB" in text
    assert fx.BE.vat_number in text and fx.BE.registration in text  # cooperative identity
    assert "Autoliquidation" not in text and "L441-10" not in text
    # EPC069-12, worked out by hand: lines 2 x 123.45 = 246.90, 1.5 x 124.45 = 186.675 -> 186.68,
    # 2 x 125.45 = 250.90; base 684.48, VAT 21 % 143.7408 -> 143.74; due 828.22. The structured
    # communication from the number's digits 2026000123: 2026000123 mod 97 = 20
    assert ogm == "+++202/6000/12320+++"
    assert qr_payloads(pdf) == [
        "BCD\n002\n1\nSCT\nGKCCBEBB\nSMart Coop SC (demo)\nBE71096123456769\nEUR828.22\n\n\n"
        "+++202/6000/12320+++"
    ]


def test_given_structured_communication_is_used() -> None:
    doc = fx.simple_invoice("nl")
    doc.payment_reference = "090933755493"
    pdf = render(doc, fx.client_be())
    assert "+++090/9337/55493+++" in all_text(pdf)
    assert "+++090/9337/55493+++" in qr_payloads(pdf)[0]


def test_reverse_charge_to_a_dutch_business_client() -> None:
    doc = fx.invoice(3, language="nl", category=VatCategory.REVERSE_CHARGE)
    pdf = render(doc, fx.client_nl())
    text = all_text(pdf)
    assert "Verlegging van heffing – btw verschuldigd door de medecontractant" in text
    assert "art. 196 Richtlijn 2006/112/EG" in text
    assert fx.BE.vat_number in text and "NL004495445B01" in text  # both VAT numbers
    assert "Nederland" in text  # client's country, named in the document language
    totals = document_totals(doc)
    assert totals.vat_total == 0
    assert [p.split("\n")[7] for p in qr_payloads(pdf)] == [f"EUR{totals.due}"]


def test_french_domestic_invoice_late_payment_mentions() -> None:
    doc = fx.invoice(2, language="fr", entity="FR", rate="20")
    pdf = render(doc, fx.client_fr(), entity=fx.FR)
    text = all_text(pdf)
    assert "pénalités au taux annuel de 12,15 %" in text
    assert "indemnité forfaitaire pour frais de recouvrement de 40,00 €" in text
    assert "Pas d'escompte pour paiement anticipé." in text
    assert "TVA 20 % sur" in text
    assert fx.FR.vat_number in text and fx.FR.registration in text
    # no Belgian structured communication in France: the invoice number is the reference
    assert "+++" not in text and "Référence de paiement 2026-000123" in text
    payload = qr_payloads(pdf)[0].split("\n")
    assert payload[6] == fx.FR.iban and payload[-1] == "2026-000123"


def test_export_outside_the_eu() -> None:
    doc = fx.invoice(2, language="de", category=VatCategory.EXPORT)
    text = all_text(render(doc, fx.client_ch()))
    assert "Ausfuhr aus der Europäischen Union – steuerfrei (Art. 146 Richtlinie 2006/112/EG)." in text
    assert "Schweiz" in text and "CHE-123.456.788 MWST" in text


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fr", "TVA à reverser à l'État dans la mesure où elle a été initialement déduite"),
        ("nl", "btw terug te storten aan de Staat in de mate waarin ze initieel werd afgetrokken"),
        ("en", "VAT to be repaid to the State insofar as it was initially deducted"),
    ],
)
def test_belgian_credit_note(lang: str, sentence: str) -> None:
    pdf = render(fx.credit_note(lang), fx.client_be())
    text = all_text(pdf)
    assert sentence.lower() in text.lower()
    assert CATALOGUES[lang]["title.credit-note"] in text
    assert "2026-000123" in text  # the corrected invoice
    assert CATALOGUES[lang]["credit_total"] in text
    assert CATALOGUES[lang]["scan_to_pay"] not in text and qr_payloads(pdf) == []


def test_french_credit_note_has_no_belgian_sentence() -> None:
    doc = fx.credit_note("fr")
    doc.entity = "FR"
    text = all_text(render(doc, fx.client_fr(), entity=fx.FR))
    assert "reverser" not in text


def test_quote_discounts_validity_and_acceptance() -> None:
    doc = fx.quote_with_discounts("en")
    text = all_text(render(doc, fx.client_be(), theme="modern"))
    totals = document_totals(doc)
    assert "Quote" in text and "Discount" in text and "10%" in text
    assert "Discount – Fidélité" in text and "-50,00 €" in text.replace("−", "-")
    assert "VAT 21% on" in text and "VAT 6% on" in text  # one line per VAT rate
    from smartdesk.pdf.formatting import Formatter

    assert f"This quote is valid until {Formatter('en', 'BE').date(doc.due_date)}." in text
    assert "Approved (date and signature):" in text
    assert norm(Formatter("en", "BE").money(totals.tax_inclusive)) in text
    assert "IBAN" not in text  # no payment block on a quote


def test_draft_watermark_and_no_payment_code() -> None:
    doc = fx.invoice(2, language="it", number="")
    pdf = render(doc, fx.client_be())
    text = all_text(pdf)
    assert "BOZZA" in text  # watermark in the document's language
    assert "Numero Bozza" in text  # "Draft" where the number goes
    assert "La causale di pagamento e il codice da scansionare" in text
    assert qr_payloads(pdf) == [] and "+++" not in text
    numbered = all_text(render(fx.invoice(2, language="it"), fx.client_be()))
    assert "BOZZA" not in numbered


# --- fonts, metadata, output intent -------------------------------------------------------------------


def test_fonts_embedded_never_base14() -> None:
    reader = PdfReader(io.BytesIO(render(fx.invoice(2), fx.client_be())))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            assert not any(b in base for b in BASE14), base
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # Type0 composite font
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), f"{base} not embedded"
            assert "DejaVu" in base
            seen += 1
    assert seen >= 2


def test_metadata_language_and_output_intent() -> None:
    pdf = render(fx.invoice(1, language="nl"), fx.client_be())
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta.title == "Factuur 2026-000123 – Théâtre de la Balsamine ASBL"
    assert meta.author == "Atelier Łucja Őrsi"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-BE"
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert profile.get_data() == resource_path("color", "sRGB2014.icc").read_bytes()
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp  # PDF/A: the metadata stream is not compressed
    packet = xmp.get_data().decode("utf-8")
    assert "Factuur 2026-000123" in packet and "<rdf:li>nl-BE</rdf:li>" in packet
    assert "Atelier Łucja Őrsi" in packet and "Uitgegeven door SMart Coop SC (demo)" in packet
    assert meta.subject.startswith("Uitgegeven door SMart Coop SC (demo)")


# --- layout: margins, wrapping, pagination ---------------------------------------------------------------


@pytest.mark.parametrize("theme", available_themes())
def test_no_character_outside_the_margins(theme: str) -> None:
    doc = fx.invoice(4, language="de")
    doc.lines[0].description = (
        "Überlange-Beschreibung-ohne-Leerzeichen-" * 6 + "\nzweite Zeile\n\n" + "Wort " * 60
    )
    doc.lines[1].unit_price = Decimal("123456789.99")
    doc.lines[1].quantity = Decimal("100000")
    doc.intro_text = "Einleitung " * 40
    client = fx.client_nl()
    client.name = "Stichting met een bijzonder lange naam die zeker moet afbreken om niet buiten te vallen"
    t = THEMES[theme]
    pdf = render(doc, client, theme=theme)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) >= 1
        for page in opened.pages:
            assert page.chars
            for ch in page.chars:
                assert ch["x0"] >= t.margin_x - 0.5, (ch["text"], ch["x0"])
                assert ch["x1"] <= page.width - t.margin_x + 0.5, (ch["text"], ch["x1"])
                assert ch["top"] >= t.margin_top - 2, (ch["text"], ch["top"])
                assert ch["bottom"] <= page.height - t.margin_bottom + 3, (ch["text"], ch["bottom"])
            # no two characters on the same text line overlap (a too-wide number would run into
            # its neighbour column)
            by_line: dict[int, list] = {}
            for ch in page.chars:
                if ch["upright"]:
                    by_line.setdefault(round(ch["top"]), []).append(ch)
            for chars in by_line.values():
                chars.sort(key=lambda c: c["x0"])
                for a, b in zip(chars, chars[1:], strict=False):
                    assert b["x0"] >= a["x1"] - 0.6, (a["text"], b["text"], a["x1"], b["x0"])
    text = all_text(pdf)
    assert "zweite Zeile" in text  # the author's line break kept


def test_multiline_description_keeps_line_breaks() -> None:
    doc = fx.simple_invoice("en")
    doc.lines[0].description = "First line\nSecond line\nThird line"
    with pdfplumber.open(io.BytesIO(render(doc, fx.client_be()))) as opened:
        lines = (opened.pages[0].extract_text() or "").splitlines()
    assert any(line.startswith("First line") for line in lines)
    assert "Second line" in lines and "Third line" in lines


def test_three_hundred_lines_paginate_with_carried_totals() -> None:
    doc = fx.invoice(300, language="en")
    pdf = render(doc, fx.client_be())
    texts = pages_text(pdf)
    count = len(texts)
    assert count >= 5
    # line i: 2 x (123.45 + i) when i is even, else 1.5 x (123.45 + i) rounded half up to the cent
    nets = [(Decimal(2) if i % 2 == 0 else Decimal("1.5")) * (Decimal("123.45") + i) for i in range(300)]
    nets = [n.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for n in nets]
    assert nets[:3] == [Decimal("246.90"), Decimal("186.68"), Decimal("250.90")]
    seen = 0
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} / {count}" in text
        numbers = [int(m) for m in re.findall(r"Prestation (\d+):", text)]
        if numbers:
            assert "Description" in text  # header repeated
            assert numbers == list(range(seen + 1, seen + 1 + len(numbers)))  # no line lost or doubled
            seen += len(numbers)
        if seen < 300:
            carried = re.search(r"Carried forward ([\d.,]+)", text)
            assert carried, f"page {n} has no carried total"
            expected = sum(nets[:seen], Decimal("0"))
            assert Decimal(carried.group(1).replace(".", "").replace(",", ".")) == expected
        if n > 1 and numbers:
            assert "Brought forward" in text
    assert seen == 300
    assert "Total incl. VAT" in texts[-1] or "Total incl. VAT" in texts[-2]


def test_totals_never_alone_on_the_last_page() -> None:
    for count in (18, 22, 26, 30):
        texts = pages_text(render(fx.invoice(count, language="en"), fx.client_be(), theme="compact"))
        page = next(t for t in texts if "Total incl. VAT" in t)
        assert "Prestation" in page


# --- expense notes -----------------------------------------------------------------------------------------


def test_expense_note_summary_and_receipts() -> None:
    receipts = [fx.jpeg_receipt(), fx.pdf_receipt(), fx.png_bytes((500, 700))]
    doc = fx.expense_note("fr", receipts)
    pdf = render(doc, None, receipts=receipts)
    texts = pages_text(pdf)
    assert len(texts) == 4  # summary + one page per receipt
    summary = texts[0]
    for label in ("Note de frais", "Fournisseur", "Catégorie", "Montant TVAC", "Total TVAC", "Membre"):
        assert words_present(label, summary), label
    assert "Refusé : Pas de justificatif lisible" in summary
    assert "227,50 €" in summary  # total incl. VAT
    assert "Montant à rembourser 42,00 €" in summary  # own expenses not rejected
    # receipts matched to their lines by content hash: receipt 0 belongs to line 2, receipt 1 to line 1
    assert "Justificatif – ligne 2 : Brico Ixelles" in texts[1]
    assert "Justificatif – ligne 1 : SNCB / NMBS" in texts[2]
    assert "Justificatif – ligne 3 : Restaurant Ça Va" in texts[3]
    assert "Justificatif 2 sur 3" in texts[2]
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        for page in opened.pages[1:]:
            assert len(page.images) == 1
            image = page.images[0]
            assert image["x0"] >= THEMES["classic"].margin_x - 0.5
            assert image["x1"] <= page.width - THEMES["classic"].margin_x + 0.5
            assert image["bottom"] <= page.height - THEMES["classic"].margin_bottom


@pytest.mark.parametrize("lang", DOCUMENT_LANGUAGES)
def test_expense_note_labels_in_every_language(lang: str) -> None:
    receipts = [fx.jpeg_receipt()]
    text = all_text(render(fx.expense_note(lang, receipts), None, receipts=receipts))
    cat = CATALOGUES[lang]
    for key in (
        "title.expense-note",
        "col.supplier",
        "col.category",
        "col.paid_with",
        "col.amount_incl",
        "reimbursement",
        "total_accepted",
        "paid_with.coop",
        "member",
        "watermark",
        "draft",
    ):
        assert words_present(cat[key], text), f"{lang}: {key} missing"


def test_unreadable_receipt_gives_a_clear_error() -> None:
    doc = fx.expense_note("en")
    with pytest.raises(AttachmentError, match="Receipt 1 of 1 could not be read"):
        render(doc, None, receipts=[b"not an image at all"])


# --- brand, themes, bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["classic", "modern", "compact"])
def test_themes_carry_the_brand(theme: str) -> None:
    pdf = render(fx.simple_invoice("en"), fx.client_be(), theme=theme)
    text = all_text(pdf)
    for item in ("Atelier Łucja Őrsi", "Scénographie · Lumière · Ștefan & Ça", "studio@lucja.example"):
        assert item in text
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages[0].images) == 1  # the logo
        colours = {
            tuple(round(v, 3) for v in r["non_stroking_color"])
            for r in opened.pages[0].rects
            if r.get("non_stroking_color")
        }
    accent = (round(0x0B / 255, 3), round(0x7A / 255, 3), round(0x75 / 255, 3))
    assert accent in colours  # the member's accent colour is used


def test_jpeg_and_svg_logos() -> None:
    jpeg = fx.jpeg_receipt()
    assert render(fx.simple_invoice(), fx.client_be(), logo_bytes=jpeg).startswith(b"%PDF")
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
        b'<rect width="200" height="60" fill="#0B7A75"/></svg>'
    )
    pdf = render(fx.simple_invoice(), fx.client_be(), logo_bytes=svg)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert any(abs(r["width"] - 150) < 2 for r in opened.pages[0].rects)  # scaled to the logo box


def test_bad_logo_and_unknown_theme_are_explained() -> None:
    with pytest.raises(AttachmentError, match="logo"):
        render(fx.simple_invoice(), fx.client_be(), logo_bytes=b"\x89PNG broken")
    with pytest.raises(SmartDeskError, match="no document layout called “fancy”"):
        render(fx.simple_invoice(), fx.client_be(), theme="fancy")
    with pytest.raises(SmartDeskError, match="cannot be written in “pt”"):
        render(fx.simple_invoice(), fx.client_be(), language="pt")


def test_rendering_is_repeatable_and_logo_cached() -> None:
    logo = fx.png_bytes(colour="#AA3300")
    first = all_text(render(fx.simple_invoice(), fx.client_be(), logo_bytes=logo))
    second = all_text(render(fx.simple_invoice(), fx.client_be(), logo_bytes=logo))
    assert first == second
    assert hashlib.sha256(logo).hexdigest()  # the cache key is the content hash


def test_invoice_without_client_or_activity_still_names_the_issuer() -> None:
    doc = fx.simple_invoice("en")
    pdf = render_document(doc, client=None, activity=None, entity=fx.BE, profile=fx.profile())
    text = all_text(pdf)
    assert "Issued by SMart Coop SC (demo) on behalf of its member Atelier Łucja Őrsi" in text


def test_partially_paid_invoice_shows_amount_due_in_qr() -> None:
    doc = fx.simple_invoice("en")
    doc.paid_amount = Decimal("493.75")
    pdf = render(doc, fx.client_be())
    text = all_text(pdf)
    assert "Already paid" in text and "Amount due 1.000,00 €" in text
    assert qr_payloads(pdf)[0].split("\n")[7] == "EUR1000.00"


def test_document_with_many_vat_rates_and_long_lines_is_valid_pdf() -> None:
    doc = fx.invoice(0, language="es")
    doc.lines = [
        Line(description="x" * 400, unit_price=Decimal("10"), vat_rate=Decimal(r))
        for r in ("21", "12", "6", "0")
    ]
    pdf = render(doc, fx.client_be(), theme="compact")
    text = all_text(pdf)
    assert "IVA 12 % sobre" in text and "Total IVA" in text


def test_empty_draft_and_stale_profile_theme_still_render() -> None:
    doc = fx.invoice(0, language="en", number="")
    profile = fx.profile()
    profile.brand.theme = "retired-theme"
    pdf = render(doc, fx.client_be(), profile=profile)
    text = all_text(pdf)
    assert "Number Draft" in text and "Total incl. VAT 0,00 €" in text
    assert qr_payloads(pdf) == []


def test_non_euro_invoice_has_no_scan_to_pay_code() -> None:
    doc = fx.simple_invoice("en")
    doc.currency = "CHF"
    pdf = render(doc, fx.client_ch())
    text = all_text(pdf)
    assert "CHF" in text and "Scan to pay" not in text and qr_payloads(pdf) == []


def test_heic_and_rotated_phone_photo_receipts() -> None:
    from PIL import Image

    heic = io.BytesIO()
    import pillow_heif

    pillow_heif.register_heif_opener()
    Image.new("RGB", (200, 300), "red").save(heic, "HEIF")
    landscape = Image.new("RGB", (900, 600), "white")  # stored landscape, EXIF says "rotate 90°"
    exif = landscape.getexif()
    exif[0x0112] = 6
    rotated = io.BytesIO()
    landscape.save(rotated, "JPEG", exif=exif)
    receipts = [heic.getvalue(), rotated.getvalue()]
    doc = fx.expense_note("en")
    doc.expense_lines = doc.expense_lines[:2]
    pdf = render(doc, None, receipts=receipts)
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) == 3
        for page in opened.pages[1:]:
            image = page.images[0]
            assert image["height"] > image["width"]  # both upright portraits


def test_wrap_breaks_long_words_at_hyphens_then_letters() -> None:
    from smartdesk.pdf.fonts import REGULAR, register_fonts, string_width
    from smartdesk.pdf.renderer import wrap

    register_fonts()
    lines = wrap("Überlange-Beschreibung-ohne-Leerzeichen-" * 3 + " fin\nzweite", REGULAR, 8.6, 150)
    assert lines[0] == "Überlange-Beschreibung-ohne-"
    assert lines[-1] == "zweite" and all(string_width(x, REGULAR, 8.6) <= 150 for x in lines)
    assert "".join(wrap("x" * 80, REGULAR, 8.6, 100)) == "x" * 80
