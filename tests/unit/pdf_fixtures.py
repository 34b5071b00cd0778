"""Documents for the PDF tests and benchmarks, built straight from the domain dataclasses."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import partial

from PIL import Image, ImageDraw

from smartdesk.domain.documents import (
    Activity,
    AllowanceCharge,
    Brand,
    Document,
    DocumentKind,
    ExpenseLine,
    Line,
    MemberProfile,
)
from smartdesk.domain.vat import VatCategory
from tests.support.parties import BE as BE  # the entities the PDF tests bill from (fx.BE, fx.FR)
from tests.support.parties import FR as FR
from tests.support.parties import client
from tests.support.realistic import expense_line
from tests.unit.einvoice_scenarios import line

ISSUE = date(2026, 3, 5)


def profile(theme: str = "classic", accent: str = "#0B7A75") -> MemberProfile:
    return MemberProfile(
        first_name="Łucja",
        last_name="Őrsi-Çelik",
        email="lucja@example.org",
        entity="BE",
        brand=Brand(
            display_name="Atelier Łucja Őrsi",
            tagline="Scénographie · Lumière · Ștefan & Ça",
            accent_color=accent,
            email="studio@lucja.example",
            phone="+32 470 12 34 56",
            website="lucja.example",
            theme=theme,
        ),
    )


def activity() -> Activity:
    return Activity(name="Scénographie Łucja", code="A-12345", entity="BE")


# new clients at each call (tests/support/parties.py)
client_be = partial(client, "BE")
client_nl = partial(client, "NL", name="Stichting Podium Ölsen B.V.")
client_fr = partial(client, "FR")
client_ch = partial(client, "CH")


def lines(count: int, rate: str = "21", category: VatCategory = VatCategory.STANDARD) -> list[Line]:
    out = []
    for i in range(count):
        out.append(
            Line(
                description=(
                    f"Prestation {i + 1}: création lumière ł ő ș ç"
                    + ("\nRépétitions générales et réglages sur site" if i % 3 == 0 else "")
                ),
                quantity=Decimal("1.5") if i % 2 else Decimal("2"),
                unit="HUR" if i % 2 else "DAY",
                unit_price=Decimal("123.45") + i,
                vat_category=category,
                vat_rate=Decimal(rate) if category is VatCategory.STANDARD else Decimal("0"),
            )
        )
    return out


def invoice(
    count: int = 3,
    *,
    language: str = "fr",
    number: str = "2026-000123",
    entity: str = "BE",
    category: VatCategory = VatCategory.STANDARD,
    rate: str = "21",
) -> Document:
    return Document(
        kind=DocumentKind.INVOICE,
        number=number,
        entity=entity,
        language=language,
        title="Création lumière – « Les Saisons »",
        issue_date=ISSUE,
        payment_terms_days=30,
        due_date=date(2026, 4, 4),
        reference="PO-7781",
        lines=lines(count, rate, category),
    )


def simple_invoice(language: str = "fr", number: str = "2026-000123") -> Document:
    """One line of 1 234,50 excl. VAT at 21 %: total incl. VAT 1 493,75."""
    doc = invoice(0, language=language, number=number)
    doc.lines = [line("Conception lumière", "1", "1234.50", unit="LS")]
    return doc


def credit_note(language: str = "fr") -> Document:
    doc = invoice(2, language=language, number="NC-2026-0007")
    doc.kind = DocumentKind.CREDIT_NOTE
    doc.corrects_number = "2026-000123"
    return doc


def quote_with_discounts(language: str = "en") -> Document:
    doc = invoice(4, language=language, number="Q-2026-0042")
    doc.kind = DocumentKind.QUOTE
    doc.lines[1].discount_percent = Decimal("10")
    doc.lines.append(line("Catalogue", "3", "20", rate="6", unit="H87"))
    doc.allowances = [AllowanceCharge(amount=Decimal("50"), reason="Fidélité")]
    return doc


def png_bytes(size: tuple[int, int] = (360, 120), colour: str = "#0B7A75", text: str = "ŁO") -> bytes:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, size[0] - 4, size[1] - 4), radius=18, fill=colour)
    draw.ellipse((20, 20, size[1] - 20, size[1] - 20), fill="white")
    draw.text((size[1] + 10, size[1] // 2 - 6), text, fill="white")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def jpeg_receipt(text: str = "TICKET 42,00") -> bytes:
    image = Image.new("RGB", (600, 900), "white")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.line((40, 120 + i * 50, 560, 120 + i * 50), fill=(180, 180, 180), width=2)
    draw.text((60, 60), text, fill="black")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def pdf_receipt() -> bytes:
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5)
    c.setFillColorRGB(0.9, 0.3, 0.2)
    c.rect(40, 300, 300, 200, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def expense_note(language: str = "fr", receipts: list[bytes] | None = None) -> Document:
    import hashlib

    receipts = receipts or []
    digests = [hashlib.sha256(r).hexdigest() for r in receipts]
    doc = Document(
        kind=DocumentKind.EXPENSE_NOTE,
        number="",
        entity="BE",
        language=language,
        issue_date=ISSUE,
        payment_terms_days=None,
    )

    def spent(
        day: date, supplier: str, what: str, category: str, amount: str, rate: str, receipt: int
    ) -> ExpenseLine:
        """An expense line with the ``receipt``-th of ``receipts`` (none when there are fewer)."""
        return expense_line(
            day, supplier, what, category, amount, rate, receipts=digests[receipt : receipt + 1]
        )

    train = spent(date(2026, 2, 27), "SNCB / NMBS", "Train Bruxelles–Liège", "Transport", "42.00", "6", 1)
    tools = spent(date(2026, 3, 1), "Brico Ixelles", "Gaffer, câbles", "Matériel", "121.00", "21", 0)
    tools.paid_with = "coop"
    meal = spent(date(2026, 3, 2), "Restaurant Ça Va", "Repas équipe", "Repas", "64.50", "12", 2)
    meal.rejection_reason = "Pas de justificatif lisible"
    doc.expense_lines = [train, tools, meal]
    return doc
