"""Render the BE and FR sample invoices with a discount and a charge (docs/totals.md) to PDF in a folder.

Usage: .venv/bin/python scripts/render_totals_samples.py OUT_DIR && pdftoppm -r 80 -png OUT_DIR/be.pdf OUT_DIR/be
"""

import sys
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from smartdesk.domain.documents import AllowanceCharge, MemberProfile
from smartdesk.pdf import render_document
from tests.unit.einvoice_scenarios import BE, FR, client_be, client_fr, invoice, line

be = invoice(
    BE,
    [
        line("Création sonore", "10", "80"),
        line("Heures de montage", "7", "33.3333"),
        line("Catalogue", "30", "9.90", rate="6", unit="H87"),
    ],
    allowances=[
        AllowanceCharge(percent=D(10), reason="Remise fidélité"),
        AllowanceCharge(is_charge=True, amount=D(45), reason="Transport"),
    ],
)
fr = invoice(
    FR,
    [
        line("Formation", "2", "640", rate="20", unit="DAY"),
        line("Livres", "10", "21.50", rate="5.5", unit="H87"),
    ],
    number="F2026-000043",
    allowances=[
        AllowanceCharge(is_charge=True, amount=D(45), reason="Déplacement", vat_rate=D(20)),
        AllowanceCharge(percent=D(10), reason="Remise", vat_rate=D(20)),
    ],
)
for name, doc, client, ent in (("be", be, client_be(), BE), ("fr", fr, client_fr(), FR)):
    (Path(sys.argv[1]) / f"{name}.pdf").write_bytes(
        render_document(doc, client=client, activity=None, entity=ent, profile=MemberProfile())
    )
