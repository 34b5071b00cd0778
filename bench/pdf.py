"""PDF renderer benchmark: prints median timings (never asserts them).

    .venv/bin/python bench/pdf.py [--runs N]

- a branded 1-page invoice with 20 lines (logo, EPC QR code, accent colour);
- a 300-line invoice (pagination, carried totals);
- the same 20-line invoice as HTML rendered by WeasyPrint, side by side.
Targets (issue 4): <= 15 ms for 1 page, <= 150 ms for 300 lines, >= 15x faster than WeasyPrint.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from bench.timing import median_ms  # noqa: E402
from smartdesk.domain.documents import Line  # noqa: E402
from smartdesk.domain.payments import epc_qr_payload, ogm_for_document  # noqa: E402
from smartdesk.domain.totals import document_totals  # noqa: E402
from smartdesk.pdf import render_document  # noqa: E402
from smartdesk.pdf.formatting import Formatter  # noqa: E402
from smartdesk.resources import resource_path  # noqa: E402
from tests.unit import pdf_fixtures as fx  # noqa: E402


def twenty_line_invoice():
    doc = fx.invoice(0, language="fr")
    doc.lines = [
        Line(
            description=f"Prestation {i + 1} : création lumière et régie",
            quantity=Decimal(2),
            unit="HUR",
            unit_price=Decimal("85") + i,
            vat_rate=Decimal("21"),
        )
        for i in range(20)
    ]
    return doc


def html_invoice(doc, logo: bytes) -> str:
    """An equivalent invoice as HTML/CSS for WeasyPrint (same font, logo, table, totals, QR code)."""
    import segno

    fmt = Formatter("fr", "BE")
    totals = document_totals(doc)
    ogm = ogm_for_document(doc.id, doc.number)
    payload = epc_qr_payload(
        name=fx.BE.name, iban=fx.BE.iban, bic=fx.BE.bic, amount=totals.due, structured_reference=ogm
    )
    qr = io.BytesIO()
    segno.make(payload, error="m", boost_error=False, encoding="utf-8").save(qr, kind="svg", scale=3)
    font = resource_path("fonts", "DejaVuSans.ttf").as_uri()
    bold = resource_path("fonts", "DejaVuSans-Bold.ttf").as_uri()
    rows = "".join(
        f"<tr><td>{html.escape(ln.description)}</td><td class=r>{fmt.quantity(ln.quantity)}</td><td>heure</td>"
        f"<td class=r>{fmt.amount(ln.unit_price)}</td><td class=r>21 %</td><td class=r>{fmt.amount(a.net)}</td></tr>"
        for ln, a in zip(doc.lines, totals.lines, strict=True)
    )
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
@font-face {{ font-family: S; src: url({font}); }}
@font-face {{ font-family: S; font-weight: bold; src: url({bold}); }}
@page {{ size: A4; margin: 15mm 16mm 25mm; @bottom-right {{ content: "Page " counter(page) " / " counter(pages);
  font: 7pt S; }} }}
body {{ font: 8.6pt S; color: #222; }} h1 {{ color: #0B7A75; font-size: 21pt; margin: 0; }}
table {{ width: 100%; border-collapse: collapse; }} th {{ background: #0B7A75; color: white; text-align: left; }}
td, th {{ padding: 3px; border-bottom: 0.5px solid #ccc; }} .r {{ text-align: right; }}
.head {{ display: flex; justify-content: space-between; }} .tot {{ width: 50%; margin-left: 50%; }}
</style></head><body>
<div class=head><div><img src="data:image/png;base64,{base64.b64encode(logo).decode()}" style="width:150pt">
<p><b>Atelier Łucja Őrsi</b><br>Scénographie · Lumière</p></div>
<div><h1>Facture</h1><p>Numéro {doc.number}<br>Date {fmt.date(doc.issue_date)}</p>
<p><b>Théâtre de la Balsamine ASBL</b><br>Avenue Félix Marchal 1<br>1030 Schaerbeek</p></div></div>
<table><thead><tr><th>Description</th><th>Quantité</th><th>Unité</th><th>Prix unitaire</th><th>TVA</th>
<th>Montant HTVA</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tot><tr><td>Total HTVA</td><td class=r>{fmt.money(totals.tax_exclusive)}</td></tr>
<tr><td>TVA 21 %</td><td class=r>{fmt.money(totals.vat_total)}</td></tr>
<tr><th>Total TVAC</th><th class=r>{fmt.money(totals.tax_inclusive)}</th></tr></table>
<p>Communication structurée <b>{ogm}</b></p>{qr.getvalue().decode()}
<p style="font-size:7pt">Émis par {html.escape(fx.BE.name)} · {fx.BE.vat_number} · {fx.BE.registration}</p>
</body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    logo = fx.png_bytes()
    client, activity, profile = fx.client_be(), fx.activity(), fx.profile()

    def run(doc, theme: str = "classic") -> bytes:
        return render_document(
            doc, client=client, activity=activity, entity=fx.BE, profile=profile, theme=theme, logo_bytes=logo
        )

    one = twenty_line_invoice()
    big = fx.invoice(300, language="fr")
    results = {}
    for theme in ("classic", "compact"):
        pages = len(PdfReader(io.BytesIO(run(one, theme))).pages)
        results[f"20 lines, {theme} ({pages} page{'s' if pages > 1 else ''})"] = median_ms(
            lambda theme=theme: run(one, theme), args.runs
        )
    pages = len(PdfReader(io.BytesIO(run(big))).pages)
    results[f"300 lines, classic ({pages} pages)"] = median_ms(lambda: run(big), max(args.runs // 3, 5))

    from smartdesk.pdf import renderer

    def cold_qr() -> bytes:
        renderer.qr_path.cache_clear()
        return run(one, "compact")

    results["20 lines, compact, QR encoded every time"] = median_ms(cold_qr, args.runs)

    from smartdesk.pdf import fonts, formatting

    def cold_all() -> bytes:
        renderer.qr_path.cache_clear()
        fonts._widths.clear()
        formatting._quantity.cache_clear()
        return run(one, "compact")

    results["20 lines, compact, every cache cold"] = median_ms(cold_all, args.runs)

    weasy = None
    try:
        import logging

        from weasyprint import HTML

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        source = html_invoice(one, logo)
        weasy = median_ms(lambda: HTML(string=source).write_pdf(), max(args.runs // 5, 5), warmup=1)
    except ImportError:
        pass

    print(f"{'case':48} {'median':>10}")
    for name, ms in results.items():
        print(f"{name:48} {ms:8.1f} ms")
    if weasy is not None:
        print(f"{'WeasyPrint, equivalent 20-line HTML invoice':48} {weasy:8.1f} ms")
        best_one = min(
            v for k, v in results.items() if k.startswith("20 lines") and "cold" not in k and "QR" not in k
        )
        print(f"speed-up vs WeasyPrint (1-page invoice): {weasy / best_one:.1f}x")
    print("targets: <= 15 ms (1 page), <= 150 ms (300 lines), >= 15x faster than WeasyPrint")


if __name__ == "__main__":
    main()
