"""Generated receipts with their true values: images (Pillow), PDFs with text (reportlab), EPC QR codes.

Used by the tests (a few) and by bench/receipt_reading.py (hundreds). Deterministic per seed.
Layouts, fonts, languages (FR, NL, DE, EN), VAT layouts (per-rate lines, tables, VAT only), thermal
paper look, rotation, blur, perspective and JPEG noise vary with the seed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum.eu import vat as eu_vat

CENT = Decimal("0.01")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = [
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSans.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerifCondensed.ttf",
]

RATES = {"BE": ["21", "6", "12"], "FR": ["20", "5.5", "10"], "DE": ["19", "7"], "NL": ["21", "9"]}
LANG_OF = {"BE": ["fr", "nl"], "FR": ["fr"], "DE": ["de"], "NL": ["nl", "en"]}

WORDS = {
    "fr": dict(
        total=["TOTAL TTC", "Total", "Net à payer", "MONTANT TTC"],
        vat="TVA",
        base="HT",
        incl="TTC",
        rate="Taux",
        card=["Carte bancaire", "CB", "Bancontact"],
        cash=["Espèces"],
        number=["Ticket n°", "Facture n°"],
        date="Date",
        thanks="Merci de votre visite",
        of="dont TVA",
        months=[
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
        items=[
            "Croissant",
            "Baguette",
            "Café crème",
            "Eau minérale",
            "Papier A4",
            "Cartouche encre",
            "Menu du jour",
            "Parking",
            "Câble USB",
            "Carnet",
        ],
    ),
    "nl": dict(
        total=["TOTAAL", "Te betalen", "Totaal incl. BTW"],
        vat="BTW",
        base="Excl.",
        incl="Incl.",
        rate="Tarief",
        card=["Bancontact", "Maestro", "PIN"],
        cash=["Contant"],
        number=["Kasticket nr", "Bon nr"],
        date="Datum",
        thanks="Bedankt en tot ziens",
        of="waarvan BTW",
        months=["jan", "feb", "maart", "april", "mei", "juni", "juli", "aug", "sept", "okt", "nov", "dec"],
        items=[
            "Koffie",
            "Broodje kaas",
            "Water",
            "Printpapier",
            "Inktpatroon",
            "Dagschotel",
            "Parkeren",
            "USB-kabel",
            "Schrift",
            "Thee",
        ],
    ),
    "de": dict(
        total=["SUMME", "Gesamt", "Zu zahlen"],
        vat="MwSt",
        base="Netto",
        incl="Brutto",
        rate="Satz",
        card=["EC-Karte", "Girocard", "Visa"],
        cash=["Bar"],
        number=["Beleg-Nr.", "Bon-Nr."],
        date="Datum",
        thanks="Vielen Dank für Ihren Einkauf",
        of="enth. MwSt",
        months=[
            "Jan.",
            "Feb.",
            "März",
            "Apr.",
            "Mai",
            "Juni",
            "Juli",
            "Aug.",
            "Sept.",
            "Okt.",
            "Nov.",
            "Dez.",
        ],
        items=[
            "Kaffee",
            "Brezel",
            "Wasser",
            "Druckerpapier",
            "Tinte",
            "Tagesgericht",
            "Parken",
            "USB-Kabel",
            "Notizbuch",
            "Tee",
        ],
    ),
    "en": dict(
        total=["TOTAL", "Amount due", "Total"],
        vat="VAT",
        base="Net",
        incl="Gross",
        rate="Rate",
        card=["Card", "Visa", "Mastercard"],
        cash=["Cash"],
        number=["Receipt no.", "Invoice no."],
        date="Date",
        thanks="Thank you",
        of="incl. VAT",
        months=["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        items=[
            "Coffee",
            "Sandwich",
            "Water",
            "Printer paper",
            "Ink cartridge",
            "Lunch menu",
            "Parking",
            "USB cable",
            "Notebook",
            "Tea",
        ],
    ),
}
SHOPS = [
    "BOULANGERIE DUPONT",
    "DELHAIZE ETTERBEEK",
    "CARREFOUR EXPRESS",
    "LIBRAIRIE CLAES",
    "BISTRO DE MARKT",
    "KRUIDVAT GENT",
    "FNAC LILLE",
    "REWE MARKT",
    "MEDIAMARKT",
    "CAFE CENTRAL",
    "HEMA UTRECHT",
    "ALBERT HEIJN",
    "COLRUYT NAMUR",
    "PHARMACIE DU PARC",
    "STUDIO LUMEN",
    "BUREAU PLUS",
    "TOTAL ENERGIES",
    "CHEZ MARIE",
]
STREETS = {
    "BE": "Rue de la Loi 12, 1000 Bruxelles",
    "FR": "12 rue Nationale, 59000 Lille",
    "DE": "Hauptstraße 5, 52062 Aachen",
    "NL": "Oudegracht 10, 3511 Utrecht",
}


@dataclass
class ReceiptTruth:
    seed: int
    country: str
    language: str
    supplier: str
    supplier_vat: str | None
    date: date
    date_text: str
    number: str
    payment_method: str
    payment_word: str
    currency: str
    items: list[tuple[str, Decimal, str]]  # name, amount incl. VAT, rate
    vat_layout: str
    total_word: str
    vat: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # rate -> (base, vat)

    @property
    def total(self) -> Decimal:
        return sum((a for _n, a, _r in self.items), Decimal("0.00"))


def _money(value: Decimal, lang: str) -> str:
    text = f"{value:,.2f}"  # 1,234.56
    if lang == "en":
        return text
    thousands = " " if lang == "fr" else "."
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", thousands)


def _rate_text(rate: str, lang: str) -> str:
    return rate.replace(".", ",") if lang != "en" else rate


def _valid_vat(country: str, rng: random.Random) -> str:
    while True:
        if country == "BE":
            first8 = rng.randrange(2_000_000, 19_999_999)
            candidate = f"BE{first8:08d}{97 - first8 % 97:02d}"
        elif country == "FR":
            siren = rng.randrange(100_000_000, 999_999_999)
            candidate = f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren}"
        else:
            digits = "".join(str(rng.randrange(10)) for _ in range(9))
            candidate = f"{country}{digits}" + ("B01" if country == "NL" else "")
        if eu_vat.is_valid(candidate):
            return candidate


def printed_vat(number: str, rng: random.Random) -> str:
    country, body = number[:2], number[2:]
    style = rng.randrange(3)
    if country == "BE" and style == 0:
        return f"BE {body[:4]}.{body[4:7]}.{body[7:]}"
    if country == "FR" and style == 0:
        return f"FR {body[:2]} {body[2:5]} {body[5:8]} {body[8:]}"
    if style == 1:
        return f"{country} {body}"
    return number


def _date_text(d: date, lang: str, rng: random.Random) -> str:
    months = WORDS[lang]["months"]
    styles = [
        f"{d:%d/%m/%Y}",
        f"{d:%d.%m.%y}",
        f"{d:%Y-%m-%d}",
        f"{d:%d-%m-%Y}",
        f"{d:%d.%m.%Y}",
        f"{d.day} {months[d.month - 1]} {d.year}",
        f"{d:%d/%m/%y}",
    ]
    if lang == "de":
        styles.append(f"{d.day}. {months[d.month - 1]} {d.year}")
    if lang == "en":
        styles.append(f"{months[d.month - 1]} {d.day}, {d.year}")
    return rng.choice(styles)


def make_truth(seed: int) -> ReceiptTruth:
    rng = random.Random(seed)
    country = rng.choice(list(RATES))
    lang = rng.choice(LANG_OF[country])
    words = WORDS[lang]
    rates = RATES[country][: rng.choice([1, 1, 2, 2, 3])]
    items = []
    for _ in range(rng.randrange(2, 7)):
        amount = Decimal(rng.randrange(50, 4999)) / 100
        items.append((rng.choice(words["items"]), amount.quantize(CENT), rng.choice(rates)))
    used = sorted({r for _n, _a, r in items}, key=Decimal, reverse=True)
    vat = {}
    for rate in used:
        incl = sum((a for _n, a, r in items if r == rate), Decimal("0"))
        tax = (incl * Decimal(rate) / (100 + Decimal(rate))).quantize(CENT, ROUND_HALF_UP)
        vat[rate] = (incl - tax, tax)
    d = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
    method = rng.choice(["card", "card", "cash"])
    return ReceiptTruth(
        seed=seed,
        country=country,
        language=lang,
        supplier=rng.choice(SHOPS),
        supplier_vat=_valid_vat(country, rng) if rng.random() < 0.85 else None,
        date=d,
        date_text=_date_text(d, lang, rng),
        number=f"{rng.randrange(1, 9999):04d}-{rng.randrange(100, 999)}",
        payment_method=method,
        payment_word=rng.choice(words[method]),
        currency="EUR",
        items=items,
        vat_layout=rng.choice(["lines", "table", "only_vat"]) if len(used) > 0 else "lines",
        total_word=rng.choice(words["total"]),
        vat=vat,
    )


def receipt_lines(t: ReceiptTruth, rng: random.Random) -> list[tuple[str, str]]:
    """(left, right) text pairs, top to bottom; right may be empty."""
    w = WORDS[t.language]
    lang = t.language
    rows: list[tuple[str, str]] = [(t.supplier, ""), (STREETS[t.country], "")]
    if t.supplier_vat:
        rows.append((f"{w['vat'] if lang != 'de' else 'USt-IdNr.'} {printed_vat(t.supplier_vat, rng)}", ""))
    rows.append((f"{w['number'][rng.randrange(2)]} {t.number}", ""))
    rows.append((f"{w['date']}: {t.date_text}  {rng.randrange(8, 20):02d}:{rng.randrange(60):02d}", ""))
    rows.append(("-" * 24, ""))
    for name, amount, rate in t.items:
        tag = "ABC"[sorted(t.vat, key=Decimal, reverse=True).index(rate)] if len(t.vat) > 1 else ""
        rows.append((name, f"{_money(amount, lang)} {tag}".strip()))
    rows.append(("-" * 24, ""))
    rows.append((t.total_word, f"{_money(t.total, lang)} EUR"))
    if t.vat_layout == "table":
        rows.append((f"{w['rate']}   {w['base']}   {w['vat']}", ""))
        for rate, (base, tax) in t.vat.items():
            rows.append((f"{_rate_text(rate, lang)}%   {_money(base, lang)}   {_money(tax, lang)}", ""))
    elif t.vat_layout == "lines":
        for rate, (base, tax) in t.vat.items():
            rows.append((f"{w['vat']} {_rate_text(rate, lang)}%   {_money(base, lang)}", _money(tax, lang)))
    else:
        for rate, (_base, tax) in t.vat.items():
            rows.append((f"{w['of']} {_rate_text(rate, lang)}%", _money(tax, lang)))
    rows.append((t.payment_word, _money(t.total, lang)))
    rows.append((w["thanks"], ""))
    return rows


@dataclass(frozen=True)
class Look:
    font: str
    size: int
    thermal: bool
    rotation: float
    blur: float
    perspective: float
    quality: int


def look_for(seed: int, plain: bool = False) -> Look:
    rng = random.Random(seed * 7919 + 1)
    if plain:
        return Look("DejaVuSansMono.ttf", 24, False, 0.0, 0.0, 0.0, 90)
    return Look(
        rng.choice(FONTS),
        rng.randrange(20, 28),
        rng.random() < 0.5,
        rng.uniform(-4, 4),
        rng.choice([0, 0, 0.6, 1.0]),
        rng.uniform(0, 0.04),
        rng.randrange(45, 90),
    )


def render_receipt(t: ReceiptTruth, look: Look) -> Image.Image:
    rng = random.Random(t.seed * 31 + 7)
    rows = receipt_lines(t, rng)
    font = ImageFont.truetype(str(FONT_DIR / look.font), look.size)
    width = 40 * look.size
    line_h = int(look.size * 1.5)
    margin = look.size * 2
    height = margin * 2 + line_h * len(rows)
    paper = (238, 236, 230) if look.thermal else (255, 255, 255)
    ink = (70, 70, 80) if look.thermal else (10, 10, 10)
    im = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(im)
    y = margin
    for left, right in rows:
        if right:
            draw.text((margin, y), left, font=font, fill=ink)
            draw.text((width - margin - draw.textlength(right, font=font), y), right, font=font, fill=ink)
        elif left == rows[0][0]:
            draw.text(((width - draw.textlength(left, font=font)) / 2, y), left, font=font, fill=ink)
        else:
            draw.text((margin, y), left, font=font, fill=ink)
        y += line_h
    if look.thermal:
        noise = Image.effect_noise(im.size, 18).convert("RGB")
        im = Image.blend(im, noise, 0.12)
    return distort(im, look)


def distort(im: Image.Image, look: Look) -> Image.Image:
    # a table around the paper, so rotation and perspective have a background
    pad = 40
    canvas = Image.new("RGB", (im.width + 2 * pad, im.height + 2 * pad), (120, 110, 100))
    canvas.paste(im, (pad, pad))
    im = canvas
    if look.perspective:
        w, h = im.size
        d = look.perspective
        # coefficients for a mild keystone: the top edge narrower than the bottom
        im = im.transform(
            im.size,
            Image.Transform.QUAD,
            (-w * d, 0, -w * d * 0.2, h, w * (1 + d * 0.2), h, w * (1 + d), 0),
            resample=Image.Resampling.BICUBIC,
            fillcolor=(120, 110, 100),
        )
    if look.rotation:
        im = im.rotate(
            look.rotation, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(120, 110, 100)
        )
    if look.blur:
        im = im.filter(ImageFilter.GaussianBlur(look.blur))
    return im


def jpeg(im: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def receipt_image(seed: int, plain: bool = False) -> tuple[bytes, ReceiptTruth]:
    truth = make_truth(seed)
    look = look_for(seed, plain)
    return jpeg(render_receipt(truth, look), look.quality), truth


def photo_12mp(seed: int) -> tuple[bytes, ReceiptTruth]:
    """A 4000 x 3000 photo: a table with the receipt (upright, slightly turned) across most of its height."""
    truth = make_truth(seed)
    look = look_for(seed)
    receipt = render_receipt(truth, Look(look.font, 26, look.thermal, 2.0, 0.6, 0.0, 90))
    scale = 2900 / receipt.height
    receipt = receipt.resize((int(receipt.width * scale), 2900), Image.Resampling.BICUBIC)
    table = Image.effect_noise((500, 375), 40).resize((4000, 3000), Image.Resampling.BICUBIC).convert("RGB")
    table = Image.blend(table, Image.new("RGB", table.size, (140, 100, 60)), 0.6)
    table.paste(receipt, ((4000 - receipt.width) // 2, 50))
    return jpeg(table, 92), truth


def receipt_pdf(
    seed: int, with_qr: bool = False, iban: str = "BE71096123456769"
) -> tuple[bytes, ReceiptTruth]:
    """An A4 supplier invoice as a PDF with a text layer (reportlab); with an EPC QR code if asked."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    truth = make_truth(seed)
    rng = random.Random(seed * 31 + 7)
    rows = receipt_lines(truth, rng)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setFont("Helvetica", 11)
    y = A4[1] - 60
    for left, right in rows:
        c.drawString(60, y, left)
        if right:
            c.drawRightString(A4[0] - 60, y, right)
        y -= 16
    if with_qr:
        import segno

        from smartdesk.domain.payments import epc_qr_payload

        payload = epc_qr_payload(name=truth.supplier, iban=iban, amount=truth.total, text=truth.number)
        qr = segno.make(payload, error="m", micro=False)
        png = io.BytesIO()
        qr.save(png, kind="png", scale=6, border=4)
        png.seek(0)
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(png), A4[0] - 200, 60, 140, 140)
    c.showPage()
    c.save()
    return buffer.getvalue(), truth
